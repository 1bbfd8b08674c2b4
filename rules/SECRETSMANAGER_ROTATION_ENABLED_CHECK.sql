-- identifier: SECRETSMANAGER_ROTATION_ENABLED_CHECK
-- name: secretsmanager-rotation-enabled-check
-- severity: medium (Security Hub SecretsManager.1)
-- remediation: Turn on automatic rotation for the secret within the allowed
--   interval (RotateSecret RotationLambdaARN, RotationRules).
-- resource-types: AWS::SecretsManager::Secret
-- trigger: configuration-changes
-- parameters:
--   maximumAllowedRotationFrequency: int, optional
--   maximumAllowedRotationFrequencyInHours: int, optional
-- description: NON_COMPLIANT when the secret is not scheduled for rotation
--   (configuration.RotationEnabled not true), or when its rotation
--   interval exceeds maximumAllowedRotationFrequency (days) or
--   maximumAllowedRotationFrequencyInHours; COMPLIANT otherwise. When both
--   maximums are given the interval must satisfy both (precedence is not
--   stated by AWS). The interval comes from a rate(N days|hours) schedule
--   expression (RotationRules.RotationScheduleExpression, or
--   ScheduleExpression as the API names it), else
--   RotationRules.AutomaticallyAfterHours (the schedule AWS Config records
--   for a rotation set in hours), else RotationRules.AutomaticallyAfterDays;
--   a cron() schedule has no fixed interval, so with a maximum given it is
--   INSUFFICIENT_DATA.
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), e AS (
	SELECT *,
	       c ->> '$.RotationEnabled' IN (1, 'true') AS enabled,
	       c ->> '$.RotationRules.AutomaticallyAfterDays' AS after_days,
	       c ->> '$.RotationRules.AutomaticallyAfterHours' AS after_hours,
	       lower(trim(coalesce(c ->> '$.RotationRules.ScheduleExpression',
				   c ->> '$.RotationRules.RotationScheduleExpression', ''))) AS expr
	FROM s
), r AS (
	SELECT *,
	       CASE
		 WHEN expr LIKE 'rate(%' AND instr(expr, ' ') > 6
		   THEN CAST(trim(substr(expr, 6, instr(expr, ' ') - 6)) AS INTEGER)
	       END AS rate_n
	FROM e
), h AS (
	SELECT *,
	       CASE
		 WHEN expr LIKE 'rate(% hour%' THEN rate_n
		 WHEN expr LIKE 'rate(% day%' THEN rate_n * 24
		 WHEN typeof(after_hours) IN ('integer', 'real') THEN after_hours
		 WHEN typeof(after_days) IN ('integer', 'real') THEN after_days * 24
	       END AS interval_h,
	       CASE
		 WHEN :maximumAllowedRotationFrequency IS NULL
		   THEN :maximumAllowedRotationFrequencyInHours
		 WHEN :maximumAllowedRotationFrequencyInHours IS NULL
		   THEN :maximumAllowedRotationFrequency * 24
		 ELSE min(:maximumAllowedRotationFrequency * 24,
			  :maximumAllowedRotationFrequencyInHours)
	       END AS max_h
	FROM r
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN NOT coalesce(enabled, 0) THEN 'NON_COMPLIANT'
	 WHEN max_h IS NULL THEN 'COMPLIANT'
	 WHEN interval_h IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN interval_h > max_h THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'secret configuration not recorded in the configuration item'
	 WHEN NOT coalesce(enabled, 0) THEN 'RotationEnabled is not true: the secret is not '
		|| 'scheduled for rotation'
	 WHEN max_h IS NULL THEN 'rotation is enabled'
		|| coalesce(' (' || nullif(expr, '') || ')',
			    ' (every ' || after_hours || ' hours)',
			    ' (every ' || after_days || ' days)', '')
	 WHEN interval_h IS NULL THEN 'rotation schedule ' || coalesce(nullif(expr, ''), 'unknown')
		|| ' has no fixed interval to compare with the maximum'
	 WHEN interval_h > max_h THEN 'rotation interval ' || interval_h
		|| ' hours exceeds the maximum of ' || max_h || ' hours'
	 ELSE 'rotation interval ' || interval_h || ' hours is within the maximum of ' || max_h
	      || ' hours'
       END AS annotation
FROM h;
