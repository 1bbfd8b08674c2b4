-- identifier: OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK
-- name: opensearch-node-to-node-encryption-check
-- severity: medium (Security Hub Opensearch.3)
-- remediation: Enable node-to-node encryption on the domain (UpdateDomainConfig
--   NodeToNodeEncryptionOptions Enabled=true).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters: (none)
-- description: OpenSearch Service nodes must be encrypted end to end:
--   NON_COMPLIANT when configuration.NodeToNodeEncryptionOptions.Enabled
--   (PascalCase, as AWS Config records AWS::OpenSearch::Domain) is not true
--   or is absent, COMPLIANT when it is true. Elasticsearch domains are not
--   evaluated, as AWS states; see ELASTICSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK.
--   An item recorded without its configuration is INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(node_to_node_enabled IN (1, 'true'), 0) AS n2n
	FROM opensearch_domains
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN n2n THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN n2n THEN 'node-to-node encryption is enabled'
	    ELSE 'NodeToNodeEncryptionOptions.Enabled is not true: node-to-node encryption is off'
       END AS annotation
FROM d;
