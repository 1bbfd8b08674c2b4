-- identifier: ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED
-- name: elb-cross-zone-load-balancing-enabled
-- severity: medium (Security Hub ELB.9)
-- remediation: Enable cross-zone load balancing (ModifyLoadBalancerAttributes
--   CrossZoneLoadBalancing.Enabled=true).
-- resource-types: AWS::ElasticLoadBalancing::LoadBalancer
-- trigger: configuration-changes
-- parameters: (none)
-- description: A Classic Load Balancer must have cross-zone load
--   balancing enabled: COMPLIANT when
--   supplementaryConfiguration.LoadBalancerAttributes.crossZoneLoadBalancing.enabled
--   is true, NON_COMPLIANT when it is false. Only Classic Load Balancers
--   are evaluated (the rule page's resource type; V2 load balancers keep
--   the setting as load_balancing.cross_zone.enabled and are not checked).
--   An item without the attribute, or recorded without its configuration,
--   gives INSUFFICIENT_DATA (aws elb describe-load-balancer-attributes).
WITH lb AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       (SELECT CASE WHEN json_valid(x) AND json_type(x) = 'object' THEN x END
		FROM (SELECT json_unstring(supplementary ->> '$.LoadBalancerAttributes') AS x))
		 AS attrs
	FROM current_items
	WHERE resource_type = 'AWS::ElasticLoadBalancing::LoadBalancer'
), v AS (
	SELECT lb.*,
	       CASE json_type(attrs, '$.crossZoneLoadBalancing.enabled')
		 WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
		 ELSE lower(attrs ->> '$.crossZoneLoadBalancing.enabled')
	       END AS enabled
	FROM lb
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL OR enabled IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN enabled = 'true' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN enabled IS NULL
	   THEN 'crossZoneLoadBalancing.enabled is not in the configuration item (aws elb '
		|| 'describe-load-balancer-attributes)'
	 WHEN enabled = 'true' THEN 'crossZoneLoadBalancing.enabled is true'
	 ELSE 'crossZoneLoadBalancing.enabled is ' || enabled
	      || ': cross-zone load balancing is off'
       END AS annotation
FROM v;
