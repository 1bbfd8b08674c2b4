/*
 * report_json: the JSON back end. One document whose arrays use the AWS
 * Config aggregator API's member names and enum values exactly
 * (DescribeAggregateComplianceByConfigRules, GetAggregateCompliance-
 * DetailsByConfigRule, GetAggregateConfigRuleComplianceSummary,
 * DescribeAggregateComplianceByConformancePacks,
 * ListConformancePackComplianceScores), so that scripts written against
 * `aws configservice` output read it. Built with jansson, keys in
 * insertion order, two-space indent: the same run gives the same bytes.
 */
#include "config.h"

#include "report/report_priv.h"
#include "store/coverage.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Caps of ComplianceContributorCount (ComplianceSummary documentation). */
#define CAP_RESOURCES 100
#define CAP_RULES 25

/* jansson refuses invalid UTF-8; data strings are cleaned first. */
static json_t *jstr(const char *s)
{
	return rp_json_text(s);
}

/* A time, or null when the run has none. */
static json_t *jtime(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

/* Stored JSON text (filters, parameters, scope) as a value; text that does
 * not parse is kept as a string rather than lost. */
static json_t *jparsed(const char *text)
{
	json_t *j;

	if (!text)
		return json_null();
	j = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	return j ? j : jstr(text);
}

static void set(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, value))
		abort();
}

static void push(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, value))
		abort();
}

/* Write value as json_dumps would inside a document, at depth indent/2:
 * every line after the first is shifted right by indent spaces. Strings
 * in the dump never hold a raw newline, so lines are safe to split. */
static void dump_at(FILE *out, json_t *value, int indent)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	json_decref(value);
	if (!text)
		abort();
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			for (int i = 0; i < indent; i++)
				fputc(' ', out);
	}
	free(text);
}

/* A top-level array written element by element, so that the large ones
 * (one element per result) never exist as one tree in memory. The text
 * is the same as a whole-document dump. */
struct jarr {
	FILE *out;
	size_t n; /* elements written */
};

static void jarr_push(struct jarr *a, json_t *elem)
{
	fputs(a->n++ ? ",\n    " : "[\n    ", a->out);
	dump_at(a->out, elem, 4);
}

static void jarr_end(struct jarr *a)
{
	fputs(a->n ? "\n  ]" : "[]", a->out);
}

/* The start of a top-level member. */
static void member(FILE *out, const char *key, int first)
{
	fprintf(out, "%s  \"%s\": ", first ? "{\n" : ",\n", key);
}

static json_t *capped(long count, long cap)
{
	json_t *o = json_object();

	set(o, "CappedCount", json_integer(count > cap ? cap : count));
	set(o, "CapExceeded", json_boolean(count > cap));
	return o;
}

/* A rule's severity, remediation and documentation page (with where the
 * severity comes from when full): null when the run did not record them. */
static void set_triage(json_t *o, const struct rp_rule *r, int full)
{
	set(o, "Severity", r->severity && *r->severity ? json_string(r->severity) : json_null());
	if (full)
		set(o, "SeveritySource", jstr(r->severity_source));
	set(o, "Remediation", jstr(r->remediation));
	set(o, "Documentation", jstr(r->documentation));
}

