-- identifier: REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED
-- name: redshift-enhanced-vpc-routing-enabled
-- severity: medium (Security Hub Redshift.7)
-- remediation: Enable enhanced VPC routing (ModifyCluster
--   EnhancedVpcRouting=true).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when enhanced VPC routing is off for the
--   Amazon Redshift cluster (configuration.enhancedVpcRouting false),
--   COMPLIANT when it is on. A change still pending
--   (pendingModifiedValues.enhancedVpcRouting) does not count. An item
--   without the field or without its configuration gives
--   INSUFFICIENT_DATA.
WITH v AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf, enhanced_vpc_routing AS evr
	FROM redshift_clusters
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN evr IN (1, 'true') THEN 'COMPLIANT'
	 WHEN evr IN (0, 'false') THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN evr IN (1, 'true') THEN 'enhanced VPC routing is on for cluster ' || resource_id
	 WHEN evr IN (0, 'false') THEN 'enhancedVpcRouting is false for cluster ' || resource_id
	 ELSE 'enhancedVpcRouting is not in the configuration item of cluster ' || resource_id
       END AS annotation
FROM v;
