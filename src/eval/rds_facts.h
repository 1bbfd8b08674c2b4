/*
 * rds_facts: derived tables of RDS facts that several rules read
 * (cfgaudit-rules(5) documents every column), built once per run from
 * current_items instead of each rule parsing every DB instance's
 * configuration (a few kB each) again.
 *
 *   rds_db_instances  one row per current AWS::RDS::DBInstance item: the
 *                     configuration properties the DB instance rules read,
 *                     as the JSON gives them
 *
 * The table is per item: a row depends on that item alone, so that an
 * evaluation since a prior run builds it from the changed items only
 * (derived_build_per_item; eval/incremental.c).
 */
#ifndef CFGAUDIT_RDS_FACTS_H
#define CFGAUDIT_RDS_FACTS_H

/* The SQL that creates rds_db_instances (derived.c runs it). */
extern const char rds_db_instances_sql[];

#endif
