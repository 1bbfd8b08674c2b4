/*
 * files: the reads of recorded input files and of which files delivered
 * an item version (see files.h).
 */
#include "store/files.h"
#include "store/walk.h"
#include "util/timeutil.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int files_each(struct store *s, void (*fn)(const struct file_record *f, void *ctx), void *ctx,
	       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "SELECT path, size, sha256, kind, account_id, region,"
					 " delivered_at, status FROM files"
					 " ORDER BY path, sha256, file_key",
					 d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct file_record f = {
		    walk_text(st, 0), sqlite3_column_int64(st, 1),
		    walk_text(st, 2), walk_text(st, 3),
		    walk_text(st, 4), walk_text(st, 5),
		    walk_text(st, 6), walk_text(st, 7),
		};

		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the source files");
}

/* History/export files, then snapshot files in delivery order. */
static const char sources_sql[] =
    "SELECT path, kind, delivered_at FROM ("
    " SELECT f.path, f.kind, f.delivered_at, 0 AS grp FROM item_sources s"
    "  JOIN files f ON f.file_key = s.file_key WHERE s.item_key = ?1 AND f.status = 'loaded'"
    " UNION"
    " SELECT f.path, f.kind, f.delivered_at, 1 FROM snapshot_presence p"
    "  JOIN files f ON f.kind = 'ConfigSnapshot' AND f.status = 'loaded'"
    "   AND f.account_id = p.account_id AND f.region = p.region"
    "   AND f.delivered_at BETWEEN p.first_time AND p.last_time"
    "  WHERE p.item_key = ?1)"
    " ORDER BY grp, delivered_at, path";

int files_of_item_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
		       void (*fn)(const struct file_record *f, void *ctx), void *ctx,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sources_sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct file_record f;

		memset(&f, 0, sizeof(f));
		f.path = walk_text(st, 0);
		f.kind = walk_text(st, 1);
		f.delivered_at = walk_text(st, 2);
		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}

/* The files behind a version at a time (item_files_each). */
static const char item_files_sql[] =
    "SELECT path FROM ("
    "  SELECT f.path AS path FROM item_sources s JOIN files f ON f.file_key = s.file_key"
    "   WHERE s.item_key = ?1"
    "  UNION"
    "  SELECT (SELECT f.path FROM files f"
    "     WHERE f.kind = 'ConfigSnapshot' AND f.status = 'loaded'"
    "     AND f.account_id = p.account_id AND f.region = p.region"
    "     AND f.delivered_at BETWEEN p.first_time AND p.last_time AND f.delivered_at <= ?2"
    "     ORDER BY f.delivered_at DESC, f.path LIMIT 1)"
    "   FROM snapshot_presence p WHERE p.item_key = ?1)"
    " WHERE path IS NOT NULL ORDER BY path";

struct item_files {
	struct store *s;
	char *as_of;	     /* canonical */
	sqlite3_stmt *have;  /* is the version stored */
	sqlite3_stmt *files; /* item_files_sql */
};

struct item_files *item_files_new(struct store *s, const char *as_of, struct diag *d)
{
	struct item_files *f = xcalloc(1, sizeof(*f));

	f->s = s;
	f->as_of = xstrdup(as_of);
	f->have = store_prepare(s, "SELECT 1 FROM items WHERE item_key = ?1", d);
	f->files = f->have ? store_prepare(s, item_files_sql, d) : NULL;
	if (!f->files) {
		item_files_free(f);
		return NULL;
	}
	return f;
}

