/*
 * report_junit: the JUnit XML back end, for CI systems. One <testsuite>
 * per account (name = account id); one <testcase> per rule and resource
 * (classname = rule name, name = "resource type/resource id (region)");
 * NON_COMPLIANT results carry a <failure> whose message is the
 * annotation and whose text adds the rule's severity, remediation and
 * documentation page (a waived one is <skipped> with the waiver); NOT_APPLICABLE and INSUFFICIENT_DATA results, and rules
 * that were not evaluated, are <skipped>. COMPLIANT results pass.
 * A last suite "data-coverage" holds one failing testcase per
 * account-region whose data was stale or incomplete (classname
 * "data-coverage", name "account region"); it is left out when there
 * are none, and when the run recorded no coverage.
 *
 * Every value goes through rp_xml_escape: entities for markup characters,
 * characters XML 1.0 does not allow removed, invalid UTF-8 replaced.
 */
#include "config.h"

#include "report/report_priv.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void attr(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, " %s=\"", name);
	rp_xml_escape(sb, value ? value : "");
	strbuf_addch(sb, '"');
}

/* The failure's text: the annotation, then how to fix the rule. */
static void failure_body(struct strbuf *sb, const struct rp_result *r, const struct rp_rule *rule)
{
	struct strbuf t = STRBUF_INIT;

	strbuf_addstr(&t, r->annotation ? r->annotation : "NON_COMPLIANT");
	if (rule->severity && *rule->severity)
		strbuf_addf(&t, "\nSeverity: %s", rule->severity);
	if (rule->remediation)
		strbuf_addf(&t, "\nRemediation: %s", rule->remediation);
	if (rule->documentation)
		strbuf_addf(&t, "\nDocumentation: %s", rule->documentation);
	rp_xml_escape(sb, t.buf);
	strbuf_release(&t);
}

static void testcase(struct strbuf *sb, const struct rp_model *m, const struct rp_result *r)
{
	struct strbuf name = STRBUF_INIT;

	strbuf_addf(&name, "%s/%s (%s)", r->rtype, r->rid, r->region);
	strbuf_addstr(sb, "    <testcase");
	attr(sb, "classname", r->rule);
	attr(sb, "name", name.buf);
	strbuf_release(&name);
	if (r->ct == RP_COMPLIANT) {
		strbuf_addstr(sb, "/>\n");
		return;
	}
	strbuf_addstr(sb, ">\n");
	if (r->ct == RP_NON_COMPLIANT && r->waiver >= 0) {
		const struct rp_waiver *w = &m->waivers[r->waiver];
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "NON_COMPLIANT, waived: %s (approved by %s, expires %s)",
			    w->reason, w->approved_by, w->expires);
		strbuf_addstr(sb, "      <skipped");
		attr(sb, "message", msg.buf);
		strbuf_addstr(sb, "/>\n");
		strbuf_release(&msg);
	} else if (r->ct == RP_NON_COMPLIANT) {
		strbuf_addstr(sb, "      <failure");
		attr(sb, "message", r->annotation ? r->annotation : "NON_COMPLIANT");
		attr(sb, "type", "NON_COMPLIANT");
		strbuf_addstr(sb, ">");
		failure_body(sb, r, &m->rules[r->rule_idx]);
		strbuf_addstr(sb, "</failure>\n");
	} else {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addstr(&msg, rp_ct_name(r->ct));
		if (r->annotation) {
			strbuf_addstr(&msg, ": ");
			strbuf_addstr(&msg, r->annotation);
		}
		strbuf_addstr(sb, "      <skipped");
		attr(sb, "message", msg.buf);
		strbuf_addstr(sb, "/>\n");
		strbuf_release(&msg);
	}
	strbuf_addstr(sb, "    </testcase>\n");
}

/* Counts of one account's suite (or of all, for <testsuites>). */
struct counts {
	long tests, failures, skipped;
};

/* The counts go in the opening tags, so they are taken in a first pass;
 * the second writes each suite as it goes, never the whole document in
 * memory. */
static void count_account(const struct rp_model *m, size_t *next, size_t a, size_t n_ne,
			  struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (; *next < m->n_results && m->pairs[m->results[*next].pair].account_idx == a;
	     (*next)++) {
		const struct rp_result *r = &m->results[*next];

		if (!r->listed)
			continue;
		c->tests++;
		c->failures += r->ct == RP_NON_COMPLIANT && r->waiver < 0;
		c->skipped += r->ct == RP_NOT_APPLICABLE || r->ct == RP_INSUFFICIENT_DATA ||
			      (r->ct == RP_NON_COMPLIANT && r->waiver >= 0);
	}
	c->tests += (long)n_ne;
	c->skipped += (long)n_ne;
}

