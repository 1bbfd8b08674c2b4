-- identifier: ELASTICSEARCH_IN_VPC_ONLY
-- name: elasticsearch-in-vpc-only
-- severity: critical (Security Hub ES.2)
-- remediation: Create the domain inside a VPC (VPCOptions), restore the data
--   from a snapshot and delete the public domain.
-- resource-types: AWS::Elasticsearch::Domain
-- trigger: periodic
-- parameters: (none)
-- description: Domains recorded as AWS::Elasticsearch::Domain must be in a
--   VPC: NON_COMPLIANT when the domain endpoint is public, COMPLIANT
--   otherwise. AWS Config records this type in camelCase with lower-cased
--   "vpcoptions": the domain is in a VPC when vpcoptions.subnetIds names at
--   least one subnet or configuration.endpoints.vpc (the VPC endpoint) is
--   set; otherwise its endpoint (configuration.endpoint) is public (not
--   stated by AWS). The same fact for AWS::OpenSearch::Domain is
--   OPENSEARCH_IN_VPC_ONLY. An item recorded without its configuration is
--   INSUFFICIENT_DATA.
WITH d AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       CASE json_type(configuration, '$.vpcoptions.subnetIds')
		 WHEN 'array' THEN json_array_length(configuration, '$.vpcoptions.subnetIds')
		 WHEN 'text' THEN configuration ->> '$.vpcoptions.subnetIds' <> ''
		 ELSE 0 END AS subnets,
	       nullif(configuration ->> '$.endpoints.vpc', '') AS vpc_endpoint,
	       configuration ->> '$.vpcoptions.vpcid' AS vpc
	FROM current_items
	WHERE resource_type = 'AWS::Elasticsearch::Domain'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN subnets > 0 OR vpc_endpoint IS NOT NULL THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN subnets > 0 OR vpc_endpoint IS NOT NULL
	      THEN 'domain is in a VPC' || coalesce(' (' || vpc || ')', '')
		   || coalesce(' with VPC endpoint ' || vpc_endpoint, '')
	    ELSE 'no vpcoptions.subnetIds and no VPC endpoint: the domain endpoint is public'
       END AS annotation
FROM d;
