-- identifier: NETFW_STATELESS_RULE_GROUP_NOT_EMPTY
-- name: netfw-stateless-rule-group-not-empty
-- severity: medium (Security Hub NetworkFirewall.6)
-- remediation: Add rules to the stateless rule group, or delete it if it is
--   unused (UpdateRuleGroup).
-- resource-types: AWS::NetworkFirewall::RuleGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: A stateless Network Firewall rule group must contain rules:
--   NON_COMPLIANT when ruleGroup.rulesSource.statelessRulesAndCustomActions
--   .statelessRules is empty or absent, COMPLIANT otherwise. Stateful rule
--   groups are NOT_APPLICABLE (not stated by AWS). The kind comes from
--   ruleGroupResponse.type, else from the ARN (stateless-rulegroup/).
WITH g AS (
	SELECT resource_type, resource_id, account_id, region, arn,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::NetworkFirewall::RuleGroup'
), v AS (
	SELECT *,
	       coalesce(upper(coalesce(c ->> '$.ruleGroupResponse.type', c ->> '$.Type')),
			CASE
			  WHEN coalesce(arn, c ->> '$.ruleGroupResponse.ruleGroupArn', resource_id)
			       LIKE '%:stateless-rulegroup/%' THEN 'STATELESS'
			  WHEN coalesce(arn, c ->> '$.ruleGroupResponse.ruleGroupArn', resource_id)
			       LIKE '%:stateful-rulegroup/%' THEN 'STATEFUL'
			END) AS kind,
	       coalesce(json_array_length(
			  c -> ('$.ruleGroup.rulesSource.statelessRulesAndCustomActions'
				|| '.statelessRules')),
			0) AS n_rules,
	       coalesce(c ->> '$.ruleGroupResponse.ruleGroupName', resource_id) AS gname
	FROM g
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN kind = 'STATEFUL' THEN 'NOT_APPLICABLE'
	 WHEN kind IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_rules > 0 THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'rule group configuration not recorded in the configuration item'
	 WHEN kind = 'STATEFUL' THEN 'rule group ' || gname || ' is stateful'
	 WHEN kind IS NULL THEN 'rule group type (STATELESS or STATEFUL) is not in the item'
	 WHEN n_rules > 0 THEN 'stateless rule group ' || gname || ' has ' || n_rules || ' rules'
	 ELSE 'stateless rule group ' || gname || ' has no rules'
       END AS annotation
FROM v;
