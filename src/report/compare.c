/*
 * compare: matching AWS's verdicts with a run's (see compare.h).
 */
#include "report/compare.h"
#include "report/report_priv.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const outcome_names[CMP_OUTCOMES] = {
	"disagree", "cfgaudit_insufficient_data", "aws_insufficient_data",
	"applicability", "no_cfgaudit_result", "agree",
};

const char *compare_outcome_name(enum compare_outcome o)
{
	return o < CMP_OUTCOMES ? outcome_names[o] : "?";
}

/* One rule of the run. */
struct run_rule {
	int64_t rule_no;
	char *pack, *config_rule_name, *identifier, *managed_name;
};

struct rule_table {
	struct run_rule *v; /* in rule_no order */
	size_t n, alloc;
};

static void add_rule(int64_t rule_no, const char *pack, const char *config_rule_name,
		     const char *identifier, const char *managed_name, void *arg)
{
	struct rule_table *t = arg;
	struct run_rule *r;

	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	r = &t->v[t->n++];
	r->rule_no = rule_no;
	r->pack = xstrdup(pack ? pack : "");
	r->config_rule_name = xstrdup(config_rule_name ? config_rule_name : "");
	r->identifier = xstrdup(identifier ? identifier : "");
	r->managed_name = xstrdup(managed_name ? managed_name : "");
}

static void rule_table_release(struct rule_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].pack);
		free(t->v[i].config_rule_name);
		free(t->v[i].identifier);
		free(t->v[i].managed_name);
	}
	free(t->v);
}

/* name without a trailing "-<sep><alnum suffix>" (sep e.g.
 * "conformance-pack"), into out; 0 if name has no such ending. */
static int strip_suffix(const char *name, const char *sep, char *out, size_t outlen)
{
	const char *p = strstr(name, sep);
	size_t n;

	if (!p || p == name || p[-1] != '-')
		return 0;
	for (const char *q = p + strlen(sep); *q; q++)
		if (!isalnum((unsigned char)*q) && *q != '-')
			return 0;
	n = (size_t)(p - 1 - name);
	if (n >= outlen)
		return 0;
	memcpy(out, name, n);
	out[n] = '\0';
	return 1;
}

/* Security Hub names its rules "securityhub-<rule-name>-<8 hex>". */
static int strip_securityhub(const char *name, char *out, size_t outlen)
{
	size_t n = strlen(name);

	if (strncmp(name, "securityhub-", 12) || n < 12 + 1 + 9 || name[n - 9] != '-')
		return 0;
	for (size_t i = n - 8; i < n; i++)
		if (!isxdigit((unsigned char)name[i]))
			return 0;
	n = n - 9 - 12;
	if (n >= outlen)
		return 0;
	memcpy(out, name + 12, n);
	out[n] = '\0';
	return 1;
}

/* Does name, read as a managed rule's name (kebab case), stand for
 * identifier (S3_BUCKET_...)? */
static int names_identifier(const char *name, const char *identifier)
{
	size_t i;

	for (i = 0; name[i] && identifier[i]; i++) {
		char c = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);

		if (c != identifier[i])
			return 0;
	}
	return !name[i] && !identifier[i];
}

/* The rule of t an AWS rule name stands for, or NULL. */
static const struct run_rule *resolve_rule(const struct rule_table *t, const char *aws_name)
{
	char cand[3][256];
	size_t nc = 0;

	snprintf(cand[nc++], sizeof(cand[0]), "%s", aws_name);
	if (strip_suffix(aws_name, "conformance-pack-", cand[nc], sizeof(cand[0])))
		nc++;
	if (strip_securityhub(aws_name, cand[nc], sizeof(cand[0])))
		nc++;
	for (size_t c = 0; c < nc; c++)
		for (size_t i = 0; i < t->n; i++)
			if (!strcasecmp(cand[c], t->v[i].config_rule_name))
				return &t->v[i];
	for (size_t c = 0; c < nc; c++)
		for (size_t i = 0; i < t->n; i++)
			if ((*t->v[i].managed_name && !strcasecmp(cand[c], t->v[i].managed_name)) ||
			    names_identifier(cand[c], t->v[i].identifier))
				return &t->v[i];
	return NULL;
}

