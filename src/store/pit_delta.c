/*
 * pit_delta: the point-in-time state of a --since-run evaluation built
 * from the prior run's instead of whole (see pit_delta.h, pit.h).
 *
 * Prior state at T0 over the store up to items rowid M (every item up to
 * M captured at or before T0: pit_meta.clean), new state at T1 >= T0. A
 * resource's current version can differ only if
 *   - it has a version of rowid > M captured at or before T1 (else its
 *     latest version at T1 is its latest at T0), or
 *   - its series' deciding snapshot changed from S0 to S1 and
 *       - the presence run of the version the prior state holds ended
 *         in [S0, S1) (gone from S1),
 *       - or it was not current at T0 as S0 did not hold it (pit_marks,
 *         PIT_DROPPED) and S1 holds it,
 *       - or it was current at T0 as captured after S0 (PIT_NEWER), was
 *         not captured after S1 and S1 does not hold it (when S1 holds
 *         it, it keeps its row and loses its mark),
 *   - or its series has its first deciding snapshot (every resource of
 *     the prior state there).
 * Those candidates are recomputed by pit.c's rule (latest version at T1,
 * not a deletion, held by the deciding snapshot unless captured after
 * it); every other row stays. The statistics of a whole build's ANALYZE
 * follow from the rows' count and distinct prefixes, kept up to date
 * (sqlite_stat1 as SQLite's analyze.c computes it; the whole build
 * counts the distinct ids from its scan, a set of them). Guards (else
 * the state is built whole): the kept file's bytes are those its run
 * wrote (digest_ok), the kept state is exactly the prior run's (as-of
 * time, marks, rowids' count and digest), clean and written since the
 * system started, every series' deciding snapshot is the same or
 * later in the same folder region, and the candidates are few.
 * Data loaded since that belongs to a time at or before T0 makes the
 * prior run unusable already (since_late_data).
 */
#include "store/pit_delta.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVAL_RESULT_TYPE "'cfgaudit::Config::EvaluationResult'"

uint64_t pit_delta_mix(int64_t rid)
{
	uint64_t z = (uint64_t)rid + 0x9e3779b97f4a7c15ULL; /* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void pit_kept_init(struct pit_kept *k)
{
	memset(k, 0, sizeof(*k));
	strbuf_init(&k->ids.arena, 0);
}

static void idset_grow(struct pit_idset *set)
{
	struct pit_idset old = *set;

	set->cap = old.cap ? old.cap * 2 : 1024;
	set->hash = xcalloc(set->cap, sizeof(*set->hash));
	set->off = xmalloc(set->cap * sizeof(*set->off));
	for (size_t i = 0; i < old.cap; i++) {
		size_t j = old.hash[i] & (set->cap - 1);

		if (!old.hash[i])
			continue;
		while (set->hash[j])
			j = (j + 1) & (set->cap - 1);
		set->hash[j] = old.hash[i];
		set->off[j] = old.off[i];
	}
	free(old.hash);
	free(old.off);
}

/* Add the text (len bytes, NUL-terminated) to the set unless it holds it. */
static void idset_add(struct pit_idset *set, const char *text, size_t len)
{
	uint64_t h = keymap_text_hash(text, len); /* never 0 */
	size_t i;

	if ((set->n + 1) * 4 > set->cap * 3)
		idset_grow(set);
	for (i = h & (set->cap - 1); set->hash[i]; i = (i + 1) & (set->cap - 1))
		if (set->hash[i] == h && !strcmp(set->arena.buf + set->off[i], text))
			return;
	set->hash[i] = h;
	set->off[i] = set->arena.len;
	strbuf_add(&set->arena, text, len + 1);
	set->n++;
}

void pit_kept_row(struct pit_kept *k, int64_t rid, const char *type, const char *id,
		  const char *account, const char *region, const char *capture, const void *key,
		  size_t key_len, int how, const char *const prev[3])
{
	const char *col[3] = { type, id, account };

	if (how == PIT_NEWER || how == PIT_DROPPED) {
		struct pit_kept_mark *m;

		ALLOC_GROW(k->marks, k->n_marks + 1, k->alloc_marks);
		m = &k->marks[k->n_marks++];
		m->rid = rid;
		m->kind = how;
		m->type = xstrdup(type);
		m->id = xstrdup(id);
		m->account = xstrdup(account);
		m->region = xstrdup(region);
		m->capture = xstrdup(capture);
		m->key = xmalloc(key_len ? key_len : 1);
		memcpy(m->key, key, key_len);
		m->key_len = key_len;
	}
	if (!PIT_LIVE(how))
		return;
	/* rows come in key order: a prefix differs from the last row's from
	 * the first column that differs on */
	for (int i = 0; i < 3; i++) {
		if (k->n && !strcmp(prev[i], col[i]))
			continue;
		k->d_type += i == 0;
		k->d_ti += i <= 1;
		k->d_tia++;
		/* a new (type, id): its id may be new (one set for the
		 * state, so that the first state built from this one need
		 * not count them) */
		if (i <= 1)
			idset_add(&k->ids, id, strlen(id));
		break;
	}
	k->n++;
	k->hash += pit_delta_mix(rid);
}

void pit_kept_release(struct pit_kept *k)
{
	for (size_t i = 0; i < k->n_marks; i++) {
		free(k->marks[i].type);
		free(k->marks[i].id);
		free(k->marks[i].account);
		free(k->marks[i].region);
		free(k->marks[i].capture);
		free(k->marks[i].key);
	}
	free(k->marks);
	free(k->ids.hash);
	free(k->ids.off);
	strbuf_release(&k->ids.arena);
	pit_kept_init(k);
}

char *pit_delta_kept_path(const struct store *s)
{
	return xstrfmt("%s-pitstate", s->path);
}

/*
 * The kept file is written without a journal and not synced: a state
 * kept before the system last started may be torn (pages the system never
 * wrote) and is not used. The system's boot id tells; where there is
 * none, the file is synced before it is kept ("synced").
 */
static void boot_id(char out[64])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	size_t n = 0;

	if (f) {
		n = fread(out, 1, 63, f);
		fclose(f);
	}
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, 64, "synced");
}