static json_t *run_object(const struct rp_model *m)
{
	json_t *run = json_object(), *packs = json_array(), *rules = json_array();
	json_t *ne = json_array();

	set(run, "RunId", json_integer(m->run_id));
	set(run, "AsOf", jtime(m->as_of));
	set(run, "StartedAt", jtime(m->started_at));
	set(run, "FinishedAt", jtime(m->finished_at));
	set(run, "ToolVersion", jstr(m->tool_version));
	set(run, "Complete", json_boolean(m->n_errors == 0));
	set(run, "Filters", jparsed(m->filters));
	set(run, "DataMaxAge", m->coverage_recorded ? jstr(m->max_age) : json_null());
	for (size_t i = 0; i < m->n_files; i++) {
		json_t *p;

		if (strcmp(m->files[i].role, "pack"))
			continue;
		p = json_object();
		set(p, "Name", jstr(m->files[i].name));
		set(p, "Path", jstr(m->files[i].path));
		set(p, "Sha256", jstr(m->files[i].sha256));
		push(packs, p);
	}
	set(run, "Packs", packs);
	for (size_t i = 0; i < m->n_rules; i++) {
		const struct rp_rule *r = &m->rules[i];
		json_t *o = json_object();

		set(o, "ConfigRuleName", jstr(r->name));
		set(o, "Identifier", jstr(r->identifier));
		set(o, "PackName", jstr(r->pack));
		set(o, "Path", jstr(r->path));
		set(o, "Sha256", jstr(r->rule_sha256 ? r->rule_sha256 : r->file_sha256));
		set(o, "Parameters", jparsed(r->parameters));
		set(o, "Scope", jparsed(r->scope));
		set_triage(o, r, 1);
		push(rules, o);
		if (!r->evaluated) {
			o = json_object();
			set(o, "ConfigRuleName", jstr(r->name));
			set(o, "PackName", jstr(r->pack));
			set(o, "Identifier", jstr(r->identifier));
			set(o, "Reason", jstr(r->reason ? r->reason : "not evaluated"));
			push(ne, o);
		}
	}
	set(run, "Rules", rules);
	set(run, "NotEvaluated", ne);
	return run;
}

/* The data coverage the run recorded, null when it recorded none. */
static json_t *data_coverage(const struct rp_model *m)
{
	json_t *list;

	if (!m->coverage_recorded)
		return json_null();
	list = json_array();
	for (size_t i = 0; i < m->n_coverage; i++) {
		const struct rp_coverage *c = &m->coverage[i];
		/* The model keeps report-form times; the entry only borrows. */
		struct coverage_entry e = {
			(char *)c->account, (char *)c->region, (char *)c->snapshot_time,
			(char *)c->latest, c->complete, c->stale,
		};

		push(list, coverage_entry_json(&e));
	}
	return list;
}

json_t *rp_waiver_json(const struct rp_waiver *w, int full)
{
	json_t *o = json_object();

	set(o, "Rule", jstr(w->rule));
	set(o, "Account", jstr(w->account));
	set(o, "Resource", jstr(w->resource));
	set(o, "Reason", jstr(w->reason));
	set(o, "ApprovedBy", jstr(w->approved_by));
	set(o, "Expires", jstr(w->expires));
	set(o, "Line", json_integer(w->line));
	if (full) {
		set(o, "Status", jstr(w->status));
		set(o, "Matched", json_integer(w->matched));
	}
	return o;
}

/* The run's waivers file, its entries with their status, and how many
 * results of the selection are waived; null when the run had none. */
static json_t *waivers_json(const struct rp_model *m)
{
	json_t *o, *list;

	if (!m->waivers_used)
		return json_null();
	o = json_object();
	list = json_array();
	set(o, "Path", jstr(m->waivers_path));
	set(o, "Sha256", jstr(m->waivers_sha256));
	set(o, "WaivedResultCount", json_integer(m->n_waived));
	for (size_t i = 0; i < m->n_waivers; i++)
		push(list, rp_waiver_json(&m->waivers[i], 1));
	set(o, "Entries", list);
	return o;
}

static void by_config_rules(const struct rp_model *m, struct jarr *arr)
{

	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];
		const struct rp_pair *p = &m->pairs[rp->pair];
		json_t *o, *c;
		long count = 0;

		if (!rp_compliance_selected(m, rp_ct_name(rp->ct)))
			continue;
		if (rp->ct == RP_NON_COMPLIANT)
			count = rp->n[RP_NON_COMPLIANT];
		else if (rp->ct == RP_COMPLIANT)
			count = rp->n[RP_COMPLIANT];
		o = json_object();
		c = json_object();
		set(o, "ConfigRuleName", jstr(m->rules[rp->rule].name));
		set(c, "ComplianceType", json_string(rp_ct_name(rp->ct)));
		set(c, "ComplianceContributorCount", capped(count, CAP_RESOURCES));
		set(o, "Compliance", c);
		set(o, "AccountId", jstr(p->account));
		set(o, "AwsRegion", jstr(p->region));
		if (rp->ct == RP_NON_COMPLIANT)
			set_triage(o, &m->rules[rp->rule], 0);
		rp_controls_json_rule(m, rp->rule, o);
		jarr_push(arr, o);
	}
}

