-- identifier: ROOT_ACCOUNT_MFA_ENABLED
-- name: root-account-mfa-enabled
-- severity: critical (Security Hub IAM.9)
-- remediation: Enable MFA for the root user (sign in as root: Security
--   credentials, Assign MFA device).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: The root user must have MFA enabled (NON_COMPLIANT without
--   it, NOT_APPLICABLE when root user credentials are not present,
--   COMPLIANT otherwise). Config records nothing about the root user, so
--   every account and region present is INSUFFICIENT_DATA.
-- missing: root MFA status: aws iam get-account-summary
--   (SummaryMap.AccountMFAEnabled) or the credential report row
--   <root_account> (mfa_active) from aws iam get-credential-report.
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'root user MFA is not in AWS Config items; needs aws iam get-account-summary '
       || '(AccountMFAEnabled) or the credential report (mfa_active)' AS annotation
FROM accounts
