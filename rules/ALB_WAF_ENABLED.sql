-- identifier: ALB_WAF_ENABLED
-- name: alb-waf-enabled
-- severity: high (default: exposure)
-- remediation: Associate an AWS WAF web ACL with the load balancer (wafv2
--   AssociateWebACL ResourceArn=<load balancer ARN>).
-- resource-types: AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: configuration-changes
-- parameters:
--   wafWebAclIds: csv, optional
-- description: An Application Load Balancer must be protected by AWS WAF:
--   NON_COMPLIANT when the load balancer attribute waf.enabled is false,
--   or (with wafWebAclIds) the associated web ACL is not listed; COMPLIANT
--   otherwise. Network and Gateway Load Balancers are NOT_APPLICABLE (not
--   stated by AWS). An association is read from AWS::WAFRegional::WebACL
--   items (configuration.associationList[].resourceARN) or from recorded
--   relationships with a web ACL; the ACL ID or ARN is compared with
--   wafWebAclIds. Without waf.enabled and without a recorded association
--   the WAFv2 association is unknown: INSUFFICIENT_DATA.
-- missing: WAFv2 web ACL associations (aws wafv2 get-web-acl-for-resource
--   --resource-arn ALB-ARN); waf.enabled when the item lacks it
WITH lb AS (
	-- configuration as it is when it is an object's text (what
	-- json_unstring would return, without copying it), else unstrung.
	SELECT resource_type, resource_id, account_id, region, arn,
	       CASE WHEN configuration LIKE '{%' THEN configuration
		    ELSE json_unstring(configuration) END AS c,
	       (SELECT CASE WHEN json_valid(x) THEN x END
		FROM (SELECT json_unstring(json_unstring(supplementary)
					   ->> '$.LoadBalancerAttributes') AS x)) AS la
	FROM current_items
	WHERE resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
), acl_assoc AS MATERIALIZED (
	-- WAF Classic (regional) web ACLs list the resources they protect.
	-- MATERIALIZED: listed once, not again for each load balancer.
	SELECT w.account_id, w.region,
	       coalesce(json_unstring(w.configuration) ->> '$.webACLId', w.resource_id) AS acl_id,
	       w.arn AS acl_arn,
	       coalesce(a.value ->> '$.resourceARN', a.value ->> '$.resourceArn',
			a.value ->> '$.ResourceArn') AS target
	FROM current_items w,
	     json_each(CASE
			 WHEN json_type(json_unstring(w.configuration), '$.associationList')
			      = 'array'
			   THEN json_unstring(w.configuration) -> '$.associationList'
			 ELSE '[]'
		       END) a
	WHERE w.resource_type = 'AWS::WAFRegional::WebACL' AND w.configuration IS NOT NULL
	UNION ALL
	SELECT r.account_id, r.region, r.related_id, NULL, r.resource_id
	FROM relationships r
	WHERE r.resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
	  AND r.related_type IN ('AWS::WAFv2::WebACL', 'AWS::WAFRegional::WebACL')
	UNION ALL
	SELECT r.account_id, r.region, r.resource_id, NULL, r.related_id
	FROM relationships r
	WHERE r.resource_type IN ('AWS::WAFv2::WebACL', 'AWS::WAFRegional::WebACL')
	  AND r.related_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
), v AS (
	SELECT lb.*,
	       lower(coalesce(c ->> '$.type', 'application')) AS kind,
	       coalesce(arn, c ->> '$.loadBalancerArn', resource_id) AS lb_arn,
	       CASE WHEN json_type(la) = 'array'
		    THEN (SELECT lower(j.value ->> '$.value') FROM json_each(la) j
			  WHERE j.type = 'object' AND j.value ->> '$.key' = 'waf.enabled')
	       END AS waf_attr
	FROM lb
), x AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT v.resource_type, v.resource_id, v.account_id, v.region, v.c IS NULL AS unrec,
	       v.kind, v.waf_attr,
	       (SELECT min(acl_id) FROM acl_assoc q
		WHERE q.account_id = v.account_id AND q.region = v.region
		  AND q.target IN (v.lb_arn, v.resource_id)) AS acl,
	       (SELECT min(acl_id) FROM acl_assoc q
		WHERE q.account_id = v.account_id AND q.region = v.region
		  AND q.target IN (v.lb_arn, v.resource_id)
		  AND (csv_contains(:wafWebAclIds, q.acl_id)
		       OR coalesce(csv_contains(:wafWebAclIds, q.acl_arn), 0))) AS listed_acl
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN kind <> 'application' THEN 'NOT_APPLICABLE'
	 WHEN acl IS NOT NULL AND (:wafWebAclIds IS NULL OR listed_acl IS NOT NULL) THEN 'COMPLIANT'
	 WHEN acl IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN waf_attr = 'false' THEN 'NON_COMPLIANT'
	 WHEN waf_attr = 'true' AND :wafWebAclIds IS NULL THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'load balancer configuration not recorded in the configuration item'
	 WHEN kind <> 'application' THEN 'rule applies to Application Load Balancers; this is a '
		|| kind || ' load balancer'
	 WHEN acl IS NOT NULL AND (:wafWebAclIds IS NULL OR listed_acl IS NOT NULL)
	   THEN 'associated with web ACL ' || coalesce(listed_acl, acl)
	 WHEN acl IS NOT NULL THEN 'associated web ACL ' || acl || ' is not listed in wafWebAclIds'
	 WHEN waf_attr = 'false' THEN 'load balancer attribute waf.enabled is false'
	 WHEN waf_attr = 'true' AND :wafWebAclIds IS NULL
	   THEN 'load balancer attribute waf.enabled is true'
	 WHEN waf_attr = 'true'
	   THEN 'waf.enabled is true but the web ACL is not in AWS Config data (aws wafv2 '
		|| 'get-web-acl-for-resource)'
	 ELSE 'no waf.enabled attribute and no recorded web ACL association; WAFv2 associations '
	      || 'are not in AWS Config data (aws wafv2 get-web-acl-for-resource)'
       END AS annotation
FROM x;
