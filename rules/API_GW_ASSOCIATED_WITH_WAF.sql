-- identifier: API_GW_ASSOCIATED_WITH_WAF
-- name: api-gw-associated-with-waf
-- severity: high (default: exposure)
-- remediation: Associate an AWS WAF web ACL with the API stage (wafv2
--   AssociateWebACL ResourceArn=<stage ARN>).
-- resource-types: AWS::ApiGateway::Stage
-- trigger: configuration-changes
-- parameters:
--   WebAclArns: csv, optional
-- description: A REST API stage must use an AWS WAF web ACL: NON_COMPLIANT
--   when configuration.webAclArn is empty or absent, or (with WebAclArns)
--   is not one of the listed ARNs; COMPLIANT otherwise.
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::ApiGateway::Stage'
), v AS (
	SELECT *, trim(coalesce(c ->> '$.webAclArn', '')) AS acl FROM s
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN acl = '' THEN 'NON_COMPLIANT'
	 WHEN :WebAclArns IS NOT NULL AND NOT csv_contains(:WebAclArns, acl) THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'stage configuration not recorded in the configuration item'
	 WHEN acl = ''
	   THEN 'webAclArn is empty: the stage is not associated with an AWS WAF web ACL'
	 WHEN :WebAclArns IS NOT NULL AND NOT csv_contains(:WebAclArns, acl)
	   THEN 'web ACL ' || acl || ' is not listed in WebAclArns'
	 ELSE 'stage is associated with web ACL ' || acl
       END AS annotation
FROM v;
