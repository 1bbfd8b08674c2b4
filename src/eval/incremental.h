/*
 * incremental: `cfgaudit eval --since-run ID` (cfgaudit-eval(1)) --
 * re-evaluate only what the data loaded since a prior run can change,
 * and copy the prior run's other results. Internal to src/eval.
 *
 * The point-in-time state at the new as-of time is built as for a full
 * run; the resources whose current version was not current in the
 * prior run's state (store/since.h) form temp.since_changed.
 *   - A rule whose verdict on a resource can depend only on that
 *     resource's own current item (incremental_rule_is_local: it reads
 *     current_items once, nothing else of the state, no derived table,
 *     evidence, coverage, relation, aggregate or evaluation time) runs
 *     against temp.since_items, the changed resources only; its prior
 *     results for resources whose version is still current are copied.
 *     A result of such a rule for a resource outside the changed set
 *     proves it is not local: the run is then redone in full.
 *   - A rule reviewed as per-resource (incremental.c: reviewed_rules,
 *     pinned to its statement's SHA-256) runs the same way, reading the
 *     per-item derived tables it names built from since_items only
 *     (since_sg_sources for security_group_sources).
 *   - A rule reviewed as per-place runs on the account-Regions where a
 *     resource of the types it reads is new, changed or gone
 *     (temp.since_places; views since_pitems_N and since_prel_N for
 *     current_items and relationships); its results elsewhere are copied.
 *     A result outside them redoes the run in full too.
 *   - A rule reviewed as per-account runs the same way on every Region
 *     of the accounts where a resource of the types it reads is new,
 *     changed or gone (eval/since_accounts.h: places under a type of its
 *     own).
 *   - A rule of the evaluation time reviewed as per-resource runs on the
 *     changed resources plus those whose prior result under it depends on
 *     the time (store/since_timed.h: they join the changed resources).
 *   - Every other rule (relations, account- and organization-level
 *     facts, derived tables, evidence, coverage) is re-evaluated in full.
 * A prior run is reused only when it ran the same rule files, packs,
 * parameters, scope, waivers and --max-age with this cfgaudit version
 * and schema, completed without errors, at an as-of time not later than
 * the new one, and no data loaded after it belongs to a time at or
 * before its as-of time.
 */
#ifndef CFGAUDIT_INCREMENTAL_H
#define CFGAUDIT_INCREMENTAL_H

#include <pthread.h>

#include "eval/eval.h"
#include "eval/plan.h"
#include "eval/since_accounts.h"
#include "store/run.h"
#include "store/since.h"
#include "store/since_timed.h"

struct incremental {
	int active;               /* evaluating from prior */
	struct since_prior prior; /* the base run */
	const struct pit_hint *hint; /* the run's state hint (its moves when built from
					the prior run's), or NULL */
	int *local_nos;           /* rule_no of the rules run on the changed resources */
	struct planned_rule **local_rules; /* those rules ... */
	const char **local_sql;   /* ... and their statements as the rule files have them */
	const char **local_places; /* ... and, for a per-place rule, the types it reads */
	size_t n_local;
	int checked;              /* the local rules' reads are checked (first connection) */
	pthread_mutex_t lock;     /* the connections wait for that check */
	unsigned per_item_needed; /* per-item derived tables the rewritten rules read */
	struct since_timed_rule *timed; /* the rules of the evaluation time (store/since_timed.h) */
	size_t n_timed;
	struct since_account_rule *accounts; /* the per-account rules (since_accounts.h) */
	size_t n_accounts;
	long rules_rerun;         /* rules re-evaluated in full */
	long changed;             /* resources re-evaluated (first connection) */
	struct since_marks marks; /* the store's extent when this run read it */
	int64_t *state;           /* its state's sorted rowids (first connection) */
	size_t n_state;
	struct since_tally tally; /* the results copied, counted */
	int not_local;            /* a "local" rule gave a result outside the changed set */
	char **owned;             /* rewritten statements */
	size_t n_owned;
};

/* What the request must match of the prior run. */
struct incremental_match {
	const struct run_rule_record *rules;
	size_t n_rules;
	const struct run_file_record *files;
	size_t n_files;
	const char *filters;       /* the run's filters JSON */
	const char *waivers_sha256; /* NULL without --waivers */
	int64_t max_age_ms;
	const char *as_of;         /* the resolved evaluation time */
};

/* Can the rule's verdict on a resource depend only on that resource? */
int incremental_rule_is_local(const struct rule *r);

/* Check that run `id` can be the base of this run. Returns 0 with
 * inc->prior read, 1 with *why set (the reason it cannot; caller frees),
 * or -1 with d filled. */
int incremental_check(struct store *s, int64_t id, const struct incremental_match *m,
		      struct incremental *inc, char **why, struct diag *d);

/* Rewrite the plan's local rules to read the changed resources only. */
void incremental_plan(struct incremental *inc, struct plan *plan);

/* On each connection, once its point-in-time state is built: the changed
 * resources; on the first to get here, also a check of what each local
 * rule's statement reads (SQLite's authorizer: only current_items, no
 * other table or view, no function that reads the time or the store), a
 * rule that reads more going back to its statement and a full run. */
int incremental_on_state(struct store *s, int first, struct incremental *inc, struct diag *d);

/* Inside the run's write transaction, after its new results: check and
 * copy the prior results. Returns 0, or -1 with d (inc->not_local set
 * when the run must be redone in full). */
int incremental_store(struct store *s, int64_t run_id, struct incremental *inc,
		      struct diag *d);

void incremental_release(struct incremental *inc);

#endif
