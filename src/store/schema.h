/*
 * schema: the store's DDL (see schema.c).
 */
#ifndef CFGAUDIT_SCHEMA_H
#define CFGAUDIT_SCHEMA_H

extern const char store_schema_sql[];
/* Upgrades a version 1 store to the current version (in a transaction). */
extern const char store_migrate_v1_sql[];

#endif
