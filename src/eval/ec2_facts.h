/*
 * ec2_facts: derived tables of the EC2 facts that several rules read
 * (cfgaudit-rules(5) documents every column), built once per run from
 * current_items instead of each rule parsing every instance's
 * configuration (several kB each) again.
 *
 *   ec2_instances  one row per current AWS::EC2::Instance item: state,
 *                  VPC (configuration and relationship), public IP
 *                  addresses, type and EBS optimization
 *   ec2_volumes, ec2_volume_attachments
 *                  one row per current AWS::EC2::Volume item, and one per
 *                  attachment (or relationship) that may name a live
 *                  instance: what ec2-volume-inuse-check reads
 */
#ifndef CFGAUDIT_EC2_FACTS_H
#define CFGAUDIT_EC2_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* The SQL that defines ec2_instances (its every row and column). */
extern const char ec2_instances_sql[];

/* Build ec2_instances as that SQL would (derived.c registers it). */
int ec2_build_instances(struct store *s, struct diag *d);

/* The SQL that defines ec2_volumes and ec2_volume_attachments. */
extern const char ec2_volumes_sql[];

/* Build both tables as that SQL would (derived.c registers the builder
 * for each name). Returns 0, or -1 with d filled. */
int ec2_build_volumes(struct store *s, struct diag *d);

#endif
