-- identifier: IAM_USER_MFA_ENABLED
-- name: iam-user-mfa-enabled
-- severity: medium (Security Hub IAM.19)
-- remediation: Enable an MFA device for the user (CreateVirtualMFADevice,
--   EnableMFADevice).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters: (none)
-- description: Every IAM user must have MFA enabled (NON_COMPLIANT without
--   it, COMPLIANT otherwise; users without a console password are in
--   scope too). The user item has no MFA fields, so every current IAM
--   user is INSUFFICIENT_DATA.
-- missing: MFA devices per user: the credential report (mfa_active) from
--   aws iam get-credential-report, or aws iam list-mfa-devices
--   --user-name USER.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'MFA devices of user ' || coalesce(json_extract(configuration, '$.userName'), resource_name,
                                          resource_id)
       || ' are not in AWS Config items; needs the credential report (mfa_active) or '
       || 'aws iam list-mfa-devices' AS annotation
FROM current_items
WHERE resource_type = 'AWS::IAM::User'
