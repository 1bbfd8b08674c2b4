/*
 * triage: what a run records per rule for deciding what to fix first --
 * the severity (the rule file's, or a pack's override), where it comes
 * from, the remediation and the documentation page. eval.c calls
 * triage_store_rule once per rule, inside the run's transaction; the
 * statements are store/triage.c's, which the reports read with
 * triage_load.
 */
#ifndef CFGAUDIT_TRIAGE_H
#define CFGAUDIT_TRIAGE_H

#include <stdint.h>

#include "rules/rule.h"
#include "store/store.h"
#include "store/triage.h"
#include "util/diag.h"

/* Record rule_no of run_id: r's facts, with the pack's overrides (NULL:
 * none; pack names the pack for the source). A rule without a rule file
 * (r NULL) records only the overrides. Returns 0 or -1 with d filled. */
int triage_store_rule(struct store *s, int64_t run_id, int rule_no, const struct rule *r,
		      const char *pack, const char *severity_override,
		      const char *remediation_override, struct diag *d);

#endif
