-- identifier: IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS
-- name: iam-inline-policy-blocked-kms-actions
-- severity: medium (Security Hub KMS.2)
-- remediation: Restrict the inline policy's blocked KMS actions to the specific
--   key ARNs instead of all keys (PutUserPolicy, PutRolePolicy or
--   PutGroupPolicy).
-- resource-types: AWS::IAM::Group, AWS::IAM::Role, AWS::IAM::User
-- trigger: configuration-changes
-- parameters:
--   blockedActionsPatterns: csv
--   excludeRoleByManagementAccount: bool = false
-- description: Inline policies of users, roles and groups must not allow
--   the blocked KMS actions on all KMS keys: NON_COMPLIANT when an inline
--   policy (userPolicyList / rolePolicyList / groupPolicyList) has an Allow
--   statement granting one of blockedActionsPatterns on Resource "*" or a
--   KMS key ARN with a wildcard key part (policy_allowed_action_matching);
--   COMPLIANT otherwise, including principals without inline policies.
--   Not stated by AWS (natural reading): wildcards in the policy's actions
--   count; conditions are not considered. excludeRoleByManagementAccount
--   skips roles that only the organization management account can assume;
--   that account is not in Config items, so a role that would fail and
--   whose trust policy admits only principals of one other account is
--   INSUFFICIENT_DATA when the parameter is true. A principal with no
--   failing inline policy among what can be read is INSUFFICIENT_DATA when
--   its policy list, one of its elements or a policyDocument cannot be
--   read (not a list, not an object, a document neither JSON nor
--   URL-encoded JSON): a garbled document is not read as allowing nothing.
--   A policyDocument recorded as a list of documents is read document by
--   document.
-- missing: the organization management account ID for
--   excludeRoleByManagementAccount: aws organizations describe-organization
--   (Organization.MasterAccountId).
WITH x AS MATERIALIZED (
	-- MATERIALIZED: each item is read once, for its inline policy list
	-- (as JSON), the role's trust policy and the verdict, not once for each.
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       configuration -> CASE resource_type WHEN 'AWS::IAM::User' THEN '$.userPolicyList'
	                                           WHEN 'AWS::IAM::Role' THEN '$.rolePolicyList'
	                                           ELSE '$.groupPolicyList' END AS list,
	       CASE resource_type WHEN 'AWS::IAM::User' THEN 'userPolicyList'
	                          WHEN 'AWS::IAM::Role' THEN 'rolePolicyList'
	                          ELSE 'groupPolicyList' END AS list_path,
	       CASE WHEN resource_type = 'AWS::IAM::Role' AND :excludeRoleByManagementAccount
	            THEN configuration -> '$.assumeRolePolicyDocument' END AS trust_doc
	FROM current_items
	WHERE resource_type IN ('AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group')
),
inline AS (
	-- Every element, with its type and its document's, for what cannot be
	-- read below.
	SELECT x.item_key, x.list_path, e.key AS k, e.type AS etype,
	       json_extract(x.list, e.fullkey || '.policyName') AS name,
	       json_type(x.list, e.fullkey || '.policyDocument') AS dtype,
	       json_extract(x.list, e.fullkey || '.policyDocument') AS doc
	FROM x, json_each(x.list) AS e
),
docs AS (
	-- The documents: policyDocument, or each element of a policyDocument
	-- recorded as a list of documents (as some recorded items hold it).
	SELECT item_key, list_path, k, name, doc
	FROM inline
	WHERE etype = 'object' AND dtype IN ('object', 'text')
	UNION ALL
	SELECT i.item_key, i.list_path, i.k, i.name,
	       CASE WHEN d.type IN ('object', 'text') THEN d.value END
	FROM inline AS i, json_each(i.doc) AS d
	WHERE i.etype = 'object' AND i.dtype = 'array'
),
matched AS (
	-- A document the policy functions cannot read (policy_is_public gives
	-- NULL) is noted when it matched nothing.
	SELECT item_key, list_path, k, name, action,
	       action IS NULL AND policy_is_public(doc) IS NULL AS doc_unread
	FROM (SELECT item_key, list_path, k, name, doc,
		     policy_allowed_action_matching(doc, :blockedActionsPatterns) AS action
	      FROM docs)
),
unread AS (
	-- What cannot be read: the list itself (not a list), an element (not
	-- an object), a document neither an object nor text holding one
	-- (JSON, URL-encoded JSON, or a JSON string holding either).
	SELECT item_key, list_path || ' is ' || CASE json_type(list) WHEN 'text' THEN 'a string'
	            WHEN 'object' THEN 'an object' WHEN 'true' THEN 'a boolean'
	            WHEN 'false' THEN 'a boolean' ELSE 'a number' END
	           || ', not a list' AS what
	FROM x WHERE json_type(list) NOT IN ('array', 'null')
	UNION ALL
	SELECT item_key, list_path || '[' || k || '] is not an object'
	FROM inline
	WHERE etype NOT IN ('object', 'null')
	UNION ALL
	SELECT item_key, list_path || '[' || k || '].policyDocument ('
	       || coalesce(name, 'unnamed') || ') is not a readable policy'
	FROM inline
	WHERE etype = 'object' AND dtype NOT IN ('object', 'text', 'array', 'null')
	UNION ALL
	SELECT item_key, list_path || '[' || k || '].policyDocument ('
	       || coalesce(name, 'unnamed') || ') is not a readable policy'
	FROM matched
	WHERE doc_unread
),
hits AS (
	SELECT item_key, min(coalesce(name, '(unnamed)') || ': ' || action) AS why
	FROM matched
	WHERE action IS NOT NULL
	GROUP BY item_key
),
-- For excludeRoleByManagementAccount: the accounts of the AWS principals a
-- role's trust policy admits (12-digit IDs or ARNs), and whether anything
-- else (services, federated users, "*") is admitted.
trust AS (
	SELECT x.item_key, x.account_id,
	       CASE json_type(x.trust_doc)
	            WHEN 'object' THEN json_extract(x.trust_doc, '$')
	            WHEN 'text' THEN json_unstring(url_decode(json_extract(x.trust_doc, '$')))
	            END AS doc
	FROM x
	WHERE x.resource_type = 'AWS::IAM::Role' AND :excludeRoleByManagementAccount
	  AND x.item_key IN (SELECT item_key FROM hits)
),
principals AS (
	SELECT t.item_key, t.account_id, p.fullkey, p.atom,
	       CASE WHEN p.fullkey GLOB '*.Principal.AWS*' THEN
	            CASE WHEN length(p.atom) = 12 AND p.atom NOT GLOB '*[^0-9]*' THEN p.atom
	                 WHEN instr(p.atom, ':iam::') > 0
	                      THEN substr(p.atom, instr(p.atom, ':iam::') + 6, 12) END
	       END AS principal_account
	FROM trust AS t, json_tree(CASE WHEN json_valid(t.doc) THEN t.doc END) AS p
	WHERE p.type = 'text' AND p.fullkey GLOB '$.Statement*.Principal*'
),
mgmt_only AS (
	SELECT item_key FROM principals
	GROUP BY item_key
	HAVING count(*) > 0 AND count(principal_account) = count(*)
	   AND count(DISTINCT principal_account) = 1 AND max(principal_account) <> max(account_id)
)
SELECT x.resource_type, x.resource_id, x.account_id, x.region AS aws_region,
       CASE WHEN x.no_conf THEN 'INSUFFICIENT_DATA'
            WHEN m.item_key IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN h.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN u.item_key IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN x.no_conf
                 THEN 'configuration not recorded (status ' || x.status || ')'
            WHEN m.item_key IS NOT NULL
                 THEN 'inline policy ' || h.why || ' on all KMS keys, but the role is '
                      || 'assumable only from another account that may be the management '
                      || 'account (aws organizations describe-organization)'
            WHEN h.item_key IS NOT NULL
                 THEN 'inline policy ' || h.why || ' (blocked) on all KMS keys'
            WHEN u.item_key IS NOT NULL
                 THEN 'cannot tell whether an inline policy allows '
                      || coalesce(:blockedActionsPatterns, '(no patterns)')
                      || ' on all KMS keys: ' || u.what || ' (aws iam get-'
                      || lower(substr(x.resource_type, 11)) || '-policy)'
            ELSE 'no inline policy allows ' || coalesce(:blockedActionsPatterns, '(no patterns)') ||
                 ' on all KMS keys' END AS annotation
FROM x
LEFT JOIN hits AS h ON h.item_key = x.item_key
LEFT JOIN mgmt_only AS m ON m.item_key = x.item_key
LEFT JOIN (SELECT item_key, min(what) AS what FROM unread GROUP BY item_key) AS u
  ON u.item_key = x.item_key
