/*
 * report_junit: the JUnit XML back end, for CI systems. One <testsuite>
 * per account (name = account id); one <testcase> per rule and resource
 * (classname = rule name, name = "resource type/resource id (region)");
 * NON_COMPLIANT results carry a <failure> whose message is the
 * annotation; NOT_APPLICABLE and INSUFFICIENT_DATA results, and rules
 * that were not evaluated, are <skipped>. COMPLIANT results pass.
 *
 * Every value goes through rp_xml_escape: entities for markup characters,
 * characters XML 1.0 does not allow removed, invalid UTF-8 replaced.
 */
#include "config.h"

#include "report/report_priv.h"

#include <stdlib.h>
#include <string.h>

static void attr(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, " %s=\"", name);
	rp_xml_escape(sb, value ? value : "");
	strbuf_addch(sb, '"');
}

static void testcase(struct strbuf *sb, const struct rp_result *r)
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
	if (r->ct == RP_NON_COMPLIANT) {
		strbuf_addstr(sb, "      <failure");
		attr(sb, "message", r->annotation ? r->annotation : "NON_COMPLIANT");
		attr(sb, "type", "NON_COMPLIANT");
		strbuf_addstr(sb, ">");
		rp_xml_escape(sb, r->annotation ? r->annotation : "NON_COMPLIANT");
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

int rp_render_junit(const struct rp_model *m, FILE *out, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT, suites = STRBUF_INIT;
	long all_tests = 0, all_failures = 0, all_skipped = 0;
	char run[32];
	size_t next = 0;
	int bad;

	snprintf(run, sizeof(run), "cfgaudit run %lld", (long long)m->run_id);
	for (size_t a = 0; a < m->n_accounts; a++) {
		long tests = 0, failures = 0, skipped = 0;
		struct strbuf cases = STRBUF_INIT;

		/* Results are sorted by account: this account's are a run. */
		for (; next < m->n_results && m->pairs[m->results[next].pair].account_idx == a;
		     next++) {
			const struct rp_result *r = &m->results[next];

			if (!r->listed)
				continue;
			tests++;
			failures += r->ct == RP_NON_COMPLIANT;
			skipped += r->ct == RP_NOT_APPLICABLE || r->ct == RP_INSUFFICIENT_DATA;
			testcase(&cases, r);
		}
		for (size_t k = 0; k < m->n_rules; k++) {
			const struct rp_rule *r = &m->rules[k];

			if (r->evaluated)
				continue;
			tests++;
			skipped++;
			strbuf_addstr(&cases, "    <testcase");
			attr(&cases, "classname", r->name);
			attr(&cases, "name", "not evaluated");
			strbuf_addstr(&cases, ">\n      <skipped");
			attr(&cases, "message", r->reason ? r->reason : "not evaluated");
			strbuf_addstr(&cases, "/>\n    </testcase>\n");
		}
		strbuf_addstr(&suites, "  <testsuite");
		attr(&suites, "name", m->accounts[a]);
		strbuf_addf(&suites, " tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\"",
			    tests, failures, skipped);
		attr(&suites, "timestamp", m->finished_at);
		strbuf_addstr(&suites, ">\n    <properties>\n      <property name=\"run_id\"");
		strbuf_addf(&suites, " value=\"%lld\"/>\n      <property name=\"as_of\"",
			    (long long)m->run_id);
		attr(&suites, "value", m->as_of);
		strbuf_addstr(&suites, "/>\n      <property name=\"tool_version\"");
		attr(&suites, "value", m->tool_version);
		strbuf_addstr(&suites, "/>\n    </properties>\n");
		strbuf_add(&suites, cases.buf, cases.len);
		strbuf_addstr(&suites, "  </testsuite>\n");
		strbuf_release(&cases);
		all_tests += tests;
		all_failures += failures;
		all_skipped += skipped;
	}
	strbuf_addstr(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(&sb, "name", run);
	strbuf_addf(&sb, " tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\">\n",
		    all_tests, all_failures, all_skipped);
	strbuf_add(&sb, suites.buf, suites.len);
	strbuf_addstr(&sb, "</testsuites>\n");
	bad = fwrite(sb.buf, 1, sb.len, out) != sb.len;
	strbuf_release(&sb);
	strbuf_release(&suites);
	if (bad || ferror(out))
		return diag_set(d, NULL, 0, "cannot write the JUnit report");
	return 0;
}