static void data_suite(const struct rp_model *m, struct strbuf *sb)
{
	if (!m->n_coverage_flagged)
		return;
	strbuf_addstr(sb, "  <testsuite name=\"data-coverage\"");
	strbuf_addf(sb, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\"",
		    m->n_coverage_flagged, m->n_coverage_flagged);
	attr(sb, "timestamp", m->finished_at);
	strbuf_addstr(sb, ">\n");
	for (size_t i = 0; i < m->n_coverage; i++) {
		const struct rp_coverage *c = &m->coverage[i];
		struct strbuf name = STRBUF_INIT, msg = STRBUF_INIT;

		if (!c->stale && c->complete)
			continue;
		strbuf_addf(&name, "%s %s", c->account, c->region);
		strbuf_addf(&msg, "%s: snapshot %s, latest delivery %s (max age %s)", c->status,
			    c->snapshot_time ? c->snapshot_time : "none",
			    c->latest ? c->latest : "none", m->max_age);
		strbuf_addstr(sb, "    <testcase classname=\"data-coverage\"");
		attr(sb, "name", name.buf);
		strbuf_addstr(sb, ">\n      <failure");
		attr(sb, "message", msg.buf);
		attr(sb, "type", !c->latest ? "MISSING_DATA" : c->stale ? "STALE_DATA" : "INCOMPLETE_DATA");
		strbuf_addstr(sb, ">");
		rp_xml_escape(sb, msg.buf);
		strbuf_addstr(sb, "</failure>\n    </testcase>\n");
		strbuf_release(&name);
		strbuf_release(&msg);
	}
	strbuf_addstr(sb, "  </testsuite>\n");
}

/* The errors of an incomplete run and the input files that failed to
 * load: one suite "cfgaudit" of <error> test cases, first, so that a CI
 * job never goes green on a run that could not evaluate what it was
 * asked. Left out when there are none. */
static void errors_suite(const struct rp_model *m, struct strbuf *sb)
{
	size_t n = m->n_errors + m->n_failed;

	if (n == 0)
		return;
	strbuf_addstr(sb, "  <testsuite name=\"cfgaudit\"");
	strbuf_addf(sb, " tests=\"%zu\" failures=\"0\" errors=\"%zu\" skipped=\"0\"", n, n);
	attr(sb, "timestamp", m->finished_at);
	strbuf_addstr(sb, ">\n");
	for (size_t i = 0; i < n; i++) {
		struct strbuf msg = STRBUF_INIT;
		int is_error = i < m->n_errors;

		if (is_error)
			rp_error_text(&m->errors[i], &msg);
		else
			strbuf_addf(&msg, "%s: %s", m->failed[i - m->n_errors].path,
				    m->failed[i - m->n_errors].error);
		strbuf_addstr(sb, "    <testcase");
		attr(sb, "classname", is_error ? "run" : "input-files");
		attr(sb, "name", is_error ? "could not evaluate what was asked"
					  : m->failed[i - m->n_errors].path);
		strbuf_addstr(sb, ">\n      <error");
		attr(sb, "message", msg.buf);
		attr(sb, "type", is_error ? "RUN_ERROR" : "INPUT_FILE_FAILED");
		strbuf_addstr(sb, ">");
		rp_xml_escape(sb, msg.buf);
		strbuf_addstr(sb, "</error>\n    </testcase>\n");
		strbuf_release(&msg);
	}
	strbuf_addstr(sb, "  </testsuite>\n");
}

/* The rule coverage of a group as properties. */
static void tally_properties(struct strbuf *sb, const struct rp_tally *t)
{
	struct strbuf text = STRBUF_INIT;

	rp_tally_text(t, &text);
	strbuf_addstr(sb, "      <property name=\"rule_coverage\"");
	attr(sb, "value", text.buf);
	strbuf_addf(sb, "/>\n      <property name=\"rules\" value=\"%ld\"/>\n"
		    "      <property name=\"rules_reached_verdict\" value=\"%ld\"/>\n"
		    "      <property name=\"rules_no_data\" value=\"%ld\"/>\n"
		    "      <property name=\"rules_not_evaluated\" value=\"%ld\"/>\n",
		    t->rules, t->verdict, t->no_data, t->not_evaluated);
	strbuf_release(&text);
}

/* The account's name and OU path from Organizations evidence, when the
 * report shows them. */
static void org_properties(struct strbuf *sb, const struct rp_model *m, size_t a)
{
	const struct rp_org_account *e = rp_org_account(m, a);

	if (!rp_org_shown(m))
		return;
	if (e->name && *e->name) {
		strbuf_addstr(sb, "      <property name=\"account_name\"");
		attr(sb, "value", e->name);
		strbuf_addstr(sb, "/>\n");
	}
	strbuf_addstr(sb, "      <property name=\"ou_path\"");
	attr(sb, "value", rp_org_ou_label(m, a));
	strbuf_addstr(sb, "/>\n");
}

