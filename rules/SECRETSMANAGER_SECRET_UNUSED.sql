-- identifier: SECRETSMANAGER_SECRET_UNUSED
-- name: secretsmanager-secret-unused
-- severity: medium (Security Hub SecretsManager.3)
-- remediation: Delete the secret if nothing uses it any more (DeleteSecret
--   RecoveryWindowInDays).
-- resource-types: AWS::SecretsManager::Secret
-- trigger: periodic
-- parameters:
--   unusedForDays: int = 90
-- description: NON_COMPLIANT when the secret was not accessed within
--   unusedForDays days of the evaluation time, COMPLIANT otherwise. The
--   last access date is not in the documented item schema: when an item
--   carries configuration.LastAccessedDate it is used; otherwise the result
--   is INSUFFICIENT_DATA.
-- missing: the last access date (aws secretsmanager describe-secret,
--   LastAccessedDate)
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), v AS (
	SELECT *, age_days(c ->> '$.LastAccessedDate') AS age FROM s
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN age IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN age > :unusedForDays THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN age IS NULL THEN 'last access date is not in AWS Config data (aws secretsmanager '
		|| 'describe-secret)'
	 WHEN age > :unusedForDays THEN 'last accessed ' || CAST(age AS INTEGER)
		|| ' days ago, more than unusedForDays ' || :unusedForDays
	 ELSE 'last accessed ' || CAST(age AS INTEGER) || ' days ago'
       END AS annotation
FROM v;
