-- identifier: SLOW_KMS
-- name: slow-kms
-- resource-types: AWS::::Account
-- description: Reads kms_keys, slowly, so that the other connection takes the next rule.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500000)
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id,
       a.account_id AS account_id, 'global' AS aws_region,
       'COMPLIANT' AS compliance_type,
       (SELECT count(*) FROM n) || ' ' || (SELECT count(*) FROM kms_keys) AS annotation
FROM (SELECT DISTINCT account_id FROM accounts) a
