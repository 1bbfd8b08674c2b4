-- identifier: IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS
-- name: iam-policy-no-statements-with-full-access
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
WITH pol AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       json_extract(configuration, '$.arn') AS parn,
	       coalesce(json_extract(configuration, '$.permissionsBoundaryUsageCount'), 0) AS pbc
	FROM current_items
	WHERE resource_type = 'AWS::IAM::Policy'
),
p AS (
	-- The default version's document, extracted once per run by the
	-- engine (iam_policy_default_documents, cfgaudit-rules(5)).
	SELECT pol.*, d.document AS doc
	FROM pol LEFT JOIN iam_policy_default_documents AS d USING (item_key)
),
p2 AS (
	SELECT p.*, policy_full_access_action(doc) AS grant FROM p
	-- one row per item already; the GROUP BY makes SQLite evaluate the
	-- subqueries once instead of inlining them into every later use
	GROUP BY p.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN parn LIKE 'arn:%:iam::aws:policy/%' THEN 'NOT_APPLICABLE'
            WHEN :excludePermissionBoundaryPolicy AND pbc > 0 THEN 'NOT_APPLICABLE'
            WHEN doc IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN grant IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN parn LIKE 'arn:%:iam::aws:policy/%' THEN 'AWS managed policy; not evaluated'
            WHEN :excludePermissionBoundaryPolicy AND pbc > 0
                 THEN 'used as a permissions boundary; excluded by excludePermissionBoundaryPolicy'
            WHEN doc IS NULL THEN 'the default policy version document is not in the item'
            WHEN grant IS NOT NULL
                 THEN 'an Allow statement grants ' || grant || ' (full access to '
                      || CASE WHEN grant = '*' THEN 'every service'
                              ELSE substr(grant, 1, instr(grant, ':') - 1) END || ')'
            ELSE 'no Allow statement grants service:* or *' END AS annotation
FROM p2
