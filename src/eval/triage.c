/*
 * triage: per-rule severity, remediation and documentation of a run
 * (triage.h).
 */
#include "eval/triage.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int triage_store_rule(struct store *s, int64_t run_id, int rule_no, const struct rule *r,
		      const char *pack, const char *severity_override,
		      const char *remediation_override, struct diag *d)
{
	struct strbuf src = STRBUF_INIT;
	char *doc = r ? rule_doc_url(r) : NULL;
	struct triage_info t = { r ? rule_severity_name(r->severity) : "", NULL, NULL, doc };
	int rc;

	t.remediation = remediation_override ? remediation_override : r ? r->remediation : NULL;
	if (severity_override) {
		t.severity = severity_override;
		strbuf_addf(&src, "pack %s", pack && *pack ? pack : "?");
	} else if (r && r->severity_source) {
		strbuf_addstr(&src, r->severity_source);
	}
	if (src.len)
		t.source = src.buf;
	rc = triage_write(s, run_id, rule_no, &t, d);
	free(doc);
	strbuf_release(&src);
	return rc;
}
