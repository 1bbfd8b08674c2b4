/*
 * run_errors: what a run could not evaluate (cfgaudit-eval(1), "Honest
 * runs"). A run that met an invalid pack, an invalid parameter, an
 * unknown rule identifier or a rule that failed while running is stored
 * with one row per problem in the table run_errors, and is incomplete:
 * never the default run of report, bundle or diff, and every report
 * format lists the problems.
 *
 * The table is created by the first eval that needs it ("IF NOT
 * EXISTS", like run_coverage); readers take a missing table as "no run
 * has errors", so read-only and older stores read as before.
 *
 * Also here, for the same reports: the input files that failed to load
 * before a run (table files).
 */
#ifndef CFGAUDIT_RUN_ERRORS_H
#define CFGAUDIT_RUN_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One problem of a run. Strings are owned by the list. */
struct run_error {
	char *kind;    /* "pack", "parameter", "identifier", "rule" */
	char *rule;    /* config rule name, "" when the problem is not one rule's */
	char *path;    /* file the problem is in, "" if none */
	long line;     /* 1-based line in path, 0 if unknown */
	char *message; /* lowercase, no final period */
};

struct run_errors {
	struct run_error *v;
	size_t n, alloc;
};

/* Append a problem (copies every string; NULL reads as ""). */
void run_errors_add(struct run_errors *e, const char *kind, const char *rule, const struct diag *d);
void run_errors_release(struct run_errors *e);

/* Store e as the problems of run_id, inside the caller's transaction.
 * Nothing is written (and no table created) when e is empty.
 * Returns 0 or -1 with d filled. */
int run_errors_store(struct store *s, int64_t run_id, const struct run_errors *e, struct diag *d);

/* Load the problems of run_id in the order they were met; an empty list
 * when it has none or the store has no run_errors table. Returns 0 or -1
 * with d filled; release e either way. */
int run_errors_load(struct store *s, int64_t run_id, struct run_errors *e, struct diag *d);

/* SQL condition that holds for a run without problems, for a query on
 * runs: "run_id NOT IN (...)", or "1" when the store has no table. A
 * static string; returns NULL with d filled on a database error. */
const char *run_errors_complete_sql(struct store *s, struct diag *d);

/* The id of the latest run whose status is complete and that has no
 * problems; 0 if none; -1 with d filled on error. If newer is not NULL,
 * it receives the id of the latest complete run with problems that is
 * newer than that one (0 if none), so that callers can say it was
 * passed over. */
int64_t run_errors_latest_complete(struct store *s, int64_t *newer, struct diag *d);

/* An input file that failed to load. Strings borrowed for the call. */
struct run_failed_file {
	const char *path;
	const char *error;       /* "" when none was recorded */
	const char *ingested_at; /* when it failed, as stored */
	const char *account_id;  /* from the path, or NULL */
};

/* The files that failed to load at or before run_id started and were
 * not loaded under the same path since, up to then; by (path, time).
 * Returns 0 or -1 with d filled. */
int run_failed_files_each(struct store *s, int64_t run_id,
			  void (*fn)(const struct run_failed_file *f, void *ctx), void *ctx,
			  struct diag *d);

#endif
