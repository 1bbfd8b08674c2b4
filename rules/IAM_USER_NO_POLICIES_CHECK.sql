-- identifier: IAM_USER_NO_POLICIES_CHECK
-- name: iam-user-no-policies-check
-- severity: low (Security Hub IAM.2)
-- remediation: Detach the user's policies and grant them through a group the
--   user belongs to (DetachUserPolicy, DeleteUserPolicy, AddUserToGroup).
-- resource-types: AWS::IAM::User
-- trigger: configuration-changes
-- parameters: (none)
-- description: IAM users must get their permissions from groups or roles,
--   not from policies attached to them: NON_COMPLIANT when the user has an
--   attached managed policy (attachedManagedPolicies) or, in the natural
--   reading (not stated by AWS), an inline policy (userPolicyList);
--   COMPLIANT otherwise. A permissions boundary is not an attached policy.
--   An item without a recorded configuration is INSUFFICIENT_DATA, and so
--   is a user with no policy among what can be read but either list
--   recorded as something other than a list (a string that is not JSON, a
--   number).
WITH u AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       CASE json_type(configuration, '$.attachedManagedPolicies')
	            WHEN 'array' THEN json_array_length(configuration, '$.attachedManagedPolicies')
	            ELSE 0 END AS n_managed,
	       CASE json_type(configuration, '$.userPolicyList')
	            WHEN 'array' THEN json_array_length(configuration, '$.userPolicyList')
	            ELSE 0 END AS n_inline,
	       json_extract(configuration, '$.attachedManagedPolicies[0].policyName')
	           AS first_managed,
	       json_extract(configuration, '$.userPolicyList[0].policyName') AS first_inline,
	       -- a list recorded as something else cannot be read
	       coalesce(CASE WHEN json_type(configuration, '$.attachedManagedPolicies')
				  NOT IN ('array', 'null')
			     THEN 'attachedManagedPolicies is '
				  || CASE json_type(configuration, '$.attachedManagedPolicies') WHEN 'text' THEN 'a string'
	                 WHEN 'object' THEN 'an object' WHEN 'true' THEN 'a boolean'
	                 WHEN 'false' THEN 'a boolean' ELSE 'a number' END
				  || ', not a list' END,
			CASE WHEN json_type(configuration, '$.userPolicyList') NOT IN ('array', 'null')
			     THEN 'userPolicyList is '
				  || CASE json_type(configuration, '$.userPolicyList') WHEN 'text' THEN 'a string'
	                 WHEN 'object' THEN 'an object' WHEN 'true' THEN 'a boolean'
	                 WHEN 'false' THEN 'a boolean' ELSE 'a number' END
				  || ', not a list' END) AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::IAM::User'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN n_managed > 0 OR n_inline > 0 THEN 'NON_COMPLIANT'
            WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN n_managed > 0 OR n_inline > 0
                 THEN 'user has ' || n_managed || ' attached managed and ' || n_inline ||
                      ' inline polic' || CASE n_inline WHEN 1 THEN 'y' ELSE 'ies' END ||
                      ' (e.g. ' || coalesce(first_managed, first_inline, '?') || ')'
            WHEN unreadable IS NOT NULL
                 THEN 'cannot tell whether policies are attached to the user: ' || unreadable
                      || ' (aws iam list-attached-user-policies, list-user-policies)'
            ELSE 'no policies attached to the user' END AS annotation
FROM u
