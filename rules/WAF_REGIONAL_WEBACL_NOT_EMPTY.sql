-- identifier: WAF_REGIONAL_WEBACL_NOT_EMPTY
-- name: waf-regional-webacl-not-empty
-- severity: medium (Security Hub WAF.4)
-- remediation: Add at least one rule or rule group to the web ACL, or delete it
--   (waf-regional UpdateWebACL).
-- resource-types: AWS::WAFRegional::WebACL
-- trigger: configuration-changes
-- parameters: (none)
-- description: A WAF Classic regional web ACL must contain rules or rule
--   groups: COMPLIANT when its rule list has at least one element (rules
--   and rule groups are both entries, told apart by their type), NON_COMPLIANT
--   when it is empty. AWS Config records the list as
--   configuration.rulesList; rules (the API's name) is read when rulesList
--   is absent. An item with neither, or recorded without its
--   configuration, is INSUFFICIENT_DATA (aws waf-regional get-web-acl).
WITH acl AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       CASE
		 WHEN json_type(configuration, '$.rulesList') = 'array'
		   THEN json_array_length(configuration, '$.rulesList')
		 WHEN json_type(configuration, '$.rules') = 'array'
		   THEN json_array_length(configuration, '$.rules')
	       END AS n_rules
	FROM current_items
	WHERE resource_type = 'AWS::WAFRegional::WebACL'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN n_rules IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_rules > 0 THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN n_rules IS NULL
	   THEN 'the rule list (rulesList) is not in the configuration item (aws waf-regional '
		|| 'get-web-acl)'
	 WHEN n_rules > 0 THEN 'the web ACL has ' || n_rules || ' rule(s) or rule group(s)'
	 ELSE 'the web ACL has no rules or rule groups'
       END AS annotation
FROM acl;
