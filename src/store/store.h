/*
 * store: the one SQLite file every stage reads and writes.
 *
 * The rule: the store owns every statement on stored tables. Each stored
 * concept has one module in src/store with a struct that says what the
 * thing is and functions to write, find and read it:
 *
 *   schema.c      the DDL, indexes and the upgrade from version 1
 *   run.h         evaluation runs, their rules, files, scope and results
 *                 (struct run_record), and comparing two runs
 *   run_errors.h  what a run could not evaluate, and the input files that
 *                 failed to load before it
 *   triage.h      per rule of a run: severity, remediation, documentation
 *   waivers.h     a run's waivers file, its entries and the waived results
 *   items.h       item versions and their other texts (struct item_record)
 *   files.h       input files and which delivered a version (struct file_record,
 *                 item_files: a version's source files at a time)
 *   presence.h    the write side of snapshot membership (snapshot_presence)
 *   inventory.h   the inventory at a point in time (struct inventory_row), and
 *                 the accounts, regions and earliest time the store holds
 *   pit.h         the point-in-time state: the TEMP evaluation schema
 *   coverage.h    data coverage per account and region, and run_coverage
 *   evidence.h    the stored answers of read-only AWS CLI calls, the newest
 *                 of each at a time, and the organization's accounts in them
 *   evidence_calls.h  the calls cfgaudit reads, and the credential report format
 *   verdicts.h    AWS's own verdicts beside a run's (cfgaudit compare)
 *   since.h       what eval --since-run reads of a prior run (run_state)
 *   shards.h, merge.h  shard stores and their merge (cfgaudit merge)
 *   walk.h        helpers the modules above share (internal)
 *
 * Which module may call which (HACKING.md has the table): the store
 * calls only util; ingest, packs, eval, report, bundle and the commands
 * call the store's functions and never name a stored table. The modules
 * that decide what is written keep the deciding: ingest (what an item
 * is), eval (a run's verdicts, triage.c's severities), packs (which
 * waiver waives which result, packs/waivers.c); the store writes and
 * reads what they decided. eval owns only its TEMP tables (derived
 * tables, staging) and the rules' statements, which read the TEMP
 * evaluation schema of man/cfgaudit-rules.5.
 *
 * No file outside src/store names a stored table, and each module
 * includes only the modules below it; t1722 checks both.
 *
 * Schema (version 4, STORE_SCHEMA_VERSION) -- see schema.c for the DDL:
 *
 *   files            one row per input file ingest has seen (loaded or failed)
 *   items            one row per configuration item version (deduplicated)
 *   item_sources     which non-snapshot files delivered which item version
 *   snapshot_presence  contiguous runs of snapshots of one (account, region)
 *                    that contained an item version
 *   item_conflicts   other texts of a stored version (created on first use)
 *   runs, run_files, run_rules, run_scope   evaluation runs
 *   run_results      one row per verdict, naming its rule by run_rules.rule_no,
 *                    its resource by run_resources.resource_no and its
 *                    annotation by run_annotations.annotation_no; the view
 *                    results gives each its pack, rule name and texts back
 *   run_chain, run_reach, run_stale, run_places, run_ref   runs stored by
 *                    reference to a base run (eval --since-run); the view
 *                    run_results_all gives every run's results, its own
 *                    rows and those it shows of its chain's runs
 *   run_coverage     the data coverage a run used (created on first use)
 *   shard_selection, merged_shards   sharded stores (cfgaudit-merge(1); created
 *                    on first use)
 *   created on first use ("IF NOT EXISTS"; readers take a missing table as
 *   "none", see store_table_exists): run_errors, run_rule_triage,
 *   run_waiver_files, run_waivers, run_waived, evidence_calls, run_state
 *
 * Keys are content-derived 16-byte blobs (file_key, item_key) rather than
 * row ids, so that databases built per account can be merged by a plain
 * INSERT OR IGNORE ... SELECT of every table.
 */
#ifndef CFGAUDIT_STORE_H
#define CFGAUDIT_STORE_H

#include <sqlite3.h>

#include "util/diag.h"

#define STORE_SCHEMA_VERSION 4
#define STORE_KEY_LEN 16
/* How long a connection waits for another's lock before giving up. */
#define STORE_BUSY_TIMEOUT_MS 120000

