/*
 * elbv2_facts: elbv2_load_balancers (cfgaudit-rules(5) documents every
 * column): one row per current Application/Network/Gateway load
 * balancer with its kind, whether its place is covered and records
 * listeners, and its attributes as an object.
 */
#ifndef CFGAUDIT_ELBV2_FACTS_H
#define CFGAUDIT_ELBV2_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* Build the table (derived.c registers it; it reads elb_listeners). */
int elbv2_build_load_balancers(struct store *s, struct diag *d);

#endif
