-- identifier: IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS
-- name: iam-customer-policy-blocked-kms-actions
-- severity: medium (Security Hub KMS.1)
-- remediation: Restrict the policy's blocked KMS actions (such as kms:Decrypt)
--   to the specific key ARNs instead of all keys (CreatePolicyVersion
--   SetAsDefault=true).
-- resource-types: AWS::IAM::Policy
-- trigger: configuration-changes
-- parameters:
--   blockedActionsPatterns: csv
--   excludePermissionBoundaryPolicy: bool = false
-- description: Customer managed policies must not allow the blocked KMS
--   actions on all KMS keys: NON_COMPLIANT when an Allow statement of the
--   default policy version grants one of blockedActionsPatterns (e.g.
--   kms:Decrypt,kms:ReEncryptFrom) on Resource "*" or a KMS key ARN with a
--   wildcard key part (policy_allowed_action_matching); COMPLIANT
--   otherwise. AWS managed policies are NOT_APPLICABLE, as are policies
--   used as permissions boundaries when excludePermissionBoundaryPolicy is
--   true. Not stated by AWS (natural reading): wildcards in the policy's
--   actions count (kms:* or * grants kms:Decrypt); NotAction statements
--   grant what they do not exclude; only the default version counts;
--   conditions are not considered. A policy whose default version
--   document is not in the item is INSUFFICIENT_DATA.
WITH p AS MATERIALIZED (
	-- Applicability and the default version's document, read once per
	-- run by the engine (iam_policy_default_documents, cfgaudit-rules(5)).
	-- MATERIALIZED: the helper runs once per policy, and only the small
	-- columns are kept (not the document).
	SELECT d.resource_type, d.resource_id, d.account_id, d.region, d.status, d.recorded,
	       d.aws_managed, d.boundary_uses, d.document IS NULL AS no_doc,
	       policy_allowed_action_matching(d.document, :blockedActionsPatterns) AS blocked
	FROM iam_policy_default_documents AS d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN aws_managed THEN 'NOT_APPLICABLE'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0 THEN 'NOT_APPLICABLE'
            WHEN no_doc THEN 'INSUFFICIENT_DATA'
            WHEN blocked IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN aws_managed THEN 'AWS managed policy; not evaluated'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0
                 THEN 'used as a permissions boundary; excluded by excludePermissionBoundaryPolicy'
            WHEN no_doc THEN 'the default policy version document is not in the item'
            WHEN blocked IS NOT NULL
                 THEN 'allows blocked action ' || blocked || ' on all KMS keys'
            ELSE 'allows none of ' || coalesce(:blockedActionsPatterns, '(no patterns)') ||
                 ' on all KMS keys' END AS annotation
FROM p
