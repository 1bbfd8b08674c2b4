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
	-- configuration as it is when it is an object's text (what
	-- json_unstring would return, without copying it), else unstrung.
	SELECT resource_type, resource_id, account_id, region, status,
	       CASE WHEN configuration LIKE '{%' THEN configuration
		    ELSE json_unstring(configuration) END AS c
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBInstance'
), v AS MATERIALIZED (
	-- MATERIALIZED: the JSON read once per row, not once for each time
	-- the statement below names a column.
	SELECT resource_type, resource_id, account_id, region, status, c IS NULL AS unrec,
	       coalesce(c ->> '$.dBInstanceIdentifier', resource_id) AS db,
	       lower(coalesce(c ->> '$.engine', '')) AS engine,
	       lower(coalesce(c ->> '$.dBInstanceStatus', '')) AS db_status,
	       CASE WHEN c ->> '$.iAMDatabaseAuthenticationEnabled' IN (1, 'true') THEN 1
		    WHEN c ->> '$.iAMDatabaseAuthenticationEnabled' IN (0, 'false') THEN 0
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