static void evaluation_results(const struct rp_model *m, struct jarr *arr)
{

	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[i];
		json_t *o, *id, *q;

		if (!r->listed)
			continue;
		o = json_object();
		id = json_object();
		q = json_object();
		set(q, "ConfigRuleName", jstr(r->rule));
		set(q, "ResourceType", jstr(r->rtype));
		set(q, "ResourceId", jstr(r->rid));
		set(q, "EvaluationMode", json_string("DETECTIVE"));
		set(id, "EvaluationResultQualifier", q);
		set(id, "OrderingTimestamp", jtime(m->as_of));
		set(o, "EvaluationResultIdentifier", id);
		set(o, "ComplianceType", json_string(rp_ct_name(r->ct)));
		set(o, "ResultRecordedTime", jtime(m->finished_at));
		set(o, "ConfigRuleInvokedTime", jtime(m->started_at));
		if (r->annotation)
			set(o, "Annotation", jstr(r->annotation));
		set(o, "AccountId", jstr(r->account));
		set(o, "AwsRegion", jstr(r->region));
		if (r->waiver >= 0)
			set(o, "Waiver", rp_waiver_json(&m->waivers[r->waiver], 0));
		/* Not in the API's shape: what to find the resource by. */
		set(o, "ResourceName", r->name ? jstr(r->name) : json_null());
		set(o, "ARN", r->arn ? jstr(r->arn) : json_null());
		jarr_push(arr, o);
	}
}

static json_t *counts(const struct rp_model *m, const char *key, const struct rp_count *c, size_t n)
{
	json_t *g = json_object(), *arr = json_array();

	set(g, "GroupByKey", json_string(key));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *s = json_object();

		set(o, "GroupName", jstr(c[i].group));
		set(s, "CompliantResourceCount", capped(c[i].compliant, CAP_RULES));
		set(s, "NonCompliantResourceCount", capped(c[i].noncompliant, CAP_RULES));
		set(s, "ComplianceSummaryTimestamp", jtime(m->finished_at));
		set(o, "ComplianceSummary", s);
		push(arr, o);
	}
	set(g, "AggregateComplianceCounts", arr);
	return g;
}

static void by_packs(const struct rp_model *m, struct jarr *arr)
{

	for (size_t i = 0; i < m->n_packpairs; i++) {
		const struct rp_packpair *pp = &m->packpairs[i];
		json_t *o, *c;

		if (!rp_compliance_selected(m, rp_ct_name(pp->ct)))
			continue;
		o = json_object();
		c = json_object();
		set(o, "ConformancePackName", jstr(pp->pack));
		set(c, "ComplianceType", json_string(rp_ct_name(pp->ct)));
		set(c, "CompliantRuleCount", json_integer(pp->compliant_rules));
		set(c, "NonCompliantRuleCount", json_integer(pp->noncompliant_rules));
		set(c, "TotalRuleCount", json_integer(pp->total_rules));
		set(o, "Compliance", c);
		set(o, "AccountId", jstr(m->pairs[pp->pair].account));
		set(o, "AwsRegion", jstr(m->pairs[pp->pair].region));
		jarr_push(arr, o);
	}
}

static json_t *score(const struct rp_model *m, const struct rp_score *sc)
{
	json_t *o = json_object();
	char text[24];

	rp_score_text(sc->compliant, sc->noncompliant, text);
	set(o, "Score", json_string(text));
	set(o, "ConformancePackName", jstr(sc->pack));
	set(o, "LastUpdatedTime", jtime(m->finished_at));
	return o;
}

