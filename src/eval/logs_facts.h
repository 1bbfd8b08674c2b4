/*
 * logs_facts: derived tables of the CloudWatch Logs facts that several
 * rules read (cfgaudit-rules(5) documents every column), built once per
 * run from current_items instead of each rule reading and parsing every
 * log group's item again.
 *
 *   log_groups  one row per current AWS::Logs::LogGroup item: its name,
 *               retention and KMS key
 */
#ifndef CFGAUDIT_LOGS_FACTS_H
#define CFGAUDIT_LOGS_FACTS_H

/* The SQL that creates log_groups (derived.c runs it). */
extern const char log_groups_sql[];

#endif
