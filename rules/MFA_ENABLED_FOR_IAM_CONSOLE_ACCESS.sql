-- identifier: MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS
-- name: mfa-enabled-for-iam-console-access
-- severity: medium (Security Hub IAM.5)
-- remediation: Enable an MFA device for every user that has a console password
--   (EnableMFADevice), or remove unneeded console passwords
--   (DeleteLoginProfile).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters: (none)
-- description: Every IAM user with a console password must have MFA
--   enabled (COMPLIANT when it has; a user with a password and no MFA is
--   NON_COMPLIANT). Neither the console password nor MFA is in the user
--   item, so every current IAM user is INSUFFICIENT_DATA.
-- missing: console passwords and MFA per user: the credential report
--   (password_enabled, mfa_active) from aws iam get-credential-report, or
--   aws iam get-login-profile and aws iam list-mfa-devices --user-name USER.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'console password and MFA of user ' || coalesce(json_extract(configuration, '$.userName'),
                                                       resource_name, resource_id)
       || ' are not in AWS Config items; needs the credential report (password_enabled, '
       || 'mfa_active)' AS annotation
FROM current_items
WHERE resource_type = 'AWS::IAM::User'
