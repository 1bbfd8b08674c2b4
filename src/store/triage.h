/*
 * store/triage: what a run records per rule for deciding what to fix
 * first (table run_rule_triage, created on first use like run_coverage:
 * readers take a missing table as "not recorded"). eval/triage.c decides
 * the values; the reports read them back.
 */
#ifndef CFGAUDIT_STORE_TRIAGE_H
#define CFGAUDIT_STORE_TRIAGE_H

#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One rule's triage facts as recorded. Strings are borrowed. */
struct triage_info {
	const char *severity;	 /* "critical" .. "low", "" unrated */
	const char *source;	 /* "Security Hub S3.14", "default: exposure", "pack X", or NULL */
	const char *remediation; /* or NULL */
	const char *documentation; /* AWS's page of the managed rule, or NULL */
};

/* Record t for rule_no of run_id (inside the run's transaction).
 * Returns 0 or -1 with d filled. */
int triage_write(struct store *s, int64_t run_id, int rule_no, const struct triage_info *t,
		 struct diag *d);

/* Call fn for every rule of run_id that has triage facts, with its pack
 * and config rule name. Returns 0 (also when the run recorded none) or
 * -1 with d filled. */
int triage_load(struct store *s, int64_t run_id,
		void (*fn)(const char *pack, const char *rule, const struct triage_info *t,
			   void *ctx),
		void *ctx, struct diag *d);

#endif
