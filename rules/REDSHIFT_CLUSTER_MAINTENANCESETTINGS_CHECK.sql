-- identifier: REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK
-- name: redshift-cluster-maintenancesettings-check
-- severity: medium (Security Hub Redshift.6)
-- remediation: Allow version upgrades and set the required maintenance window
--   and snapshot retention (ModifyCluster AllowVersionUpgrade=true,
--   PreferredMaintenanceWindow, AutomatedSnapshotRetentionPeriod).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters:
--   allowVersionUpgrade: bool = true
--   preferredMaintenanceWindow: string, optional
--   automatedSnapshotRetentionPeriod: int = 1
-- description: NON_COMPLIANT when the Amazon Redshift cluster's
--   configuration.allowVersionUpgrade differs from allowVersionUpgrade
--   (by default: automatic major version upgrades are off), when
--   preferredMaintenanceWindow is given and the cluster's window differs
--   (compared without regard to case, as RDS writes "tue:10:00-tue:10:30"
--   and AWS's example "Mon:09:30-Mon:10:00"), or when the cluster keeps
--   automated snapshots for fewer days than automatedSnapshotRetentionPeriod;
--   COMPLIANT otherwise. AWS does not say whether the retention must equal
--   the parameter or reach it: this rule reads it as a minimum. A needed
--   field that the item lacks, or an item without its configuration, gives
--   INSUFFICIENT_DATA unless another check already fails.
WITH d AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       allow_version_upgrade, preferred_maintenance_window,
	       automated_snapshot_retention_period
	FROM redshift_clusters
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       CASE WHEN allow_version_upgrade IN (1, 'true') THEN 1
		    WHEN allow_version_upgrade IN (0, 'false') THEN 0 END AS avu,
	       lower(trim(preferred_maintenance_window)) AS win,
	       lower(nullif(trim(:preferredMaintenanceWindow), '')) AS want_win,
	       CAST(automated_snapshot_retention_period AS INTEGER) AS days
	FROM d
), w AS (
	SELECT *,
	       -- every failing check, separated by "; "
	       nullif(rtrim(
		 coalesce(CASE WHEN avu <> :allowVersionUpgrade
				THEN 'allowVersionUpgrade is '
				     || CASE avu WHEN 1 THEN 'true' ELSE 'false' END
				     || ' for cluster ' || resource_id || '; ' END, '')
		 || coalesce(CASE WHEN want_win IS NOT NULL AND win <> want_win
				   THEN 'preferredMaintenanceWindow is ' || win || ', not ' || want_win
					|| '; ' END, '')
		 || coalesce(CASE WHEN days < :automatedSnapshotRetentionPeriod
				   THEN 'automated snapshots kept ' || days || ' days, fewer than '
					|| :automatedSnapshotRetentionPeriod END, ''),
		 '; '), '') AS failure,
	       CASE
		 WHEN :allowVersionUpgrade IS NOT NULL AND avu IS NULL
		   THEN 'allowVersionUpgrade is not in the configuration item'
		 WHEN want_win IS NOT NULL AND win IS NULL
		   THEN 'preferredMaintenanceWindow is not in the configuration item'
		 WHEN :automatedSnapshotRetentionPeriod IS NOT NULL AND days IS NULL
		   THEN 'automatedSnapshotRetentionPeriod is not in the configuration item'
	       END AS unknown
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN failure IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 ELSE coalesce(failure, unknown, 'cluster ' || resource_id
		       || ' has the required maintenance settings')
       END AS annotation
FROM w;
