-- identifier: IAM_USER_UNUSED_CREDENTIALS_CHECK
-- name: iam-user-unused-credentials-check
-- severity: medium (Security Hub IAM.8)
-- remediation: Deactivate or delete the password and access keys that have not
--   been used within the allowed days (DeleteLoginProfile, UpdateAccessKey
--   Status=Inactive).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters:
--   maxCredentialUsageAge: int = 90
-- description: IAM users must not have a password or an active access key
--   unused for more than maxCredentialUsageAge days (NON_COMPLIANT if they
--   do, COMPLIANT otherwise). Last-used dates are not in the user item, so
--   every current IAM user is INSUFFICIENT_DATA.
-- missing: credential last-used dates: the credential report
--   (password_last_used, access_key_N_active, access_key_N_last_used_date)
--   from aws iam get-credential-report, or aws iam get-access-key-last-used.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'last-used dates of the credentials of user ' ||
       coalesce(json_extract(configuration, '$.userName'), resource_name, resource_id)
       || ' are not in AWS Config items; needs the credential report (password_last_used, '
       || 'access_key_N_last_used_date) to check ' || coalesce(:maxCredentialUsageAge, 90)
       || ' days' AS annotation
FROM current_items
WHERE resource_type = 'AWS::IAM::User'
