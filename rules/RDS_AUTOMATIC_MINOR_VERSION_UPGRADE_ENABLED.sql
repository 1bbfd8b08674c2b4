-- identifier: RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED
-- name: rds-automatic-minor-version-upgrade-enabled
-- severity: high (Security Hub RDS.13)
-- remediation: Enable automatic minor version upgrades (ModifyDBInstance
--   AutoMinorVersionUpgrade=true).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.autoMinorVersionUpgrade of
--   the DB instance is false, COMPLIANT when it is true. As AWS's page
--   notes, the rule looks at the instance only: an Aurora instance is
--   COMPLIANT on its own setting even when its cluster's setting would
--   prevent the upgrade, and configurations where automatic minor upgrades
--   are unsupported (Aurora global databases, Aurora MySQL with
--   cross-Region replicas) are judged the same way. An item without the
--   field or without its configuration gives INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS no_conf,
	       db_instance_identifier AS x_db, auto_minor_version_upgrade AS x_auto_minor
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, no_conf,
	       coalesce(x_db, resource_id) AS db,
	       x_auto_minor AS amvu
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN amvu IN (1, 'true') THEN 'COMPLIANT'
	 WHEN amvu IN (0, 'false') THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN amvu IN (1, 'true')
	   THEN 'autoMinorVersionUpgrade is true for DB instance ' || db
	 WHEN amvu IN (0, 'false')
	   THEN 'autoMinorVersionUpgrade is false for DB instance ' || db
	 ELSE 'autoMinorVersionUpgrade is not in the configuration item of DB instance ' || db
       END AS annotation
FROM v;
