-- identifier: WRITES
-- name: writes
-- resource-types: AWS::EC2::SecurityGroup
-- description: Tries a second statement that writes.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, NULL AS annotation FROM current_items;
DELETE FROM items
