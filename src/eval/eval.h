/*
 * eval: evaluation runs. Resolves packs and rules into a plan, evaluates
 * every rule against the point-in-time state (one consistent read of the
 * store), and stores the run with its provenance in one write transaction.
 * Runs are never overwritten.
 */
#ifndef CFGAUDIT_EVAL_H
#define CFGAUDIT_EVAL_H

#include <stddef.h>
#include <jansson.h>
#include <stdint.h>

#include "rules/param.h"
#include "rules/rule.h"
#include "packs/waivers.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/timeutil.h"

struct pit_hint; /* store/pit.h */

/* The as-of time of a request that names none: the latest time in the
 * store, which eval_resolve_as_of turns into a time. */
#define EVAL_AS_OF_LATEST INT64_MAX

/* eval_request.since_run: the newest complete run that can be reused
 * (cfgaudit-eval(1), --since-run latest). */
#define EVAL_SINCE_LATEST (-1)

/* What to evaluate. All strings are borrowed. */
struct eval_request {
	int64_t as_of_ms;          /* ms since the epoch, or EVAL_AS_OF_LATEST */
	const char **packs;        /* pack template paths */
	size_t n_packs;
	const char **rule_ids;     /* --rule identifiers (or managed names) */
	size_t n_rule_ids;
	const struct param_override *params; /* --param options (rules/param.h) */
	size_t n_params;
	const char **accounts;     /* selection (NULL/0 = all) */
	size_t n_accounts;
	const char **regions;
	size_t n_regions;
	const struct ruleset *rules;
	int64_t max_age_ms;        /* data older than this before as-of is stale
				      (0: COVERAGE_DEFAULT_MAX_AGE_MS); the run
				      records its data coverage (store/coverage.h) */
	int jobs;                  /* database connections evaluating in parallel (0, 1: one) */
	const struct waivers *waivers; /* --waivers, recorded with the run (packs/waivers.h), or NULL */
	/* --since-run: 0 evaluates everything; a run id re-evaluates only
	 * what the data loaded since that run can change and copies its
	 * other results (eval/incremental.h), or fails when that run cannot
	 * be reused; EVAL_SINCE_LATEST takes the newest run that can, and
	 * evaluates everything (with a warning) when none can. */
	int64_t since_run;
	/* Called for every problem that does not stop the run (an invalid
	 * rule, pack or parameter); level is "error" or "warning". */
	void (*on_diag)(const struct diag *d, const char *level, void *ctx);
	/* Called, when not NULL, with the wall and CPU time and row count of
	 * building each connection's point-in-time state and derived tables,
	 * of each rule (after the rules ran, in plan order), and of storing
	 * the run. */
	void (*on_timing)(const char *pack, const char *rule, double wall, double cpu,
			  long results, void *ctx);
	void *cb_ctx;
	/* Set by eval_run for the runner: how the point-in-time state may be
	 * kept and built from the prior run's (store/pit.h); NULL: neither. */
	struct pit_hint *state_hint;
};

/* What a run produced. */
struct eval_outcome {
	int64_t run_id;                /* the stored run */
	char as_of[TIME_ISO_LEN];      /* the resolved evaluation time, as canonical text */
	long rules_evaluated;          /* rules that ran */
	long rules_not_evaluated;      /* listed with a reason (custom, manual, missing, invalid) */
	long invalid;                  /* invalid rules, packs or parameters (exit 3) */
	long data_failed;              /* rules the data could not be read for (exit 2) */
	long counts[4];                /* results by compliance_type, in eval_compliance_names order */
	long noncompliant_rules;       /* (rule, account, region) triples that are NON_COMPLIANT */
	long coverage_flagged;         /* account-regions with stale or incomplete data */
	long waived;                   /* NON_COMPLIANT results covered by a waiver */
	long errors;                   /* problems stored with the run (store/run_errors.h):
					  > 0 makes the run incomplete */
	double seconds;                /* wall time of the evaluation */
	int64_t since_run;             /* the run it started from, 0 for a full evaluation */
	long changed_resources;        /* incremental: resources re-evaluated */
	long rules_rerun;              /* incremental: rules re-evaluated in full */
	long rules_copied;             /* incremental: rules re-evaluated on the changed
					  resources, their other results copied */
};

/* How one configured rule (a pack's ConfigRule, or --rule) binds to a
 * rule file: eval and 'pack check' both use this, so that they agree on
 * what is evaluated and why not. */
struct eval_bind_request {
	const struct ruleset *rules;  /* where rule files are looked up */
	const char *owner;            /* Source.Owner (AWS, CUSTOM_LAMBDA, ...) */
	const char *identifier;       /* Source.SourceIdentifier, or NULL */
	const char *config_rule_name; /* for messages */
	const char *where;            /* file to name in diagnostics (the pack), or NULL */
	long line;                    /* its line */
	/* Receives each problem (an invalid rule file or parameter), or NULL. */
	void (*on_diag)(const struct diag *d, const char *level, void *ctx);
	void *ctx;
	/* The --param options, so that a problem with a value one of them
	 * gave names that option; NULL/0 for none. */
	const struct param_override *overrides;
	size_t n_overrides;
};

struct eval_binding {
	struct rule *rule;          /* the rule file, or NULL (owned) */
	json_t *params;             /* resolved parameters: object of strings, as
				       stored with the run (owned) */
	struct param_value *values; /* the same typed, one per rule->params in
				       header order, unset where there is no
				       value; NULL when there is a reason (owned) */
	char *reason;               /* why the rule is not evaluated, or NULL (owned) */
	int invalid;                /* not evaluated because a rule file or parameter is wrong */
};

/* Bind: find the rule file, check the given parameters (an object of
 * strings; the binding takes the reference, NULL for none) against its
 * header and convert them to their types, add defaults. Custom Lambda
 * rules, manual checks, rules without an identifier or rule file get a
 * reason; an invalid rule file or parameter gets a reason and
 * invalid = 1. */
void eval_bind(const struct eval_bind_request *br, json_t *params, struct eval_binding *b);
void eval_binding_release(struct eval_binding *b);

/* COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA. */
extern const char *const eval_compliance_names[4];

/* Evaluate and store a run. Returns 0 (the run is stored; out filled), or
 * -1 with d filled when nothing could be stored: usage problems (a --param
 * that matches nothing, an unknown --rule, no data), an unreadable pack
 * file, or a database error. A pack with invalid YAML is an invalid input
 * that does not stop the others: it is reported through on_diag and
 * counted in out->invalid. */
int eval_run(struct store *s, const struct eval_request *req, struct eval_outcome *out,
	     struct diag *d);

/* Resolve the as-of time of a request: requested as it is, or
 * EVAL_AS_OF_LATEST as the latest capture or delivery time in the store.
 * Everything a run does at that time (the point-in-time state, as_of(),
 * coverage, the stored run) uses the one value this gives. Returns 0 with
 * *as_of_ms set, 1 if the store holds no data to take the latest time
 * from, or -1 with d filled. */
int eval_resolve_as_of(struct store *s, int64_t requested, int64_t *as_of_ms, struct diag *d);

/* Resolve a --pack argument: an existing file as given, else a pack of
 * that name (with or without .yaml) in DATADIR/packs. Returns a path the
 * caller frees, or NULL if neither exists. */
char *eval_resolve_pack_path(const char *arg, const char *datadir);

#endif
