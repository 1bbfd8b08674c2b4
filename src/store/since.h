/*
 * since: what an incremental evaluation (cfgaudit eval --since-run,
 * eval/incremental.h) reads of a prior run and of the data loaded since,
 * and the table that makes a run usable as such a base.
 *
 * Every run records in run_state the point-in-time state it evaluated:
 * the items rowids of the versions current at its as-of time (sorted,
 * delta-encoded varints), and how far the items and files tables went
 * when it read them (their largest rowids). A later run compares its own
 * state with that set: a resource whose current version is not in it is
 * new or changed; the prior run's results whose item version is still
 * current are copied. The table is created on first use; a run without a
 * row (made before it) cannot be a base.
 */
#ifndef CFGAUDIT_SINCE_H
#define CFGAUDIT_SINCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/pit.h"
#include "store/store.h"
#include "util/keymap.h"
#include "util/diag.h"
#include "util/timeutil.h"

/* How far the store went when a run read it. */
struct since_marks {
	int64_t items_max_rowid;
	int64_t files_max_rowid;
};

/* What a prior run recorded, as far as reuse depends on it. */
struct since_prior {
	int64_t run_id;
	char as_of[TIME_ISO_LEN];
	char status[16];
	char *tool_version;
	char *filters;           /* runs.filters, JSON text */
	int has_state;           /* a run_state row exists */
	int schema_version;
	struct since_marks marks;
	long errors;             /* rows in run_errors */
	char *waivers_sha256;    /* of its waivers file, or NULL */
	int64_t max_age_ms;      /* of its coverage rows, or -1 when none */
	int64_t *rids;           /* sorted rowids of its current item versions */
	size_t n_rids;
};

void since_prior_release(struct since_prior *p);

/* Read run id. Returns 0, 1 when there is no such run, or -1 with d. */
int since_prior_read(struct store *s, int64_t id, struct since_prior *p, struct diag *d);

/* Complete runs that have a state, newest first (caller frees *ids). */
int since_candidates(struct store *s, int64_t **ids, size_t *n, struct diag *d);

/* The largest rowids of items and files (inside the run's read). */
int since_marks_read(struct store *s, struct since_marks *m, struct diag *d);

/* Data loaded after the prior run read the store that belongs to a time
 * at or before its as-of time: snapshot/history files delivered then, or
 * new versions captured then
 * from files without a delivery time (exports). Returns 0 when there is none,
 * 1 with *what set (a description the caller frees), or -1 with d. */
int since_late_data(struct store *s, const struct since_prior *p, char **what,
		    struct diag *d);

/* Record run_id's state: the rowids of its point-in-time state (r->state,
 * else those of pit_items), marks, and since_run (the base of an incremental run, or
 * 0), with how many resources and rules it re-evaluated. Inside the
 * run's write transaction. */
struct since_record {
	struct since_marks marks;
	int64_t since_run;       /* 0: a full evaluation */
	long changed_resources;  /* incremental: resources re-evaluated */
	long rules_rerun;        /* incremental: rules re-evaluated in full */
	long rules_copied;       /* incremental: rules whose other results were copied */
	const int64_t *state;    /* its state's sorted rowids (since_mark_changed), or
				  * NULL: those of temp.pit_items */
	size_t n_state;
};
int since_state_write(struct store *s, int64_t run_id, const struct since_record *r,
		      struct diag *d);

/* Read the since_run of run_id: 0 for a full run or none recorded. */
int since_run_of(struct store *s, int64_t run_id, int64_t *since_run, struct diag *d);

/* On a connection holding the point-in-time state: temp.since_changed,
 * the resources whose current version is not among the sorted rids;
 * temp.since_stale, the rids no longer current (versions superseded,
 * resources deleted or gone); temp.since_places, the (type, account,
 * region) of both; temp.since_items, dropped (since_items_build makes it
 * once since_changed is complete). Sets *n_changed and, unless state is
 * NULL, *state to the state's sorted rowids (caller frees). mv, unless
 * NULL, says how the state was built from the one of rids (pit_delta):
 * its rowids are then rids less mv's gone plus its added, taken when
 * their count and digest are mv's (else read from pit_items). */
