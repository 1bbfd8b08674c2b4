/*
 * schema: the store's DDL (see schema.c).
 */
#ifndef CFGAUDIT_SCHEMA_H
#define CFGAUDIT_SCHEMA_H

extern const char store_schema_sql[];

#endif
