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

#endif
