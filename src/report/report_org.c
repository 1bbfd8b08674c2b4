/*
 * report_org: account names and OU paths in reports, and the accounts
 * grouped by OU path for --by ou (report_priv.h, "Organizations").
 *
 * The names and paths come from the store's Organizations evidence as
 * the evaluation reads it (evidence_org_accounts_each, store/evidence.h:
 * the newest list-accounts answer of each management account at or before
 * the run's as-of time, OU paths from list-parents and
 * list-organizational-units-for-parent), used only when captured within
 * the run's --max-age of its as-of time. An account that no such answer
 * names is shown as having no Organizations evidence: never a guess.
 */
#include "config.h"

#include "report/report_priv.h"

#include "store/coverage.h"
#include "store/evidence.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct rp_org {
	int any_evidence;		/* some list-accounts answer at or before as-of */
	struct rp_org_account *accounts; /* per model.accounts */
	struct rp_org_source *sources;	/* newest first */
	size_t n_sources, alloc_sources;
	struct rp_ou_group *groups;
	size_t n_groups;
};

struct load_ctx {
	struct rp_model *m;
	struct rp_org *o;
};

/* The index of account id in model.accounts (sorted), or -1. */
static long account_index(const struct rp_model *m, const char *id)
{
	size_t lo = 0, hi = m->n_accounts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->accounts[mid], id);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const char *report_time(struct rp_model *m, const char *t)
{
	char out[TIME_ISO_LEN];
	int64_t ms;

	if (time_parse_iso(t, &ms) != 0)
		return rp_model_string(m, t);
	time_format_iso_seconds(ms, out);
	return rp_model_string(m, out);
}

static void note_source(struct load_ctx *c, const struct evidence_org_account *a)
{
	struct rp_org *o = c->o;
	const char *when = report_time(c->m, a->captured_at);

	for (size_t i = 0; i < o->n_sources; i++)
		if (!strcmp(o->sources[i].management, a->management_account_id) &&
		    !strcmp(o->sources[i].captured_at, when))
			return;
	ALLOC_GROW(o->sources, o->n_sources + 1, o->alloc_sources);
	o->sources[o->n_sources].management = rp_model_string(c->m, a->management_account_id);
	o->sources[o->n_sources].captured_at = when;
	o->sources[o->n_sources].fresh = a->fresh;
	o->n_sources++;
}

static int take_account(void *arg, const struct evidence_org_account *a)
{
	struct load_ctx *c = arg;
	struct rp_org_account *e;
	long i;

	c->o->any_evidence = 1;
	note_source(c, a);
	if (!a->fresh || (i = account_index(c->m, a->account_id)) < 0)
		return 0;
	e = &c->o->accounts[i];
	if (e->management) /* a fresh, newer answer came first */
		return 0;
	e->management = rp_model_string(c->m, a->management_account_id);
	e->captured_at = report_time(c->m, a->captured_at);
	e->name = rp_model_string(c->m, a->name ? a->name : "");
	e->ou_path = a->ou_path ? rp_model_string(c->m, a->ou_path) : NULL;
	return 0;
}

static int cmp_source(const void *a, const void *b)
{
	const struct rp_org_source *x = a, *y = b;
	int c = strcmp(y->captured_at, x->captured_at);

	return c ? c : strcmp(x->management, y->management);
}

const char *rp_org_ou_label(const struct rp_model *m, size_t a)
{
	const struct rp_org_account *e = rp_org_account(m, a);

	if (!e->management)
		return RP_OU_NO_EVIDENCE;
	return e->ou_path ? e->ou_path : RP_OU_NO_PATH;
}

/* Known paths first (by text), then the two labels. */
static int label_rank(const char *label)
{
	if (!strcmp(label, RP_OU_NO_EVIDENCE))
		return 2;
	return !strcmp(label, RP_OU_NO_PATH);
}

static const struct rp_model *sort_model;

static int cmp_accounts_by_ou(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *lx = rp_org_ou_label(sort_model, x), *ly = rp_org_ou_label(sort_model, y);
	int c = label_rank(lx) - label_rank(ly);

	if (!c)
		c = strcmp(lx, ly);
	return c ? c : (x > y) - (x < y);
}

/* The roll-ups of one group from the model's per-account ones. */
static void sum_group(const struct rp_model *m, struct rp_ou_group *g, unsigned char *in_group,
		      unsigned char *verdict)
{
	memset(in_group, 0, m->n_accounts + 1);
	memset(verdict, 0, m->n_rules + 1);
	g->scores = xcalloc(m->n_packs + 1, sizeof(*g->scores));
	for (size_t k = 0; k < m->n_packs; k++)
		g->scores[k].pack = m->packs[k];
	for (size_t i = 0; i < g->n_accounts; i++) {
		size_t a = g->accounts[i];

		in_group[a] = 1;
		g->rules_compliant += m->by_account[a].compliant;
		g->rules_noncompliant += m->by_account[a].noncompliant;
		for (size_t k = 0; k < m->n_packs; k++) {
			const struct rp_score *sc = &m->scores[m->n_packs * (a + 1) + k];

			g->scores[k].compliant += sc->compliant;
			g->scores[k].noncompliant += sc->noncompliant;
		}
	}
	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];

		if (!in_group[m->pairs[rp->pair].account_idx])
			continue;
		if (rp->ct == RP_INSUFFICIENT_DATA)
			g->rules_nodata++;
		else if (rp->ct == RP_COMPLIANT || rp->ct == RP_NON_COMPLIANT)
			verdict[rp->rule] = 1;
	}
	/* as report_honest.c counts the tally of an account */
	g->tally.rules = (long)m->n_rules;
	for (size_t k = 0; k < m->n_rules; k++) {
		if (!m->rules[k].evaluated)
			g->tally.not_evaluated++;
		else if (verdict[k])
			g->tally.verdict++;
		else
			g->tally.no_data++;
	}
}

