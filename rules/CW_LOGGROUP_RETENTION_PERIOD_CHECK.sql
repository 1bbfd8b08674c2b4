-- identifier: CW_LOGGROUP_RETENTION_PERIOD_CHECK
-- name: cw-loggroup-retention-period-check
-- severity: medium (Security Hub CloudWatch.16)
-- remediation: Set the log group's retention to at least the required number of
--   days (logs PutRetentionPolicy retentionInDays).
-- resource-types: AWS::Logs::LogGroup
-- trigger: periodic
-- parameters:
--   LogGroupNames: csv, optional
--   MinRetentionTime: int = 365
-- description: NON_COMPLIANT when a CloudWatch Logs log group keeps events
--   for fewer than MinRetentionTime days (configuration.RetentionInDays);
--   a log group without RetentionInDays never expires and is COMPLIANT, as
--   is one at or above the minimum. With LogGroupNames (treated as name
--   prefixes; an exact name is its own prefix), other log groups are
--   NOT_APPLICABLE. Evaluated only where AWS::Logs::LogGroup items are
--   recorded; an account or Region without such items gets no result
--   (aws logs describe-log-groups lists them when the type is not recorded).
WITH RECURSIVE split(rest, part) AS (
	SELECT :LogGroupNames || ',', NULL WHERE :LogGroupNames IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM split WHERE rest <> ''
), prefixes AS (
	SELECT DISTINCT part FROM split WHERE part IS NOT NULL AND part <> ''
), v AS (
	-- The log group facts, read once per run for every log group rule.
	SELECT resource_type, resource_id, account_id, region, recorded, name,
	       retention_days AS days
	FROM log_groups
), w AS (
	SELECT *,
	       NOT EXISTS (SELECT 1 FROM prefixes)
	       OR EXISTS (SELECT 1 FROM prefixes p
			  WHERE substr(name, 1, length(p.part)) = p.part) AS selected
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	 WHEN NOT selected THEN 'NOT_APPLICABLE'
	 WHEN days IS NULL THEN 'COMPLIANT'
	 WHEN days < :MinRetentionTime THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN NOT recorded THEN 'log group configuration not recorded in the configuration item'
	 WHEN NOT selected THEN 'log group ' || name || ' does not match LogGroupNames'
	 WHEN days IS NULL
	   THEN 'log group ' || name || ' has no RetentionInDays: events never expire'
	 WHEN days < :MinRetentionTime
	   THEN 'RetentionInDays ' || days || ' is less than MinRetentionTime ' || :MinRetentionTime
	 ELSE 'RetentionInDays ' || days || ' meets MinRetentionTime ' || :MinRetentionTime
       END AS annotation
FROM w;
