/*
 * report_triage: the order in which a report lists what to fix -- the
 * rules with NON_COMPLIANT results of the selection, most severe first,
 * then by how many resources are non-compliant (cfgaudit-report(5)).
 * Shared by the text, HTML and JUnit back ends.
 */
#include "config.h"

#include "report/report_priv.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int cmp_fix(const void *a, const void *b, void *ctx)
{
	const struct rp_fix *x = a, *y = b;
	const struct rp_model *m = ctx;
	const struct rp_rule *rx = &m->rules[x->rule], *ry = &m->rules[y->rule];
	int c;

	if (rx->severity_rank != ry->severity_rank)
		return ry->severity_rank - rx->severity_rank;
	if (x->open != y->open)
		return x->open < y->open ? 1 : -1;
	c = strcmp(rx->name, ry->name);
	return c ? c : strcmp(rx->pack, ry->pack);
}

/* qsort has no context argument in C99: the model rides in a static for
 * the one sort (reports are rendered one at a time per process). */
static const struct rp_model *sort_model;

static int cmp_fix_static(const void *a, const void *b)
{
	return cmp_fix(a, b, (void *)sort_model);
}

struct rp_fix *rp_fix_list(const struct rp_model *m, size_t *n)
{
	struct rp_fix *v = xcalloc(m->n_rules ? m->n_rules : 1, sizeof(*v));
	size_t *last_account = xcalloc(m->n_rules ? m->n_rules : 1, sizeof(*last_account));
	size_t k = 0;

	for (size_t i = 0; i < m->n_rules; i++)
		v[i].rule = i;
	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[i];
		struct rp_fix *f = &v[r->rule_idx];
		size_t acct = m->pairs[r->pair].account_idx + 1;

		if (r->ct != RP_NON_COMPLIANT)
			continue;
		f->noncompliant++;
		if (r->waiver >= 0)
			f->waived++;
		else
			f->open++;
		/* Results are sorted by account first: a new account differs
		 * from the last one seen for this rule. */
		if (last_account[r->rule_idx] != acct) {
			last_account[r->rule_idx] = acct;
			f->accounts++;
		}
	}
	free(last_account);
	for (size_t i = 0; i < m->n_rules; i++)
		if (v[i].noncompliant)
			v[k++] = v[i];
	sort_model = m;
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_fix_static);
	sort_model = NULL;
	*n = k;
	return v;
}
