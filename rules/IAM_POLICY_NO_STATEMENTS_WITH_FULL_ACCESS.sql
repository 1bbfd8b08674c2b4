-- identifier: IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS
-- name: iam-policy-no-statements-with-full-access
-- severity: low (Security Hub IAM.21)
-- remediation: Replace service-wide actions such as "s3:*" with the specific
--   actions that are needed (CreatePolicyVersion SetAsDefault=true).
-- resource-types: AWS::IAM::Policy
-- trigger: configuration-changes
-- parameters:
--   excludePermissionBoundaryPolicy: bool = false
-- description: Customer managed policies must not grant full access to
--   an AWS service: NON_COMPLIANT when an Allow statement of the default
--   policy version has an Action of the form "service:*" (or "*"), on any
--   Resource (policy_full_access_action); COMPLIANT when only specific
--   actions or prefix wildcards such as ec2:Describe* are allowed. AWS
--   managed policies (arn:...:iam::aws:policy/...) are NOT_APPLICABLE, as
--   are policies used as permissions boundaries when
--   excludePermissionBoundaryPolicy is true. Not stated by AWS (natural
--   reading): a bare "*" counts as full access to every service; Deny
--   statements, NotAction and conditions are not considered; only the
--   default version counts. A policy whose default version document is
--   not in the item is INSUFFICIENT_DATA.
WITH p AS MATERIALIZED (
	-- Applicability and the default version's document, read once per
	-- run by the engine (iam_policy_default_documents, cfgaudit-rules(5)).
	-- MATERIALIZED: the helper runs once per policy, and only the small
	-- columns are kept (not the document).
	SELECT d.resource_type, d.resource_id, d.account_id, d.region, d.status, d.recorded,
	       d.aws_managed, d.boundary_uses, d.document IS NULL AS no_doc,
	       policy_full_access_action(d.document) AS grant
	FROM iam_policy_default_documents AS d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN aws_managed THEN 'NOT_APPLICABLE'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0 THEN 'NOT_APPLICABLE'
            WHEN no_doc THEN 'INSUFFICIENT_DATA'
            WHEN grant IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN aws_managed THEN 'AWS managed policy; not evaluated'
            WHEN :excludePermissionBoundaryPolicy AND boundary_uses > 0
                 THEN 'used as a permissions boundary; excluded by excludePermissionBoundaryPolicy'
            WHEN no_doc THEN 'the default policy version document is not in the item'
            WHEN grant IS NOT NULL
                 THEN 'an Allow statement grants ' || grant || ' (full access to '
                      || CASE WHEN grant = '*' THEN 'every service'
                              ELSE substr(grant, 1, instr(grant, ':') - 1) END || ')'
            ELSE 'no Allow statement grants service:* or *' END AS annotation
FROM p