/* A one-row query's integer, bound ?1 an integer and ?2 text (when
 * given); *out untouched without a row or for NULL. */
static int one_int(struct store *s, const char *sql, int64_t a, const char *b, int64_t *out,
		   struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int rc;

	if (!st)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot build the point-in-time state");
	return 0;
}

/* The store's extent and whether every item up to it was captured at or
 * before t (known only when t was resolved as the latest time, at items
 * rowid h->latest_mark: the items added since must be no later). */
static int extent(struct store *s, const char *t, const struct pit_hint *h, int64_t *items,
		  int64_t *files, int *clean, struct diag *d)
{
	int64_t later = 1;

	*items = *files = 0;
	if (one_int(s, "SELECT coalesce(max(rowid), 0) FROM main.items", 0, NULL, items, d) ||
	    one_int(s, "SELECT coalesce(max(rowid), 0) FROM main.files", 0, NULL, files, d))
		return -1;
	if (h->latest_mark >= 0 &&
	    one_int(s,
		    "SELECT count(*) FROM (SELECT 1 FROM main.items WHERE rowid > ?1"
		    " AND capture_time > ?2 AND resource_type <> " EVAL_RESULT_TYPE " LIMIT 1)",
		    h->latest_mark, t, &later, d))
		return -1;
	*clean = h->latest_mark >= 0 && later == 0;
	return 0;
}

static const char meta_sql[] =
    "CREATE TABLE pit.pit_meta(\n"
    "  as_of TEXT NOT NULL,\n"
    "  items_mark INTEGER NOT NULL,\n"
    "  files_mark INTEGER NOT NULL,\n"
    "  clean INTEGER NOT NULL,\n"
    "  n_items INTEGER NOT NULL,\n"
    "  rid_hash INTEGER NOT NULL,\n"
    "  d_type INTEGER NOT NULL,     -- distinct (type), (type, id), (type, id, account)\n"
    "  d_ti INTEGER NOT NULL,\n"
    "  d_tia INTEGER NOT NULL,\n"
    "  d_id INTEGER NOT NULL,       -- distinct resource ids, or -1: not counted yet\n"
    "  boot TEXT NOT NULL);         -- the system's boot id when written, or 'synced'\n"
    "CREATE TABLE pit.pit_marks(\n"
    "  resource_type TEXT NOT NULL,\n"
    "  resource_id TEXT NOT NULL,\n"
    "  account_id TEXT NOT NULL,\n"
    "  region TEXT NOT NULL,\n"
    "  rid INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL,       -- PIT_NEWER, PIT_DROPPED\n"
    "  capture_time TEXT NOT NULL,\n"
    "  item_key BLOB NOT NULL,      -- of rid: its snapshot presence, without reading items\n"
    "  PRIMARY KEY (resource_type, resource_id, account_id, region)) WITHOUT ROWID;\n"
    "CREATE INDEX pit.pit_marks_by_series ON pit_marks(account_id, region, kind);\n";

/* The distinct prefixes of pit_items. */
struct distinct {
	int64_t type, ti, tia, id;
};

/* pit_meta for n rows of rowid digest hash. Without rows_ok (a whole
 * build whose rows are not the builder's count and digest) the state is
 * not clean (not kept). */
static int write_meta(struct store *s, const char *t, int64_t n, uint64_t hash, int rows_ok,
		      const struct distinct *dd, const struct pit_hint *h, int *clean,
		      struct diag *d)
{
	sqlite3_stmt *st;
	int64_t items, files;
	char boot[64];
	int rc;

	if (extent(s, t, h, &items, &files, clean, d))
		return -1;
	*clean = *clean && rows_ok;
	boot_id(boot);
	st = store_prepare(s, "INSERT INTO pit.pit_meta VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			      " ?9, ?10, ?11)", d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, items);
	sqlite3_bind_int64(st, 3, files);
	sqlite3_bind_int(st, 4, *clean);
	sqlite3_bind_int64(st, 5, n);
	sqlite3_bind_int64(st, 6, (int64_t)hash);
	sqlite3_bind_int64(st, 7, dd->type);
	sqlite3_bind_int64(st, 8, dd->ti);
	sqlite3_bind_int64(st, 9, dd->tia);
	sqlite3_bind_int64(st, 10, dd->id);
	sqlite3_bind_text(st, 11, boot, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the point-in-time state");
	return 0;
}

/* One value of sqlite_stat1: the average rows per distinct prefix, as
 * SQLite's analyze.c (statGet) writes it. */
static int64_t per_distinct(int64_t n, int64_t distinct)
{
	int64_t v = (n + distinct - 1) / distinct;

	if (v == 2 && n * 10 <= distinct * 11)
		v = 1;
	return v;
}

/* The stat column of pit_items' sqlite_stat1 rows, of its key (0) and
 * of pit_items_by_id (1), for n rows of distinct prefixes dd (caller
 * frees). */
static char *stat_text(int64_t n, const struct distinct *dd, int by_id)
{
	if (by_id)
		return xstrfmt("%lld %lld", (long long)n, (long long)per_distinct(n, dd->id));
	return xstrfmt("%lld %lld %lld %lld 1", (long long)n, (long long)per_distinct(n, dd->type),
		       (long long)per_distinct(n, dd->ti), (long long)per_distinct(n, dd->tia));
}

static const char mark_sql[] =
    "INSERT INTO pit.pit_marks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

int pit_delta_record(struct store *s, const char *t, const struct pit_kept *k,
		     struct pit_hint *h, struct diag *d)
{
	/* the distinct ids, checked with the rest against ANALYZE's */
	struct distinct dd = { k->d_type, k->d_ti, k->d_tia, (int64_t)k->ids.n };
	/* SQLite was handed the rows counted, and made each (pit_items was
	 * empty): the table holds what pit_meta says, without reading it back */
	int rows_ok = k->given_n == k->n && k->given_hash == k->hash && k->inserted == k->n;
	sqlite3_stmt *st;
	int clean, rc = SQLITE_DONE;

