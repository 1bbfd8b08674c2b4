/*
 * evidence_tables: evidence in the evaluation schema (cfgaudit-rules(5),
 * "Evidence") -- the derived tables built from the stored evidence calls
 * (the store reads them: evidence_latest_create and
 * evidence_org_accounts_create of store/evidence.h) and the SQL function
 * that says when evidence is missing or too old.
 *
 *   evidence            the newest call of each (account_id, region,
 *                       service, operation, qualifier) captured at or
 *                       before the as-of time
 *   credential_report   one row per user line of each account's newest
 *                       credential report in evidence
 *   iam_user_credentials  each current IAM user with its credential report
 *                       line, or why there is none (missing)
 *   iam_account_summary  each account's root user facts from its newest
 *                       account summary, or why they are unknown (missing)
 *   cloudtrail_trail_status  each current trail with its newest
 *                       get-trail-status answer, or why there is none
 *   guardduty_findings  one row per finding of each get-findings answer
 *                       (a detector's batches of 50: argument "<detector>",
 *                       then "<detector> batch K"), one without a finding
 *                       for an error answer
 *   cloudtrail_event_selectors  each current trail with the management
 *                       events its selectors record (management_reads,
 *                       management_writes, excluded_sources) from its
 *                       get-event-selectors answer or, when the item says
 *                       hasCustomEventSelectors false, the default
 *                       selector; or why they are unknown (missing)
 *   cloudtrail_org_members  for each account holding an organization trail
 *                       and each other account: member 1/0 from
 *                       list-accounts or describe-organization, or NULL
 *                       and why (missing)
 *   organization_accounts  the accounts of the newest list-accounts
 *                       answer of each management account, with their
 *                       OU path when list-parents evidence gives it
 *
 *   evidence_missing(call, account_id, captured_at): NULL when evidence
 *       captured at captured_at is within --max-age of the as-of time;
 *       otherwise why not, ready for an annotation ("no credential report
 *       of 111122223333 at or before T (aws iam get-credential-report)",
 *       "credential report of 111122223333 is 40 days older than the as-of
 *       time (...)"). call is "service operation".
 */
#ifndef CFGAUDIT_EVIDENCE_TABLES_H
#define CFGAUDIT_EVIDENCE_TABLES_H

#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* Register evidence_missing, and evidence_fresh_from() (the canonical
 * time from which evidence is fresh: the as-of time minus the max age),
 * on db for this run's as-of time and max age (> 0). Returns an SQLite
 * result code. */
int evidence_sql_register(sqlite3 *db, int64_t as_of_ms, int64_t max_age_ms);

/* Derived-table builders (derived.c lists them). Return 0 or -1 with d. */
int evidence_build_latest(struct store *s, struct diag *d);
int evidence_build_credential_report(struct store *s, struct diag *d);
int evidence_build_org_accounts(struct store *s, struct diag *d);
int evidence_build_user_credentials(struct store *s, struct diag *d);
int evidence_build_account_summary(struct store *s, struct diag *d);
int evidence_build_trail_status(struct store *s, struct diag *d);
int evidence_build_guardduty_findings(struct store *s, struct diag *d);
int evidence_build_event_selectors(struct store *s, struct diag *d);
int evidence_build_org_members(struct store *s, struct diag *d);

#endif
