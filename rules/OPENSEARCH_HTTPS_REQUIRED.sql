-- identifier: OPENSEARCH_HTTPS_REQUIRED
-- name: opensearch-https-required
-- severity: medium (Security Hub Opensearch.8)
-- remediation: Require HTTPS with a TLS 1.2 policy (UpdateDomainConfig
--   DomainEndpointOptions EnforceHTTPS=true,
--   TLSSecurityPolicy=Policy-Min-TLS-1-2-2019-07).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters:
--   tlsPolicies: csv, optional
-- description: Connections to OpenSearch Service domains must use HTTPS:
--   NON_COMPLIANT when configuration.DomainEndpointOptions.EnforceHTTPS
--   (PascalCase, as AWS Config records AWS::OpenSearch::Domain) is not
--   true, or when it is true, tlsPolicies is given and the domain's
--   DomainEndpointOptions.TLSSecurityPolicy is not one of the listed
--   policies (compared exactly, elements trimmed; a domain with no recorded
--   policy is not in the list); COMPLIANT otherwise. An item recorded
--   without its configuration is INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(enforce_https IN (1, 'true'), 0) AS https,
	       tls_policy AS tls
	FROM opensearch_domains
), v AS (
	SELECT *, :tlsPolicies IS NULL OR coalesce(csv_contains(:tlsPolicies, tls), 0) AS tls_ok
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN https AND tls_ok THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN NOT https THEN 'DomainEndpointOptions.EnforceHTTPS is not true'
	    WHEN NOT tls_ok
	      THEN 'TLS security policy ' || coalesce(tls, '(none recorded)')
		   || ' is not in tlsPolicies'
	    ELSE 'HTTPS is enforced' || coalesce(' with TLS security policy ' || tls, '')
       END AS annotation
FROM v;
