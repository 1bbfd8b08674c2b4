-- identifier: DUMP_INVENTORY_COVERAGE
-- name: dump-inventory-coverage
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: every row of inventory_coverage (test helper)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, region AS aws_region, 'COMPLIANT' AS compliance_type, snapshot_time AS annotation FROM inventory_coverage
