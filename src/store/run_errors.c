/*
 * run_errors: the problems of a run (see run_errors.h).
 */
#include "store/run_errors.h"
#include "store/walk.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char create_sql[] =
    "CREATE TABLE IF NOT EXISTS run_errors(\n"
    "  run_id  INTEGER NOT NULL,\n"
    "  seq     INTEGER NOT NULL,  -- order the problems were met in\n"
    "  kind    TEXT NOT NULL,     -- pack, parameter, identifier, rule\n"
    "  rule    TEXT NOT NULL,     -- config rule name, '' if not one rule's\n"
    "  path    TEXT NOT NULL,     -- file the problem is in, '' if none\n"
    "  line    INTEGER NOT NULL,  -- 1-based line in path, 0 if unknown\n"
    "  message TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ")";

void run_errors_add(struct run_errors *e, const char *kind, const char *rule, const struct diag *d)
{
	struct run_error *x;

	ALLOC_GROW(e->v, e->n + 1, e->alloc);
	x = &e->v[e->n++];
	x->kind = xstrdup(kind ? kind : "");
	x->rule = xstrdup(rule ? rule : "");
	x->path = xstrdup(d->path);
	x->line = d->line;
	x->message = xstrdup(d->msg);
}

void run_errors_release(struct run_errors *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].kind);
		free(e->v[i].rule);
		free(e->v[i].path);
		free(e->v[i].message);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

int run_errors_store(struct store *s, int64_t run_id, const struct run_errors *e, struct diag *d)
{
	sqlite3_stmt *st;
	int ret = 0;

	if (e->n == 0)
		return 0;
	if (store_exec(s, create_sql, d))
		return -1;
	st = store_prepare(s,
			   "INSERT INTO run_errors(run_id, seq, kind, rule, path, line, message)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			   d);
	if (!st)
		return -1;
	for (size_t i = 0; i < e->n && !ret; i++) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, e->v[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, e->v[i].rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, e->v[i].path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, e->v[i].line);
		sqlite3_bind_text(st, 7, e->v[i].message, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = store_error(s, d, "cannot record the run's errors");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return ret;
}

/* 1 if the store has the table (created on first use), 0 if not, -1 on
 * error. */
static int have_table(struct store *s, struct diag *d)
{
	return store_table_exists(s, "run_errors", d);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t ? t : "";
}

int run_errors_load(struct store *s, int64_t run_id, struct run_errors *e, struct diag *d)
{
	sqlite3_stmt *st;
	int have = have_table(s, d), rc;

	memset(e, 0, sizeof(*e));
	if (have <= 0)
		return have;
	st = walk_prepare(s,
			  "SELECT kind, rule, path, line, message FROM run_errors"
			  " WHERE run_id = ?1 ORDER BY seq",
			  run_id, 0, d);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct diag x;

		diag_clear(&x);
		snprintf(x.path, sizeof(x.path), "%s", col(st, 2));
		x.line = sqlite3_column_int64(st, 3);
		snprintf(x.msg, sizeof(x.msg), "%s", col(st, 4));
		run_errors_add(e, col(st, 0), col(st, 1), &x);
	}
	return walk_end(s, st, rc, d, "cannot read the run's errors");
}

const char *run_errors_complete_sql(struct store *s, struct diag *d)
{
	int have = have_table(s, d);

	if (have < 0)
		return NULL;
	return have ? "run_id NOT IN (SELECT run_id FROM run_errors)" : "1";
}

/* max(run_id) of the complete runs where cond holds, 0 if none. */
static int64_t max_run(struct store *s, const char *cond, struct diag *d)
{
	char *sql = xstrfmt("SELECT max(run_id) FROM runs WHERE status = 'complete' AND %s", cond);
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int64_t id = 0;

	free(sql);
	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot find the latest run");
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

int64_t run_errors_latest_complete(struct store *s, int64_t *newer, struct diag *d)
{
	const char *cond = run_errors_complete_sql(s, d);
	int64_t id;

	if (newer)
		*newer = 0;
	if (!cond)
		return -1;
	id = max_run(s, cond, d);
	if (id >= 0 && newer && strcmp(cond, "1")) {
		char more[96];

		snprintf(more, sizeof(more),
			 "run_id > %lld AND run_id IN (SELECT run_id FROM run_errors)",
			 (long long)id);
		*newer = max_run(s, more, d);
		if (*newer < 0)
			return -1;
	}
	return id;
}

int run_failed_files_each(struct store *s, int64_t run_id,
			  void (*fn)(const struct run_failed_file *f, void *ctx), void *ctx,
			  struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(
	    s,
	    "SELECT f.path, coalesce(f.error, ''), f.ingested_at, f.account_id"
	    " FROM files AS f, runs AS r"
	    " WHERE r.run_id = ?1 AND f.status = 'failed' AND f.ingested_at <= r.started_at"
	    "  AND NOT EXISTS (SELECT 1 FROM files AS g WHERE g.path = f.path"
	    "   AND g.status = 'loaded' AND g.ingested_at >= f.ingested_at"
	    "   AND g.ingested_at <= r.started_at)"
	    " ORDER BY f.path, f.ingested_at",
	    run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_failed_file f = { walk_text(st, 0), walk_text(st, 1), walk_text(st, 2),
					     walk_text(st, 3) };

		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the failed input files");
}
