/*
 * items: the reads of stored item versions and their conflicts (see
 * items.h).
 */
#include "store/items.h"
#include "store/schema.h"
#include "store/walk.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define ITEM_COLUMNS                                                                               \
	"item_key, account_id, region, resource_type, resource_id, resource_name, arn,"            \
	" availability_zone, status, capture_time, state_id, item_version,"                        \
	" resource_creation_time, configuration, supplementary, tags, relationships, extra"

static void item_from(sqlite3_stmt *st, struct item_record *it)
{
	it->key = walk_key(st, 0);
	it->account_id = walk_text(st, 1);
	it->region = walk_text(st, 2);
	it->resource_type = walk_text(st, 3);
	it->resource_id = walk_text(st, 4);
	it->resource_name = walk_text(st, 5);
	it->arn = walk_text(st, 6);
	it->availability_zone = walk_text(st, 7);
	it->status = walk_text(st, 8);
	it->capture_time = walk_text(st, 9);
	it->has_state_id = sqlite3_column_type(st, 10) != SQLITE_NULL;
	it->state_id = sqlite3_column_int64(st, 10);
	it->item_version = walk_text(st, 11);
	it->resource_creation_time = walk_text(st, 12);
	it->configuration = walk_text(st, 13);
	it->supplementary = walk_text(st, 14);
	it->tags = walk_text(st, 15);
	it->relationships = walk_text(st, 16);
	it->extra = walk_text(st, 17);
}