struct store {
	sqlite3 *db; /* the open connection */
	char *path;  /* database file path (owned) */
	int wb_fd;	   /* store_writeback's descriptor of the file, or -1 */
	long long wb_size; /* the file's size at its last writeback */
};

/*
 * The page size of a new store (SQLite's largest). An item (1-3 kB of
 * JSON, often more) then fits in its table page, where with 4 KiB pages
 * most pages held one or two rows and a quarter of each stayed empty, or
 * the row went on to overflow pages: a first load wrote 12-14% fewer
 * bytes (a: 214 -> 188 MB, c: 488 -> 424 MB) and spent 40-60% less
 * system time copying them. Stores made before keep their page size.
 */
#define STORE_PAGE_SIZE 65536
#define STORE_PAGE_SIZE_TEXT "65536"

enum store_mode {
	STORE_READ_WRITE, /* create the file and schema if missing */
	STORE_READ_ONLY,  /* the file must exist */
};

/* Open (and create or migrate) the database at path. Returns a store the
 * caller frees with store_close, or NULL with d filled. */
struct store *store_open(const char *path, enum store_mode mode, struct diag *d);
void store_close(struct store *s);

/* Run a statement that returns no rows. Returns 0 or -1 with d filled. */
int store_exec(struct store *s, const char *sql, struct diag *d);

/* Give the sorts of big statements (CREATE INDEX) n threads, with small
 * runs so that the threads sort while the statement reads; n = 0: none,
 * and the usual page cache again (the cache is small while n > 0).
 * Returns 0 or -1 with d filled. */
int store_sort_threads(struct store *s, int n, struct diag *d);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK, waiting on busy up to the timeout. */
int store_begin(struct store *s, struct diag *d);
int store_commit(struct store *s, struct diag *d);
void store_rollback(struct store *s);

/*
 * A large write of new pages (a first load, a run's results) goes
 * through the rollback journal: pages added at the end of the file are
 * not journaled, so each is written once, where WAL writes it to the log
 * and again at the checkpoint. store_journal_direct switches to it (with
 * synchronous=FULL, so a crash still cannot corrupt) when no other
 * connection has the store open, and returns 1; it returns 0 and leaves
 * WAL as it is when another connection holds it open, -1 on error.
 * store_journal_wal switches back.
 */
int store_journal_direct(struct store *s, struct diag *d);
int store_journal_wal(struct store *s, struct diag *d);

/*
 * Start writing the file's written pages to disk in the background once
 * it has grown by `every` bytes since the last call that did (0: now),
 * so that the sync at the commit of a large transaction (a first load:
 * hundreds of MB) finds most of them written already instead of
 * waiting for all of them. Only where the system can (Linux's
 * sync_file_range); best effort, errors ignored. Its own descriptor of
 * the file stays open until store_close, after the connection's: closing
 * a descriptor drops the process's POSIX locks on the file, SQLite's
 * included.
 */
void store_writeback(struct store *s, long long every);

/* Prepare a statement; on failure fill d with SQLite's message. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql, struct diag *d);

/* Fill d from the connection's last error, prefixed with what failed.
 * Returns -1. */
int store_error(struct store *s, struct diag *d, const char *what);

/* Does the main database have the table name? Tables that modules create
 * on first use (IF NOT EXISTS) are missing from older stores. Returns 1,
 * 0, or -1 with d filled. */
int store_table_exists(struct store *s, const char *name, struct diag *d);
/* The same for an index. */
int store_index_exists(struct store *s, const char *name, struct diag *d);

/* The key of an item version: the first 16 bytes of SHA-256 over
 * account, region, type, id, capture time (canonical) and state id
 * (decimal text, "" when absent), each followed by a NUL byte. */
void store_item_key(const char *account, const char *region, const char *type,
		    const char *id, const char *capture_time, const char *state_id,
		    unsigned char key[STORE_KEY_LEN]);

/* The key of an input file: first 16 bytes of SHA-256 over its path, a
 * NUL byte and the hex SHA-256 of its content. */
void store_file_key(const char *path, const char *sha256_hex, unsigned char key[STORE_KEY_LEN]);

/* What a file looks like on disk without reading it: a digest of its
 * stored path and its device, inode, size and modification time. A file
 * whose stat key is that of a loaded file is taken as unchanged. */
struct stat;
void store_stat_key(const char *path, const struct stat *sb, unsigned char key[STORE_KEY_LEN]);

#endif