	if (store_exec(s, meta_sql, d) || write_meta(s, t, k->n, k->hash, rows_ok, &dd, h, &clean, d))
		return -1;
	h->keep = clean;
	if (!clean) /* never a base: no need of its marks */
		return 0;
	st = store_prepare(s, mark_sql, d);
	if (!st)
		return -1;
	for (size_t i = 0; i < k->n_marks && rc == SQLITE_DONE; i++) {
		const struct pit_kept_mark *m = &k->marks[i];

		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, m->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->account, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m->region, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, m->rid);
		sqlite3_bind_int(st, 6, m->kind);
		sqlite3_bind_text(st, 7, m->capture, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 8, m->key, (int)m->key_len, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the point-in-time state");
	return 0;
}

/* Copy the file from to the file to (created or emptied). */
static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	char buf[1 << 16];
	int ok = 1;

	if (in < 0)
		return 0;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return 0;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ok = 0;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				ok = 0;
				break;
			}
			off += w;
		}
		if (!ok)
			break;
	}
	close(in);
	if (close(out))
		ok = 0;
	return ok;
}

/*
 * The kept file's own digest: of all its bytes but the eight it is
 * written into, the header's user version (60..63) and application id
 * (68..71), which SQLite leaves to the application. Written when the
 * file is kept, checked when it is taken, before SQLite reads it: a file
 * with a byte changed since (a flipped bit, an edit, a page zeroed, a
 * cut) is not used. One plain read of the file, eight bytes a step in
 * four lanes: reading its rows back through SQLite to check them cost
 * 20 times as much.
 */
#define DIGEST_HI 60
#define DIGEST_LO 68
#define DIGEST_CHUNK (128 * 1024) /* a multiple of 32, kept in the cache */

static void lanes_feed(uint64_t h[4], const unsigned char *b, size_t n)
{
	/* the lanes in locals: b may alias h, which would be stored each step */
	uint64_t h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];

	for (; n >= 32; b += 32, n -= 32) {
		h0 = keymap_mix8(h0, b);
		h1 = keymap_mix8(h1, b + 8);
		h2 = keymap_mix8(h2, b + 16);
		h3 = keymap_mix8(h3, b + 24);
	}
	h[0] = h0;
	h[1] = h1;
	h[2] = h2;
	h[3] = h3;
}

/* Fill buf from fd: the bytes read (fewer at the end), or -1. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* The digest of the file open as fd (read from its start): 0, or -1
 * when it cannot be read or is shorter than a database's header. */
static int file_digest(int fd, uint64_t *out)
{
	unsigned char *buf = xmalloc(DIGEST_CHUNK);
	uint64_t h[5];
	uint64_t total = 0;
	ssize_t n;

	for (int i = 0; i < 4; i++)
		h[i] = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
	do {
		n = read_full(fd, buf, DIGEST_CHUNK);
		if (n < 0 || (total == 0 && n < 100))
			break;
		if (total == 0) {
			memset(buf + DIGEST_HI, 0, 4);
			memset(buf + DIGEST_LO, 0, 4);
		}
		total += (uint64_t)n;
		while (n % 32) /* the last chunk, padded */
			buf[n++] = 0;
		lanes_feed(h, buf, (size_t)n);
	} while (n == DIGEST_CHUNK);
	free(buf);
	if (n < 0 || total < 100)
		return -1;
	h[4] = total;
	*out = keymap_text_hash(h, sizeof(h));
	return 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The digest as the header's two 4-byte fields (big-endian, as SQLite
 * reads them). */
static void digest_fields(uint64_t dg, unsigned char hi[4], unsigned char lo[4])
{
	put_be32(hi, (uint32_t)(dg >> 32));
	put_be32(lo, (uint32_t)dg);
}

/* Write the digest of the file at path into it: 0, or -1. */
static int digest_write(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	unsigned char hi[4], lo[4];
	uint64_t dg;
	int ok;

	if (fd < 0)
		return -1;
	ok = !file_digest(fd, &dg);
	digest_fields(dg, hi, lo);
	ok = ok && pwrite(fd, hi, 4, DIGEST_HI) == 4 && pwrite(fd, lo, 4, DIGEST_LO) == 4;
	if (close(fd))
		ok = 0;
	return ok ? 0 : -1;
}

/* Is the file at path's digest the one written into it? */
static int digest_ok(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char hi[4], lo[4], want_hi[4], want_lo[4];
	uint64_t dg;
	int ok;

	if (fd < 0)
		return 0;
	ok = pread(fd, want_hi, 4, DIGEST_HI) == 4 && pread(fd, want_lo, 4, DIGEST_LO) == 4 &&
	     !file_digest(fd, &dg);
	close(fd);
	if (!ok)
		return 0;
	digest_fields(dg, hi, lo);
	return !memcmp(hi, want_hi, 4) && !memcmp(lo, want_lo, 4);
}

