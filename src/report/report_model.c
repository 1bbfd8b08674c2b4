/*
 * report_model: loads one stored run into memory and computes the AWS
 * Config roll-ups every report format shares (see report_priv.h).
 *
 * Roll-up rules (AWS Config's):
 * - a rule in an (account, region) pair is NON_COMPLIANT if any result is,
 *   COMPLIANT if it has COMPLIANT results and no NON_COMPLIANT one, and
 *   INSUFFICIENT_DATA otherwise (no results, or only NOT_APPLICABLE /
 *   INSUFFICIENT_DATA ones);
 * - the pairs are the run's run_scope rows (every rule of the run is rolled
 *   up in each, with INSUFFICIENT_DATA where it has no result -- including
 *   rules that could not be evaluated at all), plus pairs
 *   that only occur in results -- chiefly (account, 'global') for IAM --
 *   where only the rules with results there are rolled up, so that
 *   regional rules do not show as INSUFFICIENT_DATA in 'global';
 * - a pack in a pair is NON_COMPLIANT if any of its rules is, COMPLIANT if
 *   some rule is and none is non-compliant, INSUFFICIENT_DATA if no rule
 *   has data;
 * - the score is compliant rule-resource pairs over compliant plus
 *   non-compliant pairs, times 100.
 */
#include "config.h"

#include "report/report_priv.h"
#include "rules/rule.h"
#include "store/coverage.h"
#include "store/run.h"
#include "store/triage.h"
#include "store/waivers.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Strings of the model live in a few large blocks, freed at once. */
struct rp_arena {
	struct rp_arena *next;
	size_t used, size;
	char data[];
};

static const char *arena_dup(struct rp_model *m, const char *s, size_t len)
{
	struct rp_arena *a = m->arena;
	char *p;

	if (!a || a->size - a->used < len + 1) {
		size_t size = len + 1 > 65536 ? len + 1 : 65536;

		a = xmalloc(sizeof(*a) + size);
		a->next = m->arena;
		a->used = 0;
		a->size = size;
		m->arena = a;
	}
	p = a->data + a->used;
	memcpy(p, s, len);
	p[len] = '\0';
	a->used += len + 1;
	return p;
}

/* Interned strings: a run repeats the same account, region, rule, type,
 * resource id and annotation text across many results, so each distinct
 * text is stored once (open addressing, FNV-1a). */
struct rp_strtab {
	const char **slot; /* arena strings, NULL = empty */
	size_t *len;	   /* their lengths in bytes */
	size_t cap, n;	   /* cap is a power of two */
};

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void strtab_grow(struct rp_strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	const char **slot = xcalloc(cap, sizeof(*slot));
	size_t *len = xcalloc(cap, sizeof(*len));

	for (size_t i = 0; i < t->cap; i++) {
		size_t k;

		if (!t->slot[i])
			continue;
		k = fnv1a(t->slot[i], t->len[i]) & (cap - 1);
		while (slot[k])
			k = (k + 1) & (cap - 1);
		slot[k] = t->slot[i];
		len[k] = t->len[i];
	}
	free(t->slot);
	free(t->len);
	t->slot = slot;
	t->len = len;
	t->cap = cap;
}

static const char *intern(struct rp_model *m, const char *s, size_t len)
{
	struct rp_strtab *t = m->strtab;
	size_t k;

	if (!t)
		t = m->strtab = xcalloc(1, sizeof(*t));
	if (2 * (t->n + 1) > t->cap)
		strtab_grow(t);
	k = fnv1a(s, len) & (t->cap - 1);
	for (; t->slot[k]; k = (k + 1) & (t->cap - 1))
		if (t->len[k] == len && !memcmp(t->slot[k], s, len))
			return t->slot[k];
	t->slot[k] = arena_dup(m, s, len);
	t->len[k] = len;
	t->n++;
	return t->slot[k];
}

/* A stored text as a model string; NULL stays NULL. */
static const char *text(struct rp_model *m, const char *t)
{
	return t ? intern(m, t, strlen(t)) : NULL;
}

