-- identifier: SECRETSMANAGER_SECRET_PERIODIC_ROTATION
-- name: secretsmanager-secret-periodic-rotation
-- severity: medium (Security Hub SecretsManager.4)
-- remediation: Rotate the secret now and keep its rotation schedule within the
--   allowed days (RotateSecret).
-- resource-types: AWS::SecretsManager::Secret
-- trigger: periodic
-- parameters:
--   maxDaysSinceRotation: int = 90
-- description: NON_COMPLIANT when the secret was not rotated within
--   maxDaysSinceRotation days of the evaluation time, COMPLIANT otherwise.
--   The last rotation date is not part of the documented item schema: when
--   an item carries configuration.LastRotatedDate it is used; otherwise
--   (including never-rotated secrets, which the item cannot tell apart)
--   the result is INSUFFICIENT_DATA.
-- missing: the last rotation date (aws secretsmanager describe-secret,
--   LastRotatedDate)
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), v AS (
	SELECT *, c ->> '$.LastRotatedDate' AS last, age_days(c ->> '$.LastRotatedDate') AS age
	FROM s
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN age IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN age > :maxDaysSinceRotation THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN age IS NULL THEN 'last rotation date is not in AWS Config data (aws secretsmanager '
		|| 'describe-secret)'
	 WHEN age > :maxDaysSinceRotation THEN 'last rotated ' || CAST(age AS INTEGER)
		|| ' days ago, more than maxDaysSinceRotation ' || :maxDaysSinceRotation
	 ELSE 'last rotated ' || CAST(age AS INTEGER) || ' days ago'
       END AS annotation
FROM v;
