-- identifier: AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED
-- name: autoscaling-group-elb-healthcheck-required
-- severity: low (Security Hub AutoScaling.1)
-- remediation: Use load balancer health checks for the group
--   (UpdateAutoScalingGroup HealthCheckType=ELB).
-- resource-types: AWS::AutoScaling::AutoScalingGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: An Auto Scaling group attached to a load balancer must use
--   Elastic Load Balancing health checks: NON_COMPLIANT when the group
--   names Classic Load Balancers (configuration.loadBalancerNames) or
--   target groups (configuration.targetGroupARNs) and its healthCheckType
--   is not ELB (EC2, the default, or VPC_LATTICE; a comma-separated list
--   counts when ELB is one of its elements), COMPLIANT when it is ELB. A
--   group with neither list non-empty is not associated with a load
--   balancer and is NOT_APPLICABLE (not stated by AWS). The association is
--   in the group's own item, so no load balancer item is needed. An item
--   recorded without its configuration is INSUFFICIENT_DATA.
WITH g AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       CASE json_type(configuration, '$.loadBalancerNames')
		 WHEN 'array' THEN json_array_length(configuration, '$.loadBalancerNames')
		 ELSE 0 END AS n_clb,
	       CASE json_type(configuration, '$.targetGroupARNs')
		 WHEN 'array' THEN json_array_length(configuration, '$.targetGroupARNs')
		 ELSE 0 END AS n_tg,
	       upper(configuration ->> '$.healthCheckType') AS hc
	FROM current_items
	WHERE resource_type = 'AWS::AutoScaling::AutoScalingGroup'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_clb + n_tg = 0 THEN 'NOT_APPLICABLE'
	 WHEN coalesce(csv_contains(hc, 'ELB'), 0) THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN n_clb + n_tg = 0
	   THEN 'the group has no load balancer or target group'
	 ELSE 'attached to ' || n_clb || ' load balancer(s) and ' || n_tg
	      || ' target group(s); healthCheckType is ' || coalesce(hc, 'not set')
	      || CASE WHEN coalesce(csv_contains(hc, 'ELB'), 0) THEN ''
		      ELSE ', not ELB' END
       END AS annotation
FROM g;
