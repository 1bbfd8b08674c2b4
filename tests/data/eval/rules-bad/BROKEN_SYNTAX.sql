-- identifier: BROKEN_SYNTAX
-- name: broken-syntax
-- resource-types: AWS::EC2::SecurityGroup
-- description: Has a syntax error on line 7.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, NULL AS annotation
FROM current_items WHERE WHERE 1
