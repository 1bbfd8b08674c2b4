-- identifier: IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS
-- name: iam-policy-no-statements-with-admin-access
-- severity: high (Security Hub IAM.1)
-- remediation: Replace the Allow "*" on "*" statement with the actions and
--   resources that are needed (CreatePolicyVersion SetAsDefault=true).
-- resource-types: AWS::IAM::Policy
-- trigger: configuration-changes
-- parameters:
--   excludePermissionBoundaryPolicy: bool = false
-- description: Customer managed policies must not grant administrator
--   access: NON_COMPLIANT when a statement of the default policy version
--   has Effect Allow, Action "*" (or "*:*") and Resource "*"
--   (policy_admin_statement; alone or in an array); COMPLIANT otherwise,
--   e.g. for "service:*" on "*". AWS managed policies (arn:...:iam::aws:
--   policy/...) are NOT_APPLICABLE, as are policies used as permissions
--   boundaries when excludePermissionBoundaryPolicy is true. Not stated by
--   AWS (natural reading): only the default version counts; NotAction and
--   conditions are not considered. A policy whose default version
--   document is not in the item is INSUFFICIENT_DATA.
WITH p AS MATERIALIZED (
	-- Applicability and the default version's document, read once per
	-- run by the engine (iam_policy_default_documents, cfgaudit-rules(5)).
	-- MATERIALIZED: the helper runs once per policy, and only the small
	-- columns are kept (not the document).
	SELECT d.resource_type, d.resource_id, d.account_id, d.region, d.status, d.recorded,
	       d.aws_managed, d.boundary_uses, d.document IS NULL AS no_doc,
	       policy_admin_statement(d.document) AS admin
	FROM iam_policy_default_documents AS d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN aws_managed THEN 'NOT_APPLICABLE'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0 THEN 'NOT_APPLICABLE'
            WHEN no_doc THEN 'INSUFFICIENT_DATA'
            WHEN admin IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN aws_managed THEN 'AWS managed policy; not evaluated'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0
                 THEN 'used as a permissions boundary; excluded by excludePermissionBoundaryPolicy'
            WHEN no_doc THEN 'the default policy version document is not in the item'
            WHEN admin IS NOT NULL
                 THEN 'statement ' || coalesce('"' || json_extract(admin, '$.Sid') || '" ', '') ||
                      'allows Action * on Resource * (full administrator access)'
            ELSE 'no statement allows Action * on Resource *' END AS annotation
FROM p
