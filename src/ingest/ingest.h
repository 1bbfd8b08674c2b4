/*
 * ingest: loading input files and trees into the store -- the
 * orchestration between discover (what to read), the reader (bytes to
 * canonical items, in worker threads) and the writer (the one thread
 * that owns the SQLite connection). Each file is one transaction.
 */
#ifndef CFGAUDIT_INGEST_H
#define CFGAUDIT_INGEST_H

#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

struct ingest_stats {
	long long files_total;	 /* files to read (after discovery) */
	long long files_done;	 /* files finished, whatever the outcome */
	long long files_loaded;	 /* loaded by this run */
	long long items_read;	 /* items read from loaded files */
	long long items_new;	 /* item versions not stored before */
	long long files_skipped; /* already loaded (same path, size, digest) */
	long long ignored;	 /* objects that are not Config data */
	long long files_failed;	 /* recorded as failed, or not readable at all */
	long long warnings;	 /* warnings about files that loaded (on_warning) */
	long long conflicts;	 /* items stored already with other content */
	long long files_other_accounts; /* not read: the path names an account not selected */
	long long items_other_accounts; /* read but not stored: of an account not selected */
};

struct shard_selection;

struct ingest_options {
	int jobs; /* reading threads, besides the writer; 1 = everything in one */
	/* Called for each file that failed (path, byte offset, reason). */
	void (*on_failure)(void *arg, const struct diag *d);
	/* Called instead of on_failure, if set, for a file that changed while
	 * it was being read (a sync still writing it): it failed all the
	 * same, and the next run reads it again. */
	void (*on_changed)(void *arg, const struct diag *d);
	/* Called from the writer thread, in file order, with a warning about
	 * a file that loaded all the same (times whose zone the file does not
	 * give, items that conflict with stored ones). */
	void (*on_warning)(void *arg, const struct diag *d);
	/* Tests only: called after a regular file has been hashed and before
	 * it is parsed (from a reading thread), to change it at that moment. */
	void (*after_hash)(void *arg, const char *path);
	/* Called now and then from the writer thread with the counts so far. */
	void (*on_progress)(void *arg, const struct ingest_stats *st);
	void *arg; /* passed to the callbacks */
	/* Load only these accounts (store/shards.h), or NULL for all: files
	 * whose path names another account are not read, items of another
	 * account in other files are not stored. */
	const struct shard_selection *select;
};

/* Ingest every path (file, directory tree, FIFO or character device, or
 * "-" for standard input; the last three are read once, as a stream).
 * Files that fail are recorded and reported through on_failure; the run
 * goes on. Returns 0 when every file was loaded, skipped or ignored, 1
 * when some failed, or -1 with d filled when the store itself failed
 * (nothing of the unfinished file is kept). */
int ingest_run(struct store *s, const char *const *paths, size_t n_paths,
	       const struct ingest_options *opt, struct ingest_stats *st, struct diag *d);

#endif