static const char *text_nn(struct rp_model *m, const char *t)
{
	return t ? intern(m, t, strlen(t)) : "";
}

/* A canonical time in report form (seconds), NULL stays NULL. */
static const char *report_time(struct rp_model *m, const char *t)
{
	char out[TIME_ISO_LEN];
	int64_t ms;

	if (!t)
		return NULL;
	if (time_parse_iso(t, &ms) != 0)
		return intern(m, t, strlen(t));
	time_format_iso_seconds(ms, out);
	return arena_dup(m, out, strlen(out));
}

const char *rp_ct_name(enum rp_ct ct)
{
	static const char *const names[RP_CT_N] = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
						   "INSUFFICIENT_DATA"};

	return ct < RP_CT_N ? names[ct] : "INSUFFICIENT_DATA";
}

static enum rp_ct ct_parse(const char *s)
{
	for (int i = 0; i < RP_CT_N; i++)
		if (s && !strcmp(s, rp_ct_name((enum rp_ct)i)))
			return (enum rp_ct)i;
	return RP_INSUFFICIENT_DATA;
}

static int in_list(const char *const *list, size_t n, const char *s)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

int rp_compliance_selected(const struct rp_model *m, const char *type)
{
	return in_list(m->opt->compliance, m->opt->n_compliance, type);
}

/* --region keeps global resources, as eval's does: IAM is in every region
 * an account uses ('--region global' alone selects only them). */
static int pair_selected(const struct rp_model *m, const char *account, const char *region)
{
	return in_list(m->opt->accounts, m->opt->n_accounts, account) &&
	       (!strcmp(region, "global") || in_list(m->opt->regions, m->opt->n_regions, region));
}

void rp_score_text(long compliant, long noncompliant, char *out)
{
	long total = compliant + noncompliant;

	if (total <= 0) {
		strcpy(out, "INSUFFICIENT_DATA");
		return;
	}
	/* One decimal, rounded half up, in integer arithmetic so that the
	 * text never depends on the platform's float formatting. */
	long long tenths = ((long long)compliant * 2000 + total) / (2LL * total);

	snprintf(out, 24, "%lld.%lld", tenths / 10, tenths % 10);
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_rule(const void *a, const void *b)
{
	const struct rp_rule *x = a, *y = b;
	int c = cmp_str(x->pack, y->pack);

	return c ? c : cmp_str(x->name, y->name);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort and deduplicate an array of borrowed strings; returns the new count. */
static size_t uniq_strings(const char **v, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_cstr);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]))
			v[k++] = v[i];
	return k;
}

static size_t find_string(const char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], s);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

static size_t find_rule(const struct rp_model *m, const char *pack, const char *name)
{
	struct rp_rule key = {0};
	const struct rp_rule *r;

	if (m->n_rules == 0)
		return (size_t)-1;
	key.pack = pack;
	key.name = name;
	r = bsearch(&key, m->rules, m->n_rules, sizeof(key), cmp_rule);
	return r ? (size_t)(r - m->rules) : (size_t)-1;
}

static int load_run(struct store *s, struct rp_model *m, struct diag *d)
{
	struct run_record r;
	int rc = run_find(s, m->run_id, &r, d);

	if (rc < 0)
		return -1;
	if (rc > 0)
		return diag_set(d, NULL, 0, "run '%lld' does not exist", (long long)m->run_id);
	m->started_at = r.started_at ? report_time(m, r.started_at) : "";
	m->finished_at = r.finished_at ? report_time(m, r.finished_at) : "";
	m->as_of = r.as_of ? report_time(m, r.as_of) : "";
	m->tool_version = text_nn(m, r.tool_version);
	m->filters = text_nn(m, r.filters);
	m->status = text_nn(m, r.status);
	run_record_release(&r);
	if (strcmp(m->status, "complete"))
		return diag_set(d, NULL, 0, "run '%lld' is not complete (status '%s')",
				(long long)m->run_id, m->status);
	return 0;
}

struct load_ctx {
	struct rp_model *m;
	size_t *alloc;
};

