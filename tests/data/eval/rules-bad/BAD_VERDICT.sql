-- identifier: BAD_VERDICT
-- name: bad-verdict
-- resource-types: AWS::EC2::SecurityGroup
-- description: Returns a compliance type that does not exist.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'MAYBE' AS compliance_type, NULL AS annotation FROM current_items
