-- identifier: DYNAMODB_THROUGHPUT_LIMIT_CHECK
-- name: dynamodb-throughput-limit-check
-- severity: low (default: hygiene)
-- remediation: Lower the provisioned read and write capacity of the account's
--   tables, or request a higher account quota (UpdateTable, Service Quotas).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   accountRCUThresholdPercentage: int = 80
--   accountWCUThresholdPercentage: int = 80
-- description: Provisioned DynamoDB throughput must stay below a share of
--   the account's limits: the account and Region is NON_COMPLIANT when the
--   provisioned read (write) capacity reaches accountRCUThresholdPercentage
--   (accountWCUThresholdPercentage) percent of the account's maximum read
--   (write) capacity units, COMPLIANT otherwise. The account limits are
--   service quotas that AWS Config does not record, so every account and
--   Region is INSUFFICIENT_DATA, whatever the recorded tables provision.
-- missing: the account's DynamoDB capacity limits per Region
--   (aws dynamodb describe-limits: AccountMaxReadCapacityUnits,
--   AccountMaxWriteCapacityUnits)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'account capacity limits are not in AWS Config data (aws dynamodb describe-limits); '
       || 'thresholds ' || :accountRCUThresholdPercentage || '% of AccountMaxReadCapacityUnits, '
       || :accountWCUThresholdPercentage || '% of AccountMaxWriteCapacityUnits' AS annotation
FROM accounts;
