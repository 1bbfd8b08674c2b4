/*
 * redshift_facts: derived tables of Redshift facts that several rules read
 * (cfgaudit-rules(5) documents every column), built once per run from
 * current_items instead of each rule parsing every cluster's configuration
 * again.
 *
 *   redshift_clusters  one row per current AWS::Redshift::Cluster item: the
 *                      configuration properties the cluster rules read, as
 *                      the JSON gives them, and its LoggingStatus
 *
 * The table is per item: a row depends on that item alone, so that an
 * evaluation since a prior run builds it from the changed items only
 * (derived_build_per_item; eval/incremental.c).
 */
#ifndef CFGAUDIT_REDSHIFT_FACTS_H
#define CFGAUDIT_REDSHIFT_FACTS_H

/* The SQL that creates redshift_clusters (derived.c runs it). */
extern const char redshift_clusters_sql[];

#endif
