-- identifier: OPENSEARCH_DATA_NODE_FAULT_TOLERANCE
-- name: opensearch-data-node-fault-tolerance
-- severity: medium (Security Hub Opensearch.6)
-- remediation: Run at least three data nodes with zone awareness enabled
--   (UpdateDomainConfig ClusterConfig InstanceCount>=3,
--   ZoneAwarenessEnabled=true).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters: (none)
-- description: OpenSearch Service domains must have at least three data
--   nodes and zone awareness: NON_COMPLIANT when
--   configuration.ClusterConfig.InstanceCount (PascalCase, as AWS Config
--   records AWS::OpenSearch::Domain) is less than 3 or
--   ClusterConfig.ZoneAwarenessEnabled is not true (absent is read as
--   false, the service default); COMPLIANT otherwise. A domain whose item
--   has zone awareness but no InstanceCount cannot be decided:
--   INSUFFICIENT_DATA, as is an item recorded without its configuration.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(zone_awareness IN (1, 'true'), 0) AS zone,
	       CASE WHEN instance_count_type IN ('integer', 'real', 'text')
		    THEN CAST(instance_count AS INTEGER) END AS n
	FROM opensearch_domains
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN n < 3 OR NOT zone THEN 'NON_COMPLIANT'
	    WHEN n IS NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN n < 3 AND NOT zone
	      THEN 'ClusterConfig.InstanceCount is ' || n || ' (less than 3) and zone awareness '
		   || 'is not enabled'
	    WHEN n < 3 THEN 'ClusterConfig.InstanceCount is ' || n || ', less than 3 data nodes'
	    WHEN NOT zone THEN 'ClusterConfig.ZoneAwarenessEnabled is not true'
	    WHEN n IS NULL THEN 'zone awareness is enabled but ClusterConfig.InstanceCount is not '
				|| 'recorded'
	    ELSE n || ' data nodes with zone awareness enabled'
       END AS annotation
FROM d;
