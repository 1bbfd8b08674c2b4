-- identifier: RDS_CLUSTER_MULTI_AZ_ENABLED
-- name: rds-cluster-multi-az-enabled
-- severity: medium (Security Hub RDS.15)
-- remediation: Add a reader instance in another Availability Zone to the
--   cluster (CreateDBInstance DBClusterIdentifier, AvailabilityZone).
-- resource-types: AWS::RDS::DBCluster
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.multiAZ of the DB cluster
--   (Aurora or Multi-AZ DB cluster) is false, COMPLIANT when it is true.
--   For Aurora, RDS sets multiAZ when the cluster's instances span more
--   than one Availability Zone. An item without multiAZ or without its
--   configuration gives INSUFFICIENT_DATA.
WITH v AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(json_unstring(configuration) ->> '$.dbclusterIdentifier',
			json_unstring(configuration) ->> '$.dBClusterIdentifier',
			resource_name, resource_id) AS cl,
	       json_unstring(configuration) ->> '$.multiAZ' AS maz
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBCluster'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN maz IN (1, 'true') THEN 'COMPLIANT'
	 WHEN maz IN (0, 'false') THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN maz IN (1, 'true') THEN 'multiAZ is true for DB cluster ' || cl
	 WHEN maz IN (0, 'false') THEN 'multiAZ is false for DB cluster ' || cl
	 ELSE 'multiAZ is not in the configuration item of DB cluster ' || cl
       END AS annotation
FROM v;
