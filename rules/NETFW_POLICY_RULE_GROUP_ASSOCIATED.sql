-- identifier: NETFW_POLICY_RULE_GROUP_ASSOCIATED
-- name: netfw-policy-rule-group-associated
-- severity: medium (Security Hub NetworkFirewall.3)
-- remediation: Associate at least one stateful or stateless rule group with the
--   firewall policy (UpdateFirewallPolicy).
-- resource-types: AWS::NetworkFirewall::FirewallPolicy
-- trigger: configuration-changes
-- parameters: (none)
-- description: A Network Firewall policy must reference at least one rule
--   group: COMPLIANT when configuration.firewallPolicy has a non-empty
--   statefulRuleGroupReferences or statelessRuleGroupReferences list,
--   NON_COMPLIANT when both are empty or absent.
WITH p AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::NetworkFirewall::FirewallPolicy'
), v AS (
	SELECT *,
	       coalesce(json_array_length(coalesce(
			  c -> '$.firewallPolicy.statefulRuleGroupReferences',
			  c -> '$.FirewallPolicy.StatefulRuleGroupReferences')), 0) AS n_stateful,
	       coalesce(json_array_length(coalesce(
			  c -> '$.firewallPolicy.statelessRuleGroupReferences',
			  c -> '$.FirewallPolicy.StatelessRuleGroupReferences')), 0) AS n_stateless
	FROM p
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_stateful + n_stateless > 0 THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'firewall policy configuration not recorded in the configuration item'
	 WHEN n_stateful + n_stateless > 0
	   THEN 'policy references ' || n_stateful || ' stateful and ' || n_stateless
		|| ' stateless rule groups'
	 ELSE 'policy has no stateful and no stateless rule group references'
       END AS annotation
FROM v;
