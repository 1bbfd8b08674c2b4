/*
 * pit: the point-in-time state of the store -- the one definition that
 * resources, eval and reports share (DESIGN.md, "Point-in-time state").
 *
 * The state at time T, per (account, region): every resource whose latest
 * version captured at or before T is not a deletion (ResourceDeleted,
 * ResourceDeletedNotRecorded) and which the evidence says still existed
 * at T: a resource present in one snapshot and absent from the latest
 * snapshot of the same account and region at or before T is gone, unless
 * a later history item shows it again. Global resources (awsRegion
 * 'global') count once per account.
 *
 * pit_build creates, on the store's connection, these TEMP objects (the
 * read-only evaluation schema of cfgaudit-rules(5)):
 *   current_items(item_key, account_id, region, resource_type, resource_id,
 *       resource_name, arn, availability_zone, status, capture_time,
 *       state_id, item_version, resource_creation_time, configuration,
 *       supplementary, tags, relationships)
 *   relationships(account_id, region, resource_type, resource_id, name,
 *       related_type, related_id, related_name)
 *   accounts(account_id, aws_region)   -- pairs present at T, never 'global'
 * Building again replaces them.
 */
#ifndef CFGAUDIT_PIT_H
#define CFGAUDIT_PIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/timeutil.h"

/*
 * A state not rebuilt whole (pit_delta.c): an evaluation's shared state
 * (pit_share_build) without a selection is kept beside the store, as
 * STORE-pitstate, with what it was built from (as-of time, the largest
 * items and files rowids, its items' rowids as a count and a digest).
 * A --since-run evaluation whose base run recorded exactly that state
 * builds its own from a copy of it: the resources that may have changed
 * since are found and recomputed by the rules above, the others stay.
 * When a guard fails the state is built whole; the two ways give the
 * same tables row for row.
 */
struct pit_prior {
	char as_of[TIME_ISO_LEN];  /* the base run's as-of time */
	int64_t items_mark;        /* the largest items and files rowids it read */
	int64_t files_mark;
	const int64_t *rids;       /* its state's items rowids */
	size_t n_rids;
};

/* How a state built from the prior one differs from it (from_prior):
 * the rowids of the rows it dropped and added (each in the order done),
 * and the count and digest (sum of pit_delta_mix) of its rowids after. */
struct pit_moves {
	int64_t *gone, *added;
	size_t n_gone, n_added, alloc_gone, alloc_added;
	int64_t n;
	uint64_t hash;
};

struct pit_hint {
	/* The largest items rowid when the as-of time was resolved as the
	 * latest time of the store (pit_latest_time_mark), or -1: a state
	 * can be kept for a later run only when every item it read is
	 * known to be captured at or before its as-of time. */
	int64_t latest_mark;
	const struct pit_prior *prior; /* --since-run: the base run's state, or NULL */
	int from_prior;                /* set: the state was built from the prior one */
	int keep;                      /* set: the state can be kept (pit_share_keep) */
	char *path;                    /* the runner: its scratch file, left for pit_share_keep */
	struct pit_moves moves;        /* from_prior: what changed (freed by pit_share_keep) */
};

struct pit_filter {
	int64_t as_of_ms;          /* T; INT64_MAX for "latest" */
	const char **accounts;     /* keep only these accounts (NULL/0 = all) */
	size_t n_accounts;
	const char **regions;      /* keep only these regions; global items are
				      always kept (NULL/0 = all) */
	size_t n_regions;
	const char *resource_type; /* keep only this type, or NULL */
	struct pit_hint *hint;     /* pit_share_build: keep the state, build it from
				      the prior one (NULL: neither) */
};

/* Build the TEMP objects above. Returns 0 or -1 with d filled. */
int pit_build(struct store *s, const struct pit_filter *f, struct diag *d);

/*
 * One state for several connections of one evaluation (runner.c): the
 * state's tables are built once, by pit_share_build on s, into the new
 * empty scratch file path (attached as schema "pit", written without
 * journal and committed: call it outside a transaction, while nothing
 * can commit to the store, and start the connections' read
 * transactions before anything can). pit_share_attach attaches the
 * built file to another connection of the same store. Both create the
 * TEMP views above over it (accounts too is then a view). Each returns
 * 0 or -1 with d filled (nothing left attached). The shared state has
 * no indexes of current_items by item_key and by (account, region,
 * type): no rule nor derived table needs them since the backup chain
 * reads current_items by type (pit_build, for one connection and the
 * other commands, still makes them). pit_share_detach drops
 * the views and detaches the file (outside a transaction); the caller
 * deletes the file.
 *
 * pit_ensure_ready does beforehand what a build may need to write to the
 * store (the items index a killed first load left missing).
 */
int pit_ensure_ready(struct store *s, struct diag *d);
int pit_share_build(struct store *s, const struct pit_filter *f, const char *path,
		    struct diag *d);
int pit_share_attach(struct store *s, const char *path, struct diag *d);
void pit_share_detach(struct store *s);
/* After the run that built the shared state h->path (a scratch file the
 * runner left, beside the store) was stored (ok) or not: detach it from
 * s, and keep it as the store's state (when h->keep) or delete it. */
void pit_share_keep(struct store *s, struct pit_hint *h, int ok);

/* A statement running the rule statement (its six result columns) and
 * adding, for each row, the item_key of the resource it names in the
 * state (NULL when none) and, with with_tags, that item's tags (else
 * NULL). The caller frees it. */
char *pit_result_join_sql(const char *statement, int with_tags);
/* A statement finding the item_key of the resource ?1 type, ?2 id, ?3
 * account, ?4 region in the state (no row when it holds none), or NULL
 * with d filled. */
sqlite3_stmt *pit_item_key_prepare(struct store *s, struct diag *d);

/* The latest capture or delivery time in the store (canonical text into
 * out, TIME_ISO_LEN bytes), used as the default as-of; AWS's verdicts
 * loaded from CLI answers (verdict_answer.h) and evidence files do not
 * count: they are not configuration data, and a capture newer than the
 * archive would make its data look stale. Returns 0, or 1 if
 * the store holds no data, or -1 with d filled. */
int pit_latest_time(struct store *s, char *out, struct diag *d);
/* The same, and *items_mark the largest items rowid read with it (in the
 * same statement). */
int pit_latest_time_mark(struct store *s, char *out, int64_t *items_mark, struct diag *d);

/*
 * The same for a --since-run run, without reading every item: the state
 * kept beside the store (pit_delta.h) says every item up to its items
 * mark was captured at or before its as-of time (the claim), so a later
 * time among the items loaded since (by rowid) and the files is the
 * latest. Returns 0 (out, *items_mark and *claim set), 2 when it cannot
 * tell (no kept state that says so, or nothing later loaded since), or
 * -1 with d. The claim is only the kept file's word: it holds when that
 * state is then built from (pit_hint.from_prior, with a prior of the
 * claim's as-of time and items mark), else the caller checks the time
 * with pit_latest_time_mark.
 */
struct pit_claim {
	char as_of[TIME_ISO_LEN];
	int64_t items_mark;
};
int pit_latest_time_kept(struct store *s, char *out, int64_t *items_mark,
			 struct pit_claim *claim, struct diag *d);

#endif
