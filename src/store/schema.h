/*
 * schema: the store's DDL (see schema.c).
 */
#ifndef CFGAUDIT_SCHEMA_H
#define CFGAUDIT_SCHEMA_H

extern const char store_schema_sql[];
/* Upgrades a version 1 store to the current version (in a transaction). */
extern const char store_migrate_v1_sql[];
/* Creates run_coverage if it is missing (a version 2 store made before
 * it); eval runs it in the transaction that stores a run. */
extern const char store_run_coverage_sql[];
/* Creates item_conflicts if it is missing; ingest runs it at the first
 * conflicting text of an item version. */
extern const char store_item_conflicts_sql[];
/* Creates the secondary indexes of items where they are missing (a
 * first load drops them while it loads, and builds them at its end). */
extern const char store_items_indexes_sql[];

/* Creates evidence_calls if it is missing; ingest runs it at the first
 * evidence file (store/evidence.h). */
extern const char store_evidence_sql[];

#endif
