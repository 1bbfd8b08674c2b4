/*
 * items: the stored configuration item versions (table items) and the
 * other texts ingest met for them (item_conflicts), as 'history' and the
 * evidence bundle read them. Ingest writes them (src/ingest/writer.c);
 * the point-in-time state reads them in pit.c.
 *
 * Walkers call fn once per row with a record whose strings are borrowed:
 * valid during the call only. They return 0, or -1 with d filled.
 */
#ifndef CFGAUDIT_STORE_ITEMS_H
#define CFGAUDIT_STORE_ITEMS_H

#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One configuration item version, in canonical form. */
struct item_record {
	const unsigned char *key;   /* STORE_KEY_LEN bytes (store_item_key), or NULL */
	const char *account_id;
	const char *region;         /* awsRegion; 'global' for IAM */
	const char *resource_type, *resource_id, *resource_name, *arn, *availability_zone;
	const char *status;         /* configurationItemStatus */
	const char *capture_time;   /* canonical ISO 8601 UTC with ms */
	int has_state_id;           /* configurationStateId present */
	int64_t state_id;
	const char *item_version;   /* configurationItemVersion */
	const char *resource_creation_time;
	const char *configuration;  /* JSON object, NULL when deleted/not recorded */
	const char *supplementary;  /* JSON object */
	const char *tags;           /* JSON object */
	const char *relationships;  /* JSON array */
	const char *extra;          /* JSON object of other item keys, or NULL */
};

/* The versions of one resource, oldest first (capture time, state id,
 * account, region, type); type and account NULL: any. fn returns 0 to go
 * on, or -1 (with d filled) to stop the walk, which then returns -1. */
int item_versions_each(struct store *s, const char *resource_id, const char *type,
		       const char *account,
		       int (*fn)(const struct item_record *it, void *ctx, struct diag *d),
		       void *ctx, struct diag *d);

/* The versions the results of run run_id name, by (account, region, type,
 * id, capture time, state id, key). */
int items_of_run_each(struct store *s, int64_t run_id,
		      void (*fn)(const struct item_record *it, void *ctx), void *ctx,
		      struct diag *d);

/* Another text of a stored version, from a loaded file. */
struct item_conflict {
	const char *path, *kind; /* the file that holds it */
	const char *member;      /* the first top-level member that differs */
	const char *sha256;      /* digest of text */
	const char *text;        /* the compared members, one compact JSON object */
};

/* The other texts of version key, in file load order; none in a store
 * where ingest never met one. */
int item_conflicts_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
			void (*fn)(const struct item_conflict *c, void *ctx), void *ctx,
			struct diag *d);

/* ---- The write side, as ingest's writer stores versions
 * (src/ingest/writer.c). Functions return 0 (or what they say), or -1
 * with d filled (a database error). ---- */

/* The text columns of items, in the order ingest's encoded records hold
 * them. */
enum item_col {
	ICOL_ACCOUNT,
	ICOL_REGION,
	ICOL_TYPE,
	ICOL_ID,
	ICOL_NAME,
	ICOL_ARN,
	ICOL_AZ,
	ICOL_STATUS,
	ICOL_CAPTURE,
	ICOL_VERSION,
	ICOL_CREATION,
	ICOL_CONFIGURATION,
	ICOL_SUPPLEMENTARY,
	ICOL_TAGS,
	ICOL_RELATIONSHIPS,
	ICOL_EXTRA,
	ICOL_COUNT
};

/* The columns items_lookup_stored gives, in this order: the ones ingest
 * compares when a version is met again. */
enum item_stored_col {
	ISTORED_STATUS,
	ISTORED_NAME,
	ISTORED_ARN,
	ISTORED_AZ,
	ISTORED_CREATION,
	ISTORED_CONFIGURATION,
	ISTORED_SUPPLEMENTARY,
	ISTORED_TAGS,
	ISTORED_RELATIONSHIPS,
	ISTORED_COUNT
};

/* Lookups of stored versions on any connection (a worker's own). */
struct item_lookup;
/* NULL when the statements cannot be prepared (no store there yet). */
struct item_lookup *item_lookup_new(sqlite3 *db);
void item_lookup_free(struct item_lookup *l);
/* 1 when version key is stored, 0 when not (or on an error). */
int item_lookup_known(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN]);
/* The stored compared columns of key: 1 with col/len filled (col[i]
 * NULL for SQL NULL; valid until item_lookup_done), 0 when key is not
 * stored, -1 on an error. Call item_lookup_done after either. */
int item_lookup_stored(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN],
		       const char *col[ISTORED_COUNT], size_t len[ISTORED_COUNT]);
void item_lookup_done(struct item_lookup *l);
struct items_writer;
/* While iw's bulk load has the item_key index dropped
 * (items_writer_defer_key_index), answer from the keys it inserted (on
 * iw's connection: l must be on the same). iw is borrowed; NULL stops. */
void item_lookup_use_keys(struct item_lookup *l, const struct items_writer *iw);

/* The statements that write items and item_conflicts, on s. */
struct items_writer *items_writer_new(struct store *s, struct diag *d);
void items_writer_free(struct items_writer *iw);
/* Insert version key unless it is stored (*inserted tells which). col and
 * len by enum item_col; col[i] NULL for SQL NULL. */
int items_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
	      const char *const col[ICOL_COUNT], const uint32_t len[ICOL_COUNT], int has_state_id,
	      int64_t state_id, int *inserted, struct diag *d);
/* Keep another text of stored version key from file file_key (the table
 * is created by the first one). */
int items_conflict_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
		       const unsigned char file_key[STORE_KEY_LEN], const char *member,
		       const char *sha256, const char *text, size_t text_len, struct diag *d);
/* After a rollback: item_conflicts may be gone again. */
void items_writer_forget(struct items_writer *iw);
/* A bulk first load, inside its transaction, on an empty items table:
 * drop the item_key index (items_by_key) and keep the inserted keys in
 * memory instead, so that items_put appends rows without a random B-tree
 * write each; items_writer_key_index builds the index from a sort before
 * the transaction commits, and a rollback brings it back. 1 when dropped,
 * 0 when the store has no such index (made before it: the UNIQUE
 * constraint's own index, which cannot be dropped), -1 with d. */
int items_writer_defer_key_index(struct items_writer *iw, struct diag *d);
/* Whether the kept keys reached their bound: build the index at the next
 * point outside a file's savepoint. */
int items_writer_keys_full(const struct items_writer *iw);
/* Build the dropped item_key index (if it is) and forget the keys. Inside
 * the transaction, outside any savepoint that may roll back. */
int items_writer_key_index(struct items_writer *iw, struct diag *d);
/* A file begins (before its savepoint). */
void items_writer_file_begin(struct items_writer *iw);
/* The current file was rolled back to its savepoint (whole: 0: its keys
 * are forgotten) or the whole transaction was (whole: 1: the index is
 * back, and the keys are forgotten). */
void items_writer_file_undone(struct items_writer *iw, int whole);
/* Move the conflicts recorded under file old_key to new_key. */
int items_conflicts_rekey(struct store *s, const unsigned char new_key[STORE_KEY_LEN],
			  const unsigned char old_key[STORE_KEY_LEN], struct diag *d);

/* 1 when items is empty, 0 when not. */
int items_empty(struct store *s, struct diag *d);
/* Drop / build (if missing) the secondary indexes of items. */
int items_drop_indexes(struct store *s, struct diag *d);
int items_build_indexes(struct store *s, struct diag *d);

#endif
