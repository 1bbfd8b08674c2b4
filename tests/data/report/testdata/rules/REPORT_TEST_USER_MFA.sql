-- identifier: REPORT_TEST_USER_MFA
-- name: report-test-user-mfa
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters: (none)
-- description: A rule of the report tests (t1410): IAM users (region
--   'global') are INSUFFICIENT_DATA, as a rule whose input is not in
--   Config items would report them.
-- missing: MFA devices (aws iam list-mfa-devices)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'MFA devices of ' || coalesce(resource_name, resource_id) || ' are not recorded'
           AS annotation
FROM current_items
WHERE resource_type = 'AWS::IAM::User'
