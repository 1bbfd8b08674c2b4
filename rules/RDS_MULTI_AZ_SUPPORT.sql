-- identifier: RDS_MULTI_AZ_SUPPORT
-- name: rds-multi-az-support
-- severity: medium (Security Hub RDS.5)
-- remediation: Convert the instance to a Multi-AZ deployment (ModifyDBInstance
--   MultiAZ=true).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.multiAZ of the DB instance
--   is false (no standby in another Availability Zone), COMPLIANT when it
--   is true. As AWS's page says, Aurora, DocumentDB and Neptune instances
--   are not evaluated: engines aurora, aurora-*, docdb and neptune are
--   NOT_APPLICABLE. Not stated by AWS: any other instance that belongs to
--   a DB cluster (dBClusterIdentifier, as the members of a Multi-AZ DB
--   cluster, which each report multiAZ false) is NOT_APPLICABLE too, since
--   its availability is the cluster's (see rds-cluster-multi-az-enabled).
--   An item without multiAZ or without its configuration gives
--   INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       cluster_identifier AS x_cluster, db_instance_identifier AS x_db,
	       engine AS x_engine, multi_az AS x_multi_az
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       coalesce(x_db, resource_id) AS db,
	       lower(coalesce(x_engine, '')) AS engine,
	       nullif(x_cluster, '') AS cluster,
	       x_multi_az AS maz
	FROM d
), w AS (
	SELECT *,
	       engine = 'aurora' OR engine LIKE 'aurora-%' OR engine IN ('docdb', 'neptune')
	       AS excluded_engine
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN excluded_engine OR cluster IS NOT NULL THEN 'NOT_APPLICABLE'
	 WHEN maz IN (1, 'true') THEN 'COMPLIANT'
	 WHEN maz IN (0, 'false') THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 WHEN excluded_engine THEN 'engine ' || engine || ' is not evaluated by this rule'
	 WHEN cluster IS NOT NULL
	   THEN 'DB instance ' || db || ' belongs to DB cluster ' || cluster
	 WHEN maz IN (1, 'true') THEN 'multiAZ is true for DB instance ' || db
	 WHEN maz IN (0, 'false') THEN 'multiAZ is false for DB instance ' || db
	 ELSE 'multiAZ is not in the configuration item of DB instance ' || db
       END AS annotation
FROM w;
