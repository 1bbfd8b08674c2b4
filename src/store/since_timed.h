/*
 * since_timed: for eval --since-run, the resources whose results under a
 * rule of the evaluation time (age_days, days_until) may differ from the
 * prior run's although their items did not change (for
 * eval/incremental.c).
 *
 * Such a rule is reviewed per resource (incremental.c: reviewed_rules,
 * pinned to its statement's SHA-256) with the verdicts whose results
 * depend on the evaluation time: the others (no date in the item, no
 * configuration) are functions of the item alone. A resource whose prior
 * result under the rule has one of those verdicts is re-evaluated in
 * every run since (a date's age in days, which its annotation states,
 * moves with the as-of time; finding whether it moved reads the item
 * just as re-evaluating it does), through the set of changed resources:
 * its key joins temp.since_changed, its current version temp.since_stale
 * (so that no rule copies its prior results) and its place
 * temp.since_places. Every rule re-evaluates it then, which gives the
 * same results.
 *
 * In src/store (every statement on stored tables is), beside since.c.
 */
#ifndef CFGAUDIT_SINCE_TIMED_H
#define CFGAUDIT_SINCE_TIMED_H

#include "store/store.h"

#include <stdint.h>

/* A rule of the evaluation time in this run. */
struct since_timed_rule {
	const char *pack_name, *config_rule_name; /* its name in the runs */
	const char *verdicts; /* comma-separated: the verdicts that depend on the time */
};

/* After since_mark_changed, on each connection: add to the changed
 * resources the current, unchanged ones whose result in run prior_id
 * under one of the n rules has one of its timed verdicts. Sets *added to
 * how many. Returns 0, or -1 with d. */
int since_timed_add(struct store *s, int64_t prior_id, const struct since_timed_rule *rules,
		    size_t n, long *added, struct diag *d);

#endif
