/*
 * presence: the statements on snapshot_presence that ingest's writer
 * runs (presence.h).
 */
#include "store/presence.h"
#include "store/schema.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

enum {
	P_SNAP_KEY,	   /* remember a key of the snapshot being loaded */
	P_OPEN_RUN,	   /* in-order snapshot: an open run unless there is one */
	P_INSERT_OPEN,	   /* a new series: an open run, keys in order */
	P_CLOSE_RUNS,	   /* in-order snapshot: end the open runs it lacks */
	P_OPEN_KEYS,	   /* the versions with an open run in the series */
	P_CLOSE_ONE,	   /* end one open run */
	P_SNAP_CLEAR,	   /* forget the keys */
	P_EXTEND_LAST_RET, /* out of order: a run ending at prev grows to t (returns its start) */
	P_MERGE_FIND,	   /* the run starting at next, to merge with */
	P_MERGE_DELETE,
	P_MERGE_SET_LAST,
	P_EXTEND_FIRST, /* a run starting at next grows back to t */
	P_COVERING,	/* a run already covering t */
	P_INSERT_RUN,
	P_SPLIT_COPY,
	P_SPLIT_CUT,
	P_COUNT
};

static const char *const presence_sql[P_COUNT] = {
    [P_SNAP_KEY] = "INSERT OR IGNORE INTO temp.ingest_snap(k) VALUES (?1)",
    [P_OPEN_RUN] = "INSERT OR IGNORE INTO snapshot_presence(item_key, account_id, region,"
		   " first_time, last_time) SELECT ?1, ?2, ?3, ?4, '" PRESENCE_OPEN "'"
		   " WHERE NOT EXISTS (SELECT 1 FROM snapshot_presence WHERE item_key = ?1"
		   " AND account_id = ?2 AND region = ?3 AND last_time = '" PRESENCE_OPEN "')",
    [P_INSERT_OPEN] = "INSERT OR IGNORE INTO snapshot_presence(item_key, account_id, region,"
		      " first_time, last_time) VALUES (?1, ?2, ?3, ?4, '" PRESENCE_OPEN "')",
    [P_CLOSE_RUNS] = "UPDATE snapshot_presence SET last_time = ?4"
		     " WHERE account_id = ?1 AND region = ?2 AND last_time = '" PRESENCE_OPEN "'"
		     " AND first_time < ?3 AND item_key NOT IN (SELECT k FROM temp.ingest_snap)",
    [P_SNAP_CLEAR] = "DELETE FROM temp.ingest_snap",
    [P_OPEN_KEYS] = "SELECT item_key FROM snapshot_presence"
		    " WHERE account_id = ?1 AND region = ?2 AND last_time = '" PRESENCE_OPEN "'"
		    " AND first_time < ?3 LIMIT ?4",
    [P_CLOSE_ONE] = "UPDATE snapshot_presence SET last_time = ?4"
		    " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
		    " AND last_time = '" PRESENCE_OPEN "'",
    [P_EXTEND_LAST_RET] = "UPDATE snapshot_presence SET last_time = ?5"
			  " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
			  " AND last_time = ?4 RETURNING first_time",
    [P_MERGE_FIND] = "SELECT last_time FROM snapshot_presence"
		     " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
		     " AND first_time = ?4",
    [P_MERGE_DELETE] = "DELETE FROM snapshot_presence"
		       " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
		       " AND first_time = ?4",
    [P_MERGE_SET_LAST] = "UPDATE snapshot_presence SET last_time = ?5"
			 " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
			 " AND first_time = ?4",
    [P_EXTEND_FIRST] = "UPDATE snapshot_presence SET first_time = ?5"
		       " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
		       " AND first_time = ?4",
    [P_COVERING] = "SELECT 1 FROM snapshot_presence"
		   " WHERE item_key = ?1 AND account_id = ?2 AND region = ?3"
		   " AND first_time <= ?4 AND last_time >= ?4",
    [P_INSERT_RUN] = "INSERT OR IGNORE INTO snapshot_presence(item_key, account_id, region,"
		     " first_time, last_time) VALUES (?1, ?2, ?3, ?4, ?4)",
    /* A run strictly around t, of a version S may not hold: cut it into
     * [first, prev] and [next, last]; versions S holds join up again. */
    [P_SPLIT_COPY] = "INSERT INTO snapshot_presence(item_key, account_id, region, first_time,"
		     " last_time) SELECT item_key, account_id, region, ?5, last_time"
		     " FROM snapshot_presence WHERE account_id = ?1 AND region = ?2"
		     " AND last_time > ?3 AND first_time < ?3",
    [P_SPLIT_CUT] = "UPDATE snapshot_presence SET last_time = ?4"
		    " WHERE account_id = ?1 AND region = ?2"
		    " AND last_time > ?3 AND first_time < ?3",
};

