-- identifier: ELASTICSEARCH_ENCRYPTED_AT_REST
-- name: elasticsearch-encrypted-at-rest
-- severity: medium (Security Hub ES.1)
-- remediation: Enable encryption at rest on the domain
--   (UpdateElasticsearchDomainConfig EncryptionAtRestOptions Enabled=true).
-- resource-types: AWS::Elasticsearch::Domain
-- trigger: periodic
-- parameters: (none)
-- description: Elasticsearch (OpenSearch Service) domains recorded as
--   AWS::Elasticsearch::Domain must have encryption at rest enabled:
--   NON_COMPLIANT when configuration.encryptionAtRestOptions.enabled
--   (camelCase, as AWS Config records this type) is not true or is absent,
--   COMPLIANT when it is true. The same fact for AWS::OpenSearch::Domain is
--   OPENSEARCH_ENCRYPTED_AT_REST. An item recorded without its
--   configuration is INSUFFICIENT_DATA.
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(configuration ->> '$.encryptionAtRestOptions.enabled' IN (1, 'true'), 0) AS enc,
	       configuration ->> '$.encryptionAtRestOptions.kmsKeyId' AS k
	FROM current_items
	WHERE resource_type = 'AWS::Elasticsearch::Domain'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN enc THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN enc THEN 'encryption at rest is enabled' || coalesce(' with key ' || k, '')
	    ELSE 'encryptionAtRestOptions.enabled is not true: data at rest is not encrypted'
       END AS annotation
FROM d;
