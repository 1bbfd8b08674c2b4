/*
 * derived: the derived tables of the evaluation schema (cfgaudit-rules(5))
 * -- expansions that several rules need, built from current_items once
 * per run, the first time a rule's statement names one, instead of in
 * each rule's SQL.
 */
#ifndef CFGAUDIT_DERIVED_H
#define CFGAUDIT_DERIVED_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* A set of derived tables, bit i for table i (DERIVED_BIT(i)). */
typedef uint64_t derived_set;
#define DERIVED_BIT(i) ((derived_set)1 << (i))
#define DERIVED_MAX 64

size_t derived_count(void);
/* The table's name, as rules write it. */
const char *derived_name(size_t i);
/* The other derived tables that table i is built from (bit j for table
 * j), transitively: one connection builds them all. */
derived_set derived_requires(size_t i);
/* Create table i (and its index) in the temp schema from current_items.
 * Returns 0 or -1 with d filled. */
int derived_build(struct store *s, size_t i, struct diag *d);
/* Tables built item by item (each row from one item, carrying its
 * item_key): build table `table` (and its index) in the temp schema with
 * the rows derived table `name` has for the items of view `items` only
 * (eval/incremental.h). Returns 0, 1 when name is not built item by item,
 * or -1 with d filled. */
int derived_build_per_item(struct store *s, const char *name, const char *items,
			   const char *table, struct diag *d);
/* Drop every derived table: a new run has a new point-in-time state. */
void derived_drop_all(struct store *s);
/* Drop the derived tables of the set (those a failed build may have left
 * half made). */
void derived_drop_unbuilt(struct store *s, derived_set which);

#endif
