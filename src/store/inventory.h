/*
 * inventory: the resources that existed at a point in time, as
 * 'cfgaudit resources' lists them -- the point-in-time state (pit.h)
 * read back row by row, with nothing kept in memory per resource.
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

#endif
