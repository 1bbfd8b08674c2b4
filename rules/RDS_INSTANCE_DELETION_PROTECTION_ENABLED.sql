-- identifier: RDS_INSTANCE_DELETION_PROTECTION_ENABLED
-- name: rds-instance-deletion-protection-enabled
-- severity: low (Security Hub RDS.8)
-- remediation: Enable deletion protection on the instance (ModifyDBInstance
--   DeletionProtection=true).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters:
--   databaseEngines: csv, optional
-- description: NON_COMPLIANT when configuration.deletionProtection of the
--   DB instance is false, COMPLIANT when it is true. With databaseEngines
--   (e.g. "mysql, postgres, mariadb"), instances whose engine is not in
--   the list are NOT_APPLICABLE (compared without regard to case and
--   surrounding spaces). AWS's current page warns that some instances in an
--   Aurora or DocumentDB cluster show as NON_COMPLIANT because deletion
--   protection is set on the cluster (older versions of the page said
--   NOT_APPLICABLE); this rule follows the current page and judges the
--   instance's own deletionProtection whatever its cluster says. An item
--   without the field (recorded before RDS had it) or without its
--   configuration gives INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       db_instance_identifier AS x_db, engine AS x_engine,
	       deletion_protection AS x_deletion_protection
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       coalesce(x_db, resource_id) AS db,
	       lower(trim(coalesce(x_engine, ''))) AS engine,
	       CASE WHEN x_deletion_protection IN (1, 'true') THEN 1
		    WHEN x_deletion_protection IN (0, 'false') THEN 0 END AS dp
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN :databaseEngines IS NOT NULL
	      AND NOT csv_contains(lower(:databaseEngines), engine) THEN 'NOT_APPLICABLE'
	 WHEN dp = 1 THEN 'COMPLIANT'
	 WHEN dp = 0 THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 WHEN :databaseEngines IS NOT NULL
	      AND NOT csv_contains(lower(:databaseEngines), engine)
	   THEN 'engine ' || coalesce(nullif(engine, ''), '(none)') || ' is not in databaseEngines'
	 WHEN dp = 1 THEN 'deletionProtection is true for DB instance ' || db
	 WHEN dp = 0 THEN 'deletionProtection is false for DB instance ' || db
	 ELSE 'deletionProtection is not in the configuration item of DB instance ' || db
       END AS annotation
FROM v;
