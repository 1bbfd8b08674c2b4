-- identifier: OPENSEARCH_ENCRYPTED_AT_REST
-- name: opensearch-encrypted-at-rest
-- severity: medium (Security Hub Opensearch.1)
-- remediation: Enable encryption at rest on the domain (UpdateDomainConfig
--   EncryptionAtRestOptions Enabled=true).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters: (none)
-- description: OpenSearch Service domains must have encryption at rest
--   enabled: NON_COMPLIANT when configuration.EncryptionAtRestOptions.Enabled
--   (PascalCase, as AWS Config records AWS::OpenSearch::Domain) is not true
--   or is absent, COMPLIANT when it is true. Elasticsearch domains
--   (AWS::Elasticsearch::Domain) are not evaluated, as AWS states; see
--   ELASTICSEARCH_ENCRYPTED_AT_REST. An item recorded without its
--   configuration is INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(encryption_enabled IN (1, 'true'), 0) AS enc,
	       kms_key_id AS k
	FROM opensearch_domains
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN enc THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN enc THEN 'encryption at rest is enabled' || coalesce(' with key ' || k, '')
	    ELSE 'EncryptionAtRestOptions.Enabled is not true: data at rest is not encrypted'
       END AS annotation
FROM d;
