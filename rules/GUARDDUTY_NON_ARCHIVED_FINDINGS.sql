-- identifier: GUARDDUTY_NON_ARCHIVED_FINDINGS
-- name: guardduty-non-archived-findings
-- severity: medium (default: logging)
-- remediation: Investigate the open GuardDuty findings older than the allowed
--   days and remediate or archive them (guardduty ArchiveFindings).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   daysLowSev: int = 30
--   daysMediumSev: int = 7
--   daysHighSev: int = 1
-- description: NON_COMPLIANT when GuardDuty has unarchived low, medium or
--   high severity findings older than daysLowSev, daysMediumSev or
--   daysHighSev days; COMPLIANT otherwise. Findings are not configuration
--   items, so every account and Region is INSUFFICIENT_DATA.
-- missing: GuardDuty findings (aws guardduty list-findings with
--   service.archived false, then aws guardduty get-findings)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'GuardDuty findings are not in AWS Config data (aws guardduty list-findings, '
       || 'aws guardduty get-findings)' AS annotation
FROM accounts;
