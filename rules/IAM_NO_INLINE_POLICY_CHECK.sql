-- identifier: IAM_NO_INLINE_POLICY_CHECK
-- name: iam-no-inline-policy-check
-- severity: medium (default: access)
-- remediation: Replace the inline policy with a managed policy and delete it
--   (CreatePolicy, Attach*Policy,
--   DeleteUserPolicy/DeleteRolePolicy/DeleteGroupPolicy).
-- resource-types: AWS::IAM::User, AWS::IAM::Role, AWS::IAM::Group
-- trigger: configuration-changes
-- parameters: (none)
-- description: IAM users, roles and groups must not have inline policies:
--   NON_COMPLIANT when userPolicyList / rolePolicyList / groupPolicyList
--   is not empty, COMPLIANT otherwise. Not stated by AWS: service-linked
--   roles (path /aws-service-role/) are not exempted on the page, so they
--   are evaluated like any role. An item without a recorded configuration
--   is INSUFFICIENT_DATA, and so is one whose policy list is recorded as
--   something other than a list (a string that is not JSON, a number).
WITH x AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       CASE resource_type WHEN 'AWS::IAM::User' THEN '$.userPolicyList'
	                          WHEN 'AWS::IAM::Role' THEN '$.rolePolicyList'
	                          ELSE '$.groupPolicyList' END AS list_path
	FROM current_items
	WHERE resource_type IN ('AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group')
),
x1 AS MATERIALIZED (
	-- The policy list alone, extracted once (MATERIALIZED: not again at
	-- each use of list): json_each over the whole configuration parsed
	-- it again for each of the two lists below.
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       CASE WHEN json_type(configuration, list_path) = 'array'
	            THEN json_extract(configuration, list_path) END AS list,
	       -- a list recorded as something else cannot be read
	       CASE WHEN json_type(configuration, list_path) NOT IN ('array', 'null')
	            THEN substr(list_path, 3) || ' is '
	                 || CASE json_type(configuration, list_path) WHEN 'text' THEN 'a string' WHEN 'object' THEN 'an object'
	                 WHEN 'array' THEN 'a list' WHEN 'true' THEN 'a boolean'
	                 WHEN 'false' THEN 'a boolean' ELSE 'a number' END
	                 || ', not a list' END AS unreadable
	FROM x
),
x2 AS (
	SELECT x1.*, json_array_length(list) AS n,
	       (SELECT group_concat(name, ', ') FROM
	            (SELECT json_extract(e.value, '$.policyName') AS name
	             FROM json_each(x1.list) AS e
	             WHERE e.type = 'object' ORDER BY e.key LIMIT 5)) AS names
	FROM x1
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
            WHEN list IS NOT NULL AND n > 0 THEN 'NON_COMPLIANT'
            WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN list IS NOT NULL AND n > 0
                 THEN n || ' inline polic' || CASE n WHEN 1 THEN 'y' ELSE 'ies' END || ': ' ||
                      coalesce(names, '(unnamed)') || CASE WHEN n > 5 THEN ', ...' ELSE '' END
            WHEN unreadable IS NOT NULL
                 THEN 'cannot tell whether there are inline policies: ' || unreadable
                      || ' (aws iam list-' || lower(substr(resource_type, 11)) || '-policies)'
            ELSE 'no inline policies' END AS annotation
FROM x2
