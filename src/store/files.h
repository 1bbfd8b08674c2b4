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

#include <stddef.h>
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

/* The files behind item versions at a time, as the bundle's control
 * index names them: the files that recorded a version outside snapshots
 * (item_sources), and for each of its presence runs the
 * newest loaded snapshot delivered at or before as_of; each path once, by
 * path. Prepared once for many versions. */
struct item_files;

/* A reader for as_of (canonical ISO text). Returns it (the caller frees it
 * with item_files_free), or NULL with d filled. */
struct item_files *item_files_new(struct store *s, const char *as_of, struct diag *d);

/* Call fn with each file path (borrowed for the call) of version key.
 * Returns 1 when key is a stored version, 0 when it is not (fn not
 * called), or -1 with d filled. */
int item_files_each(struct item_files *f, const unsigned char key[STORE_KEY_LEN],
		    void (*fn)(const char *path, void *ctx), void *ctx, struct diag *d);
void item_files_free(struct item_files *f);

/* ---- The write side, as ingest's writer records files and provenance
 * (src/ingest/writer.c). Every function returns 0 (or what it says), or
 * -1 with d filled (a database error). ---- */

/* One files row as ingest writes it. */
struct file_row {
	const unsigned char *key;	   /* store_file_key(path, sha256) */
	const char *path;		   /* relative to the ingest argument's root */
	long long size;			   /* bytes on disk */
	const char *sha256;		   /* hex digest of the bytes on disk */
	const char *kind;		   /* files.kind */
	const char *account, *region;	   /* or NULL */
	const char *delivered_at;	   /* canonical time from the file name, or NULL */
	const char *snapshot_id;	   /* or NULL */
	long long item_count, global_items;
	const char *error;		   /* NULL: loaded; else failed, and why */
	long long error_offset;		   /* of a failure; -1: not known */
	const char *ingested_at;	   /* canonical time */
	const unsigned char *stat_key;	   /* store_stat_key of the file, or NULL */
};

/* The prepared statements on files and item_sources, on s. */
struct files_writer;
struct files_writer *files_writer_new(struct store *s, struct diag *d);
void files_writer_free(struct files_writer *fw);

/* Record (or replace) the row of r->key. */
int files_put(struct files_writer *fw, const struct file_row *r, struct diag *d);
/* 1 when a file of this key is loaded, 0 when not (or failed). */
int files_is_loaded(struct files_writer *fw, const unsigned char key[STORE_KEY_LEN],
		    struct diag *d);
/* A loaded file seen again with another stat key. */
int files_note_stat(struct files_writer *fw, const unsigned char key[STORE_KEY_LEN],
		    const unsigned char stat_key[STORE_KEY_LEN], struct diag *d);
/* The delivery time of the loaded snapshot of (account, region) just
 * before t (after: just after t), or "" when there is none. out has
 * room for TIME_ISO_LEN bytes. */
int files_series_time(struct files_writer *fw, int after, const char *account, const char *region,
		      const char *t, char *out, struct diag *d);
/* The path of the first loaded file (in load order), other than
 * not_file, that delivered version item_key: a new string, or NULL when
 * there is none (or on an error, which is not told). */
char *files_first_path(struct files_writer *fw, const unsigned char item_key[STORE_KEY_LEN],
		       const unsigned char not_file[STORE_KEY_LEN]);
/* Provenance of a version from a file that is not a snapshot. */
int item_sources_put(struct files_writer *fw, const unsigned char item_key[STORE_KEY_LEN],
		     const unsigned char file_key[STORE_KEY_LEN], struct diag *d);
/* Move the provenance of old_key to new_key (a stream's final key). */
int item_sources_rekey(struct files_writer *fw, const unsigned char new_key[STORE_KEY_LEN],
		       const unsigned char old_key[STORE_KEY_LEN], struct diag *d);

/* The sorted keys (STORE_KEY_LEN bytes each, in a new array) of the
 * loaded files / of their stat keys. */
int files_loaded_keys(struct store *s, unsigned char **keys, size_t *n, struct diag *d);
int files_loaded_stat_keys(struct store *s, unsigned char **keys, size_t *n, struct diag *d);

#endif
