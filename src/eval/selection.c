/*
 * selection: the check that a run's selection matched (see selection.h).
 * Only the error path queries the store, so a run that matches pays
 * nothing for it.
 */
#include "eval/selection.h"
#include "util/nearest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The distinct values of a column of items, sorted. */
static char **distinct(struct store *s, const char *sql, size_t *n, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	char **v = NULL;
	size_t alloc = 0;
	int rc;

	*n = 0;
	if (!st)
		return NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		ALLOC_GROW(v, *n + 1, alloc);
		v[(*n)++] = xstrdup(t ? t : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		store_error(s, d, "cannot read the database");
		return NULL;
	}
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static int in_scope(char *const *scope, size_t n, size_t field, const char *want)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		if (!strcmp(scope[i + field], want))
			return 1;
	return 0;
}

/* The earliest capture time of account (NULL: any), canonical, in out. */
static int earliest(struct store *s, const char *account, char *out, size_t len, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT min(capture_time) FROM items WHERE ?1 IS NULL OR account_id = ?1", d);

	if (!st)
		return -1;
	if (account)
		sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

/* "no item at or before T" with the earliest time held, -1; or 0 when
 * there were items by then (all deleted by T: an empty inventory is a
 * fact, not a mistake). */
static int too_early(struct store *s, const char *account, const char *as_of, struct diag *d)
{
	char first[64];

	if (earliest(s, account, first, sizeof(first), d))
		return -1;
	if (*first && strcmp(first, as_of) <= 0)
		return 0;
	if (account)
		return diag_set(d, NULL, 0,
				"account '%s' has no configuration item at or before %s;"
				" its earliest is %s (give a later --as-of)",
				account, as_of, first);
	return diag_set(d, NULL, 0,
			"no configuration item at or before %s; the earliest the database holds"
			" is %s (give a later --as-of)",
			as_of, first);
}

static int unknown(struct store *s, const char *what, const char *want, const char *sql,
		   struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	char **known = distinct(s, sql, &n, d);

	if (!known)
		return -1;
	nearest_list(&sb, want, (const char *const *)known, n);
	diag_set(d, NULL, 0, "%s '%s' is not in the database; it holds %s%s", what, want,
		 n ? "" : "none", sb.buf);
	strbuf_release(&sb);
	free_list(known, n);
	return -1;
}

int selection_check(struct store *s, const struct eval_request *req, const char *as_of,
		    char *const *scope, size_t n, struct diag *d)
{
	static const char *const sql[2] = {
	    "SELECT DISTINCT account_id FROM items ORDER BY 1",
	    "SELECT DISTINCT region FROM items ORDER BY 1",
	};

	/* Before every item: the time is the problem, whatever the rest. */
	if (n == 0 && too_early(s, NULL, as_of, d))
		return -1;
	for (int w = 0; w < 2; w++) {
		const char **want = w ? req->regions : req->accounts;
		size_t n_want = w ? req->n_regions : req->n_accounts;

		for (size_t i = 0; i < n_want; i++) {
			size_t nk;
			char **known;
			int held = 0;

			if (in_scope(scope, n, (size_t)w, want[i]))
				continue;
			known = distinct(s, sql[w], &nk, d);
			if (!known)
				return -1;
			for (size_t k = 0; k < nk; k++)
				held |= !strcmp(known[k], want[i]);
			free_list(known, nk);
			if (!held)
				return unknown(s, w ? "region" : "account", want[i], sql[w], d);
			/* In the store but not in the state: before its first item
			 * is an error; after (all deleted) an empty inventory. */
			if (!w && too_early(s, want[i], as_of, d))
				return -1;
		}
	}
	return 0;
}
