-- identifier: LAMBDA_INSIDE_VPC
-- name: lambda-inside-vpc
-- severity: high (default: exposure)
-- remediation: Connect the function to private subnets of a VPC
--   (UpdateFunctionConfiguration VpcConfig SubnetIds, SecurityGroupIds).
-- resource-types: AWS::Lambda::Function
-- trigger: configuration-changes
-- parameters:
--   subnetIds: csv, optional
-- description: Lambda functions must be connected to a VPC. A function is
--   NON_COMPLIANT when configuration.vpcConfig is absent or lists no subnet
--   (Lambda reports non-VPC functions with an empty subnetIds list and an
--   empty vpcId); COMPLIANT otherwise. With subnetIds (subnet IDs the
--   functions must be associated with), AWS does not say whether every
--   subnet of the function or one of them must be listed: this rule reads
--   it strictly, a function with a subnet that is not in the list is
--   NON_COMPLIANT and the annotation names that subnet. An item without a
--   recorded configuration is INSUFFICIENT_DATA.
WITH f AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::Lambda::Function'
), subnets AS (
	-- One row per subnet of a function; paths from the whole document.
	SELECT f.item_key, json_extract(f.configuration, s.fullkey) AS subnet
	FROM f, json_each(f.configuration, '$.vpcConfig.subnetIds') AS s
	WHERE s.type = 'text' AND s.value <> ''
), per AS (
	SELECT item_key, count(*) AS n,
	       min(CASE WHEN :subnetIds IS NOT NULL AND NOT csv_contains(:subnetIds, subnet)
	                THEN subnet END) AS unlisted
	FROM subnets GROUP BY item_key
)
SELECT f.resource_type, f.resource_id, f.account_id, f.region AS aws_region,
       CASE WHEN f.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN p.n IS NULL THEN 'NON_COMPLIANT'
            WHEN p.unlisted IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN f.configuration IS NULL
                 THEN 'configuration not recorded (status ' || f.status || ')'
            WHEN p.n IS NULL THEN 'the function is not connected to a VPC (vpcConfig has no subnet)'
            WHEN p.unlisted IS NOT NULL
                 THEN 'the function uses subnet ' || p.unlisted || ', which is not in subnetIds'
            ELSE 'the function is connected to '
                 || coalesce(nullif(f.configuration ->> '$.vpcConfig.vpcId', ''), 'a VPC')
                 || ' through ' || p.n || ' subnet' || CASE WHEN p.n > 1 THEN 's' ELSE '' END
       END AS annotation
FROM f LEFT JOIN per AS p ON p.item_key = f.item_key
