-- identifier: IAM_ROOT_ACCESS_KEY_CHECK
-- name: iam-root-access-key-check
-- severity: critical (Security Hub IAM.4)
-- remediation: Delete the root user's access keys (sign in as root: Security
--   credentials, Access keys, Delete).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: The root user must have no access key (COMPLIANT when none
--   exists, NON_COMPLIANT otherwise; an inactive key still counts). Config
--   records nothing about the root user, so every account and region
--   present is INSUFFICIENT_DATA.
-- missing: root access keys: aws iam get-account-summary
--   (SummaryMap.AccountAccessKeysPresent) or the credential report row
--   <root_account> (aws iam get-credential-report).
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'root access keys are not in AWS Config items; needs aws iam get-account-summary '
       || '(AccountAccessKeysPresent) or the credential report' AS annotation
FROM accounts
