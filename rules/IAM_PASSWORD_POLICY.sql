-- identifier: IAM_PASSWORD_POLICY
-- name: iam-password-policy
-- severity: medium (Security Hub IAM.7)
-- remediation: Set an account password policy that meets the required length,
--   character classes, reuse and age (UpdateAccountPasswordPolicy).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   RequireUppercaseCharacters: bool = true
--   RequireLowercaseCharacters: bool = true
--   RequireSymbols: bool = true
--   RequireNumbers: bool = true
--   MinimumPasswordLength: int = 14
--   PasswordReusePrevention: int = 24
--   MaxPasswordAge: int = 90
-- description: The account password policy must meet the parameters
--   (NON_COMPLIANT when it does not, or when the account uses the default
--   policy). Config records no password policy, so every account and
--   region present is INSUFFICIENT_DATA; the parameters are accepted so
--   that packs resolve, and are named in the annotation.
-- missing: the IAM account password policy: aws iam
--   get-account-password-policy (NoSuchEntity = default policy).
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'the account password policy is not in AWS Config items; needs aws iam '
       || 'get-account-password-policy (wanted: length >= ' || coalesce(:MinimumPasswordLength, '?')
       || ', reuse >= ' || coalesce(:PasswordReusePrevention, '?') || ', max age <= '
       || coalesce(:MaxPasswordAge, '?') || ' days, upper/lower/symbols/numbers '
       || coalesce(:RequireUppercaseCharacters, '?') || '/'
       || coalesce(:RequireLowercaseCharacters, '?') || '/' || coalesce(:RequireSymbols, '?')
       || '/' || coalesce(:RequireNumbers, '?') || ', 1 = required)'
       AS annotation
FROM accounts