static void load_file(const struct run_file_record *rf, void *ctx)
{
	struct load_ctx *lc = ctx;
	struct rp_model *m = lc->m;
	struct rp_file *f;

	ALLOC_GROW(m->files, m->n_files + 1, *lc->alloc);
	f = &m->files[m->n_files++];
	f->role = text_nn(m, rf->role);
	f->name = text_nn(m, rf->name);
	f->path = text_nn(m, rf->path);
	f->sha256 = text_nn(m, rf->sha256);
}

static int load_files(struct store *s, struct rp_model *m, struct diag *d)
{
	size_t alloc = 0;
	struct load_ctx lc = { m, &alloc };

	return run_files_each(s, m->run_id, load_file, &lc, d);
}

static const struct rp_file *find_file(const struct rp_model *m, const char *role, const char *name)
{
	for (size_t i = 0; i < m->n_files; i++)
		if (!strcmp(m->files[i].role, role) && !strcmp(m->files[i].name, name))
			return &m->files[i];
	return NULL;
}

static void load_rule(const struct run_rule_record *rr, void *ctx)
{
	struct load_ctx *lc = ctx;
	struct rp_model *m = lc->m;
	const struct rp_file *f;
	struct rp_rule *r;

	ALLOC_GROW(m->rules, m->n_rules + 1, *lc->alloc);
	r = &m->rules[m->n_rules++];
	memset(r, 0, sizeof(*r));
	r->pack = text_nn(m, rr->pack_name);
	r->name = text_nn(m, rr->config_rule_name);
	r->identifier = text_nn(m, rr->identifier);
	r->owner = text_nn(m, rr->owner);
	r->evaluated = rr->evaluated != 0;
	r->reason = text(m, rr->reason);
	r->parameters = text_nn(m, rr->parameters);
	r->scope = text_nn(m, rr->scope);
	r->rule_sha256 = text(m, rr->rule_sha256);
	f = find_file(m, "rule", r->identifier);
	if (f) {
		r->path = f->path;
		r->file_sha256 = f->sha256;
	}
}

static int load_rules(struct store *s, struct rp_model *m, size_t *alloc, struct diag *d)
{
	struct load_ctx lc = { m, alloc };

	if (run_rules_each(s, m->run_id, load_rule, &lc, d))
		return -1;
	if (m->n_rules > 1) /* qsort must not see the NULL of an empty array */
		qsort(m->rules, m->n_rules, sizeof(*m->rules), cmp_rule);
	return 0;
}

static int cmp_fields(const struct rp_result *x, const struct rp_result *y, const int *order);

/* The model's own order of results, (account, region, pack, rule, type,
 * id), by strcmp: the roll-ups walk results and pairs in step, so the
 * order must be the C one even for text SQLite would order differently
 * (an embedded NUL). */
static int cmp_result_natural(const void *a, const void *b)
{
	static const int natural[] = {0, 1, 2, 3, 4, 5, -1};

	return cmp_fields(a, b, natural);
}

static int cmp_pair(const void *a, const void *b)
{
	const struct rp_pair *x = a, *y = b;
	int c = strcmp(x->account, y->account);

	return c ? c : strcmp(x->region, y->region);
}

static void load_result(const struct run_result_record *rr, void *ctx)
{
	struct load_ctx *lc = ctx;
	struct rp_model *m = lc->m;
	struct rp_result *r;

	if (!rr->account_id || !rr->aws_region ||
	    !pair_selected(m, rr->account_id, rr->aws_region))
		return;
	ALLOC_GROW(m->results, m->n_results + 1, *lc->alloc);
	r = &m->results[m->n_results++];
	memset(r, 0, sizeof(*r));
	r->pack = text_nn(m, rr->pack_name);
	r->rule = text_nn(m, rr->config_rule_name);
	r->account = text_nn(m, rr->account_id);
	r->region = text_nn(m, rr->aws_region);
	r->rtype = text_nn(m, rr->resource_type);
	r->rid = text_nn(m, rr->resource_id);
	r->ct = ct_parse(rr->compliance_type);
	r->annotation = text(m, rr->annotation);
	r->waiver = -1;
	r->name = text(m, rr->resource_name);
	r->arn = text(m, rr->arn);
	if (rr->item_key) {
		memcpy(r->item_key, rr->item_key, STORE_KEY_LEN);
		r->has_key = 1;
	}
}

