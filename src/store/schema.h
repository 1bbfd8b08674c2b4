/*
 * schema: the store's DDL (see schema.c).
 */
#ifndef CFGAUDIT_SCHEMA_H
#define CFGAUDIT_SCHEMA_H

extern const char store_schema_sql[];

/* SQL: the name of the verdict run_results.verdict (an expression) holds,
 * as the view results gives it. */
#define STORE_VERDICT_NAME(v)                                                              \
	"CASE " v " WHEN 0 THEN 'COMPLIANT' WHEN 1 THEN 'NON_COMPLIANT'"                   \
	" WHEN 2 THEN 'NOT_APPLICABLE' WHEN 3 THEN 'INSUFFICIENT_DATA' END"
/* The number run_results.verdict holds for NON_COMPLIANT. */
#define STORE_VERDICT_NON_COMPLIANT "1"
/* Upgrade a version 1 store to version 2, a version 2 store to version
 * 3, and a version 3 store to version 4 (each in the caller's
 * transaction). */
extern const char store_migrate_v1_sql[];
extern const char store_migrate_v2_sql[];
extern const char store_migrate_v3_sql[];

/* Creates run_coverage if it is missing (a version 2 store made before
 * it); eval runs it in the transaction that stores a run. */
extern const char store_run_coverage_sql[];
/* Creates item_conflicts if it is missing; ingest runs it at the first
 * conflicting text of an item version. */
extern const char store_item_conflicts_sql[];
/* Creates the secondary indexes of items where they are missing (a
 * first load drops them while it loads, and builds them at its end). */
extern const char store_items_indexes_sql[];
extern const char store_items_key_index_sql[];
extern const char store_presence_index_sql[];

/* Creates evidence_calls if it is missing; ingest runs it at the first
 * evidence file (store/evidence.h). */
extern const char store_evidence_sql[];

#endif
