/*
 * store: opening the database, creating or checking its schema, and the
 * few helpers every module uses on the connection (see store.h).
 */
#define _GNU_SOURCE /* sync_file_range */
#include "store/store.h"
#include "store/schema.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A long busy timeout: a cron ingest and an interactive eval may overlap,
 * and waiting is always better than failing. */

int store_error(struct store *s, struct diag *d, const char *what)
{
	int err = sqlite3_system_errno(s->db), code = sqlite3_errcode(s->db) & 0xff;

	/* "disk I/O error" alone does not tell a full disk from a bad one. */
	if (err && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN))
		diag_set(d, s->path, 0, "%s: %s (%s)", what, sqlite3_errmsg(s->db), strerror(err));
	else
		diag_set(d, s->path, 0, "%s: %s", what, sqlite3_errmsg(s->db));
	if (d)
		d->db_code = code;
	return -1;
}

int store_exec(struct store *s, const char *sql, struct diag *d)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		return store_error(s, d, "database");
	}
	return 0;
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql, struct diag *d)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_error(s, d, "cannot prepare statement");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int store_journal_direct(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "PRAGMA main.journal_mode=DELETE", d);
	int direct;

	if (!st)
		return -1;
	direct = sqlite3_step(st) == SQLITE_ROW &&
		 !sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "delete");
	sqlite3_finalize(st);
	if (!direct)
		return 0; /* another connection has it open: it stays in WAL */
	return store_exec(s, "PRAGMA main.synchronous=FULL", d) ? -1 : 1;
}

int store_journal_wal(struct store *s, struct diag *d)
{
	return store_exec(s, "PRAGMA main.journal_mode=WAL; PRAGMA main.synchronous=NORMAL", d);
}