struct presence {
	struct store *s;
	sqlite3_stmt *st[P_COUNT];
};

struct presence *presence_new(struct store *s, struct diag *d)
{
	struct presence *p;

	/* The keys of the snapshot being loaded in time order. */
	if (store_exec(s,
		       "CREATE TEMP TABLE IF NOT EXISTS ingest_snap(k BLOB PRIMARY KEY)"
		       " WITHOUT ROWID",
		       d))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->s = s;
	for (int i = 0; i < P_COUNT; i++) {
		p->st[i] = store_prepare(s, presence_sql[i], d);
		if (!p->st[i]) {
			presence_free(p);
			return NULL;
		}
	}
	return p;
}

void presence_free(struct presence *p)
{
	if (!p)
		return;
	for (int i = 0; i < P_COUNT; i++)
		sqlite3_finalize(p->st[i]);
	sqlite3_exec(p->s->db, "DROP TABLE IF EXISTS temp.ingest_snap", NULL, NULL, NULL);
	free(p);
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

static void bind_run_key(sqlite3_stmt *st, const struct presence_series *ser,
			 const unsigned char *key)
{
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ser->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ser->region, -1, SQLITE_STATIC);
}

static void bind_series(sqlite3_stmt *st, const struct presence_series *ser)
{
	sqlite3_bind_text(st, 1, ser->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ser->region, -1, SQLITE_STATIC);
}

/* A statement on one version's runs with one or two times, run to its end. */
static int run_key(struct presence *p, int which, const struct presence_series *ser,
		   const unsigned char *key, const char *t4, const char *t5, const char *what,
		   struct diag *d)
{
	sqlite3_stmt *st = p->st[which];

	bind_run_key(st, ser, key);
	sqlite3_bind_text(st, 4, t4, -1, SQLITE_STATIC);
	if (t5)
		sqlite3_bind_text(st, 5, t5, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, what);
	return 0;
}

int presence_open_run(struct presence *p, const struct presence_series *ser,
		      const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d)
{
	return run_key(p, P_OPEN_RUN, ser, key, t, NULL, "cannot update snapshot runs", d);
}

int presence_insert_open(struct presence *p, const struct presence_series *ser,
			 const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d)
{
	return run_key(p, P_INSERT_OPEN, ser, key, t, NULL, "cannot insert snapshot runs", d);
}

int presence_snap_key(struct presence *p, const unsigned char key[STORE_KEY_LEN], struct diag *d)
{
	sqlite3_stmt *st = p->st[P_SNAP_KEY];

	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, "cannot record snapshot keys");
	return 0;
}

int presence_snap_clear(struct presence *p, struct diag *d)
{
	if (run(p->st[P_SNAP_CLEAR]) != SQLITE_DONE)
		return store_error(p->s, d, "cannot reset snapshot keys");
	return 0;
}

int presence_close_runs(struct presence *p, const struct presence_series *ser, const char *t,
			const char *prev, struct diag *d)
{
	sqlite3_stmt *st = p->st[P_CLOSE_RUNS];

	bind_series(st, ser);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prev, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, "cannot end snapshot runs");
	return 0;
}

int presence_close_one(struct presence *p, const struct presence_series *ser,
		       const unsigned char key[STORE_KEY_LEN], const char *prev, struct diag *d)
{
	return run_key(p, P_CLOSE_ONE, ser, key, prev, NULL, "cannot end snapshot runs", d);
}

