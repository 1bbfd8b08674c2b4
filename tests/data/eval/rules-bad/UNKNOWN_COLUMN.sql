-- identifier: UNKNOWN_COLUMN
-- name: unknown-column
-- resource-types: AWS::EC2::SecurityGroup
-- description: Reads a column that does not exist (line 6).
SELECT resource_type, resource_id, account_id, region AS aws_region,
       no_such_column AS compliance_type, NULL AS annotation
FROM current_items
