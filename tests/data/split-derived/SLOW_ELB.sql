-- identifier: SLOW_ELB
-- name: slow-elb
-- resource-types: AWS::::Account
-- description: Reads elb_listeners, slowly.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500000)
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id,
       a.account_id AS account_id, 'global' AS aws_region,
       'COMPLIANT' AS compliance_type,
       (SELECT count(*) FROM n) || ' ' || (SELECT count(*) FROM elb_listeners) AS annotation
FROM (SELECT DISTINCT account_id FROM accounts) a
