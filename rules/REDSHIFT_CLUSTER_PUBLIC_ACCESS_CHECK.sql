-- identifier: REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK
-- name: redshift-cluster-public-access-check
-- severity: critical (Security Hub Redshift.1)
-- remediation: Make the cluster private (ModifyCluster
--   PubliclyAccessible=false).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.publiclyAccessible of the
--   Amazon Redshift cluster is true, COMPLIANT when it is false. An item
--   without the field or without its configuration gives INSUFFICIENT_DATA.
WITH v AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf, publicly_accessible AS pub
	FROM redshift_clusters
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN pub IN (1, 'true') THEN 'NON_COMPLIANT'
	 WHEN pub IN (0, 'false') THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN pub IN (1, 'true') THEN 'publiclyAccessible is true for cluster ' || resource_id
	 WHEN pub IN (0, 'false') THEN 'publiclyAccessible is false for cluster ' || resource_id
	 ELSE 'publiclyAccessible is not in the configuration item of cluster ' || resource_id
       END AS annotation
FROM v;