int since_mark_changed(struct store *s, const int64_t *rids, size_t n_rids,
		       const struct pit_moves *mv, long *n_changed, int64_t **state,
		       size_t *n_state, struct diag *d);

/* temp.since_items: the rows of current_items of the resources in
 * temp.since_changed, as a table (what the rules run on the changed
 * resources read, instead of current_items: a view of that view made
 * each of their statements longer to prepare and to run). 0 or -1. */
int since_items_build(struct store *s, struct diag *d);

/* Results of run new_id for the rules rule_nos (n of them) outside what
 * they re-evaluated (should be none): with types NULL, resources not in
 * temp.since_changed; else (a per-place rule) outside the account-Regions
 * where a resource of types ("A,B") is new, changed or gone
 * (temp.since_places). Returns the count, or -1. */
long since_count_outside(struct store *s, int64_t new_id, const int *rule_nos, size_t n,
			 const char *types,
			 struct diag *d);

/* What the copies below stored, counted while copying: results by
 * compliance type, the NON_COMPLIANT (rule, account, region) triples,
 * and the largest rowid of run_results before the first copy. */
struct since_tally {
	long counts[4];
	struct keymap nc;
	int64_t before_rowid;
	int by_ref; /* nothing copied: the run was stored by reference */
};
void since_tally_release(struct since_tally *t);
/* Copy the results of per-place rule rule_no from run old_id into run
 * new_id outside the account-Regions where a resource of types ("A,B")
 * is new, changed or gone. */
int since_copy_places(struct store *s, int64_t old_id, int64_t new_id, int rule_no,
		      const char *types, struct since_tally *t, struct diag *d);

/* 'A','B' for an SQL IN list from types "A,B" (caller frees). */
char *since_type_list(const char *types);

/* Copy the results of rules rule_nos from run old_id into run new_id
 * where their item version is still current (not in temp.since_stale). */
int since_copy_results(struct store *s, int64_t old_id, int64_t new_id, const int *rule_nos,
		       size_t n, struct since_tally *t, struct diag *d);

/* Results of run_id by compliance type (in eval_compliance_names order)
 * and its NON_COMPLIANT (rule, account, region) triples; its rows were
 * stored after rowid after_rowid (since_results_end before storing). With
 * t, the rows copied (after t->before_rowid) are those t counted, and
 * only the others are read (their triples join t's). */
int since_count_results(struct store *s, int64_t run_id, int64_t after_rowid,
			struct since_tally *t, long counts[4], long *nc_triples, struct diag *d);
/*
 * Results by reference (schema version 4, see schema.c). A run made from
 * a base stores only the results it re-evaluated, and records per rule
 * what it re-evaluated (its other results are the base's that it did not
 * re-evaluate), unless its chain of bases would grow past
 * SINCE_REF_MAX_DEPTH runs or its own rows exceed SINCE_REF_MAX_SHARE of
 * those of the run stored in full its chain ends at: then it is stored
 * in full, its base's results copied (as before version 4).
 */
#define SINCE_REF_MAX_DEPTH 7
#define SINCE_REF_MAX_SHARE 0.2

/* A rule a run re-evaluated on what changed (not in full): on the
 * changed resources (types NULL) or on the account-Regions where a
 * resource of types ("A,B") is new, changed or gone. */
struct since_ref_rule {
	int rule_no;
	const char *types;
};

/* Store run new_id by reference to its base old_id, if its chain stays
 * short: sets *by_ref to 1 and records the chain, the rules (from
 * temp.since_stale and temp.since_places) and the counts that keep it
 * short; else *by_ref is 0 and nothing is written (copy the results). */
int since_ref_store(struct store *s, int64_t old_id, int64_t new_id,
		    const struct since_ref_rule *rules, size_t n, int *by_ref, struct diag *d);

/* The largest rowid of run_results (0 if none). */
int since_results_end(struct store *s, int64_t *rowid, struct diag *d);

#endif