/* resolve_rule, once per AWS rule name: a run has a few hundred rules
 * and AWS a verdict per rule and resource. memo maps a name to 1 + the
 * rule's index in t, or to 0 when it names none. */
static const struct run_rule *resolve_memo(struct keymap *memo, const struct rule_table *t,
					   const char *aws_name)
{
	int added;
	int64_t *slot = keymap_insert(memo, aws_name, strlen(aws_name), &added);

	if (added) {
		const struct run_rule *r = resolve_rule(t, aws_name);

		*slot = r ? (int64_t)(r - t->v) + 1 : 0;
	}
	return *slot ? &t->v[*slot - 1] : NULL;
}

/* Account-level results are per region; a resource is one per account
 * whatever the region it was evaluated in (IAM is stored as 'global'). */
static const char *region_key(const char *type, const char *region)
{
	return !strcmp(type, "AWS::::Account") && region ? region : "";
}

/* What identifies a verdict for matching. */
struct match_key {
	int64_t rule_no;
	const char *account, *type, *id, *region;
};

static int key_cmp(const struct match_key *a, const struct match_key *b)
{
	int c;

	if (a->rule_no != b->rule_no)
		return a->rule_no < b->rule_no ? -1 : 1;
	if ((c = strcmp(a->account, b->account)) || (c = strcmp(a->type, b->type)) ||
	    (c = strcmp(a->id, b->id)))
		return c;
	return strcmp(a->region, b->region);
}

static struct match_key ours_key(const struct run_verdict *v)
{
	struct match_key k = { v->rule_no, v->account_id, v->resource_type, v->resource_id,
			       region_key(v->resource_type, v->region) };
	return k;
}

static int ours_cmp(const void *a, const void *b)
{
	struct match_key ka = ours_key(*(const struct run_verdict *const *)a);
	struct match_key kb = ours_key(*(const struct run_verdict *const *)b);

	return key_cmp(&ka, &kb);
}

/* An AWS verdict matched to a rule of the run. */
struct matched {
	struct match_key key;
	const struct aws_verdict *v;
};

static int matched_cmp(const void *a, const void *b)
{
	const struct matched *x = a, *y = b;
	int c = key_cmp(&x->key, &y->key);

	return c ? c : strcmp(x->v->recorded_time, y->v->recorded_time);
}

/* Of the group [from, to) (one rule and resource, by recorded time), the
 * verdict nearest the as-of time: the latest at or before it, else the
 * earliest after it. */
static const struct matched *nearest(const struct matched *from, const struct matched *to,
				     const char *as_of, int *after)
{
	const struct matched *best = NULL;

	for (const struct matched *m = from; m < to; m++)
		if (strcmp(m->v->recorded_time, as_of) <= 0)
			best = m;
	*after = best == NULL;
	return best ? best : from;
}

static enum compare_outcome outcome_of(const char *ours, const char *aws)
{
	int ours_decided = !strcmp(ours, "COMPLIANT") || !strcmp(ours, "NON_COMPLIANT");
	int aws_decided = !strcmp(aws, "COMPLIANT") || !strcmp(aws, "NON_COMPLIANT");

	if (!strcmp(ours, aws))
		return CMP_AGREE;
	if (ours_decided && aws_decided)
		return CMP_DISAGREE;
	if (!strcmp(ours, "INSUFFICIENT_DATA"))
		return CMP_CFGAUDIT_NO_DATA;
	if (!strcmp(aws, "INSUFFICIENT_DATA"))
		return CMP_AWS_NO_DATA;
	return CMP_APPLICABILITY;
}

static void note_unmatched(struct comparison *c, const char *name)
{
	for (size_t i = 0; i < c->n_unmatched; i++)
		if (!strcmp(c->unmatched_rules[i], name))
			return;
	ALLOC_GROW(c->unmatched_rules, c->n_unmatched + 1, c->unmatched_alloc);
	c->unmatched_rules[c->n_unmatched++] = xstrdup(name);
}

static int rule_no_cmp(const void *key, const void *elem)
{
	int64_t k = *(const int64_t *)key, r = ((const struct run_rule *)elem)->rule_no;

	return k < r ? -1 : k > r;
}