static int load_results(struct store *s, struct rp_model *m, struct diag *d)
{
	size_t alloc = 0;
	struct load_ctx lc = { m, &alloc };

	/* In stored order; sorted below in C. */
	if (run_results_each(s, m->run_id, RUN_RESULTS_STORED, load_result, &lc, d))
		return -1;
	if (m->n_results > 1)
		qsort(m->results, m->n_results, sizeof(*m->results), cmp_result_natural);
	return 0;
}

/* The run's scope pairs, selected ones only. */
struct scope_ctx {
	struct rp_model *m;
	struct rp_pair *v;
	size_t n, alloc;
};

static void load_scope_pair(const char *account, const char *region, void *ctx)
{
	struct scope_ctx *sc = ctx;

	if (!account || !region || !pair_selected(sc->m, account, region))
		return;
	ALLOC_GROW(sc->v, sc->n + 1, sc->alloc);
	sc->v[sc->n].account = text_nn(sc->m, account);
	sc->v[sc->n].region = text_nn(sc->m, region);
	/* (account, 'global') rolls up only the rules with results there, as
	 * cfgaudit-report(1) says: the regional rules have no data in
	 * 'global' by nature, not for want of it. */
	sc->v[sc->n].from_scope = strcmp(region, "global") != 0;
	sc->n++;
}

static int load_pairs(struct store *s, struct rp_model *m, struct diag *d)
{
	struct scope_ctx sc = { m, NULL, 0, 0 };
	struct rp_pair *scope;
	size_t n_scope, palloc = 0, i = 0, j = 0;

	if (run_scope_each(s, m->run_id, load_scope_pair, &sc, d)) {
		free(sc.v);
		return -1;
	}
	scope = sc.v;
	n_scope = sc.n;
	if (n_scope > 1)
		qsort(scope, n_scope, sizeof(*scope), cmp_pair);
	/* Merge the scope pairs with the pairs of the results; both sorted. */
	while (i < n_scope || j < m->n_results) {
		const struct rp_result *r = j < m->n_results ? &m->results[j] : NULL;
		struct rp_pair p;
		int c;

		if (i < n_scope && r) {
			c = strcmp(scope[i].account, r->account);
			if (!c)
				c = strcmp(scope[i].region, r->region);
		} else {
			c = i < n_scope ? -1 : 1;
		}
		if (c <= 0) {
			p = scope[i++];
		} else {
			p.account = r->account;
			p.region = r->region;
			p.from_scope = 0;
		}
		ALLOC_GROW(m->pairs, m->n_pairs + 1, palloc);
		m->pairs[m->n_pairs++] = p;
		/* Give the results of this pair their index. */
		while (j < m->n_results && !strcmp(m->results[j].account, p.account) &&
		       !strcmp(m->results[j].region, p.region))
			m->results[j++].pair = m->n_pairs - 1;
	}
	free(scope);
	return 0;
}

static int load_coverage(struct store *s, struct rp_model *m, struct diag *d)
{
	struct coverage c;
	char age[32];

	if (coverage_load(s, m->run_id, &c, d)) {
		coverage_release(&c);
		return -1;
	}
	m->coverage_recorded = c.recorded;
	m->max_age = "";
	if (c.recorded) {
		m->max_age_ms = c.max_age_ms;
		coverage_format_max_age(c.max_age_ms, age);
		m->max_age = intern(m, age, strlen(age));
	}
	m->coverage = xcalloc(c.n + 1, sizeof(*m->coverage));
	for (size_t i = 0; i < c.n; i++) {
		const struct coverage_entry *e = &c.v[i];
		struct rp_coverage *r;

		if (!pair_selected(m, e->account_id, e->region))
			continue;
		r = &m->coverage[m->n_coverage++];
		r->account = intern(m, e->account_id, strlen(e->account_id));
		r->region = intern(m, e->region, strlen(e->region));
		r->snapshot_time = report_time(m, e->snapshot_time);
		r->latest = report_time(m, e->latest_delivery);
		r->complete = e->complete;
		r->stale = e->stale;
		r->status = coverage_status(e);
		m->n_coverage_flagged += r->stale || !r->complete;
	}
	coverage_release(&c);
	return 0;
}

