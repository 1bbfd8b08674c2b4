/*
 * pit_delta: a point-in-time state kept beside the store and a state
 * built from it instead of whole (see pit.h, struct pit_hint). Internal
 * to pit.c.
 *
 * The kept file is the shared state's scratch file (pit_share_build) with
 * two more tables: pit_meta (what it was built from: as-of time, the
 * largest items and files rowids, whether every item up to that rowid
 * was captured at or before the as-of time, its rows' count, rowid
 * digest and distinct prefixes) and pit_marks (the resources current
 * because captured after their series' deciding snapshot, which a later
 * snapshot may not hold, and those not current because that snapshot did
 * not hold them, which a later one may hold again).
 */
#ifndef CFGAUDIT_PIT_DELTA_H
#define CFGAUDIT_PIT_DELTA_H

#include <stddef.h>
#include <stdint.h>

#include "store/pit.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "store/store.h"

/* How a resource's latest version stands (pit.c's is_current). */
enum {
	PIT_GONE = 0,	 /* a deletion */
	PIT_CURRENT = 1, /* current */
	PIT_NEWER = 2,	 /* current: captured after its deciding snapshot */
	PIT_DROPPED = 3, /* not current: its deciding snapshot does not hold it */
};
#define PIT_LIVE(how) ((how) == PIT_CURRENT || (how) == PIT_NEWER)

/* A resource a kept state marks: PIT_NEWER or PIT_DROPPED. */
struct pit_kept_mark {
	int64_t rid;
	int kind;
	char *type, *id, *account, *region, *capture;
	void *key; /* its item key */
	size_t key_len;
};

/* A set of texts that only counts them: open addressing of their 64-bit
 * hashes, the texts in one arena (compared on equal hashes only). A
 * keymap of the 568k ids of shape c took 100 MB and a seventh of the
 * scan that builds the state. */
struct pit_idset {
	uint64_t *hash;	     /* cap slots, 0 = empty */
	size_t *off;	     /* each slot's text in arena */
	size_t cap, n;	     /* n texts */
	struct strbuf arena; /* the texts, NUL-terminated */
};

/* What a whole build records of its rows for a kept state. */
struct pit_kept {
	int64_t n;     /* rows of pit_items */
	uint64_t hash; /* sum of pit_delta_mix of their rowids */
	int64_t d_type, d_ti, d_tia; /* distinct (type), (type, id), (type, id, account) */
	struct pit_idset ids;        /* the distinct resource ids (their count) */
	struct pit_kept_mark *marks;
	size_t n_marks, alloc_marks;
	/* what the build handed SQLite (the rows' count and rowid digest) and
	 * how many rows its INSERT made: a state is kept only when they are
	 * n and hash (pit_delta_record) */
	int64_t given_n, inserted;
	uint64_t given_hash;
};

void pit_kept_init(struct pit_kept *k);
/* A resource's latest version (how: PIT_*; its item key key_len bytes at
 * key), in pit_items' order; prev: the type, id and account of the last
 * current one (none when k->n is 0). */
void pit_kept_row(struct pit_kept *k, int64_t rid, const char *type, const char *id,
		  const char *account, const char *region, const char *capture, const void *key,
		  size_t key_len, int how, const char *const prev[3]);
void pit_kept_release(struct pit_kept *k);

/* After a whole build of k's rows in schema pit: its statistics
 * (sqlite_stat1), those of pit_items from k's counts as ANALYZE would
 * write them, without reading the table again. Returns 0 or -1 with d. */
int pit_kept_stats(struct store *s, const struct pit_kept *k, struct diag *d);

/* The digest of one rowid (the state's digest is their sum, mod 2^64). */
uint64_t pit_delta_mix(int64_t rid);

/* In the scratch file's transaction, after a whole build at t: pit_meta
 * and pit_marks; h->keep set when the state can be kept. Returns 0 or -1
 * with d. */
int pit_delta_record(struct store *s, const char *t, const struct pit_kept *k,
		     struct pit_hint *h, struct diag *d);

/* Take the kept state of s, if any, as path (the empty scratch file):
 * it is no longer kept. Call it while nothing else can (the store's
 * write lock, share_snapshot). Returns 1 when taken, else 0. */
int pit_delta_take(struct store *s, const char *path);

/* In the scratch file's transaction (schema pit, the kept state): make
 * it the state at t if the guards hold (1), else 0 (the file is then to
 * be emptied), or -1 with d. */
int pit_delta_apply(struct store *s, const char *t, struct pit_hint *h, struct diag *d);

/* What the kept state of s says, unchecked (pit_latest_time_kept): 0
 * with c filled, or -1 when there is none that says it. */
int pit_delta_claim(const struct store *s, struct pit_claim *c);

/* Keep the committed scratch file at path (beside the store) as the
 * state of s (else path is deleted: none is kept). */
void pit_delta_publish(struct store *s, const char *path);
/* STORE-pitstate (caller frees). */
char *pit_delta_kept_path(const struct store *s);

/* pit.c: fill schema's empty pit_snap at t (no selection). */
int pit_fill_snap(struct store *s, const char *schema, const char *t, struct diag *d);

#endif
