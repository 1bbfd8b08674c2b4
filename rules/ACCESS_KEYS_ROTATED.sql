-- identifier: ACCESS_KEYS_ROTATED
-- name: access-keys-rotated
-- severity: medium (Security Hub IAM.3)
-- remediation: Create a new access key for the user, switch its callers to it,
--   then deactivate and delete the old key (CreateAccessKey, UpdateAccessKey
--   Status=Inactive, DeleteAccessKey).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters:
--   maxAccessKeyAge: int = 90
-- description: NON_COMPLIANT when an active access key of the IAM user was
--   not rotated within maxAccessKeyAge days; COMPLIANT otherwise. The
--   AWS::IAM::User item holds no access keys, so every user is
--   INSUFFICIENT_DATA.
-- missing: access-key status and creation dates (aws iam
--   get-credential-report, or aws iam list-access-keys)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'access-key ages of ' || coalesce(json_unstring(configuration) ->> '$.userName',
					 resource_name, resource_id)
       || ' are not in AWS Config data (aws iam get-credential-report)' AS annotation
FROM current_items
WHERE resource_type = 'AWS::IAM::User';
