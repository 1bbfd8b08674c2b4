-- identifier: BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK
-- name: backup-recovery-point-minimum-retention-check
-- severity: medium (default: backup)
-- remediation: Raise the recovery point's retention to at least the required
--   days (UpdateRecoveryPointLifecycle Lifecycle.DeleteAfterDays).
-- resource-types: AWS::Backup::RecoveryPoint
-- trigger: configuration-changes
-- parameters:
--   requiredRetentionDays: int = 35
-- description: An AWS Backup recovery point must not expire before
--   requiredRetentionDays days. Its retention is
--   configuration.Lifecycle.DeleteAfterDays, else the days from
--   CreationDate to CalculatedLifecycle.DeleteAt; a recovery point with
--   neither has no expiry and is kept until deleted. NON_COMPLIANT when
--   the retention is shorter than requiredRetentionDays, COMPLIANT
--   otherwise. INSUFFICIENT_DATA for an item without configuration, or a
--   DeleteAt without a readable CreationDate.
WITH rp AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NOT NULL AS recorded,
	       json_extract(configuration, '$.Lifecycle.DeleteAfterDays') AS after_days,
	       json_extract(configuration, '$.CalculatedLifecycle.DeleteAt') AS delete_at,
	       age_days(json_extract(configuration, '$.CreationDate'))
	       - age_days(json_extract(configuration, '$.CalculatedLifecycle.DeleteAt')) AS span
	FROM current_items
	WHERE resource_type = 'AWS::Backup::RecoveryPoint'
), r AS (
	SELECT *,
	       CASE WHEN typeof(after_days) IN ('integer', 'real') THEN after_days
		    ELSE round(span, 2) END AS days
	FROM rp
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	    WHEN days IS NULL AND delete_at IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN days < :requiredRetentionDays THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded THEN 'recovery point configuration not recorded (' || status || ')'
	    WHEN days IS NULL AND delete_at IS NOT NULL
		 THEN 'DeleteAt is recorded but CreationDate is not readable'
	    WHEN days IS NULL THEN 'the recovery point has no expiry (no lifecycle)'
	    ELSE 'the recovery point is kept ' || printf('%g', days) || ' days, '
		 || CASE WHEN days < :requiredRetentionDays THEN 'fewer than '
			 ELSE 'at least ' END
		 || :requiredRetentionDays END AS annotation
FROM r
