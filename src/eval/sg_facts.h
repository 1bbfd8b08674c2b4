/*
 * sg_facts: the security-group derived tables (cfgaudit-rules(5)
 * documents every column), built in one pass over the groups' items.
 *
 *   security_group_sources  one row per CIDR source of every ingress
 *                           permission of the current security groups
 *   security_groups         one row per current security group
 */
#ifndef CFGAUDIT_SG_FACTS_H
#define CFGAUDIT_SG_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* Build both tables from current_items (derived.c registers them:
 * security_groups is made by sg_build_sources, which it requires, so
 * sg_build_groups does nothing). */
int sg_build_sources(struct store *s, struct diag *d);
int sg_build_groups(struct store *s, struct diag *d);

/* Fill the table sources (security_group_sources' shape) and/or groups
 * (security_groups' shape), either may be NULL, from the items of the
 * view or table items: --since-run builds them from the changed groups
 * only (derived_build_per_item). */
int sg_build_from(struct store *s, const char *items, const char *sources, const char *groups,
		  struct diag *d);

#endif
