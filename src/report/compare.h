/*
 * compare: AWS Config's own verdicts beside a cfgaudit run's
 * (cfgaudit-compare(1)).
 *
 * Each AWS verdict is matched to a rule of the run by its rule name (the
 * pack's ConfigRuleName, or the managed rule's name or identifier once
 * the decorations AWS adds are removed: "-conformance-pack-<suffix>" of
 * conformance-pack rules, "securityhub-...-<suffix>" of Security Hub's),
 * then to the run's result for the same account and resource (and, for
 * AWS::::Account results, region). Of the AWS verdicts on one rule and
 * resource, the one used is the latest recorded at or before the run's
 * as-of time, else the earliest after it (flagged).
 */
#ifndef CFGAUDIT_COMPARE_H
#define CFGAUDIT_COMPARE_H

#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "store/verdicts.h"
#include "util/diag.h"
#include "util/timeutil.h"

/* How one AWS verdict relates to the run's, most serious first. */
enum compare_outcome {
	CMP_DISAGREE,          /* both decided (COMPLIANT / NON_COMPLIANT), differently */
	CMP_CFGAUDIT_NO_DATA,  /* cfgaudit said INSUFFICIENT_DATA, AWS did not */
	CMP_AWS_NO_DATA,       /* AWS said INSUFFICIENT_DATA, cfgaudit did not */
	CMP_APPLICABILITY,     /* one side NOT_APPLICABLE, the other not */
	CMP_NO_CFGAUDIT_RESULT, /* the run has no result for that rule and resource */
	CMP_AGREE,             /* the same compliance type */
	CMP_OUTCOMES
};

/* The name of an outcome in reports ("disagree", ...). */
const char *compare_outcome_name(enum compare_outcome o);

/* One AWS verdict set beside the run's. Pointers borrow the lists. */
struct compare_pair {
	const struct aws_verdict *aws;
	const struct run_verdict *ours; /* NULL for CMP_NO_CFGAUDIT_RESULT */
	const char *config_rule_name;   /* the run's rule it was matched to */
	const char *identifier;
	enum compare_outcome outcome;
	int aws_after_as_of;            /* recorded after the run's as-of time */
	int aws_older_than_item;        /* AWS ran before cfgaudit's item was captured */
	char aws_item_time[TIME_ISO_LEN]; /* the version AWS judged, or "" if not held */
};

struct comparison {
	int64_t run_id;
	struct run_verdict_list run;
	struct aws_verdict_list aws;
	struct compare_pair *pairs; /* ordered by outcome, rule, account, resource */
	size_t n, alloc;
	size_t counts[CMP_OUTCOMES];
	size_t cfgaudit_only;       /* run results without any AWS verdict */
	char **unmatched_rules;     /* AWS rule names matching no rule of the run */
	size_t n_unmatched, unmatched_alloc;
};

/* Compare run run_id with every AWS verdict in the store. Returns 0, 1 if
 * there is no such run, 2 if the store holds no AWS verdicts, or -1 with
 * d filled. */
int compare_run(struct store *s, int64_t run_id, struct comparison *c, struct diag *d);
void compare_release(struct comparison *c);

/* For reports: *out the comparison of run run_id, or NULL when the store
 * holds no AWS verdicts. Returns 0, or -1 with d filled. */
int compare_attach(struct store *s, int64_t run_id, struct comparison **out, struct diag *d);
void compare_free(struct comparison *c);

/* Print c as text or as JSON; all: agreements too. Returns 0 or -1 (a
 * write error). */
int compare_write_text(const struct comparison *c, FILE *out, int all);
int compare_write_json(const struct comparison *c, FILE *out, int all);

#endif
