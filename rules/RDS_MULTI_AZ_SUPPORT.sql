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
	       nullif(coalesce(c ->> '$.dBClusterIdentifier', c ->> '$.dbClusterIdentifier'), '')
	       AS cluster,
	       c ->> '$.multiAZ' AS maz
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
