-- identifier: ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK
-- name: alb-http-to-https-redirection-check
-- severity: medium (Security Hub ELB.1)
-- remediation: Make every HTTP listener's default action a redirect to HTTPS
--   (ModifyListener DefaultActions Type=redirect, Protocol=HTTPS,
--   StatusCode=HTTP_301).
-- resource-types: AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: periodic
-- parameters: (none)
-- description: Every HTTP listener of an Application Load Balancer must
--   redirect to HTTPS: NON_COMPLIANT when an HTTP listener's default
--   actions (AWS::ElasticLoadBalancingV2::Listener items, DefaultActions)
--   have no redirect action whose RedirectConfig.Protocol is HTTPS -- a
--   forward, a fixed response, or a redirect that keeps #{protocol} or
--   HTTP; COMPLIANT when every HTTP listener redirects to HTTPS, or the
--   load balancer has no HTTP listener. Listeners come from elb_listeners.
--   Listener rules (conditional actions) are not in the listener items
--   and are not considered: the default action decides (not stated by
--   AWS). Network and Gateway Load Balancers are NOT_APPLICABLE. Listener
--   items are separate from the load balancer's, so the set of listeners
--   is known to be complete only where inventory_coverage lists the
--   account and region; elsewhere a load balancer with no listener
--   failing the check is INSUFFICIENT_DATA (aws elbv2 describe-listeners).
--   A snapshot holds listeners only if the recorder records that type: a
--   load balancer without listeners, in an account and region where no
--   listener item exists at all, is INSUFFICIENT_DATA as well.
--   An item recorded without its configuration is INSUFFICIENT_DATA, and
--   so is a load balancer with no failing HTTP listener but one whose
--   DefaultActions is a string that is not JSON.
WITH lb AS (
	-- kind, covered and listeners_seen: see elbv2_load_balancers in
	-- cfgaudit-rules(5)
	SELECT * FROM elbv2_load_balancers
), http AS (
	-- The HTTP listeners of each load balancer, and whether one of their
	-- default actions redirects to HTTPS.
	-- Actions are read in PascalCase, as Config records them, or camelCase;
	-- DefaultActions recorded as a string that is not JSON cannot be read.
	SELECT l.lb_item_key, l.port, l.actions IS NULL AS unreadable,
	       (SELECT lower(coalesce(a.value ->> '$.Type', a.value ->> '$.type'))
		FROM json_each(l.actions) AS a
		WHERE a.type = 'object'
		ORDER BY coalesce(a.value ->> '$.Order', a.value ->> '$.order'), a.key
		LIMIT 1) AS first_action,
	       EXISTS (SELECT 1 FROM json_each(l.actions) AS a
		       WHERE a.type = 'object'
			 AND lower(coalesce(a.value ->> '$.Type', a.value ->> '$.type')) = 'redirect'
			 AND upper(coalesce(a.value ->> '$.RedirectConfig.Protocol',
					    a.value ->> '$.redirectConfig.protocol')) = 'HTTPS')
		 AS redirects
	FROM (SELECT *, CASE WHEN json_valid(coalesce(default_actions, '[]'))
				THEN coalesce(default_actions, '[]') END AS actions
	      FROM elb_listeners) AS l
	WHERE l.protocol = 'HTTP' AND l.lb_item_key IS NOT NULL
), v AS (
	SELECT lb.*,
	       (SELECT count(*) FROM elb_listeners AS l
		WHERE l.lb_item_key = lb.item_key) AS n_listeners,
	       (SELECT count(*) FROM http WHERE http.lb_item_key = lb.item_key) AS n_http,
	       (SELECT 'HTTP listener on port ' || coalesce(http.port, '?')
		       || ' does not redirect to HTTPS (default action '
		       || coalesce(http.first_action, 'none') || ')'
		FROM http WHERE http.lb_item_key = lb.item_key AND NOT http.redirects
		  AND NOT http.unreadable
		ORDER BY http.port LIMIT 1) AS failing,
	       (SELECT 'the default actions of the HTTP listener on port '
		       || coalesce(http.port, '?') || ' are a string that is not JSON'
		       || ' (aws elbv2 describe-listeners)'
		FROM http WHERE http.lb_item_key = lb.item_key AND http.unreadable
		ORDER BY http.port LIMIT 1) AS unreadable
	FROM lb
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	 WHEN kind <> 'application' THEN 'NOT_APPLICABLE'
	 WHEN failing IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN NOT covered OR n_listeners = 0 AND NOT listeners_seen THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN NOT recorded
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN kind <> 'application'
	   THEN 'rule applies to Application Load Balancers; this is a ' || kind
		|| ' load balancer'
	 WHEN failing IS NOT NULL THEN failing
	 WHEN unreadable IS NOT NULL THEN unreadable
	 WHEN NOT covered
	   THEN n_listeners || ' listener(s) recorded, none failing, but no configuration '
		|| 'snapshot of ' || account_id || '/' || region || ' at or before ' || as_of()
		|| ' shows they are all (aws elbv2 describe-listeners)'
	 WHEN n_listeners = 0 AND NOT listeners_seen
	   THEN 'no listener item of any load balancer in ' || account_id || '/' || region
		|| ': AWS::ElasticLoadBalancingV2::Listener may not be recorded (aws elbv2 '
		|| 'describe-listeners)'
	 WHEN n_http = 0
	   THEN 'no HTTP listener (' || n_listeners || ' listener(s) recorded)'
	 ELSE 'every HTTP listener (' || n_http || ') redirects to HTTPS'
       END AS annotation
FROM v;
