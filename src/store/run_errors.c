/*
 * run_errors: the problems of a run (see run_errors.h).
 */
#include "store/run_errors.h"
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

/* 1 if the store has the table, 0 if not, -1 on error. */
static int have_table(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'run_errors'", d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_error(s, d, "cannot read the schema");
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
	st = store_prepare(s,
			   "SELECT kind, rule, path, line, message FROM run_errors"
			   " WHERE run_id = ?1 ORDER BY seq",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct diag x;

		diag_clear(&x);
		snprintf(x.path, sizeof(x.path), "%s", col(st, 2));
		x.line = sqlite3_column_int64(st, 3);
		snprintf(x.msg, sizeof(x.msg), "%s", col(st, 4));
		run_errors_add(e, col(st, 0), col(st, 1), &x);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the run's errors");
	return 0;
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