const struct rp_coverage *rp_coverage_find(const struct rp_model *m, const char *account,
					   const char *region)
{
	size_t lo = 0, hi = m->n_coverage;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->coverage[mid].account, account);

		if (c == 0)
			c = strcmp(m->coverage[mid].region, region);
		if (c == 0)
			return &m->coverage[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Rules that have results but no run_rules row (a database written by
 * something else): give them a row so that every result has a rule. */
static void link_rules(struct rp_model *m, size_t *alloc)
{
	for (size_t i = 0; i < m->n_results; i++) {
		struct rp_result *r = &m->results[i];
		size_t k = find_rule(m, r->pack, r->rule);

		if (k == (size_t)-1) {
			struct rp_rule *nr;

			ALLOC_GROW(m->rules, m->n_rules + 1, *alloc);
			nr = &m->rules[m->n_rules++];
			memset(nr, 0, sizeof(*nr));
			nr->pack = r->pack;
			nr->name = r->rule;
			nr->identifier = r->rule;
			nr->owner = "AWS";
			nr->evaluated = 1;
			nr->parameters = "{}";
			nr->scope = "{}";
			qsort(m->rules, m->n_rules, sizeof(*m->rules), cmp_rule);
		}
	}
	for (size_t i = 0; i < m->n_results; i++)
		m->results[i].rule_idx = find_rule(m, m->results[i].pack, m->results[i].rule);
}

static void roll_up_rules(struct rp_model *m)
{
	size_t alloc = 0, j = 0;

	for (size_t p = 0; p < m->n_pairs; p++) {
		for (size_t k = 0; k < m->n_rules; k++) {
			struct rp_rulepair rp;

			memset(&rp, 0, sizeof(rp));
			rp.rule = k;
			rp.pair = p;
			rp.first = j;
			while (j < m->n_results && m->results[j].pair == p &&
			       m->results[j].rule_idx == k)
				rp.n[m->results[j++].ct]++;
			rp.end = j;
			/* A rule that could not be evaluated has no data: like
			 * AWS, it counts as INSUFFICIENT_DATA in its pack. */
			if (rp.end == rp.first && !m->pairs[p].from_scope)
				continue;
			if (rp.n[RP_NON_COMPLIANT])
				rp.ct = RP_NON_COMPLIANT;
			else if (rp.n[RP_COMPLIANT])
				rp.ct = RP_COMPLIANT;
			else
				rp.ct = RP_INSUFFICIENT_DATA;
			ALLOC_GROW(m->rulepairs, m->n_rulepairs + 1, alloc);
			m->rulepairs[m->n_rulepairs++] = rp;
		}
	}
}

static void roll_up_packs(struct rp_model *m)
{
	size_t alloc = 0, n = 0;

	/* Distinct pack names. */
	m->packs = xcalloc(m->n_rules + 1, sizeof(*m->packs));
	for (size_t k = 0; k < m->n_rules; k++)
		if (*m->rules[k].pack)
			m->packs[n++] = m->rules[k].pack;
	m->n_packs = uniq_strings(m->packs, n);

	/* Rule pairs are sorted by (pair, pack, rule): a pack's rules in a
	 * pair are contiguous. */
	for (size_t i = 0; i < m->n_rulepairs;) {
		const struct rp_rulepair *first = &m->rulepairs[i];
		const char *pack = m->rules[first->rule].pack;
		struct rp_packpair pp;

		memset(&pp, 0, sizeof(pp));
		pp.pack = pack;
		pp.pair = first->pair;
		for (; i < m->n_rulepairs && m->rulepairs[i].pair == first->pair &&
		       !strcmp(m->rules[m->rulepairs[i].rule].pack, pack);
		     i++) {
			pp.total_rules++;
			if (m->rulepairs[i].ct == RP_COMPLIANT)
				pp.compliant_rules++;
			else if (m->rulepairs[i].ct == RP_NON_COMPLIANT)
				pp.noncompliant_rules++;
		}
		if (!*pack)
			continue;
		if (pp.noncompliant_rules)
			pp.ct = RP_NON_COMPLIANT;
		else if (pp.compliant_rules)
			pp.ct = RP_COMPLIANT;
		else
			pp.ct = RP_INSUFFICIENT_DATA;
		ALLOC_GROW(m->packpairs, m->n_packpairs + 1, alloc);
		m->packpairs[m->n_packpairs++] = pp;
	}
}

/* The score slots: the overall one per pack, then per account and pack. */
static void init_scores(struct rp_model *m)
{
	m->n_overall_scores = m->n_packs;
	m->n_scores = m->n_packs * (1 + m->n_accounts);
	m->scores = xcalloc(m->n_scores + 1, sizeof(*m->scores));
	for (size_t k = 0; k < m->n_packs; k++)
		m->scores[k].pack = m->packs[k];
	for (size_t a = 0; a < m->n_accounts; a++)
		for (size_t k = 0; k < m->n_packs; k++) {
			struct rp_score *sc = &m->scores[m->n_packs * (1 + a) + k];

			sc->pack = m->packs[k];
			sc->account = m->accounts[a];
		}
}

/* Count every rule pair into its account, region and scores. */
static void count_rulepairs(struct rp_model *m, const char **regions, size_t n_regions)
{
	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];
		const struct rp_pair *pair = &m->pairs[rp->pair];
		size_t a = pair->account_idx;
		size_t g = find_string(regions, n_regions, pair->region);
		const char *pack = m->rules[rp->rule].pack;

		if (rp->ct == RP_COMPLIANT) {
			m->by_account[a].compliant++;
			m->by_region[g].compliant++;
		} else if (rp->ct == RP_NON_COMPLIANT) {
			m->by_account[a].noncompliant++;
			m->by_region[g].noncompliant++;
		}
		if (*pack) {
			size_t k = find_string(m->packs, m->n_packs, pack);

			m->scores[k].compliant += rp->n[RP_COMPLIANT];
			m->scores[k].noncompliant += rp->n[RP_NON_COMPLIANT];
			m->scores[m->n_packs * (1 + a) + k].compliant += rp->n[RP_COMPLIANT];
			m->scores[m->n_packs * (1 + a) + k].noncompliant += rp->n[RP_NON_COMPLIANT];
		}
	}
}