/* What the run could not evaluate: empty for a complete run. */
static json_t *errors_json(const struct rp_model *m)
{
	json_t *list = json_array();

	for (size_t i = 0; i < m->n_errors; i++) {
		const struct rp_error *e = &m->errors[i];
		json_t *o = json_object();

		set(o, "Kind", jstr(e->kind));
		set(o, "Path", *e->path ? jstr(e->path) : json_null());
		set(o, "Line", e->line > 0 ? json_integer(e->line) : json_null());
		set(o, "Message", jstr(e->message));
		push(list, o);
	}
	return list;
}

static json_t *failed_json(const struct rp_model *m)
{
	json_t *list = json_array();

	for (size_t i = 0; i < m->n_failed; i++) {
		json_t *o = json_object();

		set(o, "Path", jstr(m->failed[i].path));
		set(o, "Error", jstr(m->failed[i].error));
		set(o, "IngestedAt", jtime(m->failed[i].ingested_at));
		push(list, o);
	}
	return list;
}

static json_t *tally_json(const struct rp_tally *t)
{
	json_t *o = json_object();
	struct strbuf sb = STRBUF_INIT;

	rp_tally_text(t, &sb);
	set(o, "Rules", json_integer(t->rules));
	set(o, "ReachedVerdict", json_integer(t->verdict));
	set(o, "NoData", json_integer(t->no_data));
	set(o, "NotEvaluated", json_integer(t->not_evaluated));
	set(o, "Summary", jstr(sb.buf));
	strbuf_release(&sb);
	return o;
}

static json_t *rule_coverage_json(const struct rp_model *m)
{
	json_t *o = json_object(), *by = json_object();

	set(o, "Overall", tally_json(&m->tally));
	for (size_t a = 0; a < m->n_accounts; a++) {
		struct strbuf key = STRBUF_INIT;

		utf8_clean(&key, m->accounts[a], strlen(m->accounts[a]));
		set(by, key.buf, tally_json(&m->tally_by_account[a]));
		strbuf_release(&key);
	}
	set(o, "ByAccount", by);
	return o;
}

/* Each account of the selection with its name and OU path from
 * Organizations evidence (null when the evidence does not say). */
static json_t *accounts_json(const struct rp_model *m)
{
	json_t *list = json_array();

	for (size_t a = 0; a < m->n_accounts; a++) {
		const struct rp_org_account *e = rp_org_account(m, a);
		json_t *o = json_object();

		set(o, "AccountId", jstr(m->accounts[a]));
		set(o, "AccountName", e->management ? jstr(e->name) : json_null());
		set(o, "OrganizationalUnitPath", jstr(e->ou_path));
		set(o, "OrganizationalUnitGroup", jstr(rp_org_ou_label(m, a)));
		set(o, "ManagementAccountId", jstr(e->management));
		set(o, "OrganizationsEvidenceCapturedAt", jtime(e->captured_at));
		push(list, o);
	}
	return list;
}

/* The list-accounts answers at or before the as-of time, and whether they
 * were recent enough to be used. */
static json_t *org_sources_json(const struct rp_model *m)
{
	json_t *list = json_array();
	size_t n;
	const struct rp_org_source *src = rp_org_sources(m, &n);

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		set(o, "Call", json_string("organizations list-accounts"));
		set(o, "ManagementAccountId", jstr(src[i].management));
		set(o, "CapturedAt", jtime(src[i].captured_at));
		set(o, "Used", json_boolean(src[i].fresh));
		push(list, o);
	}
	return list;
}

