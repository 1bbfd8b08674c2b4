-- identifier: ALB_HTTP_DROP_INVALID_HEADER_ENABLED
-- name: alb-http-drop-invalid-header-enabled
-- severity: medium (Security Hub ELB.4)
-- remediation: Set the load balancer attribute
--   routing.http.drop_invalid_header_fields.enabled to true
--   (ModifyLoadBalancerAttributes).
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
WITH v AS (
	-- the load balancers and their attributes (elbv2_load_balancers)
	SELECT *, attributes AS attrs, attributes ->> '$."routing.http.drop_invalid_header_fields.enabled"' AS enabled
	FROM elbv2_load_balancers
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	 WHEN kind <> 'application' THEN 'NOT_APPLICABLE'
	 WHEN enabled IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN enabled = 'true' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN NOT recorded
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
