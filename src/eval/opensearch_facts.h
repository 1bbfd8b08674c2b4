/*
 * opensearch_facts: derived tables of OpenSearch facts that several rules
 * read (cfgaudit-rules(5) documents every column), built once per run from
 * current_items instead of each rule parsing every domain's configuration
 * again.
 *
 *   opensearch_domains  one row per current AWS::OpenSearch::Domain item:
 *                       the configuration properties the domain rules read,
 *                       as the JSON gives them
 *
 * The table is per item: a row depends on that item alone, so that an
 * evaluation since a prior run builds it from the changed items only
 * (derived_build_per_item; eval/incremental.c).
 */
#ifndef CFGAUDIT_OPENSEARCH_FACTS_H
#define CFGAUDIT_OPENSEARCH_FACTS_H

/* The SQL that creates opensearch_domains (derived.c runs it). */
extern const char opensearch_domains_sql[];

#endif
