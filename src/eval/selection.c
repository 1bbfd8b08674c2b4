/*
 * selection: the check that a run's selection matched (see selection.h).
 * Only the error path reads the store (store/inventory.h), so a run that
 * matches pays nothing for it.
 */
#include "eval/selection.h"
#include "store/inventory.h"
#include "util/nearest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The distinct values of a column of items, sorted (see struct list). */
struct list {
	char **v;
	size_t n, alloc;
};

static void take(const char *value, void *ctx)
{
	struct list *l = ctx;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = xstrdup(value);
}

static char **distinct(struct store *s, enum inventory_field which, size_t *n, struct diag *d)
{
	struct list l = {NULL, 0, 0};

	*n = 0;
	if (inventory_held_each(s, which, take, &l, d)) {
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i]);
		free(l.v);
		return NULL;
	}
	*n = l.n;
	return l.v ? l.v : xcalloc(1, sizeof(*l.v));
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

/* "no item at or before T" with the earliest time held, -1; or 0 when
 * there were items by then (all deleted by T: an empty inventory is a
 * fact, not a mistake). */
static int too_early(struct store *s, const char *account, const char *as_of, struct diag *d)
{
	char first[64];

	if (inventory_earliest(s, account, first, sizeof(first), d))
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

static int unknown(struct store *s, const char *what, const char *want, enum inventory_field which,
		   struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	char **known = distinct(s, which, &n, d);

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
			known = distinct(s, w ? INVENTORY_REGIONS : INVENTORY_ACCOUNTS, &nk, d);
			if (!known)
				return -1;
			for (size_t k = 0; k < nk; k++)
				held |= !strcmp(known[k], want[i]);
			free_list(known, nk);
			if (!held)
				return unknown(s, w ? "region" : "account", want[i],
					       w ? INVENTORY_REGIONS : INVENTORY_ACCOUNTS, d);
			/* In the store but not in the state: before its first item
			 * is an error; after (all deleted) an empty inventory. */
			if (!w && too_early(s, want[i], as_of, d))
				return -1;
		}
	}
	return 0;
}
