/*
 * presence: the write side of snapshot membership (table
 * snapshot_presence), as ingest's writer keeps it (src/ingest/writer.c
 * holds the logic: which run to open, extend, merge or end; this module
 * holds the statements).
 *
 * A row (item_key, account_id, region, first_time, last_time) says the
 * version is in every loaded snapshot of that series delivered in
 * [first_time, last_time]. A run that reaches the latest loaded snapshot
 * of its series is open: its last_time is PRESENCE_OPEN, so that loading
 * an unchanged snapshot in time order writes no row per item.
 *
 * Every function returns 0, or -1 with d filled (a database error).
 * Times are canonical ISO texts (TIME_ISO_LEN).
 */
#ifndef CFGAUDIT_STORE_PRESENCE_H
#define CFGAUDIT_STORE_PRESENCE_H

#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

/* The last_time of an open run: later than any time, so "first_time <=
 * T <= last_time" still reads "in every loaded snapshot of the series
 * delivered in between". */
#define PRESENCE_OPEN "9999-12-31T23:59:59.999Z"

/* One series: the account and folder Region of a snapshot. */
struct presence_series {
	const char *account, *region;
};

/* The prepared statements, on s (and temp.ingest_snap, the keys of the
 * snapshot being loaded when its series has too many open runs to hold
 * in memory). */
struct presence;
struct presence *presence_new(struct store *s, struct diag *d);

/* A bulk first load writes the runs of its new series in key order, which
 * lands them all over the series index: it drops the index (inside its
 * transaction) and builds it from a sort before anything reads a series
 * again or the load commits. 0, or -1 with d. */
int presence_drop_index(struct store *s, struct diag *d);
/* Build the series index if it is missing. 0, or -1 with d. */
int presence_build_index(struct store *s, struct diag *d);
void presence_free(struct presence *p);

/* In time order (t is the series' latest snapshot). */
/* An open run from t, unless the version has one. */
int presence_open_run(struct presence *p, const struct presence_series *ser,
		      const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d);
/* An open run from t, where the series has no run yet (no lookup). */
int presence_insert_open(struct presence *p, const struct presence_series *ser,
			 const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d);
/* Remember / forget the keys of the snapshot being loaded. */
int presence_snap_key(struct presence *p, const unsigned char key[STORE_KEY_LEN], struct diag *d);
int presence_snap_clear(struct presence *p, struct diag *d);
/* End at prev the open runs (begun before t) of the versions the
 * remembered keys lack. */
int presence_close_runs(struct presence *p, const struct presence_series *ser, const char *t,
			const char *prev, struct diag *d);
/* End the open run of one version at prev. */
int presence_close_one(struct presence *p, const struct presence_series *ser,
		       const unsigned char key[STORE_KEY_LEN], const char *prev, struct diag *d);
/* The versions with an open run begun before t, at most limit of them:
 * fn once per key (keys of another length are skipped). */
int presence_open_keys(struct presence *p, const struct presence_series *ser, const char *t,
		       long long limit, void (*fn)(const unsigned char *key, void *ctx), void *ctx,
		       struct diag *d);

/* Out of order (t lies before a loaded snapshot, next). */
/* The run ending at prev grows to t; first gets its first_time, or "". */
int presence_extend_last(struct presence *p, const struct presence_series *ser,
			 const unsigned char key[STORE_KEY_LEN], const char *prev, const char *t,
			 char *first, size_t first_size, struct diag *d);
/* The last_time of the run starting at next, or "". */
int presence_merge_find(struct presence *p, const struct presence_series *ser,
			const unsigned char key[STORE_KEY_LEN], const char *next, char *last,
			size_t last_size, struct diag *d);
/* Join the run starting at next into the one starting at first. */
int presence_merge(struct presence *p, const struct presence_series *ser,
		   const unsigned char key[STORE_KEY_LEN], const char *first, const char *next,
		   const char *last, struct diag *d);
/* The run starting at next grows back to t; *changed tells whether there
 * was one. */
int presence_extend_first(struct presence *p, const struct presence_series *ser,
			  const unsigned char key[STORE_KEY_LEN], const char *next, const char *t,
			  int *changed, struct diag *d);
/* Whether a run covers t already. */
int presence_covering(struct presence *p, const struct presence_series *ser,
		      const unsigned char key[STORE_KEY_LEN], const char *t, int *covered,
		      struct diag *d);
/* A run [t, t]. */
int presence_insert_run(struct presence *p, const struct presence_series *ser,
			const unsigned char key[STORE_KEY_LEN], const char *t, struct diag *d);
/* Cut the runs strictly around t into [first, prev] and [next, last]
 * (versions the snapshot at t holds join up again). */
int presence_split(struct presence *p, const struct presence_series *ser, const char *t,
		   const char *prev, const char *next, struct diag *d);

#endif