/* The accounts' suites in order: by OU path for --by ou, else by id. */
static size_t *account_order(const struct rp_model *m)
{
	size_t *order = xcalloc(m->n_accounts + 1, sizeof(*order)), n = 0, ng;
	const struct rp_ou_group *g = rp_ou_groups(m, &ng);

	if (m->opt->group_by == REPORT_BY_OU && ng)
		for (size_t k = 0; k < ng; k++)
			for (size_t i = 0; i < g[k].n_accounts; i++)
				order[n++] = g[k].accounts[i];
	for (size_t a = n ? m->n_accounts : 0; a < m->n_accounts; a++)
		order[a] = a;
	return order;
}

/* The properties of account a's suite. */
static void suite_properties(struct strbuf *sb, const struct rp_model *m, size_t a)
{
	strbuf_addstr(sb, ">\n    <properties>\n      <property name=\"run_id\"");
	strbuf_addf(sb, " value=\"%lld\"/>\n      <property name=\"as_of\"", (long long)m->run_id);
	attr(sb, "value", m->as_of);
	strbuf_addstr(sb, "/>\n      <property name=\"tool_version\"");
	attr(sb, "value", m->tool_version);
	strbuf_addstr(sb, "/>\n");
	tally_properties(sb, &m->tally_by_account[a]);
	org_properties(sb, m, a);
	strbuf_addstr(sb, "    </properties>\n");
}

/* A skipped test case for each rule the run did not evaluate. */
static void not_evaluated_cases(struct strbuf *sb, const struct rp_model *m)
{
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];

		if (r->evaluated)
			continue;
		strbuf_addstr(sb, "    <testcase");
		attr(sb, "classname", r->name);
		attr(sb, "name", "not evaluated");
		strbuf_addstr(sb, ">\n      <skipped");
		attr(sb, "message", r->reason ? r->reason : "not evaluated");
		strbuf_addstr(sb, "/>\n    </testcase>\n");
	}
}

/* Account a's suite: its results m->results[first, end) (results are
 * sorted by account: an account's are a run), written out as sb grows. */
static void account_suite(struct strbuf *sb, const struct rp_model *m, size_t a, size_t first,
			  size_t end, const struct counts *c, FILE *out)
{
	strbuf_addstr(sb, "  <testsuite");
	attr(sb, "name", m->accounts[a]);
	strbuf_addf(sb, " tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\"", c->tests,
		    c->failures, c->skipped);
	attr(sb, "timestamp", m->finished_at);
	suite_properties(sb, m, a);
	for (size_t i = first; i < end; i++) {
		if (!m->results[i].listed)
			continue;
		testcase(sb, m, &m->results[i]);
		if (sb->len > 65536) {
			fwrite(sb->buf, 1, sb->len, out);
			strbuf_reset(sb);
		}
	}
	not_evaluated_cases(sb, m);
	strbuf_addstr(sb, "  </testsuite>\n");
}

int rp_render_junit(const struct rp_model *m, FILE *out, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct counts all = {0, 0, 0}, c;
	size_t next = 0, n_ne = 0, *first, *end, *order;
	char run[32];

	if (m->controls && m->opt->group_by == REPORT_BY_CONTROL)
		return rp_controls_junit(m, out, d);
	first = xcalloc(m->n_accounts + 1, sizeof(*first));
	end = xcalloc(m->n_accounts + 1, sizeof(*end));
	order = account_order(m);
	for (size_t k = 0; k < m->n_rules; k++)
		n_ne += !m->rules[k].evaluated;
	for (size_t a = 0; a < m->n_accounts; a++) {
		first[a] = next;
		count_account(m, &next, a, n_ne, &c);
		end[a] = next;
		all.tests += c.tests;
		all.failures += c.failures;
		all.skipped += c.skipped;
	}
	all.tests += (long)m->n_coverage_flagged;
	all.failures += (long)m->n_coverage_flagged;
	snprintf(run, sizeof(run), "cfgaudit run %lld", (long long)m->run_id);
	strbuf_addstr(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(&sb, "name", run);
	strbuf_addf(&sb, " tests=\"%ld\" failures=\"%ld\" errors=\"%zu\" skipped=\"%ld\">\n",
		    all.tests + (long)(m->n_errors + m->n_failed), all.failures,
		    m->n_errors + m->n_failed, all.skipped);
	errors_suite(m, &sb);
	for (size_t o = 0; o < m->n_accounts; o++) {
		next = first[order[o]];
		count_account(m, &next, order[o], n_ne, &c);
		account_suite(&sb, m, order[o], first[order[o]], end[order[o]], &c, out);
	}
	free(first);
	free(end);
	free(order);
	data_suite(m, &sb);
	strbuf_addstr(&sb, "</testsuites>\n");
	fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the JUnit report");
	return 0;
}
