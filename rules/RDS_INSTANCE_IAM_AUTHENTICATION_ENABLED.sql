-- identifier: RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED
-- name: rds-instance-iam-authentication-enabled
-- severity: medium (Security Hub RDS.10)
-- remediation: Enable IAM database authentication (ModifyDBInstance
--   EnableIAMDatabaseAuthentication=true).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.iAMDatabaseAuthenticationEnabled
--   of the DB instance is false, COMPLIANT when it is true. As AWS's page
--   says, only instances whose engine is mysql, postgres, aurora,
--   aurora-mysql or aurora-postgresql and whose dBInstanceStatus is
--   available, backing-up, storage-optimization or storage-full are
--   evaluated; the others are NOT_APPLICABLE. An item without the field
--   or without its configuration gives INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       db_instance_identifier AS x_db, engine AS x_engine,
	       db_instance_status AS x_db_status, iam_auth_enabled AS x_iam_auth
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       coalesce(x_db, resource_id) AS db,
	       lower(coalesce(x_engine, '')) AS engine,
	       lower(coalesce(x_db_status, '')) AS db_status,
	       CASE WHEN x_iam_auth IN (1, 'true') THEN 1
		    WHEN x_iam_auth IN (0, 'false') THEN 0
	       END AS iam
	FROM d
), w AS (
	SELECT *,
	       engine IN ('mysql', 'postgres', 'aurora', 'aurora-mysql', 'aurora-postgresql')
	       AS engine_ok,
	       db_status IN ('available', 'backing-up', 'storage-optimization', 'storage-full')
	       AS status_ok
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN NOT engine_ok OR NOT status_ok THEN 'NOT_APPLICABLE'
	 WHEN iam = 1 THEN 'COMPLIANT'
	 WHEN iam = 0 THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 WHEN NOT engine_ok
	   THEN 'engine ' || coalesce(nullif(engine, ''), '(none)')
		|| ' does not support IAM database authentication'
	 WHEN NOT status_ok
	   THEN 'dBInstanceStatus is ' || coalesce(nullif(db_status, ''), '(none)')
	 WHEN iam = 1 THEN 'IAM database authentication is enabled for DB instance ' || db
	 WHEN iam = 0 THEN 'iAMDatabaseAuthenticationEnabled is false for DB instance ' || db
	 ELSE 'iAMDatabaseAuthenticationEnabled is not in the configuration item of DB instance '
	      || db
       END AS annotation
FROM w;
