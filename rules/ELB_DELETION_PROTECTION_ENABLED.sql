-- identifier: ELB_DELETION_PROTECTION_ENABLED
-- name: elb-deletion-protection-enabled
-- severity: medium (Security Hub ELB.6)
-- remediation: Enable deletion protection on the load balancer
--   (ModifyLoadBalancerAttributes deletion_protection.enabled=true).
-- resource-types: AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: configuration-changes
-- parameters: (none)
-- description: An Application, Network or Gateway Load Balancer must have
--   deletion protection on: NON_COMPLIANT when the load balancer attribute
--   deletion_protection.enabled is false (any value but "true"), COMPLIANT
--   when it is true. The attributes are the list of {key, value} entries in
--   supplementaryConfiguration.LoadBalancerAttributes (values are strings).
--   AWS's page names no load balancer type, so every V2 type is evaluated
--   (all three have the attribute). An item without the attribute list,
--   or whose list lacks the key, gives INSUFFICIENT_DATA (aws elbv2
--   describe-load-balancer-attributes); so does an item recorded without
--   its configuration.
WITH v AS (
	-- the load balancers and their attributes (elbv2_load_balancers)
	SELECT *, attributes AS attrs, attributes ->> '$."deletion_protection.enabled"' AS enabled
	FROM elbv2_load_balancers
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN NOT recorded OR attrs IS NULL OR enabled IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN enabled = 'true' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN NOT recorded
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN attrs IS NULL
	   THEN 'LoadBalancerAttributes are not in the configuration item (aws elbv2 '
		|| 'describe-load-balancer-attributes)'
	 WHEN enabled IS NULL
	   THEN 'deletion_protection.enabled is not in LoadBalancerAttributes (aws elbv2 '
		|| 'describe-load-balancer-attributes)'
	 WHEN enabled = 'true' THEN 'deletion_protection.enabled is true'
	 ELSE 'deletion_protection.enabled is ' || enabled || ': deletion protection is off'
       END AS annotation
FROM v;
