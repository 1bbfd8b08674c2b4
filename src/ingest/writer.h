/*
 * writer: the store side of ingest. Worker threads turn canonical items
 * into batches of ready column values (item_encoder; its only SQLite use
 * is an optional lookup of already stored versions on the thread's own
 * read connection); the one writer thread owns the connection and loads
 * each file whole or not at all (struct writer): items once per
 * identity, provenance in item_sources, snapshot membership as
 * run-length rows in snapshot_presence, and the file's row in files.
 *
 * snapshot_presence: a row (item_key, account_id, region, first_time,
 * last_time) says the version is in every loaded snapshot of that
 * series delivered in [first_time, last_time]. A run that reaches the
 * latest loaded snapshot of its series is open: its last_time is
 * 9999-12-31T23:59:59.999Z, so that loading an unchanged snapshot in
 * time order writes no row per item.
 */
#ifndef CFGAUDIT_WRITER_H
#define CFGAUDIT_WRITER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/items.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* The text columns of items (enum item_col) are the store's: store/items.h. */

/* Encoded items, back to back in one buffer; see writer.c for the
 * record layout. Built by a worker, consumed by the writer. */
struct item_batch {
	struct strbuf data; /* the records */
	size_t n;	    /* how many records */
	size_t n_global;    /* how many have awsRegion "global" */
};

void item_batch_init(struct item_batch *b);
void item_batch_reset(struct item_batch *b);
void item_batch_release(struct item_batch *b);

/* One decoded record of a batch; pointers into the batch. */
struct item_rec {
	unsigned char key[STORE_KEY_LEN];
	const char *col[ICOL_COUNT]; /* NULL for SQL NULL */
	uint32_t len[ICOL_COUNT];
	int has_state_id;
	int64_t state_id;
	int known; /* stored already: col[] are all NULL */
	int conflict; /* stored already with other content: 1 + first differing column */
};

/* Iterate: *pos starts at 0. Returns 1 with *r filled, 0 at the end. */
int item_batch_next(const struct item_batch *b, size_t *pos, struct item_rec *r);

/* Per-thread encoding state (digest context, scratch). */
struct item_encoder;
struct item_encoder *item_encoder_new(void);
void item_encoder_free(struct item_encoder *e);

/* Let e look item keys up on db (a connection of the encoding thread):
 * items already stored are then encoded as their key only. */
void item_encoder_set_lookup(struct item_encoder *e, sqlite3 *db);

/* The same, for a read connection of the encoder's own: its lookups then
 * share one read transaction until item_encoder_release (a statement of
 * its own takes and drops the file locks each time: four fcntl calls
 * per item). */
void item_encoder_set_reader(struct item_encoder *e, sqlite3 *db);

/* End the read transaction of item_encoder_set_reader's connection, so
 * that later lookups see what the writer has committed since. Call it
 * when a batch is handed over and when a file ends. */
void item_encoder_release(struct item_encoder *e);

/* Append one canonical item to b. def_account and def_region (may be
 * NULL) stand in for a missing awsAccountId / awsRegion (the key layout
 * says whose file it is). Returns 0, or -1 with d's message saying what
 * is missing or malformed (the caller adds path and offset). */
int item_encode(struct item_encoder *e, struct item_batch *b, json_t *item, const char *def_account,
		const char *def_region, struct diag *d);

/* The text path (itemtext.h): read the JSON text[0, len) of one item of
 * a configurationItems array. Returns 1 when it is in the form stored as
 * it is, with its account id in account; 0 when it needs the parsed path
 * (item_encode after the reader's normalization). max_depth: the
 * reader's nesting limit. */
int item_encoder_read_text(struct item_encoder *e, const char *text, size_t len, int max_depth,
			   char account[24]);
/* Append the item item_encoder_read_text has just read, as item_encode
 * would append its parsed form. */
void item_encode_text(struct item_encoder *e, struct item_batch *b);

/* For an item read by quickid: when its version is stored already,
 * append it to b as its key only (as item_encode would) and return 1;
 * else return 0 and append nothing (the caller takes the full path). */
struct quickid;
int item_encode_quick(struct item_encoder *e, struct item_batch *b, const struct quickid *q);

/* The item key, as store_item_key computes it, with a reused digest
 * context (the hot path of ingest). */
void item_encoder_key(struct item_encoder *e, const char *account, const char *region,
		      const char *type, const char *id, const char *capture_time,
		      const char *state_id, unsigned char key[STORE_KEY_LEN]);

/* What the writer needs to know about one input file. */
struct writer_file {
	const char *path;		  /* as stored: relative to the ingest argument */
	long long size;			  /* bytes on disk */
	char sha256[65];		  /* hex digest of the bytes on disk */
	unsigned char key[STORE_KEY_LEN]; /* store_file_key(path, sha256) */
	const char *kind;		  /* files.kind */
	const char *account;		  /* layout or file name; NULL if unknown */
	const char *region;		  /* layout or file name; NULL if unknown */
	int has_time;			  /* delivered_ms is known */
	int64_t delivered_ms;		  /* delivery time from the file name */
	const char *snapshot_id;	  /* configSnapshotId, or NULL */
	int snapshot;			  /* a full snapshot of (account, region) at delivered_ms */
	int has_stat_key;		  /* stat_key is set */
	unsigned char stat_key[STORE_KEY_LEN]; /* store_stat_key of the file */
};

struct writer_stats {
	long long items;     /* items written (including repeats) */
	long long new_items; /* item versions not stored before */
};

struct writer; /* opaque */

/* Prepare the statements on s. Returns NULL with d filled. */
struct writer *writer_new(struct store *s, struct diag *d);
void writer_free(struct writer *w);
/* Hold at most max open snapshot runs in memory (tests use 0 to check the
 * database path that larger series take). */