static const struct run_rule *rule_by_no(const struct rule_table *t, int64_t no)
{
	return bsearch(&no, t->v, t->n, sizeof(t->v[0]), rule_no_cmp);
}

/* Pair the chosen AWS verdict of one group with the run's result. */
static int add_pair(struct store *s, sqlite3_stmt **item_time, struct comparison *c,
		    const struct rule_table *t, const struct matched *m, int after,
		    struct run_verdict **ours, size_t n_ours, unsigned char *used, struct diag *d)
{
	const struct run_rule *rule = rule_by_no(t, m->key.rule_no);
	struct run_verdict probe_v, *probe = &probe_v, **hit;
	struct compare_pair *p;
	int rc;

	probe_v.rule_no = m->key.rule_no;
	probe_v.account_id = (char *)m->key.account;
	probe_v.resource_type = (char *)m->key.type;
	probe_v.resource_id = (char *)m->key.id;
	probe_v.region = (char *)m->v->region;
	hit = bsearch(&probe, ours, n_ours, sizeof(*ours), ours_cmp);
	ALLOC_GROW(c->pairs, c->n + 1, c->alloc);
	p = &c->pairs[c->n++];
	memset(p, 0, sizeof(*p));
	p->aws = m->v;
	p->ours = hit ? *hit : NULL;
	if (hit)
		used[hit - ours] = 1;
	p->config_rule_name = rule->config_rule_name;
	p->identifier = rule->identifier;
	p->aws_after_as_of = after;
	p->outcome = p->ours ? outcome_of(p->ours->compliance_type, m->v->compliance_type)
			     : CMP_NO_CFGAUDIT_RESULT;
	rc = item_time_at(s, item_time, m->v->account_id, m->v->region, m->v->resource_type,
			  m->v->resource_id, m->v->invoked_time, p->aws_item_time, d);
	if (rc < 0)
		return -1;
	if (p->ours && p->ours->item_time && strcmp(m->v->invoked_time, p->ours->item_time) < 0)
		p->aws_older_than_item = 1;
	c->counts[p->outcome]++;
	return 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct compare_pair *x = a, *y = b;
	int c;

	if (x->outcome != y->outcome)
		return x->outcome < y->outcome ? -1 : 1;
	if ((c = strcmp(x->config_rule_name, y->config_rule_name)) ||
	    (c = strcmp(x->aws->account_id, y->aws->account_id)) ||
	    (c = strcmp(x->aws->region, y->aws->region)) ||
	    (c = strcmp(x->aws->resource_type, y->aws->resource_type)))
		return c;
	return strcmp(x->aws->resource_id, y->aws->resource_id);
}

/* Match every AWS verdict of c->aws to the run's rules, group them by
 * rule and resource, and pair each group's chosen verdict. */
static int match_all(struct store *s, struct comparison *c, const struct rule_table *t,
		     struct diag *d)
{
	struct matched *m = xcalloc(c->aws.n ? c->aws.n : 1, sizeof(*m));
	struct run_verdict **ours = xcalloc(c->run.n ? c->run.n : 1, sizeof(*ours));
	unsigned char *used = xcalloc(c->run.n ? c->run.n : 1, 1);
	sqlite3_stmt *item_time = NULL; /* one statement for every pair */
	struct keymap memo = KEYMAP_INIT;
	size_t nm = 0, i, j;
	int rc = 0;

	for (i = 0; i < c->aws.n; i++) {
		const struct aws_verdict *v = &c->aws.v[i];
		const struct run_rule *r = resolve_memo(&memo, t, v->rule_name);

		if (!r) {
			note_unmatched(c, v->rule_name);
			continue;
		}
		m[nm].key.rule_no = r->rule_no;
		m[nm].key.account = v->account_id;
		m[nm].key.type = v->resource_type;
		m[nm].key.id = v->resource_id;
		m[nm].key.region = region_key(v->resource_type, v->region);
		m[nm++].v = v;
	}
	qsort(m, nm, sizeof(*m), matched_cmp);
	for (i = 0; i < c->run.n; i++)
		ours[i] = &c->run.v[i];
	qsort(ours, c->run.n, sizeof(*ours), ours_cmp);
	for (i = 0; i < nm && !rc; i = j) {
		int after;
		const struct matched *best;

		for (j = i + 1; j < nm && !key_cmp(&m[i].key, &m[j].key); j++)
			;
		best = nearest(&m[i], &m[j], c->run.as_of, &after);
		rc = add_pair(s, &item_time, c, t, best, after, ours, c->run.n, used, d);
	}
	for (i = 0; i < c->run.n; i++)
		c->cfgaudit_only += !used[i];
	qsort(c->pairs, c->n, sizeof(*c->pairs), pair_cmp);
	sqlite3_finalize(item_time);
	keymap_release(&memo);
	free(m);
	free(ours);
	free(used);
	return rc;
}

