/*
 * triage: what a run records per rule for deciding what to fix first --
 * the severity (the rule file's, or a pack's override), where it comes
 * from, the remediation and the documentation page. Written with the run
 * (eval.c calls triage_store_rule once per rule, inside the run's
 * transaction), read by the reports. The table is created on first use
 * ("IF NOT EXISTS"), like run_coverage: readers take a missing table as
 * "not recorded".
 */
#ifndef CFGAUDIT_TRIAGE_H
#define CFGAUDIT_TRIAGE_H

#include <stdint.h>

#include "rules/rule.h"
#include "store/store.h"
#include "util/diag.h"

/* One rule's triage facts as recorded. Strings are borrowed. */
struct triage_info {
	const char *severity;	 /* "critical" .. "low", "" unrated */
	const char *source;	 /* "Security Hub S3.14", "default: exposure", "pack X", or NULL */
	const char *remediation; /* or NULL */
	const char *documentation; /* AWS's page of the managed rule, or NULL */
};

/* Record rule_no of run_id: r's facts, with the pack's overrides (NULL:
 * none; pack names the pack for the source). A rule without a rule file
 * (r NULL) records only the overrides. Returns 0 or -1 with d filled. */
int triage_store_rule(struct store *s, int64_t run_id, int rule_no, const struct rule *r,
		      const char *pack, const char *severity_override,
		      const char *remediation_override, struct diag *d);

/* Call fn for every rule of run_id that has triage facts, with its pack
 * and config rule name. Returns 0 (also when the run recorded none) or
 * -1 with d filled. */
int triage_load(struct store *s, int64_t run_id,
		void (*fn)(const char *pack, const char *rule, const struct triage_info *t,
			   void *ctx),
		void *ctx, struct diag *d);

/* Order of a severity name for sorting: critical 4 .. low 1, else 0. */
int triage_severity_rank(const char *severity);

#endif
