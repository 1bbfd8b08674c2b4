/*
 * ec2_facts: derived tables of the EC2 facts that several rules read
 * (cfgaudit-rules(5) documents every column), built once per run from
 * current_items instead of each rule parsing every instance's
 * configuration (several kB each) again.
 *
 *   ec2_instances  one row per current AWS::EC2::Instance item: state,
 *                  VPC (configuration and relationship), public IP
 *                  addresses, type and EBS optimization
 */
#ifndef CFGAUDIT_EC2_FACTS_H
#define CFGAUDIT_EC2_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* The SQL that defines ec2_instances (its every row and column). */
extern const char ec2_instances_sql[];

/* Build ec2_instances as that SQL would (derived.c registers it). */
int ec2_build_instances(struct store *s, struct diag *d);

#endif