int compare_run(struct store *s, int64_t run_id, struct comparison *c, struct diag *d)
{
	struct rule_table t = { NULL, 0, 0 };
	int rc;

	memset(c, 0, sizeof(*c));
	c->run_id = run_id;
	rc = run_verdicts_load(s, run_id, &c->run, d);
	if (rc)
		return rc;
	if (aws_verdicts_load(s, &c->aws, d))
		return -1;
	if (!c->aws.n)
		return 2;
	if (run_rule_names_each(s, run_id, add_rule, &t, d)) {
		rule_table_release(&t);
		return -1;
	}
	rc = match_all(s, c, &t, d);
	/* the pairs borrow the rules' names: keep them as owned copies */
	for (size_t i = 0; i < c->n; i++) {
		c->pairs[i].config_rule_name = xstrdup(c->pairs[i].config_rule_name);
		c->pairs[i].identifier = xstrdup(c->pairs[i].identifier);
	}
	rule_table_release(&t);
	return rc;
}

void compare_release(struct comparison *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->pairs[i].config_rule_name);
		free((char *)c->pairs[i].identifier);
	}
	free(c->pairs);
	for (size_t i = 0; i < c->n_unmatched; i++)
		free(c->unmatched_rules[i]);
	free(c->unmatched_rules);
	run_verdicts_release(&c->run);
	aws_verdicts_release(&c->aws);
	memset(c, 0, sizeof(*c));
}

/* ---- output ---- */

static void put_safe(FILE *out, const char *s)
{
	char *t = term_safe_dup(s ? s : "");

	fputs(t, out);
	free(t);
}

static void text_pair(FILE *out, const struct compare_pair *p)
{
	const struct aws_verdict *a = p->aws;

	fprintf(out, "%s  ", compare_outcome_name(p->outcome));
	put_safe(out, p->config_rule_name);
	fprintf(out, " (%s)  %s %s  ", p->identifier, a->account_id, a->region);
	put_safe(out, a->resource_type);
	fputc(' ', out);
	put_safe(out, a->resource_id);
	fputc('\n', out);
	if (p->ours) {
		fprintf(out, "  cfgaudit: %s", p->ours->compliance_type);
		if (p->ours->annotation) {
			fputs(" \"", out);
			put_safe(out, p->ours->annotation);
			fputc('"', out);
		}
		fprintf(out, "; judged the version captured %s\n",
			p->ours->item_time ? p->ours->item_time : "(no item: an account-level fact)");
	} else {
		fputs("  cfgaudit: no result for this rule and resource at the as-of time\n", out);
	}
	fprintf(out, "  AWS:      %s", a->compliance_type);
	if (a->annotation) {
		fputs(" \"", out);
		put_safe(out, a->annotation);
		fputc('"', out);
	}
	fprintf(out, "; recorded %s%s by ", a->recorded_time,
		p->aws_after_as_of ? " (after the as-of time)" : "");
	put_safe(out, a->rule_name);
	fputs(" from ", out);
	put_safe(out, a->source);
	fprintf(out, "; judged the version captured %s%s\n",
		*p->aws_item_time ? p->aws_item_time : "(not in the store)",
		p->aws_older_than_item ? ", older than the one cfgaudit judged" : "");
}

