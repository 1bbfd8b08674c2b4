/*
 * inventory: the resources that existed at a point in time, as
 * 'cfgaudit resources' lists them -- the point-in-time state (pit.h)
 * read back row by row, with nothing kept in memory per resource; and
 * what the store holds over all time (its accounts, regions and earliest
 * capture time), for the messages of a selection that matched nothing.
 */
#ifndef CFGAUDIT_STORE_INVENTORY_H
#define CFGAUDIT_STORE_INVENTORY_H

#include "store/pit.h"
#include "store/store.h"
#include "util/diag.h"

/* One resource of the inventory. Strings are borrowed. */
struct inventory_row {
	const char *account_id;
	const char *region;        /* 'global' for IAM */
	const char *resource_type;
	const char *resource_id;
	const char *resource_name; /* or NULL */
};

/* Build the inventory at f->as_of_ms (pit_build) for streaming: its
 * temporary tables and sorts go to temporary files, and the database is
 * read without mmap (mapped pages would count as the process's memory).
 * Returns 0 or -1 with d filled. */
int inventory_build(struct store *s, const struct pit_filter *f, struct diag *d);

/* Call fn for every resource of the built inventory, by (account,
 * region, type, id) when sorted, else in any order (cheaper). Returns 0,
 * or -1 with d filled. */
int inventory_each(struct store *s, int sorted,
		   void (*fn)(const struct inventory_row *r, void *ctx), void *ctx,
		   struct diag *d);

/* Which column inventory_held_each lists. */
enum inventory_field {
	INVENTORY_ACCOUNTS, /* account_id */
	INVENTORY_REGIONS,  /* region ('global' for IAM) */
};

/* Call fn for each distinct account or region of every stored item
 * version (deleted ones too), sorted. value is borrowed for the call.
 * Returns 0, or -1 with d filled. */
int inventory_held_each(struct store *s, enum inventory_field which,
			void (*fn)(const char *value, void *ctx), void *ctx, struct diag *d);

/* The earliest capture time (canonical) of any stored version of account
 * (NULL: of any account) into out (len bytes), "" when there is none.
 * Returns 0, or -1 with d filled. */
int inventory_earliest(struct store *s, const char *account, char *out, size_t len, struct diag *d);

#endif
