-- identifier: ELB_TLS_HTTPS_LISTENERS_ONLY
-- name: elb-tls-https-listeners-only
-- severity: medium (Security Hub ELB.3)
-- remediation: Replace HTTP and TCP listeners with HTTPS or SSL listeners
--   (CreateLoadBalancerListeners, DeleteLoadBalancerListeners).
-- resource-types: AWS::ElasticLoadBalancing::LoadBalancer
-- trigger: configuration-changes
-- parameters: (none)
-- description: Every listener of a Classic Load Balancer must use SSL or
--   HTTPS: NON_COMPLIANT when a listener
--   (configuration.listenerDescriptions[].listener.protocol, read through
--   elb_listeners) is HTTP or TCP, COMPLIANT when all are SSL or HTTPS,
--   NOT_APPLICABLE when the load balancer has no listener (as the rule
--   page says). Only the front-end protocol counts; instanceProtocol (to
--   the back end) does not (not stated by AWS). An item recorded without
--   its configuration is INSUFFICIENT_DATA.
WITH v AS (
	SELECT c.resource_type, c.resource_id, c.account_id, c.region, c.status,
	       c.configuration,
	       (SELECT count(*) FROM elb_listeners AS l
		WHERE l.lb_item_key = c.item_key) AS n_listeners,
	       (SELECT coalesce(l.protocol, '(no protocol)') || ':' || coalesce(l.port, '?')
		FROM elb_listeners AS l
		WHERE l.lb_item_key = c.item_key AND NOT l.secure
		ORDER BY l.port LIMIT 1) AS insecure
	FROM current_items AS c
	WHERE c.resource_type = 'AWS::ElasticLoadBalancing::LoadBalancer'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_listeners = 0 THEN 'NOT_APPLICABLE'
	 WHEN insecure IS NOT NULL THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN n_listeners = 0 THEN 'the load balancer has no listener'
	 WHEN insecure IS NOT NULL THEN 'listener ' || insecure || ' is not SSL or HTTPS'
	 ELSE 'all ' || n_listeners || ' listener(s) use SSL or HTTPS'
       END AS annotation
FROM v;