int item_versions_each(struct store *s, const char *resource_id, const char *type,
		       const char *account,
		       int (*fn)(const struct item_record *it, void *ctx, struct diag *d),
		       void *ctx, struct diag *d)
{
	sqlite3_stmt *st =
	    store_prepare(s,
			  "SELECT " ITEM_COLUMNS " FROM items"
			  " WHERE resource_id = ?1 AND (?2 IS NULL OR resource_type = ?2)"
			  "   AND (?3 IS NULL OR account_id = ?3)"
			  " ORDER BY capture_time, state_id, account_id, region,"
			  " resource_type",
			  d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resource_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_record it;

		item_from(st, &it);
		if (fn(&it, ctx, d)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}

int items_of_run_each(struct store *s, int64_t run_id,
		      void (*fn)(const struct item_record *it, void *ctx), void *ctx,
		      struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(
	    s,
	    "SELECT " ITEM_COLUMNS " FROM items WHERE item_key IN"
	    " (SELECT item_key FROM results WHERE run_id = ?1 AND item_key IS NOT NULL)"
	    " ORDER BY account_id, region, resource_type, resource_id, capture_time,"
	    " state_id, item_key",
	    run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_record it;

		item_from(st, &it);
		fn(&it, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the items");
}

int item_conflicts_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
			void (*fn)(const struct item_conflict *c, void *ctx), void *ctx,
			struct diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* No item_conflicts table: no conflicts were ever met. */
	if (sqlite3_prepare_v2(
		s->db,
		"SELECT f.path, f.kind, c.member, c.sha256, c.text FROM item_conflicts c"
		" JOIN files f ON f.file_key = c.file_key"
		" WHERE c.item_key = ?1 AND f.status = 'loaded'"
		" ORDER BY f.rowid, c.sha256",
		-1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_conflict c = {walk_text(st, 0), walk_text(st, 1), walk_text(st, 2),
					  walk_text(st, 3), walk_text(st, 4)};

		fn(&c, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}

/* ---- The write side ---- */

/* The stored compared columns of a version, in enum item_stored_col order. */
#define STORED_COLS_SQL                                                                            \
	"SELECT status, resource_name, arn, availability_zone, resource_creation_time,"            \
	" configuration, supplementary, tags, relationships FROM items WHERE item_key = ?1"

struct item_lookup {
	sqlite3_stmt *known;  /* SELECT of an item key */
	sqlite3_stmt *stored; /* STORED_COLS_SQL */
};

struct item_lookup *item_lookup_new(sqlite3 *db)
{
	struct item_lookup *l = xcalloc(1, sizeof(*l));

	if (sqlite3_prepare_v3(db, "SELECT 1 FROM items WHERE item_key = ?1", -1,
			       SQLITE_PREPARE_PERSISTENT, &l->known, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(db, STORED_COLS_SQL, -1, SQLITE_PREPARE_PERSISTENT, &l->stored,
			       NULL) != SQLITE_OK) {
		item_lookup_free(l);
		return NULL;
	}
	return l;
}

void item_lookup_free(struct item_lookup *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->known);
	sqlite3_finalize(l->stored);
	free(l);
}

int item_lookup_known(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN])
{
	int rc;

	sqlite3_bind_blob(l->known, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(l->known);
	sqlite3_reset(l->known);
	return rc == SQLITE_ROW;
}

int item_lookup_stored(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN],
		       const char *col[ISTORED_COUNT], size_t len[ISTORED_COUNT])
{
	int rc;

	sqlite3_bind_blob(l->stored, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(l->stored);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	for (int i = 0; i < ISTORED_COUNT; i++) {
		col[i] = (const char *)sqlite3_column_text(l->stored, i);
		len[i] = (size_t)sqlite3_column_bytes(l->stored, i);
	}
	return 1;
}

void item_lookup_done(struct item_lookup *l)
{
	sqlite3_reset(l->stored);
}

struct items_writer {
	struct store *s;
	sqlite3_stmt *insert;
	sqlite3_stmt *conflict; /* into item_conflicts, once it exists */
};

struct items_writer *items_writer_new(struct store *s, struct diag *d)
{
	struct items_writer *iw = xcalloc(1, sizeof(*iw));

	iw->s = s;
	iw->insert = store_prepare(
	    s,
	    "INSERT OR IGNORE INTO items(item_key, account_id, region, resource_type,"
	    " resource_id, resource_name, arn, availability_zone, status, capture_time,"
	    " state_id, item_version, resource_creation_time, configuration, supplementary,"
	    " tags, relationships, extra) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	    d);
	if (!iw->insert) {
		free(iw);
		return NULL;
	}
	return iw;
}

void items_writer_free(struct items_writer *iw)
{
	if (!iw)
		return;
	sqlite3_finalize(iw->insert);
	sqlite3_finalize(iw->conflict);
	free(iw);
}

static void bind_col(sqlite3_stmt *st, int idx, const char *const *col, const uint32_t *len, int c)
{
	if (col[c])
		sqlite3_bind_text(st, idx, col[c], (int)len[c], SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

int items_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
	      const char *const col[ICOL_COUNT], const uint32_t len[ICOL_COUNT], int has_state_id,
	      int64_t state_id, int *inserted, struct diag *d)
{
	sqlite3_stmt *ins = iw->insert;
	int rc;

	sqlite3_bind_blob(ins, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	bind_col(ins, 2, col, len, ICOL_ACCOUNT);
	bind_col(ins, 3, col, len, ICOL_REGION);
	bind_col(ins, 4, col, len, ICOL_TYPE);
	bind_col(ins, 5, col, len, ICOL_ID);
	bind_col(ins, 6, col, len, ICOL_NAME);
	bind_col(ins, 7, col, len, ICOL_ARN);
	bind_col(ins, 8, col, len, ICOL_AZ);
	bind_col(ins, 9, col, len, ICOL_STATUS);
	bind_col(ins, 10, col, len, ICOL_CAPTURE);
	if (has_state_id)
		sqlite3_bind_int64(ins, 11, state_id);
	else
		sqlite3_bind_null(ins, 11);
	bind_col(ins, 12, col, len, ICOL_VERSION);
	bind_col(ins, 13, col, len, ICOL_CREATION);
	bind_col(ins, 14, col, len, ICOL_CONFIGURATION);
	bind_col(ins, 15, col, len, ICOL_SUPPLEMENTARY);
	bind_col(ins, 16, col, len, ICOL_TAGS);
	bind_col(ins, 17, col, len, ICOL_RELATIONSHIPS);
	bind_col(ins, 18, col, len, ICOL_EXTRA);
	while ((rc = sqlite3_step(ins)) == SQLITE_ROW)
		;
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return store_error(iw->s, d, "cannot insert item");
	*inserted = sqlite3_changes(iw->s->db) > 0;
	return 0;
}

int items_conflict_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
		       const unsigned char file_key[STORE_KEY_LEN], const char *member,
		       const char *sha256, const char *text, size_t text_len, struct diag *d)
{
	int rc;

	if (!iw->conflict) {
		if (store_exec(iw->s, store_item_conflicts_sql, d))
			return -1;
		iw->conflict =
		    store_prepare(iw->s,
				  "INSERT OR IGNORE INTO item_conflicts(item_key, file_key, member,"
				  " sha256, text) VALUES (?1, ?2, ?3, ?4, ?5)",
				  d);
		if (!iw->conflict)
			return -1;
	}
	sqlite3_bind_blob(iw->conflict, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(iw->conflict, 2, file_key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 3, member, -1, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 4, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 5, text, (int)text_len, SQLITE_STATIC);
	while ((rc = sqlite3_step(iw->conflict)) == SQLITE_ROW)
		;
	sqlite3_reset(iw->conflict);
	if (rc != SQLITE_DONE)
		return store_error(iw->s, d, "cannot record a conflicting item");
	return 0;
}

void items_writer_forget(struct items_writer *iw)
{
	sqlite3_finalize(iw->conflict);
	iw->conflict = NULL;
}

int items_conflicts_rekey(struct store *s, const unsigned char new_key[STORE_KEY_LEN],
			  const unsigned char old_key[STORE_KEY_LEN], struct diag *d)
{
	sqlite3_stmt *c =
	    store_prepare(s, "UPDATE item_conflicts SET file_key = ?1 WHERE file_key = ?2", d);
	int rc;

	if (!c)
		return -1;
	sqlite3_bind_blob(c, 1, new_key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(c, 2, old_key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(c)) == SQLITE_ROW)
		;
	sqlite3_finalize(c);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the provenance of a stream");
	return 0;
}

int items_empty(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT EXISTS (SELECT 1 FROM items)", d);
	int rc, empty;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	empty = rc == SQLITE_ROW && !sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_error(s, d, "cannot read items");
	return empty;
}

int items_drop_indexes(struct store *s, struct diag *d)
{
	return store_exec(s, "DROP INDEX IF EXISTS items_by_resource; DROP INDEX IF EXISTS items_by_id",
			  d);
}

int items_build_indexes(struct store *s, struct diag *d)
{
	return store_exec(s, store_items_indexes_sql, d);
}