int item_files_each(struct item_files *f, const unsigned char key[STORE_KEY_LEN],
		    void (*fn)(const char *path, void *ctx), void *ctx, struct diag *d)
{
	int rc;

	sqlite3_reset(f->have);
	sqlite3_bind_blob(f->have, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(f->have);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_error(f->s, d, "cannot read the items");
	sqlite3_reset(f->files);
	sqlite3_bind_blob(f->files, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(f->files, 2, f->as_of, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(f->files)) == SQLITE_ROW)
		if (walk_text(f->files, 0))
			fn(walk_text(f->files, 0), ctx);
	if (rc != SQLITE_DONE)
		return store_error(f->s, d, "cannot read the source files");
	return 1;
}

void item_files_free(struct item_files *f)
{
	if (!f)
		return;
	sqlite3_finalize(f->have);
	sqlite3_finalize(f->files);
	free(f->as_of);
	free(f);
}

/* ---- The write side ---- */

enum {
	F_INSERT_SOURCE,
	F_SERIES_PREV,
	F_SERIES_NEXT,
	F_FILE_STATUS,
	F_INSERT_FILE,
	F_NOTE_STAT, /* a loaded file, seen again with another stat key */
	F_REKEY,     /* a streamed file's provenance, to its final key */
	F_FIRST_PATH,
	F_COUNT
};

static const char *const files_write_sql[F_COUNT] = {
    [F_INSERT_SOURCE] = "INSERT OR IGNORE INTO item_sources(item_key, file_key) VALUES (?1, ?2)",
    [F_SERIES_PREV] = "SELECT max(delivered_at) FROM files WHERE kind = 'ConfigSnapshot'"
		      " AND account_id = ?1 AND region = ?2 AND delivered_at < ?3"
		      " AND status = 'loaded'",
    [F_SERIES_NEXT] = "SELECT min(delivered_at) FROM files WHERE kind = 'ConfigSnapshot'"
		      " AND account_id = ?1 AND region = ?2 AND delivered_at > ?3"
		      " AND status = 'loaded'",
    [F_FILE_STATUS] = "SELECT status FROM files WHERE file_key = ?1",
    [F_INSERT_FILE] = "INSERT OR REPLACE INTO files(file_key, path, size, sha256, kind,"
		      " account_id, region, delivered_at, snapshot_id, item_count,"
		      " global_items, status, error, error_offset, ingested_at, stat_key) VALUES"
		      " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    [F_NOTE_STAT] = "UPDATE files SET stat_key = ?2 WHERE file_key = ?1",
    [F_REKEY] = "UPDATE item_sources SET file_key = ?1 WHERE file_key = ?2",
    [F_FIRST_PATH] =
	"SELECT path FROM (SELECT f.path, f.ingested_at, f.rowid AS o FROM item_sources s"
	"  JOIN files f ON f.file_key = s.file_key WHERE s.item_key = ?1 AND f.status = 'loaded'"
	"  AND f.file_key <> ?2"
	" UNION ALL SELECT f.path, f.ingested_at, f.rowid FROM snapshot_presence p"
	"  JOIN files f ON f.kind = 'ConfigSnapshot' AND f.status = 'loaded'"
	"   AND f.account_id = p.account_id AND f.region = p.region"
	"   AND f.delivered_at BETWEEN p.first_time AND p.last_time"
	"  WHERE p.item_key = ?1 AND f.file_key <> ?2)"
	" ORDER BY o LIMIT 1",
};

struct files_writer {
	struct store *s;
	sqlite3_stmt *st[F_COUNT];
};

struct files_writer *files_writer_new(struct store *s, struct diag *d)
{
	struct files_writer *fw = xcalloc(1, sizeof(*fw));

	fw->s = s;
	for (int i = 0; i < F_COUNT; i++) {
		fw->st[i] = store_prepare(s, files_write_sql[i], d);
		if (!fw->st[i]) {
			files_writer_free(fw);
			return NULL;
		}
	}
	return fw;
}

void files_writer_free(struct files_writer *fw)
{
	if (!fw)
		return;
	for (int i = 0; i < F_COUNT; i++)
		sqlite3_finalize(fw->st[i]);
	free(fw);
}

/* Run a statement to its end; returns the last step code. */
static int run(sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	return rc;
}

int files_put(struct files_writer *fw, const struct file_row *r, struct diag *d)
{
	sqlite3_stmt *st = fw->st[F_INSERT_FILE];
	int rc;

	sqlite3_bind_blob(st, 1, r->key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->size);
	sqlite3_bind_text(st, 4, r->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->region, -1, SQLITE_STATIC);
	if (r->delivered_at)
		sqlite3_bind_text(st, 8, r->delivered_at, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_text(st, 9, r->snapshot_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, r->item_count);
	sqlite3_bind_int64(st, 11, r->global_items);
	sqlite3_bind_text(st, 12, r->error ? "failed" : "loaded", -1, SQLITE_STATIC);
	if (r->error) {
		sqlite3_bind_text(st, 13, r->error, -1, SQLITE_STATIC);
		if (r->error_offset >= 0)
			sqlite3_bind_int64(st, 14, r->error_offset);
		else
			sqlite3_bind_null(st, 14);
	} else {
		sqlite3_bind_null(st, 13);
		sqlite3_bind_null(st, 14);
	}
	sqlite3_bind_text(st, 15, r->ingested_at, -1, SQLITE_STATIC);
	if (r->stat_key)
		sqlite3_bind_blob(st, 16, r->stat_key, STORE_KEY_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 16);
	rc = run(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_error(fw->s, d, "cannot record file");
	return 0;
}

int files_is_loaded(struct files_writer *fw, const unsigned char key[STORE_KEY_LEN],
		    struct diag *d)
{
	sqlite3_stmt *st = fw->st[F_FILE_STATUS];
	int rc, loaded = 0;

	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);

		loaded = s && !strcmp((const char *)s, "loaded");
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(fw->s, d, "cannot read files");
	return loaded;
}

/* A statement of two key parameters, run to its end. */
static int run_keys(struct files_writer *fw, int which, const unsigned char *k1,
		    const unsigned char *k2, const char *what, struct diag *d)
{
	sqlite3_stmt *st = fw->st[which];

	sqlite3_bind_blob(st, 1, k1, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, k2, STORE_KEY_LEN, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(fw->s, d, what);
	return 0;
}

int files_note_stat(struct files_writer *fw, const unsigned char key[STORE_KEY_LEN],
		    const unsigned char stat_key[STORE_KEY_LEN], struct diag *d)
{
	return run_keys(fw, F_NOTE_STAT, key, stat_key, "cannot record file", d);
}

int files_series_time(struct files_writer *fw, int after, const char *account, const char *region,
		      const char *t, char *out, struct diag *d)
{
	sqlite3_stmt *st = fw->st[after ? F_SERIES_NEXT : F_SERIES_PREV];
	int rc;

	out[0] = '\0';
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);

		if (s)
			snprintf(out, TIME_ISO_LEN, "%s", (const char *)s);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(fw->s, d, "cannot read snapshot series");
	return 0;
}

char *files_first_path(struct files_writer *fw, const unsigned char item_key[STORE_KEY_LEN],
		       const unsigned char not_file[STORE_KEY_LEN])
{
	sqlite3_stmt *st = fw->st[F_FIRST_PATH];
	const unsigned char *fp;
	char *first = NULL;

	sqlite3_bind_blob(st, 1, item_key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, not_file, STORE_KEY_LEN, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (fp = sqlite3_column_text(st, 0)) != NULL)
		first = xstrdup((const char *)fp);
	sqlite3_reset(st);
	return first;
}

int item_sources_put(struct files_writer *fw, const unsigned char item_key[STORE_KEY_LEN],
		     const unsigned char file_key[STORE_KEY_LEN], struct diag *d)
{
	return run_keys(fw, F_INSERT_SOURCE, item_key, file_key, "cannot insert item source", d);
}

int item_sources_rekey(struct files_writer *fw, const unsigned char new_key[STORE_KEY_LEN],
		       const unsigned char old_key[STORE_KEY_LEN], struct diag *d)
{
	return run_keys(fw, F_REKEY, new_key, old_key, "cannot record the provenance of a stream",
			d);
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, STORE_KEY_LEN);
}

/* Sorted 16-byte keys from a query's first column. */
static int sorted_keys(struct store *s, const char *sql, unsigned char **keys, size_t *n,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	size_t alloc = 0;
	int rc;

	*keys = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != STORE_KEY_LEN)
			continue;
		*keys = xgrow(*keys, &alloc, (*n + 1) * STORE_KEY_LEN, 1);
		memcpy(*keys + *n * STORE_KEY_LEN, sqlite3_column_blob(st, 0), STORE_KEY_LEN);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*keys);
		*keys = NULL;
		*n = 0;
		return store_error(s, d, "cannot read files");
	}
	if (*n)
		qsort(*keys, *n, STORE_KEY_LEN, cmp_key);
	return 0;
}

int files_loaded_keys(struct store *s, unsigned char **keys, size_t *n, struct diag *d)
{
	return sorted_keys(s, "SELECT file_key FROM files WHERE status = 'loaded'", keys, n, d);
}

int files_loaded_stat_keys(struct store *s, unsigned char **keys, size_t *n, struct diag *d)
{
	return sorted_keys(s,
			   "SELECT stat_key FROM files WHERE status = 'loaded'"
			   " AND stat_key IS NOT NULL",
			   keys, n, d);
}
