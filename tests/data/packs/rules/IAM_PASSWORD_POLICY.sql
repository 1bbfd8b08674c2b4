-- identifier: IAM_PASSWORD_POLICY
-- name: iam-password-policy
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   MaxPasswordAge: int = 90
--   MinimumPasswordLength: int = 14
--   RequireSymbols: bool = true
--   RequireNumbers: bool = true
--   Required: string
-- description: Test rule for the pack tests: needs data Config lacks.
-- missing: IAM account password policy (aws iam get-account-password-policy)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'no password policy data' AS annotation
FROM accounts
