-- identifier: OPENSEARCH_IN_VPC_ONLY
-- name: opensearch-in-vpc-only
-- severity: critical (Security Hub Opensearch.2)
-- remediation: Create the domain inside a VPC (VPCOptions), restore the data
--   from a snapshot and delete the public domain.
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters: (none)
-- description: OpenSearch Service domains must be in a VPC: NON_COMPLIANT
--   when the domain endpoint is public, COMPLIANT otherwise. A domain is
--   read as in a VPC when configuration.VPCOptions.SubnetIds (PascalCase,
--   as AWS Config records AWS::OpenSearch::Domain) names at least one
--   subnet; no VPCOptions, or an empty subnet list, is a public endpoint
--   (not stated by AWS: a domain has VPC options exactly when it was created
--   in a VPC). Elasticsearch domains are not evaluated, as AWS states; see
--   ELASTICSEARCH_IN_VPC_ONLY. An item recorded without its configuration is
--   INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       CASE subnet_ids_type
		 WHEN 'array' THEN subnet_ids_length
		 WHEN 'text' THEN subnet_ids <> ''
		 ELSE 0 END AS subnets,
	       vpc_id AS vpc
	FROM opensearch_domains
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN subnets > 0 THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN subnets > 0 THEN 'domain is in a VPC' || coalesce(' (' || vpc || ')', '')
				  || ' with ' || subnets || ' subnet(s)'
	    ELSE 'VPCOptions.SubnetIds is absent or empty: the domain endpoint is public'
       END AS annotation
FROM d;
