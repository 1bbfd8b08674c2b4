/*
 * backup_tables: the builders of the AWS Backup derived tables
 * (derived.c lists them; cfgaudit-rules(5) describes them):
 * backup_selected_resources; backup_group_hits and backup_plan_membership
 * (one builder, one matching); backup_plan_rules,
 * backup_group_plans, backup_absence_scope and backup_resource_plans.
 * Each returns 0 or -1 with d filled.
 */
#ifndef CFGAUDIT_BACKUP_TABLES_H
#define CFGAUDIT_BACKUP_TABLES_H

#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"
#include "util/diag.h"

int backup_build_selected(struct store *s, struct diag *d);
int backup_build_groups(struct store *s, struct diag *d);
int backup_build_plan_rules(struct store *s, struct diag *d);
/* Tables made by SQL alone, which derived.c runs. */
extern const char backup_group_plans_sql[];
extern const char backup_absence_scope_sql[];
extern const char backup_resource_plans_sql[];

/* Bind v as SQLite's ->> would return it (derived.c). */
void bind_json(sqlite3_stmt *st, int i, json_t *v);

#endif