static void roll_up_scores_and_counts(struct rp_model *m)
{
	const char **regions = xcalloc(m->n_pairs + 1, sizeof(*regions));
	size_t n_regions = 0;

	m->accounts = xcalloc(m->n_pairs + 1, sizeof(*m->accounts));
	for (size_t p = 0; p < m->n_pairs; p++) {
		m->accounts[p] = m->pairs[p].account;
		regions[n_regions++] = m->pairs[p].region;
	}
	m->n_accounts = uniq_strings(m->accounts, m->n_pairs);
	n_regions = uniq_strings(regions, n_regions);
	for (size_t p = 0; p < m->n_pairs; p++)
		m->pairs[p].account_idx =
		    find_string(m->accounts, m->n_accounts, m->pairs[p].account);
	init_scores(m);

	m->by_account = xcalloc(m->n_accounts + 1, sizeof(*m->by_account));
	m->n_by_account = m->n_accounts;
	for (size_t a = 0; a < m->n_accounts; a++)
		m->by_account[a].group = m->accounts[a];
	m->by_region = xcalloc(n_regions + 1, sizeof(*m->by_region));
	m->n_by_region = n_regions;
	for (size_t g = 0; g < n_regions; g++)
		m->by_region[g].group = regions[g];
	count_rulepairs(m, regions, n_regions);
	free(regions);
}

static const char *dup_or_null(struct rp_model *m, const char *s)
{
	return s ? arena_dup(m, s, strlen(s)) : NULL;
}