void writer_limit_open_set(struct writer *w, size_t max);

/* Whether a file of this key is already loaded (1), or not (0); -1 with d
 * filled on a database error. */
int writer_is_loaded(struct writer *w, const unsigned char key[STORE_KEY_LEN], struct diag *d);

/* A first load (an empty store) with one connection: load the whole run
 * in one transaction, with the rollback journal instead of the WAL.
 * The pages of an empty store are new, and SQLite journals no new page:
 * every page is written once, where the WAL writes it twice and a
 * commit per file rewrites the pages of the random-keyed B-trees each
 * file touches. A run killed before writer_end leaves a hot journal
 * that the next open rolls back: the store is empty again, and the next
 * ingest loads it all. A streamed file is still all or nothing (a
 * savepoint). Call before the first file; returns 1 when it took
 * effect, 0 when another connection has the store open (nothing
 * changes), -1 with d filled. */
int writer_bulk(struct writer *w, struct diag *d);

/* Commit what is open (the last group, a bulk run). Returns 0 or -1
 * with d filled. */
int writer_end(struct writer *w, struct diag *d);
/* A bulk run's writer_end builds the secondary indexes of items too,
 * before its commit: one commit and sync rather than two (then
 * writer_restore_indexes finds them made). Only when nothing the run
 * writes after writer_end would come before them in the schema (the
 * evidence tables, created by the first evidence file). */
void writer_indexes_at_end(struct writer *w);

/* e's lookups (on w's connection, one thread) see the versions w stored
 * while a bulk load keeps their keys instead of the item_key index. */
void writer_share_keys(struct writer *w, struct item_encoder *e);

/* After a bulk run (and the indexes it deferred): back to the WAL. */
int writer_bulk_done(struct store *s, struct diag *d);

/* Open the group transaction now, if none is open, so that the item
 * lookups of an encoder sharing the writer's connection (one thread)
 * run inside it. Returns 0 or -1 with d filled. */
int writer_hold(struct writer *w, struct diag *d);

/* Start loading f; for a snapshot, make room for it in the presence
 * runs of its series. With grouped set, f must be known to be complete
 * and valid (read to its end): it joins the current group transaction;
 * otherwise the group is committed and f gets a transaction of its own,
 * so that writer_abort can throw it away. f must stay valid until
 * writer_finish or writer_abort. Returns 0 or -1 with d filled. */
int writer_begin(struct writer *w, const struct writer_file *f, int grouped, struct diag *d);

/* Store a batch of f's items. Returns 0 or -1 with d filled. */
int writer_add(struct writer *w, const struct item_batch *b, struct diag *d);

/* Record f as loaded with its counts, and commit (a grouped file: now
 * and then, see writer_flush). Returns 0 or -1 with d filled. */
int writer_finish(struct writer *w, long long item_count, long long global_items, struct diag *d);

/* A stream (standard input, a pipe) is only hashed as it is read, so a
 * big one is written under a provisional key (old_key) before its digest
 * is known. Once it is, the caller sets the file's key, size and sha256
 * and calls this before writer_finish: the provenance written so far
 * moves to the final key. Returns 0 or -1 with d filled. */
int writer_rekey(struct writer *w, const unsigned char old_key[STORE_KEY_LEN], struct diag *d);

/* Throw away everything of the current file (ROLLBACK; for a grouped
 * file the whole group, which only database errors should cause). */
void writer_abort(struct writer *w);

/* Commit the files finished so far. Call at the end of a run. Returns
 * 0, or -1 with d filled (then the finished files of the group are
 * lost, and not recorded as loaded either). */
int writer_flush(struct writer *w, struct diag *d);

/* Record f as failed, with why (err: message and offset), replacing an
 * earlier failed row of the same file. Not between writer_begin and
 * finish/abort. Returns 0 or -1 with d filled. */
int writer_record_failure(struct writer *w, const struct writer_file *f, const struct diag *err,
			  struct diag *d);

/* A version stored already whose content differs in the file being
 * loaded: its identity, the first differing member, and the path of a
 * loaded file that holds the stored text (NULL if none is recorded). */
struct writer_conflict {
	const char *account, *region, *type, *id, *capture; /* the identity */
	int has_state_id;
	int64_t state_id;
	const char *member;	/* first differing top-level member */
	const char *first_path; /* a file the stored (first loaded) text came from */
	long long n;		/* conflicts in this file so far, this one included */
};

/* Be told of every conflict (from writer_add, in the writer's thread).
 * The stored version stays as it is (evaluation uses the text loaded
 * first); the other text is kept in item_conflicts for history. */
void writer_set_conflict_fn(struct writer *w,
			    void (*fn)(void *ctx, const struct writer_conflict *c), void *ctx);

/* Conflicts found in the file being loaded (since writer_begin). */
long long writer_file_conflicts(const struct writer *w);

/* Counters since writer_new. */
const struct writer_stats *writer_stats(const struct writer *w);

/* f was found loaded already by its content: remember how it looks on
 * disk now, so that the next run skips it without reading it. */
int writer_note_stat(struct writer *w, const struct writer_file *f, struct diag *d);

/* A first load (no item stored yet) inserts its items without the
 * secondary indexes of items, which it builds at its end in one sorted
 * pass: each item is then one B-tree insert fewer per random key. Drops
 * them when items is empty and returns 1 (0 when the store holds items;
 * then it creates any index an interrupted first load left missing), or
 * -1 with d filled. */
int writer_defer_indexes(struct store *s, struct diag *d);
/* Creates the secondary indexes of items where missing; 0 or -1. */
int writer_restore_indexes(struct store *s, struct diag *d);

#endif
