/*
 * runner: evaluates the rules of a plan against the point-in-time state,
 * on one database connection or on several in parallel threads that all
 * read the same committed state. Internal to src/eval.
 */
#ifndef CFGAUDIT_RUNNER_H
#define CFGAUDIT_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "eval/eval.h"
#include "eval/plan.h"
#include "eval/resultbuf.h"
#include "store/store.h"
#include "util/diag.h"

struct runner_output {
	struct resultbuf **results; /* one buffer per connection used */
	size_t n_results;
	char **scope;               /* (account, region) pairs covered: 2 strings each */
	size_t n_scope;
	long rules_evaluated;
	long counts[4];             /* results by compliance index */
};

/* Evaluate every planned rule that runs, with up to req->jobs
 * connections (s is the first). Rules that turn out invalid get a reason
 * and their error in pr->error; timings are in the plan (and per
 * connection through req->on_timing, in plan order, after the run).
 * as_of_ms is the resolved evaluation time (eval_resolve_as_of): the
 * point-in-time state's T and what as_of() returns.
 * Returns 0, or -1 with d filled on a database failure. */
int runner_evaluate(struct store *s, const struct eval_request *req, struct plan *plan,
		    int64_t as_of_ms, struct runner_output *o, struct diag *d);
/* The same, calling on_state (when not NULL) on each connection once its
 * point-in-time state is built, inside its read transaction (first: the
 * connection s); a non-zero return stops the run with d filled. */
int runner_evaluate_hooked(struct store *s, const struct eval_request *req, struct plan *plan,
			   int64_t as_of_ms,
			   int (*on_state)(struct store *s, int first, void *ctx, struct diag *d),
			   void *state_ctx, struct runner_output *o, struct diag *d);
void runner_output_release(struct runner_output *o);

/* Prepare pr's statement on s as the runner runs it (checked, its
 * parameters bound, a TagKey scope's wrapped to join the item behind each
 * result). Returns it (caller finalizes, or hands it to the runner in
 * pr->prepared, on s only), or NULL with pr->error filled. */
sqlite3_stmt *runner_prepare_rule(struct store *s, struct planned_rule *pr);

/* pr's statement was changed after the run began (on_state, before any
 * rule is taken): the derived tables it needs are found again. */
void runner_rule_changed(struct planned_rule *pr);

/* Is d, the failure of a derived table's build on s, the data's (an
 * error of SQLite that is not the database's, SQLITE_ERROR: malformed
 * JSON an item holds; or a builder's own, SQLITE_OK) rather than the
 * run's (I/O, a full disk, corruption, memory)? */
int runner_data_error(struct store *s, const struct diag *d);

#endif