int compare_write_text(const struct comparison *c, FILE *out, int all)
{
	fprintf(out, "cfgaudit run %lld (as of %s) beside %zu verdicts of AWS\n",
		(long long)c->run_id, c->run.as_of, c->aws.n);
	fprintf(out,
		"matched %zu: %zu agree, %zu disagree, %zu cfgaudit lacked data, %zu AWS lacked "
		"data, %zu applicability differs, %zu without a cfgaudit result\n",
		c->n, c->counts[CMP_AGREE], c->counts[CMP_DISAGREE], c->counts[CMP_CFGAUDIT_NO_DATA],
		c->counts[CMP_AWS_NO_DATA], c->counts[CMP_APPLICABILITY],
		c->counts[CMP_NO_CFGAUDIT_RESULT]);
	fprintf(out, "cfgaudit results without a verdict of AWS: %zu\n", c->cfgaudit_only);
	if (c->n_unmatched) {
		fprintf(out, "AWS rules that match no rule of the run (%zu):", c->n_unmatched);
		for (size_t i = 0; i < c->n_unmatched; i++) {
			fputc(' ', out);
			put_safe(out, c->unmatched_rules[i]);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < c->n; i++) {
		if (c->pairs[i].outcome == CMP_AGREE && !all)
			continue;
		fputc('\n', out);
		text_pair(out, &c->pairs[i]);
	}
	return ferror(out) ? -1 : 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *pair_json(const struct compare_pair *p)
{
	const struct aws_verdict *a = p->aws;
	json_t *o = json_object(), *ours = json_null(), *aws = json_object();

	json_object_set_new(o, "Outcome", json_string(compare_outcome_name(p->outcome)));
	json_object_set_new(o, "ConfigRuleName", json_string(p->config_rule_name));
	json_object_set_new(o, "SourceIdentifier", json_string(p->identifier));
	json_object_set_new(o, "AccountId", json_string(a->account_id));
	json_object_set_new(o, "AwsRegion", json_string(a->region));
	json_object_set_new(o, "ResourceType", json_string(a->resource_type));
	json_object_set_new(o, "ResourceId", json_string(a->resource_id));
	if (p->ours) {
		ours = json_object();
		json_object_set_new(ours, "ComplianceType", json_string(p->ours->compliance_type));
		json_object_set_new(ours, "Annotation", str_or_null(p->ours->annotation));
		json_object_set_new(ours, "ItemCaptureTime", str_or_null(p->ours->item_time));
	}
	json_object_set_new(o, "Cfgaudit", ours);
	json_object_set_new(aws, "ConfigRuleName", json_string(a->rule_name));
	json_object_set_new(aws, "ComplianceType", json_string(a->compliance_type));
	json_object_set_new(aws, "Annotation", str_or_null(a->annotation));
	json_object_set_new(aws, "ResultRecordedTime", json_string(a->recorded_time));
	json_object_set_new(aws, "ConfigRuleInvokedTime", json_string(a->invoked_time));
	json_object_set_new(aws, "Source", str_or_null(a->source));
	json_object_set_new(aws, "ItemCaptureTime", str_or_null(*p->aws_item_time ? p->aws_item_time
										   : NULL));
	json_object_set_new(aws, "RecordedAfterAsOf", json_boolean(p->aws_after_as_of));
	json_object_set_new(o, "Aws", aws);
	json_object_set_new(o, "AwsJudgedOlderItem", json_boolean(p->aws_older_than_item));
	return o;
}

int compare_write_json(const struct comparison *c, FILE *out, int all)
{
	json_t *doc = json_object(), *sum = json_object(), *list = json_array();
	json_t *unmatched = json_array();
	int rc;

	json_object_set_new(doc, "RunId", json_integer(c->run_id));
	json_object_set_new(doc, "AsOf", json_string(c->run.as_of));
	json_object_set_new(sum, "AwsVerdicts", json_integer((json_int_t)c->aws.n));
	json_object_set_new(sum, "Matched", json_integer((json_int_t)c->n));
	for (int o = 0; o < CMP_OUTCOMES; o++)
		json_object_set_new(sum, compare_outcome_name(o),
				    json_integer((json_int_t)c->counts[o]));
	json_object_set_new(sum, "CfgauditOnly", json_integer((json_int_t)c->cfgaudit_only));
	json_object_set_new(doc, "Summary", sum);
	for (size_t i = 0; i < c->n_unmatched; i++)
		json_array_append_new(unmatched, json_string(c->unmatched_rules[i]));
	json_object_set_new(doc, "UnmatchedAwsRules", unmatched);
	for (size_t i = 0; i < c->n; i++)
		if (all || c->pairs[i].outcome != CMP_AGREE)
			json_array_append_new(list, pair_json(&c->pairs[i]));
	json_object_set_new(doc, "Comparisons", list);
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	fputc('\n', out);
	return rc || ferror(out) ? -1 : 0;
}

/* ---- in reports and bundles ---- */

int compare_attach(struct store *s, int64_t run_id, struct comparison **out, struct diag *d)
{
	struct comparison *c = xcalloc(1, sizeof(*c));
	int rc = compare_run(s, run_id, c, d);

	*out = NULL;
	if (rc == 0) {
		*out = c;
		return 0;
	}
	compare_release(c);
	free(c);
	return rc < 0 ? -1 : 0; /* no such run is the report's to say */
}

void compare_free(struct comparison *c)
{
	if (!c)
		return;
	compare_release(c);
	free(c);
}

/* The rows the HTML report shows; the rest are in cfgaudit compare. */
#define HTML_PAIRS_MAX 200

static void html_side(struct strbuf *sb, const char *ct, const char *annotation,
		      const char *item_time)
{
	strbuf_addstr(sb, "<td>");
	rp_html_escape(sb, ct);
	if (annotation) {
		strbuf_addstr(sb, "<br><small>");
		rp_html_escape(sb, annotation);
		strbuf_addstr(sb, "</small>");
	}
	strbuf_addstr(sb, "<br><small>item ");
	rp_html_escape(sb, item_time && *item_time ? item_time : "not held");
	strbuf_addstr(sb, "</small></td>");
}

void rp_compare_html(const struct rp_model *m, struct strbuf *sb)
{
	const struct comparison *c = m->aws;
	size_t shown = 0;

	if (!c)
		return;
	strbuf_addf(sb,
		    "<section id=\"aws\"><h2>AWS's own verdicts</h2>\n<p>%zu verdicts of AWS "
		    "matched to this run: %zu agree, %zu disagree, %zu where cfgaudit lacked "
		    "data, %zu where AWS did, %zu differ in applicability, %zu without a "
		    "cfgaudit result. <code>cfgaudit compare --run %lld</code> explains each.</p>\n",
		    c->n, c->counts[CMP_AGREE], c->counts[CMP_DISAGREE], c->counts[CMP_CFGAUDIT_NO_DATA],
		    c->counts[CMP_AWS_NO_DATA], c->counts[CMP_APPLICABILITY],
		    c->counts[CMP_NO_CFGAUDIT_RESULT], (long long)c->run_id);
	if (c->n == c->counts[CMP_AGREE]) {
		strbuf_addstr(sb, "</section>\n");
		return;
	}
	strbuf_addstr(sb, "<div class=\"scroll\"><table><thead><tr><th>Outcome</th><th>Rule</th>"
			  "<th>Account</th><th>Resource</th><th>cfgaudit</th><th>AWS</th>"
			  "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->n && shown < HTML_PAIRS_MAX; i++) {
		const struct compare_pair *p = &c->pairs[i];

		if (p->outcome == CMP_AGREE)
			continue;
		shown++;
		strbuf_addf(sb, "<tr><td class=\"key%s\">%s</td><td>",
			    p->outcome == CMP_DISAGREE ? " bad" : "", compare_outcome_name(p->outcome));
		rp_html_escape(sb, p->config_rule_name);
		strbuf_addstr(sb, "</td><td>");
		rp_html_escape(sb, p->aws->account_id);
		strbuf_addstr(sb, "</td><td>");
		rp_html_escape(sb, p->aws->resource_type);
		strbuf_addstr(sb, " ");
		rp_html_escape(sb, p->aws->resource_id);
		strbuf_addstr(sb, "</td>");
		if (p->ours)
			html_side(sb, p->ours->compliance_type, p->ours->annotation,
				  p->ours->item_time);
		else
			strbuf_addstr(sb, "<td>no result</td>");
		html_side(sb, p->aws->compliance_type, p->aws->annotation, p->aws_item_time);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n");
	if (c->n - c->counts[CMP_AGREE] > shown)
		strbuf_addf(sb, "<p>%zu more in <code>cfgaudit compare</code>.</p>\n",
			    c->n - c->counts[CMP_AGREE] - shown);
	strbuf_addstr(sb, "</section>\n");
}
