-- identifier: OPENSEARCH_ACCESS_CONTROL_ENABLED
-- name: opensearch-access-control-enabled
-- severity: high (Security Hub Opensearch.7)
-- remediation: Enable fine-grained access control on the domain
--   (UpdateDomainConfig AdvancedSecurityOptions Enabled=true).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters: (none)
-- description: OpenSearch Service domains must have fine-grained access
--   control enabled: NON_COMPLIANT when
--   configuration.AdvancedSecurityOptions.Enabled (PascalCase, as AWS Config
--   records AWS::OpenSearch::Domain) is not true or is absent, COMPLIANT
--   when it is true. An item recorded without its configuration is
--   INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(fgac_enabled IN (1, 'true'), 0) AS fgac
	FROM opensearch_domains
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN fgac THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN fgac THEN 'fine-grained access control is enabled'
	    ELSE 'AdvancedSecurityOptions.Enabled is not true: fine-grained access control is off'
       END AS annotation
FROM d;
