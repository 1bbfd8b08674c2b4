-- identifier: LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED
-- name: lambda-function-public-access-prohibited
-- severity: critical (Security Hub Lambda.1)
-- remediation: Remove resource-based policy statements that allow Principal "*"
--   without a source account or ARN condition (lambda RemovePermission
--   StatementId).
-- resource-types: AWS::Lambda::Function
-- trigger: configuration-changes
-- parameters: (none)
-- description: A Lambda function's resource-based policy must not allow
--   public access. AWS Config records the policy as
--   supplementaryConfiguration.Policy, the policy's JSON as a string (in API
--   output, a string inside a string). A function is NON_COMPLIANT when an
--   Allow statement grants a public principal ("*", {"AWS": "*"}, a
--   wildcard account) without a condition that limits it to fixed values
--   (policy_is_public(), which follows AWS's note that only fixed values
--   without wildcards or policy variables make a policy non-public), and,
--   as AWS's page adds, when an Allow statement lets Amazon S3 (service
--   principal s3.amazonaws.com) invoke it without an aws:SourceAccount
--   condition (any case, not negated, not ...IfExists, with fixed values:
--   no * or ? wildcard, no policy variable; aws:SourceOrgID and
--   aws:SourceOrgPaths are accepted as well, an aws:SourceArn alone is not,
--   since bucket ARNs name no account). COMPLIANT otherwise, including
--   functions with no Policy (no resource-based policy). A Policy that is
--   not a readable JSON policy gives INSUFFICIENT_DATA (aws lambda
--   get-policy). An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH f AS MATERIALIZED (
	-- MATERIALIZED: each policy is unwrapped once, not at every use of pol.
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       json_unstring(json_unstring(supplementary -> '$.Policy')) AS pol
	FROM current_items
	WHERE resource_type = 'AWS::Lambda::Function'
), v0 AS (
	SELECT f.*,
	       CASE WHEN pol IS NULL OR pol = 'null' OR pol = '""' THEN NULL
	            WHEN json_valid(pol) AND json_type(pol) = 'object' THEN pol END AS doc
	FROM f
), v AS MATERIALIZED (
	-- MATERIALIZED: each policy is analysed once, not at every use of pub.
	SELECT v0.*, policy_is_public(doc) AS pub FROM v0
), stmts AS (
	-- Statement is one object or an array of them.
	SELECT item_key, doc, '$.Statement' AS path
	FROM v WHERE json_type(doc, '$.Statement') = 'object'
	UNION ALL
	SELECT v.item_key, v.doc, s.fullkey
	FROM v, json_each(v.doc, '$.Statement') AS s
	WHERE json_type(v.doc, '$.Statement') = 'array' AND s.type = 'object'
), s3_open AS (
	-- Allow statements for the S3 service principal without an account
	-- (or organization) condition.
	SELECT st.item_key,
	       min(coalesce(json_extract(st.doc, st.path || '.Sid'), 'statement ' || st.path)) AS label
	FROM stmts AS st
	WHERE json_extract(st.doc, st.path || '.Effect') = 'Allow'
	  AND (json_extract(st.doc, st.path || '.Principal.Service') = 's3.amazonaws.com'
	       OR EXISTS (SELECT 1 FROM json_each(st.doc, st.path || '.Principal.Service') AS p
	                  WHERE json_type(st.doc, st.path || '.Principal.Service') = 'array'
	                    AND p.value = 's3.amazonaws.com'))
	  AND NOT EXISTS (
		SELECT 1
		FROM json_each(st.doc, st.path || '.Condition') AS op,
		     json_each(st.doc, op.fullkey) AS k
		WHERE op.type = 'object'
		  AND op.key NOT LIKE '%Not%' AND op.key NOT LIKE '%IfExists'
		  AND lower(k.key) IN ('aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths')
		  AND k.value NOT LIKE '%*%' AND k.value NOT LIKE '%?%' AND k.value NOT LIKE '%${%')
	GROUP BY st.item_key
)
SELECT v.resource_type, v.resource_id, v.account_id, v.region AS aws_region,
       CASE WHEN v.no_conf THEN 'INSUFFICIENT_DATA'
            WHEN v.pol IS NULL OR v.pol IN ('null', '""') THEN 'COMPLIANT'
            WHEN v.doc IS NULL OR v.pub IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN v.pub = 1 THEN 'NON_COMPLIANT'
            WHEN o.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN v.no_conf
                 THEN 'configuration not recorded (status ' || v.status || ')'
            WHEN v.pol IS NULL OR v.pol IN ('null', '""')
                 THEN 'the function has no resource-based policy'
            WHEN v.doc IS NULL OR v.pub IS NULL
                 THEN 'supplementaryConfiguration.Policy is not a readable policy document '
                      || '(aws lambda get-policy)'
            WHEN v.pub = 1
                 THEN 'the function policy grants access to a public principal without a '
                      || 'restricting condition'
            WHEN o.item_key IS NOT NULL
                 THEN 'the function policy lets Amazon S3 invoke it without an '
                      || 'aws:SourceAccount condition (' || o.label || ')'
            ELSE 'the function policy grants access only to specific principals' END AS annotation
FROM v LEFT JOIN s3_open AS o ON o.item_key = v.item_key
