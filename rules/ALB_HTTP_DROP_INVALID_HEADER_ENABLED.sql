-- identifier: ALB_HTTP_DROP_INVALID_HEADER_ENABLED
-- name: alb-http-drop-invalid-header-enabled
-- resource-types: AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: configuration-changes
-- parameters: (none)
-- description: An Application Load Balancer must drop invalid HTTP header
--   fields: NON_COMPLIANT when the load balancer attribute
--   routing.http.drop_invalid_header_fields.enabled is false (any value
--   but "true"), COMPLIANT when it is true. The attributes are the
--   {key, value} list in supplementaryConfiguration.LoadBalancerAttributes.
--   Network and Gateway Load Balancers (configuration.type network or
--   gateway), which have no such attribute, are NOT_APPLICABLE (not stated
--   by AWS; the page speaks of Application Load Balancers). An ALB whose
--   item lacks the attribute list or the key (items recorded before the
--   attribute existed, in 2019, have none) gives INSUFFICIENT_DATA (aws
--   elbv2 describe-load-balancer-attributes); so does an item recorded
--   without its configuration.
WITH lb AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       lower(coalesce(configuration ->> '$.type', 'application')) AS kind,
	       (SELECT CASE WHEN json_valid(x) AND json_type(x) = 'array' THEN x END
		FROM (SELECT json_unstring(supplementary ->> '$.LoadBalancerAttributes') AS x))
		 AS attrs
	FROM current_items
	WHERE resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
), v AS (
	SELECT lb.*,
	       (SELECT CASE json_type(a.value, '$.value')
			 WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
			 ELSE lower(a.value ->> '$.value') END
		FROM json_each(attrs) AS a
		WHERE a.type = 'object'
		  AND a.value ->> '$.key' = 'routing.http.drop_invalid_header_fields.enabled')
		 AS enabled
	FROM lb
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN kind <> 'application' THEN 'NOT_APPLICABLE'
	 WHEN enabled IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN enabled = 'true' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN kind <> 'application'
	   THEN 'rule applies to Application Load Balancers; this is a ' || kind
		|| ' load balancer'
	 WHEN attrs IS NULL
	   THEN 'LoadBalancerAttributes are not in the configuration item (aws elbv2 '
		|| 'describe-load-balancer-attributes)'
	 WHEN enabled IS NULL
	   THEN 'routing.http.drop_invalid_header_fields.enabled is not in LoadBalancerAttributes '
		|| '(aws elbv2 describe-load-balancer-attributes)'
	 ELSE 'routing.http.drop_invalid_header_fields.enabled is ' || enabled
       END AS annotation
FROM v;