int presence_open_keys(struct presence *p, const struct presence_series *ser, const char *t,
		       long long limit, void (*fn)(const unsigned char *key, void *ctx), void *ctx,
		       struct diag *d)
{
	sqlite3_stmt *st = p->st[P_OPEN_KEYS];
	int rc;

	bind_series(st, ser);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != STORE_KEY_LEN)
			continue; /* not a key cfgaudit wrote: leave it to SQL */
		fn(sqlite3_column_blob(st, 0), ctx);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(p->s, d, "cannot read snapshot runs");
	return 0;
}

int presence_extend_last(struct presence *p, const struct presence_series *ser,
			 const unsigned char key[STORE_KEY_LEN], const char *prev, const char *t,
			 char *first, size_t first_size, struct diag *d)
{
	sqlite3_stmt *st = p->st[P_EXTEND_LAST_RET];
	int rc;

	first[0] = '\0';
	bind_run_key(st, ser, key);
	sqlite3_bind_text(st, 4, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(first, first_size, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(p->s, d, "cannot update snapshot runs");
	return 0;
}

int presence_merge_find(struct presence *p, const struct presence_series *ser,
			const unsigned char key[STORE_KEY_LEN], const char *next, char *last,
			size_t last_size, struct diag *d)
{
	sqlite3_stmt *st = p->st[P_MERGE_FIND];
	int rc;

	last[0] = '\0';
	bind_run_key(st, ser, key);
	sqlite3_bind_text(st, 4, next, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(last, last_size, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(p->s, d, "cannot read snapshot runs");
	return 0;
}

int presence_merge(struct presence *p, const struct presence_series *ser,
		   const unsigned char key[STORE_KEY_LEN], const char *first, const char *next,
		   const char *last, struct diag *d)
{
	sqlite3_stmt *st;

	if (run_key(p, P_MERGE_DELETE, ser, key, next, NULL, "cannot update snapshot runs", d))
		return -1;
	st = p->st[P_MERGE_SET_LAST];
	bind_run_key(st, ser, key);
	sqlite3_bind_text(st, 4, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, last, -1, SQLITE_TRANSIENT);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, "cannot update snapshot runs");
	return 0;
}

int presence_extend_first(struct presence *p, const struct presence_series *ser,
			  const unsigned char key[STORE_KEY_LEN], const char *next, const char *t,
			  int *changed, struct diag *d)
{
	if (run_key(p, P_EXTEND_FIRST, ser, key, next, t, "cannot update snapshot runs", d))
		return -1;
	*changed = sqlite3_changes(p->s->db) > 0;
	return 0;
}

int presence_covering(struct presence *p, const struct presence_series *ser,
		      const unsigned char key[STORE_KEY_LEN], const char *t, int *covered,
		      struct diag *d)
{
	sqlite3_stmt *st = p->st[P_COVERING];
	int rc;

	bind_run_key(st, ser, key);
	sqlite3_bind_text(st, 4, t, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	*covered = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(p->s, d, "cannot read snapshot runs");
	return 0;
}

int presence_insert_run(struct presence *p, const struct presence_series *ser,
			const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d)
{
	return run_key(p, P_INSERT_RUN, ser, key, t, NULL, "cannot insert snapshot run", d);
}

int presence_split(struct presence *p, const struct presence_series *ser, const char *t,
		   const char *prev, const char *next, struct diag *d)
{
	sqlite3_stmt *st = p->st[P_SPLIT_COPY];

	bind_series(st, ser);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, next, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, "cannot split snapshot runs");
	st = p->st[P_SPLIT_CUT];
	bind_series(st, ser);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prev, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE)
		return store_error(p->s, d, "cannot split snapshot runs");
	return 0;
}

int presence_drop_index(struct store *s, struct diag *d)
{
	return store_exec(s, "DROP INDEX IF EXISTS main.snapshot_presence_by_series", d);
}

int presence_build_index(struct store *s, struct diag *d)
{
	return store_exec(s, store_presence_index_sql, d);
}
