/*
 * newruns: the open snapshot runs of series that start in this ingest,
 * held back and written in item key order.
 *
 * The first snapshot of a series (no loaded snapshot before or after it)
 * only opens runs: one snapshot_presence row per version, never looked
 * up. Written as they come, the rows of each file land all over the
 * key-ordered B-tree (the keys are digests), and a first load of many
 * small snapshots pays a random B-tree write per item. Held here across
 * files (in a bulk first load, the run's one transaction) and written
 * sorted, they are appended.
 *
 * A file's runs must vanish with the file when it fails: the runs of
 * earlier files are written only outside a file's savepoint
 * (newruns_write_all, before the next file begins) or, if a file must
 * see them earlier (newruns_write_before), kept until that file is done
 * (newruns_file_done), so that its rollback cannot lose them.
 */
#ifndef CFGAUDIT_INGEST_NEWRUNS_H
#define CFGAUDIT_INGEST_NEWRUNS_H

#include <stddef.h>

#include "store/presence.h"
#include "util/diag.h"

struct newruns;

/* An empty buffer that writes through p (borrowed); max bounds the runs
 * held (at least 1). */
struct newruns *newruns_new(struct presence *p, size_t max);
void newruns_free(struct newruns *nr);
void newruns_set_max(struct newruns *nr, size_t max);

/* A file begins that opens no runs here. */
void newruns_file_mark(struct newruns *nr);
/* A file of series (account, region) delivered at t (canonical) begins:
 * its runs follow. The strings are copied. */
void newruns_file_begin(struct newruns *nr, const char *account, const char *region,
			const char *t);
/* Hold the open run of key in the current file's series. When the current
 * file holds max runs, they are written (sorted) first. 0, or -1 with d. */
int newruns_add(struct newruns *nr, const unsigned char *key, struct diag *d);
/* Whether runs of (account, region) are held (the series' next snapshot
 * must see them written). */
int newruns_has_series(const struct newruns *nr, const char *account, const char *region);
/* Whether max runs or more are held. */
int newruns_full(const struct newruns *nr);
/* Start sorting the runs newruns_write_all will write, in a thread of
 * its own, while the caller does something else (the store's other
 * end-of-load work); only when they are many. Every other call waits
 * for it first. */
void newruns_sort_ahead(struct newruns *nr);
/* Write every held run, sorted, and forget them. Outside a file's
 * savepoint. 0, or -1 with d. */
int newruns_write_all(struct newruns *nr, struct diag *d);
/* Write the runs of the files before the current one (once per file),
 * keeping them until newruns_file_done. 0, or -1 with d. */
int newruns_write_before(struct newruns *nr, struct diag *d);
/* The current file is loaded (its savepoint released). */
void newruns_file_done(struct newruns *nr);
/* The current file was rolled back to its savepoint (whole: 0) or the
 * whole transaction was (whole: 1). */
void newruns_file_undone(struct newruns *nr, int whole);
/* Runs held. */
size_t newruns_count(const struct newruns *nr);
/* Whether any run was written yet. */
int newruns_wrote(const struct newruns *nr);

#endif
