-- identifier: RDS_INSTANCE_PUBLIC_ACCESS_CHECK
-- name: rds-instance-public-access-check
-- severity: critical (Security Hub RDS.2)
-- remediation: Make the instance private (ModifyDBInstance
--   PubliclyAccessible=false).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.publiclyAccessible is true
--   for the DB instance, COMPLIANT when it is false. An item without the
--   field gives INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, recorded,
	       db_instance_identifier AS x_db, publicly_accessible AS x_publicly_accessible
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region,
	       CASE
		 WHEN x_publicly_accessible IN (1, 'true') THEN 1
		 WHEN x_publicly_accessible IN (0, 'false') THEN 0
	       END AS pub,
	       coalesce(x_db, resource_id) AS db
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN pub = 1 THEN 'NON_COMPLIANT'
	 WHEN pub = 0 THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN pub = 1 THEN 'publiclyAccessible is true for DB instance ' || db
	 WHEN pub = 0 THEN 'publiclyAccessible is false for DB instance ' || db
	 ELSE 'publiclyAccessible is not in the configuration item'
       END AS annotation
FROM v;