/* Order of a severity name for sorting: critical 4 .. low 1, else 0. */
static int severity_rank(const char *severity)
{
	enum rule_severity s;

	if (!severity || rule_severity_parse(severity, &s))
		return 0;
	return (int)s;
}

static void take_triage(const char *pack, const char *rule, const struct triage_info *t,
			void *ctx)
{
	struct rp_model *m = ctx;
	struct rp_rule key, *r;

	memset(&key, 0, sizeof(key));
	key.pack = pack;
	key.name = rule;
	r = m->n_rules ? bsearch(&key, m->rules, m->n_rules, sizeof(*m->rules), cmp_rule) : NULL;
	if (!r)
		return;
	r->severity = intern(m, t->severity, strlen(t->severity));
	r->severity_rank = severity_rank(t->severity);
	r->severity_source = dup_or_null(m, t->source);
	r->remediation = dup_or_null(m, t->remediation);
	r->documentation = dup_or_null(m, t->documentation);
}

/* Each rule's severity, remediation and documentation (store/triage.h);
 * rules sorted by (pack, name). */
static int load_triage(struct store *s, struct rp_model *m, struct diag *d)
{
	for (size_t i = 0; i < m->n_rules; i++)
		m->rules[i].severity = "";
	return triage_load(s, m->run_id, take_triage, m, d);
}

static void take_waiver_file(const char *path, const char *sha256, const char *content,
			     size_t len, void *ctx)
{
	struct rp_model *m = ctx;

	(void)content;
	(void)len;
	m->waivers_used = 1;
	m->waivers_path = dup_or_null(m, path ? path : "");
	m->waivers_sha256 = dup_or_null(m, sha256 ? sha256 : "");
}

static void take_waiver(const struct waiver_row *r, void *ctx)
{
	struct rp_model *m = ctx;
	struct rp_waiver *w;

	m->waivers = xrealloc(m->waivers, (m->n_waivers + 1) * sizeof(*m->waivers));
	w = &m->waivers[m->n_waivers++];
	w->no = r->waiver_no;
	w->line = r->line;
	w->rule = dup_or_null(m, r->rule);
	w->account = dup_or_null(m, r->account);
	w->resource = dup_or_null(m, r->resource);
	w->reason = dup_or_null(m, r->reason);
	w->approved_by = dup_or_null(m, r->approved_by);
	w->expires = dup_or_null(m, r->expires);
	w->status = dup_or_null(m, r->status);
	w->matched = r->matched;
}

static void take_waived(const char *pack, const char *rule, const char *account,
			const char *region, const char *type, const char *id, long waiver_no,
			void *ctx)
{
	struct rp_model *m = ctx;
	struct rp_result key, *r;

	memset(&key, 0, sizeof(key));
	key.pack = pack;
	key.rule = rule;
	key.account = account;
	key.region = region;
	key.rtype = type;
	key.rid = id;
	r = m->n_results ? bsearch(&key, m->results, m->n_results, sizeof(*m->results),
				   cmp_result_natural)
			 : NULL;
	if (!r || r->ct != RP_NON_COMPLIANT)
		return; /* outside the --account / --region selection */
	for (size_t i = 0; i < m->n_waivers; i++)
		if (m->waivers[i].no == waiver_no)
			r->waiver = (long)i;
}

/* The run's waivers (packs/waivers.h): entries first, then the results
 * they waive. */
static int load_waivers(struct store *s, struct rp_model *m, struct diag *d)
{
	struct waivers_reader rd = { take_waiver_file, take_waiver, take_waived, m };

	return waivers_read_run(s, m->run_id, &rd, d) < 0 ? -1 : 0;
}

int rp_model_load(struct store *s, const struct report_options *o, struct rp_model *m,
		  struct diag *d)
{
	size_t rules_alloc = 0;