static void build_groups(const struct rp_model *m, struct rp_org *o)
{
	size_t *order = xcalloc(m->n_accounts + 1, sizeof(*order));
	unsigned char *in_group = xcalloc(m->n_accounts + 1, 1);
	unsigned char *verdict = xcalloc(m->n_rules + 1, 1);

	for (size_t a = 0; a < m->n_accounts; a++)
		order[a] = a;
	sort_model = m;
	if (m->n_accounts > 1)
		qsort(order, m->n_accounts, sizeof(*order), cmp_accounts_by_ou);
	o->groups = xcalloc(m->n_accounts + 1, sizeof(*o->groups));
	for (size_t i = 0; i < m->n_accounts;) {
		struct rp_ou_group *g = &o->groups[o->n_groups++];
		const char *label = rp_org_ou_label(m, order[i]);
		size_t j = i;

		while (j < m->n_accounts && !strcmp(rp_org_ou_label(m, order[j]), label))
			j++;
		g->path = label;
		g->n_accounts = j - i;
		g->accounts = xcalloc(g->n_accounts, sizeof(*g->accounts));
		memcpy(g->accounts, order + i, g->n_accounts * sizeof(*order));
		sum_group(m, g, in_group, verdict);
		i = j;
	}
	free(order);
	free(in_group);
	free(verdict);
}

int rp_org_attach(struct store *s, struct rp_model *m, struct diag *d)
{
	struct rp_org *o = xcalloc(1, sizeof(*o));
	struct load_ctx c = {m, o};
	char as_of[TIME_ISO_LEN], fresh_from[TIME_ISO_LEN];
	int64_t as_of_ms, max_age = m->max_age_ms > 0 ? m->max_age_ms : COVERAGE_DEFAULT_MAX_AGE_MS;

	m->org = o;
	o->accounts = xcalloc(m->n_accounts + 1, sizeof(*o->accounts));
	if (*m->as_of && time_parse_iso(m->as_of, &as_of_ms) == 0) {
		time_format_iso(as_of_ms, as_of);
		time_format_iso(as_of_ms - max_age, fresh_from);
		if (evidence_org_accounts_each(s, as_of, fresh_from, take_account, &c, d))
			return -1;
	}
	if (o->n_sources > 1)
		qsort(o->sources, o->n_sources, sizeof(*o->sources), cmp_source);
	build_groups(m, o);
	return 0;
}

void rp_org_free(struct rp_org *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n_groups; i++) {
		free(o->groups[i].accounts);
		free(o->groups[i].scores);
	}
	free(o->groups);
	free(o->sources);
	free(o->accounts);
	free(o);
}

int rp_org_shown(const struct rp_model *m)
{
	return (m->org && m->org->any_evidence) || m->opt->group_by == REPORT_BY_OU;
}

const struct rp_org_account *rp_org_account(const struct rp_model *m, size_t a)
{
	static const struct rp_org_account none;

	return m->org && a < m->n_accounts ? &m->org->accounts[a] : &none;
}

const struct rp_org_account *rp_org_account_by_id(const struct rp_model *m, const char *id)
{
	long a = id ? account_index(m, id) : -1;

	return a < 0 ? NULL : rp_org_account(m, (size_t)a);
}

void rp_account_label(const struct rp_model *m, const char *account, struct strbuf *sb)
{
	const struct rp_org_account *e = rp_org_account_by_id(m, account);

	strbuf_addstr(sb, account);
	if (e && e->name && *e->name)
		strbuf_addf(sb, " (%s)", e->name);
}

const struct rp_org_source *rp_org_sources(const struct rp_model *m, size_t *n)
{
	*n = m->org ? m->org->n_sources : 0;
	return m->org ? m->org->sources : NULL;
}

const struct rp_ou_group *rp_ou_groups(const struct rp_model *m, size_t *n)
{
	*n = m->org ? m->org->n_groups : 0;
	return m->org ? m->org->groups : NULL;
}

size_t *rp_org_results_order(const struct rp_model *m)
{
	size_t *by_account = rp_results_order(m, REPORT_BY_ACCOUNT);
	size_t *out = xcalloc(m->n_results + 1, sizeof(*out));
	size_t *first = xcalloc(m->n_accounts + 1, sizeof(*first));
	size_t *count = xcalloc(m->n_accounts + 1, sizeof(*count));
	size_t n = 0, ng;
	const struct rp_ou_group *g = rp_ou_groups(m, &ng);

	/* --by account keeps an account's results together: move each
	 * account's run in the order of the groups. */
	for (size_t i = m->n_results; i-- > 0;) {
		size_t a = m->pairs[m->results[by_account[i]].pair].account_idx;

		first[a] = i;
		count[a]++;
	}
	for (size_t k = 0; k < ng; k++)
		for (size_t i = 0; i < g[k].n_accounts; i++) {
			size_t a = g[k].accounts[i];

			memcpy(out + n, by_account + first[a], count[a] * sizeof(*out));
			n += count[a];
		}
	/* results of an account outside the groups (none expected) last */
	for (size_t i = 0; n < m->n_results && i < m->n_results; i++) {
		int seen = 0;

		for (size_t k = 0; k < n && !seen; k++)
			seen = out[k] == by_account[i];
		if (!seen)
			out[n++] = by_account[i];
	}
	free(first);
	free(count);
	free(by_account);
	return out;
}
