-- identifier: REDSHIFT_BACKUP_ENABLED
-- name: redshift-backup-enabled
-- severity: medium (Security Hub Redshift.3)
-- remediation: Enable automated snapshots with a retention period in the
--   required range (ModifyCluster AutomatedSnapshotRetentionPeriod).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters:
--   MinRetentionPeriod: int, optional
--   MaxRetentionPeriod: int, optional
-- description: NON_COMPLIANT when automated snapshots of the Amazon
--   Redshift cluster are off (configuration.automatedSnapshotRetentionPeriod
--   0), or the retention is less than MinRetentionPeriod or greater than
--   MaxRetentionPeriod (days, each checked only when given); COMPLIANT
--   otherwise. An item without the retention or without its configuration
--   gives INSUFFICIENT_DATA.
WITH v AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       CAST(automated_snapshot_retention_period AS INTEGER) AS days
	FROM redshift_clusters
), w AS (
	SELECT *,
	       CASE
		 WHEN days = 0 THEN 'automated snapshots are off (retention 0 days)'
		 WHEN days < :MinRetentionPeriod
		   THEN 'automated snapshot retention ' || days || ' days is less than MinRetentionPeriod '
			|| :MinRetentionPeriod
		 WHEN days > :MaxRetentionPeriod
		   THEN 'automated snapshot retention ' || days
			|| ' days is greater than MaxRetentionPeriod ' || :MaxRetentionPeriod
	       END AS failure
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf OR days IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN failure IS NOT NULL THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN days IS NULL THEN 'automatedSnapshotRetentionPeriod is not in the configuration item'
	 WHEN failure IS NOT NULL THEN failure || ' for cluster ' || resource_id
	 ELSE 'automated snapshots kept ' || days || ' days for cluster ' || resource_id
       END AS annotation
FROM w;