	memset(m, 0, sizeof(*m));
	m->opt = o;
	m->run_id = o->run_id;
	if (load_run(s, m, d) || load_files(s, m, d) || load_rules(s, m, &rules_alloc, d) ||
	    load_results(s, m, d) || load_pairs(s, m, d) || load_coverage(s, m, d))
		return -1;
	link_rules(m, &rules_alloc);
	if (load_triage(s, m, d) || load_waivers(s, m, d))
		return -1;
	roll_up_rules(m);
	roll_up_packs(m);
	roll_up_scores_and_counts(m);
	for (size_t i = 0; i < m->n_results; i++) {
		struct rp_result *r = &m->results[i];

		r->listed = rp_compliance_selected(m, rp_ct_name(r->ct));
		if (r->ct == RP_NON_COMPLIANT && r->waiver >= 0)
			m->n_waived++;
		else if (r->listed && r->ct == RP_NON_COMPLIANT)
			m->noncompliant = 1;
	}
	return rp_honest_load(s, m, d);
}

const char *rp_model_string(struct rp_model *m, const char *s)
{
	return s ? intern(m, s, strlen(s)) : NULL;
}

void rp_model_free(struct rp_model *m)
{
	free(m->waivers);
	m->waivers = NULL;
	rp_honest_free(m);
	if (m->strtab) {
		free(m->strtab->slot);
		free(m->strtab->len);
		free(m->strtab);
	}
	while (m->arena) {
		struct rp_arena *next = m->arena->next;

		free(m->arena);
		m->arena = next;
	}
	free(m->files);
	free(m->rules);
	free(m->pairs);
	free(m->results);
	free(m->rulepairs);
	free(m->packpairs);
	free(m->scores);
	free(m->by_account);
	free(m->by_region);
	free(m->packs);
	free(m->accounts);
	free(m->coverage);
	memset(m, 0, sizeof(*m));
}

/* Orderings for --by. Every key ends with the full primary key, so the
 * order is total and the output deterministic. */
static enum report_group sort_by;
static const struct rp_result *sort_results;

static int cmp_fields(const struct rp_result *x, const struct rp_result *y, const int *order)
{
	for (; *order >= 0; order++) {
		const char *a = NULL, *b = NULL;
		int c;

		switch (*order) {
		case 0:
			a = x->account;
			b = y->account;
			break;
		case 1:
			a = x->region;
			b = y->region;
			break;
		case 2:
			a = x->pack;
			b = y->pack;
			break;
		case 3:
			a = x->rule;
			b = y->rule;
			break;
		case 4:
			a = x->rtype;
			b = y->rtype;
			break;
		case 5:
			a = x->rid;
			b = y->rid;
			break;
		}
		c = strcmp(a, b);
		if (c)
			return c;
	}
	return 0;
}

static int cmp_order(const void *a, const void *b)
{
	/* Grouping key first, then the rule, so that a rule's resources stay
	 * together under one heading in the text format. */
	static const int by_account[] = {0, 2, 3, 1, 4, 5, -1};
	static const int by_region[] = {1, 2, 3, 0, 4, 5, -1};
	static const int by_rule[] = {2, 3, 0, 1, 4, 5, -1};
	static const int by_resource[] = {4, 5, 0, 1, 2, 3, -1};
	const struct rp_result *x = &sort_results[*(const size_t *)a];
	const struct rp_result *y = &sort_results[*(const size_t *)b];
	const int *order = by_account;

	if (sort_by == REPORT_BY_REGION)
		order = by_region;
	else if (sort_by == REPORT_BY_RULE)
		order = by_rule;
	else if (sort_by == REPORT_BY_RESOURCE)
		order = by_resource;
	return cmp_fields(x, y, order);
}

size_t *rp_results_order(const struct rp_model *m, enum report_group by)
{
	size_t *idx = xcalloc(m->n_results + 1, sizeof(*idx));

	for (size_t i = 0; i < m->n_results; i++)
		idx[i] = i;
	/* qsort has no context argument in C11; reports are rendered one at
	 * a time, so a file-level key is enough. */
	sort_by = by;
	sort_results = m->results;
	if (m->n_results > 1)
		qsort(idx, m->n_results, sizeof(*idx), cmp_order);
	return idx;
}
