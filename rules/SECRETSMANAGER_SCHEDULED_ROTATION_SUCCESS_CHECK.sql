-- identifier: SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK
-- name: secretsmanager-scheduled-rotation-success-check
-- severity: medium (Security Hub SecretsManager.2)
-- remediation: Fix the secret's rotation function and rotate the secret now
--   (RotateSecret).
-- resource-types: AWS::SecretsManager::Secret
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when the secret's scheduled rotation did not
--   happen (configuration.RotationOccurringAsScheduled false), COMPLIANT
--   when it is true. Secrets without rotation (RotationEnabled not true)
--   are NOT_APPLICABLE. An item without RotationOccurringAsScheduled gives
--   INSUFFICIENT_DATA (aws secretsmanager describe-secret).
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), v AS (
	SELECT *, c ->> '$.RotationEnabled' IN (1, 'true') AS enabled,
	       CASE
		 WHEN c ->> '$.RotationOccurringAsScheduled' IN (1, 'true') THEN 1
		 WHEN c ->> '$.RotationOccurringAsScheduled' IN (0, 'false') THEN 0
	       END AS ok
	FROM s
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN NOT coalesce(enabled, 0) THEN 'NOT_APPLICABLE'
	 WHEN ok = 1 THEN 'COMPLIANT'
	 WHEN ok = 0 THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'secret configuration not recorded in the configuration item'
	 WHEN NOT coalesce(enabled, 0) THEN 'rotation is not enabled for the secret'
	 WHEN ok = 1 THEN 'RotationOccurringAsScheduled is true'
	 WHEN ok = 0 THEN 'RotationOccurringAsScheduled is false: the scheduled rotation did not '
		|| 'happen'
	 ELSE 'RotationOccurringAsScheduled is not in the configuration item (aws secretsmanager '
	      || 'describe-secret)'
       END AS annotation
FROM v;
