/*
 * coverage: which data the store holds for each account and region at a
 * point in time T, and how old it is (cfgaudit-coverage(1)).
 *
 * Per (account, region) known to the store -- from the account and
 * region of its loaded files, and from the items of files that name
 * neither (API answers, exports) -- at T:
 *   snapshot time     the latest loaded ConfigSnapshot delivered at or
 *                     before T (for region 'global': the latest of the
 *                     account that carried global items), as the
 *                     point-in-time state uses it (inventory_coverage);
 *   latest delivery   the latest delivery time of a loaded file of any
 *                     kind at or before T; for files without a delivery
 *                     time (API answers), the capture time of the latest
 *                     item they hold, at or before T;
 *   complete          a snapshot time exists;
 *   stale             no latest delivery (missing), or one older than
 *                     max-age before T.
 *
 * Runs keep the coverage they used in the table run_coverage, so that a
 * report of an old run shows what that run saw. Stores made before
 * run_coverage existed have no such table: their runs read as "coverage
 * not recorded", and the first eval on the store creates it.
 */
#ifndef CFGAUDIT_COVERAGE_H
#define CFGAUDIT_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* The default --max-age: 26 hours (a daily snapshot, with slack). */
#define COVERAGE_DEFAULT_MAX_AGE_MS (26LL * 3600 * 1000)

/* One account-region. Strings are owned by the coverage. */
struct coverage_entry {
	char *account_id;      /* 12 digits */
	char *region;          /* a region, or 'global' for IAM */
	char *snapshot_time;   /* canonical time, or NULL: no snapshot at or before T */
	char *latest_delivery; /* canonical time, or NULL: no data at or before T */
	int complete;          /* a snapshot at or before T (snapshot_time != NULL) */
	int stale;             /* latest_delivery NULL or older than max_age before T */
};

struct coverage {
	struct coverage_entry *v; /* sorted by (account_id, region) */
	size_t n, alloc;
	int64_t max_age_ms;       /* the threshold stale was judged by */
	int recorded;             /* coverage_load: the run recorded its coverage */
};

/* Which account-regions, at which time. Strings are borrowed. */
struct coverage_request {
	const char *as_of;         /* T, canonical (time_format_iso) */
	const char **accounts;     /* only these accounts (NULL/0 = all) */
	size_t n_accounts;
	const char **regions;      /* only these regions; 'global' is always kept */
	size_t n_regions;
	int64_t max_age_ms;        /* stale threshold (> 0) */
};

/* Parse a --max-age value: a positive whole number followed by 'h'
 * (hours) or 'd' (days), e.g. "26h", "2d", at most 3650 days. Returns 0
 * and sets *ms, or -1 on a bad value. */
int coverage_parse_max_age(const char *text, int64_t *ms);

/* The threshold as --max-age spells it ("26h", "2d"): days when whole
 * days, else hours (a stored odd value prints in minutes). out: 32 bytes. */
void coverage_format_max_age(int64_t ms, char *out);

/* Compute the coverage at r->as_of into c (which the caller releases).
 * Returns 0, or -1 with d filled. */
int coverage_compute(struct store *s, const struct coverage_request *r, struct coverage *c,
		     struct diag *d);

/* Record c as run run_id's coverage, creating the table run_coverage in
 * a store that predates it. Call inside the run's write transaction.
 * Returns 0, or -1 with d filled. */
int coverage_store(struct store *s, int64_t run_id, const struct coverage *c, struct diag *d);

/* Load run run_id's recorded coverage into c (released by the caller);
 * c->recorded is 0 when the store or the run has none. Returns 0, or -1
 * with d filled. */
int coverage_load(struct store *s, int64_t run_id, struct coverage *c, struct diag *d);

/* How many entries are stale or incomplete. */
size_t coverage_flagged(const struct coverage *c);

/* The status word of an entry: "missing" (no data at or before T),
 * "stale", "incomplete" (fresh, no snapshot) or "fresh". */
const char *coverage_status(const struct coverage_entry *e);

/* An entry as the JSON object that 'coverage --format json' and the JSON
 * report print: {AccountId, AwsRegion, SnapshotTime, LatestDeliveryTime,
 * Complete, Stale, Status}, times to the second or null, strings made
 * valid UTF-8. The caller owns the reference. */
struct json_t;
struct json_t *coverage_entry_json(const struct coverage_entry *e);

void coverage_release(struct coverage *c);

#endif
