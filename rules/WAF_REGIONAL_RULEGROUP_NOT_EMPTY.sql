-- identifier: WAF_REGIONAL_RULEGROUP_NOT_EMPTY
-- name: waf-regional-rulegroup-not-empty
-- severity: medium (Security Hub WAF.3)
-- remediation: Add at least one rule to the rule group, or delete it
--   (waf-regional UpdateRuleGroup).
-- resource-types: AWS::WAFRegional::RuleGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: A WAF Classic regional rule group must contain rules:
--   NON_COMPLIANT when configuration.rules (the activated rules) is an
--   empty list, COMPLIANT when it has at least one element. An item whose
--   configuration has no rules list, or that was recorded without its
--   configuration, is INSUFFICIENT_DATA (aws waf-regional
--   list-activated-rules-in-rule-group).
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN json_type(configuration, '$.rules') IS NOT 'array' THEN 'INSUFFICIENT_DATA'
	 WHEN json_array_length(configuration, '$.rules') > 0 THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN json_type(configuration, '$.rules') IS NOT 'array'
	   THEN 'the rule list (rules) is not in the configuration item (aws waf-regional '
		|| 'list-activated-rules-in-rule-group)'
	 WHEN json_array_length(configuration, '$.rules') > 0
	   THEN 'the rule group has ' || json_array_length(configuration, '$.rules') || ' rule(s)'
	 ELSE 'the rule group has no rules'
       END AS annotation
FROM current_items
WHERE resource_type = 'AWS::WAFRegional::RuleGroup';