int pit_delta_take(struct store *s, const char *path)
{
	char *kept = pit_delta_kept_path(s);
	int ok;

	/* The kept file itself (nothing else reads it: the run that kept it
	 * let it go, pit_share_keep), else a copy of it; used only when its
	 * bytes are what that run wrote. */
	ok = rename(kept, path) == 0 || copy_file(kept, path);
	free(kept);
	ok = ok && digest_ok(path);
	if (!ok && truncate(path, 0))
		return 0;
	return ok;
}
int pit_delta_claim(const struct store *s, struct pit_claim *c)
{
	char *kept;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct stat sb;
	char boot[64];
	int ok = 0;

	if (!s->path || !*s->path || !strcmp(s->path, ":memory:"))
		return -1;
	kept = pit_delta_kept_path(s);
	/* a regular file of one name only, as build_from_prior takes (a FIFO
	 * would block the open) */
	if (lstat(kept, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink == 1 &&
	    sqlite3_open_v2(kept, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
		SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT as_of, items_mark, clean, boot FROM pit_meta", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		boot_id(boot);
		ok = sqlite3_column_type(st, 0) == SQLITE_TEXT &&
		     sqlite3_column_bytes(st, 0) < TIME_ISO_LEN &&
		     sqlite3_column_type(st, 1) == SQLITE_INTEGER &&
		     sqlite3_column_type(st, 2) == SQLITE_INTEGER && sqlite3_column_int(st, 2) == 1 &&
		     sqlite3_column_type(st, 3) == SQLITE_TEXT &&
		     !strcmp((const char *)sqlite3_column_text(st, 3), boot);
		if (ok) {
			snprintf(c->as_of, sizeof(c->as_of), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			c->items_mark = sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(kept);
	return ok ? 0 : -1;
}

/* Sync the file at path (else unlink it): 0, or -1. */
static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fdatasync(fd)) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

void pit_delta_publish(struct store *s, const char *path)
{
	char *kept = pit_delta_kept_path(s);
	char boot[64];
	int synced;

	if (digest_write(path)) { /* not kept */
		unlink(path);
		free(kept);
		return;
	}
	boot_id(boot);
	synced = !strcmp(boot, "synced"); /* no boot id: on disk before it is named */
	if ((!synced || !sync_file(path)) && rename(path, kept)) {
		/* another file system (TMPDIR): a copy, named when complete */
		char *tmp = xstrfmt("%s.%ld", kept, (long)getpid());

		if (!copy_file(path, tmp) || (synced && sync_file(tmp)) || rename(tmp, kept))
			unlink(tmp);
		unlink(path);
		free(tmp);
	}
	free(kept);
}

/* ---- building from the prior state ---- */

/* A deciding snapshot: the pit_snap row of a series. */
struct snap {
	char *account, *item_region, *series_region, *time;
};

struct snaps {
	struct snap *v;
	size_t n, alloc;
	struct keymap by_series; /* "account\0item_region" -> index */
};

static void snaps_release(struct snaps *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->v[i].account);
		free(ss->v[i].item_region);
		free(ss->v[i].series_region);
		free(ss->v[i].time);
	}
	free(ss->v);
	keymap_release(&ss->by_series);
	memset(ss, 0, sizeof(*ss));
}

static void series_key(struct strbuf *k, const char *account, const char *item_region)
{
	strbuf_reset(k);
	strbuf_add(k, account, strlen(account) + 1);
	strbuf_addstr(k, item_region);
}

static const struct snap *snap_of(const struct snaps *ss, struct strbuf *k, const char *account,
				  const char *item_region)
{
	int64_t *i;

	series_key(k, account, item_region);
	i = keymap_find(&ss->by_series, k->buf, k->len);
	return i ? &ss->v[*i] : NULL;
}

static int read_snaps(struct store *s, struct snaps *ss, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT account_id, item_region, series_region,"
					    " snap_time FROM pit.pit_snap", d);
	struct strbuf k = STRBUF_INIT;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct snap *n;

		ALLOC_GROW(ss->v, ss->n + 1, ss->alloc);
		n = &ss->v[ss->n];
		n->account = xstrdup((const char *)sqlite3_column_text(st, 0));
		n->item_region = xstrdup((const char *)sqlite3_column_text(st, 1));
		n->series_region = xstrdup((const char *)sqlite3_column_text(st, 2));
		n->time = xstrdup((const char *)sqlite3_column_text(st, 3));
		series_key(&k, n->account, n->item_region);
		*keymap_insert(&ss->by_series, k.buf, k.len, NULL) = (int64_t)ss->n++;
	}
	sqlite3_finalize(st);
	strbuf_release(&k);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the point-in-time state");
	return 0;
}

/* Is the kept state the prior run's, and a base? Its pit_meta must say
 * so (its bytes are what the run that kept it wrote: pit_delta_take),
 * and it must hold no trigger or view: the delta writes into it. */
