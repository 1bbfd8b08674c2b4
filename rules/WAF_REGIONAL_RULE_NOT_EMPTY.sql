-- identifier: WAF_REGIONAL_RULE_NOT_EMPTY
-- name: waf-regional-rule-not-empty
-- severity: medium (Security Hub WAF.2)
-- remediation: Add at least one condition to the rule, or delete it
--   (waf-regional UpdateRule).
-- resource-types: AWS::WAFRegional::Rule
-- trigger: configuration-changes
-- parameters: (none)
-- description: A WAF Classic regional rule must contain conditions:
--   COMPLIANT when configuration.predicateList has at least one element,
--   NON_COMPLIANT when it is empty. An item whose configuration has no
--   predicateList, or that was recorded without its configuration, is
--   INSUFFICIENT_DATA (aws waf-regional get-rule).
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN json_type(configuration, '$.predicateList') IS NOT 'array'
	   THEN 'INSUFFICIENT_DATA'
	 WHEN json_array_length(configuration, '$.predicateList') > 0 THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN json_type(configuration, '$.predicateList') IS NOT 'array'
	   THEN 'the condition list (predicateList) is not in the configuration item (aws '
		|| 'waf-regional get-rule)'
	 WHEN json_array_length(configuration, '$.predicateList') > 0
	   THEN 'the rule has ' || json_array_length(configuration, '$.predicateList')
		|| ' condition(s)'
	 ELSE 'the rule has no conditions'
       END AS annotation
FROM current_items
WHERE resource_type = 'AWS::WAFRegional::Rule';