void store_writeback(struct store *s, long long every)
{
#ifdef SYNC_FILE_RANGE_WRITE
	struct stat sb;

	if (s->wb_fd < 0 && (s->wb_fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(s->wb_fd, &sb) || (every && sb.st_size - s->wb_size < every))
		return;
	s->wb_size = sb.st_size;
	sync_file_range(s->wb_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)s;
	(void)every;
#endif
}

/* The page cache (KiB), and the sorter's runs when it has threads. */
#define CACHE_KIB "16384"
#define SORT_RUN_KIB "1024"

int store_sort_threads(struct store *s, int n, struct diag *d)
{
	char sql[80];

	/* A run is sorted by a thread only once it is full, and a run is as
	 * big as the cache: with 16 MiB runs the index builds at the end of
	 * a first load sorted most of their keys (7-40 MB) on the scanning
	 * thread, after the scan. 1 MiB runs are sorted by the threads while
	 * the scan goes on, and merged (by them too) at its end. */
	snprintf(sql, sizeof(sql), "PRAGMA threads=%d; PRAGMA cache_size=-%s", n,
		 n ? SORT_RUN_KIB : CACHE_KIB);
	return store_exec(s, sql, d);
}

int store_begin(struct store *s, struct diag *d)
{
	return store_exec(s, "BEGIN IMMEDIATE", d);
}

int store_commit(struct store *s, struct diag *d)
{
	return store_exec(s, "COMMIT", d);
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(struct store *s, int *version, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "PRAGMA user_version", d);

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot read schema version");
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Create the schema in an empty database, or check that an existing one
 * is a cfgaudit store of a version this build understands. */
/* Whether a store at schema version `version` can be opened as `mode`
 * without writing: 1 when it is current, 0 when it needs creating or
 * upgrading (and may be), -1 with d set when it cannot be used. */
static int schema_usable(struct store *s, enum store_mode mode, int version, struct diag *d)
{
	if (version == STORE_SCHEMA_VERSION)
		return 1;
	if (version > STORE_SCHEMA_VERSION)
		return diag_set(d, s->path, 0,
				"database schema version %d is newer than this cfgaudit (%d)",
				version, STORE_SCHEMA_VERSION);
	if (mode == STORE_READ_ONLY && version >= 1 && version <= 3)
		return diag_set(d, s->path, 0,
				"database schema version %d is older than this cfgaudit (%d);"
				" run 'cfgaudit ingest' or 'cfgaudit eval' on it once to upgrade it",
				version, STORE_SCHEMA_VERSION);
	if (mode == STORE_READ_ONLY)
		return diag_set(d, s->path, 0, "not a cfgaudit database (no schema)");
	return 0;
}

/* Create the schema in an empty database: one with tables of its own is
 * somebody else's, never written to. Inside the caller's transaction. */
static int create_schema(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT count(*) FROM sqlite_schema", d);
	int n;

	if (!st)
		return -1;
	sqlite3_step(st);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n != 0)
		return diag_set(d, s->path, 0, "not a cfgaudit database (it has other tables)");
	return store_exec(s, store_schema_sql, d);
}

/* Bring schema version `from` (1, 2 or 3) to the current one, one version
 * at a time. Inside the caller's transaction, so a failure leaves the
 * database as it was. */
static int upgrade_schema(struct store *s, int from, struct diag *d)
{
	char why[sizeof(d->msg)];

	if ((from > 1 || !store_exec(s, store_migrate_v1_sql, d)) &&
	    (from > 2 || !store_exec(s, store_migrate_v2_sql, d)) &&
	    !store_exec(s, store_migrate_v3_sql, d))
		return 0;
	snprintf(why, sizeof(why), "%s", d->msg);
	return diag_set(d, s->path, 0,
			"cannot upgrade the database from schema version %d to %d"
			" (it is left as it was): %s",
			from, STORE_SCHEMA_VERSION, why);
}

static int ensure_schema(struct store *s, enum store_mode mode, struct diag *d)
{
	char sql[64];
	int version, usable;

	if (user_version(s, &version, d))
		return -1;
	usable = schema_usable(s, mode, version, d);
	if (usable != 0)
		return usable > 0 ? 0 : -1;
	if (store_begin(s, d))
		return -1;
	/* Another process may have created or upgraded it while we waited
	 * for the lock. */
	if (user_version(s, &version, d))
		goto fail;
	if (version == STORE_SCHEMA_VERSION) {
		store_rollback(s);
		return 0;
	}
	if (version >= 1 && version <= 3 ? upgrade_schema(s, version, d)
	    : version != 0 ? diag_set(d, s->path, 0, "unsupported database schema version %d",
				      version)
			   : create_schema(s, d))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	if (store_exec(s, sql, d) || store_commit(s, d))
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* Process-wide SQLite settings, made before SQLite initializes. Memory
 * statistics take a global mutex on every allocation, which serialized
 * the connections of a parallel evaluation (and this SQLite is built
 * without lookaside, so it allocates a lot); cfgaudit never reads them. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* The sorter's runs may be as small as the cache (store_sort_threads):
	 * SQLite's floor, 250 pages, is 16 MiB at 64 KiB pages. */
	sqlite3_config(SQLITE_CONFIG_PMASZ, 16);
}

/* A database in WAL mode that we may only read, in a directory we may not
 * write (file mode 0444, a read-only mount), cannot be read the usual way:
 * SQLite must create its -shm file first. Without a write-ahead log to
 * replay, nothing can change it under us, so it is opened as immutable.
 * Returns 1 when the connection can read, 0 when it was reopened, -1 on
 * error (d filled). */
static int open_readable(struct store *s, const char *path, struct diag *d)
{
	sqlite3_stmt *st = NULL;
	struct strbuf uri = STRBUF_INIT, wal = STRBUF_INIT;
	struct stat sb;
	int rc, code;

	rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	code = rc & 0xff;
	if (rc == SQLITE_ROW || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN))
		return 1;
	strbuf_addf(&wal, "%s-wal", path);
	if (stat(wal.buf, &sb) == 0 && sb.st_size > 0) {
		strbuf_release(&wal);
		return diag_set(d, path, 0, "cannot read the database: it is read-only and its"
			       " write-ahead log is not checkpointed (open it once with write"
			       " access)");
	}
	strbuf_release(&wal);
	strbuf_addstr(&uri, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			strbuf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&uri, *p);
	}
	strbuf_addstr(&uri, "?immutable=1");
	sqlite3_close_v2(s->db);
	s->db = NULL;
	rc = sqlite3_open_v2(uri.buf, &s->db,
			     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	strbuf_release(&uri);
	if (rc != SQLITE_OK)
		return diag_set(d, path, 0, "cannot open database: %s",
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_extended_result_codes(s->db, 1);
	return 0;
}

struct store *store_open(const char *path, enum store_mode mode, struct diag *d)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	struct store *s = xcalloc(1, sizeof(*s));
	int flags = mode == STORE_READ_ONLY ? SQLITE_OPEN_READONLY
					    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	struct stat sb;

	pthread_once(&configured, configure_sqlite);
	s->path = xstrdup(path);
	s->wb_fd = -1;
	if (mode == STORE_READ_ONLY && stat(path, &sb) != 0) {
		diag_set(d, path, 0, "cannot open database: %s", strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		diag_set(d, path, 0, "cannot open database: %s",
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (mode == STORE_READ_ONLY && open_readable(s, path, d) < 0)
		goto fail;
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	/* A new store gets 64 KiB pages (STORE_PAGE_SIZE): set before
	 * journal_mode writes the first page, it is a no-op on a store that
	 * exists. WAL lets readers (report, resources) run beside one writer
	 * (ingest); synchronous=NORMAL in WAL mode never corrupts, at worst it
	 * loses the last transactions on power loss, which a rerun of ingest
	 * restores. */
	if (mode != STORE_READ_ONLY &&
	    store_exec(s,
		       "PRAGMA page_size=" STORE_PAGE_SIZE_TEXT "; PRAGMA journal_mode=WAL;"
		       " PRAGMA synchronous=NORMAL;",
		       d))
		goto fail;
	/* A 16 MiB page cache: 64 MiB cost ingest 50 MB more peak memory on
	 * a large snapshot and bought nothing measurable, for ingest or eval
	 * (the OS caches the file anyway). Reads go through a memory map
	 * (as far as SQLite's build allows, 2 GiB on Debian): an evaluation
	 * reads most of the file, and copying it page by page into the
	 * cache cost a third of eval's cpu time in the kernel. */
	if (store_exec(s, "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;"
			  " PRAGMA cache_size=-" CACHE_KIB "; PRAGMA mmap_size=68719476736;", d))
		goto fail;
	if (ensure_schema(s, mode, d))
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	if (s->wb_fd >= 0)
		close(s->wb_fd); /* after the connection: see store_writeback */
	free(s->path);
	free(s);
}

static void add_field(struct sha256_ctx *c, const char *s)
{
	if (s)
		sha256_update(c, s, strlen(s));
	sha256_update(c, "", 1);
}

void store_item_key(const char *account, const char *region, const char *type,
		    const char *id, const char *capture_time, const char *state_id,
		    unsigned char key[STORE_KEY_LEN])
{
	unsigned char raw[32];
	struct sha256_ctx *c = sha256_new();

	if (!c)
		abort(); /* libcrypto cannot give SHA-256: nothing sensible is left */
	add_field(c, account);
	add_field(c, region);
	add_field(c, type);
	add_field(c, id);
	add_field(c, capture_time);
	add_field(c, state_id);
	sha256_finish_raw(c, raw);
	memcpy(key, raw, STORE_KEY_LEN);
}

void store_stat_key(const char *path, const struct stat *sb, unsigned char key[STORE_KEY_LEN])
{
	unsigned char raw[32];
	char fields[160];
	struct sha256_ctx *c = sha256_new();

	if (!c)
		abort();
	add_field(c, "stat");
	add_field(c, path);
	snprintf(fields, sizeof(fields), "%llu:%llu:%lld:%lld.%09ld",
		 (unsigned long long)sb->st_dev, (unsigned long long)sb->st_ino,
		 (long long)sb->st_size, (long long)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec);
	add_field(c, fields);
	sha256_finish_raw(c, raw);
	memcpy(key, raw, STORE_KEY_LEN);
}

void store_file_key(const char *path, const char *sha256_hex, unsigned char key[STORE_KEY_LEN])
{
	unsigned char raw[32];
	struct sha256_ctx *c = sha256_new();

	if (!c)
		abort();
	add_field(c, path);
	add_field(c, sha256_hex);
	sha256_finish_raw(c, raw);
	memcpy(key, raw, STORE_KEY_LEN);
}

/* Whether the main database has an object of this type and name. */
static int schema_has(struct store *s, const char *type, const char *name, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT 1 FROM main.sqlite_master WHERE type = ?2 AND name = ?1", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the schema");
	return rc == SQLITE_ROW;
}

int store_table_exists(struct store *s, const char *name, struct diag *d)
{
	return schema_has(s, "table", name, d);
}

int store_index_exists(struct store *s, const char *name, struct diag *d)
{
	return schema_has(s, "index", name, d);
}
