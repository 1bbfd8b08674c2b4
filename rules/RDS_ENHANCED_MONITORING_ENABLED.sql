-- identifier: RDS_ENHANCED_MONITORING_ENABLED
-- name: rds-enhanced-monitoring-enabled
-- severity: low (Security Hub RDS.6)
-- remediation: Enable Enhanced Monitoring with the required interval
--   (ModifyDBInstance MonitoringInterval, MonitoringRoleArn).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters:
--   monitoringInterval: int, optional
-- description: NON_COMPLIANT when configuration.monitoringInterval of the
--   DB instance is 0 (enhanced monitoring off) or, with the monitoringInterval
--   parameter (1, 5, 10, 15, 30 or 60 seconds), when it is another value;
--   COMPLIANT otherwise. An item without monitoringInterval or without its
--   configuration gives INSUFFICIENT_DATA (AWS's page reads the field of
--   the configuration item and says nothing of its absence).
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS no_conf,
	       db_instance_identifier AS x_db, monitoring_interval AS x_monitoring_interval
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, no_conf,
	       coalesce(x_db, resource_id) AS db,
	       CAST(x_monitoring_interval AS INTEGER) AS mi
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf OR mi IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN mi = 0 THEN 'NON_COMPLIANT'
	 WHEN :monitoringInterval IS NOT NULL AND mi <> :monitoringInterval THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN mi IS NULL
	   THEN 'monitoringInterval is not in the configuration item of DB instance ' || db
	 WHEN mi = 0 THEN 'enhanced monitoring is off (monitoringInterval 0) for DB instance ' || db
	 WHEN :monitoringInterval IS NOT NULL AND mi <> :monitoringInterval
	   THEN 'monitoringInterval is ' || mi || ', not ' || :monitoringInterval
		|| ', for DB instance ' || db
	 ELSE 'enhanced monitoring every ' || mi || ' s for DB instance ' || db
       END AS annotation
FROM v;
