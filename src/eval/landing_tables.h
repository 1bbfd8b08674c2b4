/*
 * landing_tables: the derived tables of the landing-zone rules
 * (CFGAUDIT_ORG_*), built from the evidence table (evidence_tables.h):
 * the facts of an organization's wiring that AWS Config does not record.
 * cfgaudit-rules(5) documents every column.
 *
 *   logs_metric_filters     each metric filter of each account and Region's
 *                           newest logs describe-metric-filters answer
 *   sns_topic_subscriptions each topic's newest sns
 *                           list-subscriptions-by-topic answer, counted
 *   config_recording        per account and Region: the configuration
 *                           recorder, its status and the delivery channel
 *                           of the newest describe-configuration-recorders,
 *                           -recorder-status and describe-delivery-channels
 *   config_aggregators      the configuration aggregators of the Config
 *                           items and of the newest
 *                           describe-configuration-aggregators answers
 *   guardduty_organization  the delegated administrators (guardduty
 *                           list-organization-admin-accounts) and the
 *                           members of each administrator (list-members)
 *
 * Every table but config_aggregators' item rows keeps one row per answer
 * even when the answer lists nothing (the content columns NULL), so a
 * rule tells "answered: none" from "not asked", and carries a column
 * missing: NULL when the answer is usable, else why not (too old, an
 * error answer), as evidence_missing() says it.
 */
#ifndef CFGAUDIT_LANDING_TABLES_H
#define CFGAUDIT_LANDING_TABLES_H

#include "store/store.h"
#include "util/diag.h"

/* Derived-table builders (derived.c lists them after the evidence
 * tables; each reads the temp table evidence). Return 0 or -1 with d. */
int landing_build_metric_filters(struct store *s, struct diag *d);
int landing_build_topic_subscriptions(struct store *s, struct diag *d);
int landing_build_config_recording(struct store *s, struct diag *d);
int landing_build_config_aggregators(struct store *s, struct diag *d);
int landing_build_guardduty_organization(struct store *s, struct diag *d);

#endif
