-- identifier: REPORT_TEST_ACCOUNT
-- name: report-test-account
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: A rule of the report tests (t1410): one result per account
--   and region, COMPLIANT where the region has a CloudTrail trail item,
--   NON_COMPLIANT elsewhere.
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id, a.account_id,
       a.aws_region,
       CASE WHEN EXISTS (SELECT 1 FROM current_items c
                         WHERE c.account_id = a.account_id AND c.region = a.aws_region
                           AND c.resource_type = 'AWS::CloudTrail::Trail')
            THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       NULL AS annotation
FROM accounts AS a
