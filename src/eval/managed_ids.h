/*
 * managed_ids: the AWS Config managed-rule identifiers cfgaudit knows,
 * with or without a rule file (see managed_ids.c for the source).
 */
#ifndef CFGAUDIT_MANAGED_IDS_H
#define CFGAUDIT_MANAGED_IDS_H

#include <stddef.h>

/* Sorted by strcmp. */
extern const char *const managed_rule_ids[];
extern const size_t n_managed_rule_ids;

/* 1 if id is a known managed-rule identifier, else 0. */
int managed_rule_id_known(const char *id);

/* The known identifier nearest to id (fewest insertions, deletions,
 * and substitutions), if it is at most max_distance
 * away; else NULL. Borrowed string. */
const char *managed_rule_id_nearest(const char *id, size_t max_distance);

#endif