/* --by ou: per OU path, its accounts, rule counts, coverage and scores. */
static json_t *by_ou_json(const struct rp_model *m)
{
	json_t *list = json_array();
	size_t ng;
	const struct rp_ou_group *g = rp_ou_groups(m, &ng);

	for (size_t k = 0; k < ng; k++) {
		json_t *o = json_object(), *ids = json_array(), *sc = json_array();

		set(o, "OrganizationalUnitPath",
		    strcmp(g[k].path, RP_OU_NO_EVIDENCE) && strcmp(g[k].path, RP_OU_NO_PATH)
			? jstr(g[k].path)
			: json_null());
		set(o, "Group", jstr(g[k].path));
		for (size_t i = 0; i < g[k].n_accounts; i++)
			push(ids, jstr(m->accounts[g[k].accounts[i]]));
		set(o, "AccountIds", ids);
		set(o, "CompliantRuleCount", json_integer(g[k].rules_compliant));
		set(o, "NonCompliantRuleCount", json_integer(g[k].rules_noncompliant));
		set(o, "InsufficientDataRuleCount", json_integer(g[k].rules_nodata));
		set(o, "RuleCoverage", tally_json(&g[k].tally));
		for (size_t p = 0; p < m->n_packs; p++)
			push(sc, score(m, &g[k].scores[p]));
		set(o, "ConformancePackComplianceScores", sc);
		push(list, o);
	}
	return list;
}

/* The API has no per-account score list; the elements keep its shape and
 * the account is the key. */
static json_t *scores_by_account(const struct rp_model *m)
{
	json_t *by_account = json_object();

	for (size_t a = 0; a < m->n_accounts; a++) {
		struct strbuf key = STRBUF_INIT;
		json_t *list = json_array();

		for (size_t k = 0; k < m->n_packs; k++)
			push(list, score(m, &m->scores[m->n_packs * (1 + a) + k]));
		/* Account ids are keys here: cleaned like any other string. */
		utf8_clean(&key, m->accounts[a], strlen(m->accounts[a]));
		set(by_account, key.buf, list);
		strbuf_release(&key);
	}
	return by_account;
}

int rp_render_json(const struct rp_model *m, FILE *out, struct diag *d)
{
	struct jarr arr = {out, 0};
	json_t *cc = json_object(), *scores = json_array();

	member(out, "Run", 1);
	dump_at(out, run_object(m), 2);
	member(out, "Errors", 0);
	dump_at(out, errors_json(m), 2);
	member(out, "FailedInputFiles", 0);
	dump_at(out, failed_json(m), 2);
	member(out, "DataCoverage", 0);
	dump_at(out, data_coverage(m), 2);
	member(out, "Waivers", 0);
	dump_at(out, waivers_json(m), 2);
	member(out, "AggregateComplianceByConfigRules", 0);
	by_config_rules(m, &arr);
	jarr_end(&arr);
	member(out, "AggregateEvaluationResults", 0);
	arr.n = 0;
	evaluation_results(m, &arr);
	jarr_end(&arr);
	member(out, "AggregateComplianceCounts", 0);
	set(cc, "ACCOUNT_ID", counts(m, "ACCOUNT_ID", m->by_account, m->n_by_account));
	set(cc, "AWS_REGION", counts(m, "AWS_REGION", m->by_region, m->n_by_region));
	dump_at(out, cc, 2);
	member(out, "AggregateComplianceByConformancePacks", 0);
	arr.n = 0;
	by_packs(m, &arr);
	jarr_end(&arr);
	member(out, "RuleCoverage", 0);
	dump_at(out, rule_coverage_json(m), 2);
	member(out, "ConformancePackComplianceScores", 0);
	for (size_t k = 0; k < m->n_overall_scores; k++)
		push(scores, score(m, &m->scores[k]));
	dump_at(out, scores, 2);
	member(out, "ConformancePackComplianceScoresByAccount", 0);
	dump_at(out, scores_by_account(m), 2);
	member(out, "Accounts", 0);
	dump_at(out, accounts_json(m), 2);
	member(out, "OrganizationsEvidence", 0);
	dump_at(out, org_sources_json(m), 2);
	if (m->opt->group_by == REPORT_BY_OU) {
		member(out, "ComplianceByOrganizationalUnit", 0);
		dump_at(out, by_ou_json(m), 2);
	}
	if (m->controls) {
		member(out, "Controls", 0);
		dump_at(out, rp_controls_json(m), 2);
	}
	fputs("\n}\n", out);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the JSON report");
	return 0;
}
