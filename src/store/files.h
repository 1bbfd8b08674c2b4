/*
 * files: the input files ingest recorded (table files) and which of them
 * delivered an item version (item_sources, and snapshot_presence for
 * snapshots), as the bundle manifest and 'history' read them. Ingest
 * writes them (src/ingest/writer.c).
 *
 * Walkers call fn once per row with a record whose strings are borrowed:
 * valid during the call only. They return 0, or -1 with d filled.
 */
#ifndef CFGAUDIT_STORE_FILES_H
#define CFGAUDIT_STORE_FILES_H

#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One input file, loaded or failed. */
struct file_record {
	const char *path;         /* relative to the ingest argument's root */
	int64_t size;             /* bytes on disk */
	const char *sha256;       /* hex digest of the bytes on disk */
	const char *kind;         /* ConfigSnapshot, ConfigHistory, ApiItems, ... */
	const char *account_id;   /* from the key layout or file name, or NULL */
	const char *region;       /* folder region, or NULL */
	const char *delivered_at; /* canonical time from the file name, or NULL */
	const char *status;       /* loaded or failed */
};

/* Every recorded file, by (path, sha256, key). */
int files_each(struct store *s, void (*fn)(const struct file_record *f, void *ctx), void *ctx,
	       struct diag *d);

/* The loaded files that delivered version key: first the history and
 * export files (item_sources), then every snapshot of the series inside
 * the version's presence runs; each group by (delivered_at, path). Only
 * path, kind and delivered_at are set. */
int files_of_item_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
		       void (*fn)(const struct file_record *f, void *ctx), void *ctx,
		       struct diag *d);

#endif