static int meta_matches(struct store *s, const struct pit_prior *p, struct diag *d,
			uint64_t *hash, int64_t *n, struct distinct *dd)
{
	sqlite3_stmt *st;
	uint64_t want = 0;
	int64_t foreign = -1;
	char boot[64];
	int ok = 0;

	if (one_int(s, "SELECT count(*) FROM pit.sqlite_master WHERE type NOT IN ('table', 'index')",
		    0, NULL, &foreign, d)) {
		diag_clear(d);
		return 0;
	}
	st = store_prepare(s, "SELECT as_of, items_mark, files_mark, clean, n_items, rid_hash,"
			      " d_type, d_ti, d_tia, d_id, boot FROM pit.pit_meta", d);
	if (!st) { /* no such table (or an older one): not a kept state */
		diag_clear(d);
		return 0;
	}
	for (size_t i = 0; i < p->n_rids; i++)
		want += pit_delta_mix(p->rids[i]);
	boot_id(boot);
	if (foreign == 0 && sqlite3_step(st) == SQLITE_ROW) {
		ok = sqlite3_column_type(st, 0) == SQLITE_TEXT &&
		     sqlite3_column_type(st, 10) == SQLITE_TEXT;
		for (int c = 1; c < 10 && ok; c++)
			ok = sqlite3_column_type(st, c) == SQLITE_INTEGER;
		ok = ok && !strcmp((const char *)sqlite3_column_text(st, 0), p->as_of) &&
		     sqlite3_column_int64(st, 1) == p->items_mark &&
		     sqlite3_column_int64(st, 2) == p->files_mark && sqlite3_column_int(st, 3) == 1 &&
		     sqlite3_column_int64(st, 4) == (int64_t)p->n_rids &&
		     (uint64_t)sqlite3_column_int64(st, 5) == want &&
		     !strcmp((const char *)sqlite3_column_text(st, 10), boot);
		/* one row only */
		if (ok) {
			dd->type = sqlite3_column_int64(st, 6);
			dd->ti = sqlite3_column_int64(st, 7);
			dd->tia = sqlite3_column_int64(st, 8);
			dd->id = sqlite3_column_int64(st, 9);
			ok = sqlite3_step(st) == SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	*hash = want;
	*n = (int64_t)p->n_rids;
	return ok;
}

/* Run sql (binding ?1..?4 to the texts given) to its end. */
static int run4(struct store *s, sqlite3_stmt *st, const char *a, const char *b, const char *c,
		const char *e, struct diag *d)
{
	const char *v[4] = { a, b, c, e };
	int rc;

	sqlite3_reset(st);
	for (int i = 0; i < 4 && i < sqlite3_bind_parameter_count(st); i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot build the point-in-time state");
	return 0;
}

#define CAND_INSERT                                                                        \
	"INSERT OR IGNORE INTO temp.pit_cand(resource_type, resource_id, account_id, region)"
#define ITEM_KEYCOLS "i.resource_type, i.resource_id, i.account_id, i.region"

static const char *const cand_sql[] = {
	/* 0: presence runs of (?1 account, ?2 folder region) ended in [S0, S1),
	 * of the version the prior state holds (a resource current as
	 * captured after S0 is a candidate of 2 below; one not current
	 * stays so, or is a candidate of 1) */
	CAND_INSERT " SELECT " ITEM_KEYCOLS " FROM main.snapshot_presence p"
	" JOIN main.items i ON i.item_key = p.item_key"
	" JOIN pit.pit_items c ON c.resource_type = i.resource_type"
	"  AND c.resource_id = i.resource_id AND c.account_id = i.account_id"
	"  AND c.region = i.region AND c.rid = i.rowid"
	" WHERE p.account_id = ?1 AND p.region = ?2 AND p.last_time >= ?3 AND p.last_time < ?4"
	"  AND i.resource_type <> " EVAL_RESULT_TYPE,
	/* 1: of series (?1 account, ?2 item region, ?3 folder region), the
	 * prior state's resources that S0 did not hold and S1 (?4) holds */
	CAND_INSERT " SELECT w.resource_type, w.resource_id, w.account_id, w.region"
	" FROM pit.pit_marks w"
	" WHERE w.account_id = ?1 AND w.region = ?2 AND w.kind = 3"
	"  AND EXISTS (SELECT 1 FROM main.snapshot_presence p WHERE p.item_key = w.item_key"
	"   AND p.account_id = ?1 AND p.region = ?3 AND p.first_time <= ?4 AND p.last_time >= ?4)",
	/* 2: ... and those current as captured after S0, not after S1, that
	 * S1 does not hold (run after 4, which drops the marks of those it
	 * holds) */
	CAND_INSERT " SELECT resource_type, resource_id, account_id, region FROM pit.pit_marks"
	" WHERE account_id = ?1 AND region = ?2 AND kind = 2 AND capture_time <= ?4",
	/* 3: a series with its first deciding snapshot: its resources */
	CAND_INSERT " SELECT resource_type, resource_id, account_id, region FROM pit.pit_items"
	" WHERE account_id = ?1 AND region = ?2",
	/* 4: those of 2 that S1 holds are current (their latest version, not
	 * a deletion: any later one is a candidate from the rowids loaded
	 * since), the same row, no longer captured after their deciding
	 * snapshot: their mark goes (a candidate's mark is made again) */
	"DELETE FROM pit.pit_marks WHERE account_id = ?1 AND region = ?2 AND kind = 2"
	" AND capture_time <= ?4"
	" AND EXISTS (SELECT 1 FROM main.snapshot_presence p WHERE p.item_key = pit_marks.item_key"
	"  AND p.account_id = ?1 AND p.region = ?3 AND p.first_time <= ?4 AND p.last_time >= ?4)",
};
#define N_CAND_SQL (sizeof(cand_sql) / sizeof(cand_sql[0]))

/*
 * Compare the prior deciding snapshots (old) with the new ones (pit_snap)
 * and add the candidates of the series that changed. Returns 1, 0 when a
 * series lost its snapshot, went back or changed folder region, or -1.
 */
static int series_candidates(struct store *s, const struct snaps *old, const struct snaps *now,
			     struct diag *d)
{
	sqlite3_stmt *st[N_CAND_SQL] = { NULL };
	struct keymap done = KEYMAP_INIT; /* presence ranges read */
	struct strbuf k = STRBUF_INIT;
	int ret = -1;

	for (size_t i = 0; i < N_CAND_SQL; i++)
		if (!(st[i] = store_prepare(s, cand_sql[i], d)))
			goto out;
	for (size_t i = 0; i < old->n; i++) {
		const struct snap *o = &old->v[i];
		const struct snap *n = snap_of(now, &k, o->account, o->item_region);

		if (!n || strcmp(n->series_region, o->series_region) || strcmp(n->time, o->time) < 0) {
			ret = 0;
			goto out;
		}
	}
	for (size_t i = 0; i < now->n; i++) {
		const struct snap *n = &now->v[i];
		const struct snap *o = snap_of(old, &k, n->account, n->item_region);
		int added;

		if (!o) {
			if (run4(s, st[3], n->account, n->item_region, NULL, NULL, d))
				goto out;
			continue;
		}
		if (!strcmp(o->time, n->time))
			continue;
		if (run4(s, st[1], n->account, n->item_region, n->series_region, n->time, d) ||
		    run4(s, st[4], n->account, n->item_region, n->series_region, n->time, d) ||
		    run4(s, st[2], n->account, n->item_region, n->series_region, n->time, d))
			goto out;
		/* a folder's presence between two times, once (the regional
		 * and the global series often share a snapshot) */
		strbuf_reset(&k);
		strbuf_add(&k, n->account, strlen(n->account) + 1);
		strbuf_add(&k, n->series_region, strlen(n->series_region) + 1);
		strbuf_add(&k, o->time, strlen(o->time) + 1);
		strbuf_addstr(&k, n->time);
		keymap_insert(&done, k.buf, k.len, &added);
		if (added && run4(s, st[0], n->account, n->series_region, o->time, n->time, d))
			goto out;
	}
	ret = 1;
out:
	for (size_t i = 0; i < N_CAND_SQL; i++)
		sqlite3_finalize(st[i]);
	keymap_release(&done);
	strbuf_release(&k);
	return ret;
}

enum {
	Q_CANDS,      /* the candidates */
	Q_FIND,       /* a candidate's row in the prior state */
	Q_DROP,
	Q_DROP_MARK,
	Q_LATEST,     /* its latest version at t */
	Q_HELD,       /* held by the deciding snapshot */
	Q_ADD,
	Q_ADD_MARK,
	Q_ADD_PLACE,
	Q_PLACE_GONE, /* an account-Region left without items or snapshot */
	Q_HAS_TYPE,   /* the prefixes of a row, for the distinct counts */
	Q_HAS_TI,
	Q_HAS_TIA,
	Q_HAS_ID,
	Q_COUNT
};

static const char *const q_sql[Q_COUNT] = {
	[Q_CANDS] = "SELECT resource_type, resource_id, account_id, region FROM temp.pit_cand",
	[Q_FIND] = "SELECT rid FROM pit.pit_items WHERE resource_type = ?1 AND resource_id = ?2"
		   " AND account_id = ?3 AND region = ?4",
	[Q_DROP] = "DELETE FROM pit.pit_items WHERE resource_type = ?1 AND resource_id = ?2"
		   " AND account_id = ?3 AND region = ?4",
	[Q_DROP_MARK] = "DELETE FROM pit.pit_marks WHERE resource_type = ?1 AND resource_id = ?2"
			" AND account_id = ?3 AND region = ?4",
	/* the last row of pit.c's versions_sql for the resource */
	[Q_LATEST] = "SELECT rowid, capture_time, status, item_key, resource_name"
		     " FROM main.items INDEXED BY items_by_resource"
		     " WHERE resource_type = ?1 AND resource_id = ?2 AND account_id = ?3"
		     "  AND region = ?4 AND capture_time <= ?5"
		     " ORDER BY capture_time DESC, state_id DESC, status DESC, item_key DESC,"
		     "  resource_name DESC, rowid DESC LIMIT 1",
	[Q_HELD] = "SELECT 1 FROM main.snapshot_presence WHERE item_key = ?1 AND account_id = ?2"
		   " AND region = ?3 AND first_time <= ?4 AND last_time >= ?4",
	[Q_ADD] = "INSERT INTO pit.pit_items(resource_type, resource_id, account_id, region, rid,"
		  " item_key, resource_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_ADD_MARK] = "INSERT INTO pit.pit_marks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_ADD_PLACE] = "INSERT OR IGNORE INTO pit.accounts(account_id, aws_region)"
			" VALUES (?1, ?2)",
	[Q_PLACE_GONE] = "DELETE FROM pit.accounts WHERE account_id = ?1 AND aws_region = ?2"
			 " AND NOT EXISTS (SELECT 1 FROM pit.pit_snap WHERE account_id = ?1"
			 "  AND item_region = ?2)"
			 " AND NOT EXISTS (SELECT 1 FROM pit.pit_items WHERE account_id = ?1"
			 "  AND region = ?2)",
	[Q_HAS_TYPE] = "SELECT 1 FROM pit.pit_items WHERE resource_type = ?1",
	[Q_HAS_TI] = "SELECT 1 FROM pit.pit_items WHERE resource_type = ?1 AND resource_id = ?2",
	[Q_HAS_TIA] = "SELECT 1 FROM pit.pit_items WHERE resource_type = ?1 AND resource_id = ?2"
		      " AND account_id = ?3",
	[Q_HAS_ID] = "SELECT 1 FROM pit.pit_items WHERE resource_id = ?2 AND ?1 = ?1",
};

struct delta {
	struct store *s;
	sqlite3_stmt *q[Q_COUNT];
	const struct snaps *now;
	const char *t;
	uint64_t hash;
	int64_t n;
	struct distinct dd;
	struct keymap emptied; /* account-Regions that lost a resource ... */
	char **places;         /* ... account, region, account, region ... */
	size_t n_places, alloc_places;
	struct strbuf k;
	struct pit_moves mv; /* the rows dropped and added */
};

/* Step st once (a statement without rows, or the first row is enough). */
static int step_done(struct delta *dl, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	(void)dl;
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static void bind_key(sqlite3_stmt *st, sqlite3_stmt *cand, int n)
{
	for (int c = 0; c < n; c++)
		sqlite3_bind_value(st, c + 1, sqlite3_column_value(cand, c));
}

/* Does the state hold a row with the candidate's prefix of query q? */
static int has(struct delta *dl, int q, sqlite3_stmt *cand)
{
	sqlite3_stmt *st = dl->q[q];
	int rc;

	bind_key(st, cand, q == Q_HAS_TYPE ? 1 : q == Q_HAS_TIA ? 3 : 2);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The distinct counts as the candidate's row comes (sign 1, before it
 * is added) or goes (sign -1, after it went): a prefix no other row has
 * counts. */
static int count_prefixes(struct delta *dl, sqlite3_stmt *cand, int sign)
{
	static const int q[4] = { Q_HAS_TYPE, Q_HAS_TI, Q_HAS_TIA, Q_HAS_ID };
	int64_t *c[4] = { &dl->dd.type, &dl->dd.ti, &dl->dd.tia, &dl->dd.id };

	for (int i = 0; i < (dl->dd.id < 0 ? 3 : 4); i++) {
		int h = has(dl, q[i], cand);

		if (h < 0)
			return -1;
		if (!h)
			*c[i] += sign;
	}
	return 0;
}

/* The candidate's prior row (rowid rid) goes. */
static int drop_prior(struct delta *dl, sqlite3_stmt *cand, int64_t rid)
{
	const char *acc = (const char *)sqlite3_column_text(cand, 2);
	const char *reg = (const char *)sqlite3_column_text(cand, 3);

	bind_key(dl->q[Q_DROP], cand, 4);
	if (step_done(dl, dl->q[Q_DROP]))
		return -1;
	dl->hash -= pit_delta_mix(rid);
	dl->n--;
	ALLOC_GROW(dl->mv.gone, dl->mv.n_gone + 1, dl->mv.alloc_gone);
	dl->mv.gone[dl->mv.n_gone++] = rid;
	if (strcmp(reg, "global")) {
		int added;

		series_key(&dl->k, acc, reg);
		keymap_insert(&dl->emptied, dl->k.buf, dl->k.len, &added);
		if (added) {
			ALLOC_GROW(dl->places, dl->n_places + 2, dl->alloc_places);
			dl->places[dl->n_places++] = xstrdup(acc);
			dl->places[dl->n_places++] = xstrdup(reg);
		}
	}
	return 0;
}

/* The candidate's row in the state: its rowid, 0 without, -1. */
static int64_t prior_rid(struct delta *dl, sqlite3_stmt *cand)
{
	sqlite3_stmt *st = dl->q[Q_FIND];
	int64_t rid = 0;
	int rc;

	bind_key(st, cand, 4);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? rid : -1;
}

/* How the latest version (row of Q_LATEST) stands: PIT_* as pit.c's
 * is_current, or -1. */
static int standing(struct delta *dl, sqlite3_stmt *v, const char *acc, const char *reg,
		    struct diag *d)
{
	const char *status = (const char *)sqlite3_column_text(v, 2);
	const char *capture = (const char *)sqlite3_column_text(v, 1);
	const struct snap *sn;
	sqlite3_stmt *h = dl->q[Q_HELD];
	int rc;

	if (!strcmp(status, "ResourceDeleted") || !strcmp(status, "ResourceDeletedNotRecorded"))
		return PIT_GONE;
	sn = snap_of(dl->now, &dl->k, acc, reg);
	if (!sn)
		return PIT_CURRENT;
	if (strcmp(capture, sn->time) > 0)
		return PIT_NEWER;
	if (sqlite3_column_bytes(v, 3) != STORE_KEY_LEN)
		return PIT_DROPPED;
	sqlite3_bind_value(h, 1, sqlite3_column_value(v, 3));
	sqlite3_bind_text(h, 2, acc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(h, 3, sn->series_region, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(h, 4, sn->time, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(h);
	sqlite3_reset(h);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(dl->s, d, "cannot read snapshot presence");
	return rc == SQLITE_ROW ? PIT_CURRENT : PIT_DROPPED;
}

/* The candidate at t: its row if it is current, its mark. */
static int redo(struct delta *dl, sqlite3_stmt *cand, struct diag *d)
{
	sqlite3_stmt *v = dl->q[Q_LATEST], *a = dl->q[Q_ADD];
	const char *acc = (const char *)sqlite3_column_text(cand, 2);
	const char *reg = (const char *)sqlite3_column_text(cand, 3);
	int64_t had = prior_rid(dl, cand), rid = 0;
	int rc, how;

	if (had < 0)
		return store_error(dl->s, d, "cannot read the point-in-time state");
	bind_key(v, cand, 4);
	sqlite3_bind_text(v, 5, dl->t, -1, SQLITE_STATIC);
	rc = sqlite3_step(v);
	how = rc == SQLITE_ROW ? standing(dl, v, acc, reg, d) : PIT_GONE;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		how = store_error(dl->s, d, "cannot read the items");
	if (how < 0)
		goto out;
	if (rc == SQLITE_ROW)
		rid = sqlite3_column_int64(v, 0);
	/* its mark, as it stands now */
	bind_key(dl->q[Q_DROP_MARK], cand, 4);
	if (step_done(dl, dl->q[Q_DROP_MARK]))
		goto fail;
	if (how == PIT_NEWER || how == PIT_DROPPED) {
		sqlite3_stmt *w = dl->q[Q_ADD_MARK];

		bind_key(w, cand, 4);
		sqlite3_bind_int64(w, 5, rid);
		sqlite3_bind_int(w, 6, how);
		sqlite3_bind_value(w, 7, sqlite3_column_value(v, 1));
		sqlite3_bind_value(w, 8, sqlite3_column_value(v, 3));
		if (step_done(dl, w))
			goto fail;
	}
	if (had && PIT_LIVE(how) && had == rid) { /* the same row */
		how = 0;
		goto out;
	}
	if (had && drop_prior(dl, cand, had))
		goto fail;
	if (!PIT_LIVE(how)) {
		how = had && count_prefixes(dl, cand, -1) ? -1 : 0;
		if (how < 0)
			goto fail;
		goto out;
	}
	if (!had && count_prefixes(dl, cand, 1))
		goto fail;
	bind_key(a, cand, 4);
	sqlite3_bind_int64(a, 5, rid);
	sqlite3_bind_value(a, 6, sqlite3_column_value(v, 3));
	sqlite3_bind_value(a, 7, sqlite3_column_value(v, 4));
	if (step_done(dl, a) || prior_rid(dl, cand) != rid)
		goto fail;
	dl->hash += pit_delta_mix(rid);
	dl->n++;
	ALLOC_GROW(dl->mv.added, dl->mv.n_added + 1, dl->mv.alloc_added);
	dl->mv.added[dl->mv.n_added++] = rid;
	if (strcmp(reg, "global")) {
		sqlite3_bind_text(dl->q[Q_ADD_PLACE], 1, acc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(dl->q[Q_ADD_PLACE], 2, reg, -1, SQLITE_TRANSIENT);
		if (step_done(dl, dl->q[Q_ADD_PLACE]))
			goto fail;
	}
	how = 0;
out:
	sqlite3_reset(v);
	return how;
fail:
	sqlite3_reset(v);
	return store_error(dl->s, d, "cannot build the point-in-time state");
}

/* Recompute every candidate; then the account-Regions that may be left
 * without items. */
static int recompute(struct delta *dl, struct diag *d)
{
	sqlite3_stmt *c = dl->q[Q_CANDS];
	int rc;

	while ((rc = sqlite3_step(c)) == SQLITE_ROW)
		if (redo(dl, c, d))
			return -1;
	if (rc != SQLITE_DONE)
		return store_error(dl->s, d, "cannot build the point-in-time state");
	for (size_t i = 0; i < dl->n_places; i += 2) {
		sqlite3_bind_text(dl->q[Q_PLACE_GONE], 1, dl->places[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(dl->q[Q_PLACE_GONE], 2, dl->places[i + 1], -1, SQLITE_STATIC);
		if (step_done(dl, dl->q[Q_PLACE_GONE]))
			return store_error(dl->s, d, "cannot build the point-in-time state");
	}
	return 0;
}

/* The state's statistics as ANALYZE gives them: pit_items' from its n
 * rows' distinct prefixes dd, the small tables analyzed (which makes
 * sqlite_stat1 in a new file); then read again by the planner. */
static int statistics(struct store *s, int64_t n, const struct distinct *dd, struct diag *d)
{
	char *sql, *key, *id;
	int rc;

	if (n <= 0 || dd->type <= 0 || dd->ti <= 0 || dd->tia <= 0 || dd->id <= 0)
		return store_exec(s, "ANALYZE pit.pit_items; ANALYZE pit.pit_snap;"
				     " ANALYZE pit.accounts;", d);
	key = stat_text(n, dd, 0);
	id = stat_text(n, dd, 1);
	sql = xstrfmt("ANALYZE pit.pit_snap; ANALYZE pit.accounts;"
		      "DELETE FROM pit.sqlite_stat1 WHERE tbl = 'pit_items';"
		      "INSERT INTO pit.sqlite_stat1(tbl, idx, stat) VALUES"
		      " ('pit_items', 'pit_items', '%s'), ('pit_items', 'pit_items_by_id', '%s');"
		      /* the planner reads them again (also for the state's own
		       * connection) */
		      "ANALYZE pit.sqlite_master;",
		      key, id);
	rc = store_exec(s, sql, d);
	free(sql);
	free(key);
	free(id);
	return rc;
}

int pit_kept_stats(struct store *s, const struct pit_kept *k, struct diag *d)
{
	struct distinct dd = { k->d_type, k->d_ti, k->d_tia, (int64_t)k->ids.n };

	return statistics(s, k->n, &dd, d);
}

/* The candidates recomputed; meta and statistics renewed. */
static int apply(struct store *s, const char *t, const struct snaps *now, uint64_t hash,
		 int64_t n, const struct distinct *dd, struct pit_hint *h,
		 struct diag *d)
{
	struct delta dl;
	int clean, rc = -1;

	memset(&dl, 0, sizeof(dl));
	dl.s = s;
	dl.now = now;
	dl.t = t;
	dl.hash = hash;
	dl.n = n;
	dl.dd = *dd;
	strbuf_init(&dl.k, 0);
	for (int i = 0; i < Q_COUNT; i++)
		if (!(dl.q[i] = store_prepare(s, q_sql[i], d)))
			goto out;
	if (recompute(&dl, d) ||
	    /* the distinct ids, once in a chain of states (then kept up) */
	    (dl.dd.id < 0 && one_int(s, "SELECT count(*) FROM (SELECT DISTINCT resource_id"
					" FROM pit.pit_items)", 0, NULL, &dl.dd.id, d)) ||
	    store_exec(s, "INSERT OR IGNORE INTO pit.accounts(account_id, aws_region)"
			  " SELECT account_id, item_region FROM pit.pit_snap"
			  " WHERE item_region <> 'global';"
			  "DELETE FROM pit.pit_meta;",
		       d) ||
	    write_meta(s, t, dl.n, dl.hash, 1, &dl.dd, h, &clean, d) ||
	    statistics(s, dl.n, &dl.dd, d))
		goto out;
	h->keep = clean;
	free(h->moves.gone);
	free(h->moves.added);
	h->moves = dl.mv;
	h->moves.n = dl.n;
	h->moves.hash = dl.hash;
	memset(&dl.mv, 0, sizeof(dl.mv));
	rc = 0;
out:
	free(dl.mv.gone);
	free(dl.mv.added);
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(dl.q[i]);
	keymap_release(&dl.emptied);
	for (size_t i = 0; i < dl.n_places; i++)
		free(dl.places[i]);
	free(dl.places);
	strbuf_release(&dl.k);
	return rc;
}

int pit_delta_apply(struct store *s, const char *t, struct pit_hint *h, struct diag *d)
{
	struct snaps old = { 0 }, now = { 0 };
	struct distinct dd;
	uint64_t hash;
	int64_t n, cands = 0;
	int rc;

	if (!h->prior || !meta_matches(s, h->prior, d, &hash, &n, &dd) ||
	    strcmp(h->prior->as_of, t) > 0)
		return 0;
	rc = -1;
	if (read_snaps(s, &old, d) ||
	    store_exec(s, "DELETE FROM pit.pit_snap;"
			  "DROP TABLE IF EXISTS temp.pit_cand;"
			  "CREATE TEMP TABLE pit_cand(resource_type TEXT NOT NULL,"
			  " resource_id TEXT NOT NULL, account_id TEXT NOT NULL, region TEXT NOT NULL,"
			  " PRIMARY KEY (resource_type, resource_id, account_id, region))"
			  " WITHOUT ROWID;",
		       d) ||
	    pit_fill_snap(s, "pit", t, d) || read_snaps(s, &now, d))
		goto out;
	/* the resources with a version loaded since, up to t */
	{
		sqlite3_stmt *st = store_prepare(
		    s,
		    CAND_INSERT " SELECT resource_type, resource_id, account_id, region"
		    " FROM main.items WHERE rowid > ?1 AND capture_time <= ?2"
		    "  AND resource_type <> " EVAL_RESULT_TYPE,
		    d);

		if (!st)
			goto out;
		sqlite3_bind_int64(st, 1, h->prior->items_mark);
		sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			rc = store_error(s, d, "cannot build the point-in-time state");
			goto out;
		}
		rc = -1;
	}
	rc = series_candidates(s, &old, &now, d);
	if (rc <= 0)
		goto out;
	/* Many candidates: building whole costs less. */
	if (one_int(s, "SELECT count(*) FROM temp.pit_cand", 0, NULL, &cands, d)) {
		rc = -1;
		goto out;
	}
	if (cands > n / 4 + 1000) {
		rc = 0;
		goto out;
	}
	rc = apply(s, t, &now, hash, n, &dd, h, d) ? -1 : 1;
out:
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.pit_cand", NULL, NULL, NULL);
	snaps_release(&old);
	snaps_release(&now);
	return rc;
}
