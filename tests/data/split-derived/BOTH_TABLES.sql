-- identifier: BOTH_TABLES
-- name: both-tables
-- resource-types: AWS::::Account
-- description: Reads kms_keys and elb_listeners, which two connections may each have built one of.
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id,
       a.account_id AS account_id, 'global' AS aws_region,
       'NON_COMPLIANT' AS compliance_type,
       (SELECT count(*) FROM kms_keys) || ' ' || (SELECT count(*) FROM elb_listeners) AS annotation
FROM (SELECT DISTINCT account_id FROM accounts) a
