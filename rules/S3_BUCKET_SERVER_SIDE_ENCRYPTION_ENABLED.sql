-- identifier: S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED
-- name: s3-bucket-server-side-encryption-enabled
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters: (none)
-- description: Buckets must have default encryption, or a bucket policy
--   that denies put-object requests without server-side encryption.
--   COMPLIANT when ServerSideEncryptionConfiguration has a rule with an
--   sseAlgorithm (AES256, aws:kms, aws:kms:dsse), or else when a Deny
--   statement for all principals covering s3:PutObject has the condition
--   StringNotEquals(IfExists) s3:x-amz-server-side-encryption or Null
--   s3:x-amz-server-side-encryption = true; NON_COMPLIANT otherwise. As
--   AWS notes, a policy value holding more than five policy variables
--   cannot be evaluated: when the policy is needed, that is NON_COMPLIANT.
--   An item without a recorded configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       supplementary AS sup,
	       CASE json_type(supplementary, '$.BucketPolicy.policyText')
	            WHEN 'object' THEN json_extract(supplementary, '$.BucketPolicy.policyText')
	            WHEN 'text' THEN json_unstring(
	                                 json_extract(supplementary, '$.BucketPolicy.policyText'))
	            END AS pol
	FROM current_items
	WHERE resource_type = 'AWS::S3::Bucket'
),
b2 AS (
	SELECT b.*, CASE WHEN json_valid(pol) THEN pol END AS pol_ok FROM b
),
sse_rules AS (
	SELECT b2.item_key,
	       json_extract(b2.sup, r.fullkey || '.applyServerSideEncryptionByDefault.sseAlgorithm')
	           AS algo
	FROM b2, json_each(b2.sup, '$.ServerSideEncryptionConfiguration.rules') AS r
	WHERE r.type = 'object'
),
sse AS (
	SELECT item_key, min(algo) AS algo FROM sse_rules
	WHERE coalesce(algo, '') <> ''
	GROUP BY item_key
),
stmts AS (
	SELECT b2.item_key, s.value AS st
	FROM b2, json_each(CASE json_type(b2.pol_ok, '$.Statement')
	                   WHEN 'array' THEN json_extract(b2.pol_ok, '$.Statement')
	                   WHEN 'object'
	                        THEN json_array(json(json_extract(b2.pol_ok, '$.Statement')))
	                   END) AS s
	WHERE s.type = 'object'
),
deny_put AS (
	SELECT DISTINCT s.item_key
	FROM stmts AS s,
	     json_each(CASE json_type(s.st, '$.Action')
	                    WHEN 'array' THEN json_extract(s.st, '$.Action')
	                    WHEN 'text' THEN json_array(json_extract(s.st, '$.Action')) END) AS a,
	     json_each(s.st, '$.Condition') AS op,
	     json_each(s.st, '$.Condition.' || json_quote(op.key)) AS k
	WHERE json_extract(s.st, '$.Effect') = 'Deny'
	  AND (json_extract(s.st, '$.Principal') = '*'
	       OR json_extract(s.st, '$.Principal.AWS') = '*'
	       OR json_extract(s.st, '$.Principal.AWS[0]') = '*')
	  AND a.type = 'text' AND 's3:putobject' GLOB lower(a.value)
	  AND op.type = 'object'
	  AND lower(k.key) = 's3:x-amz-server-side-encryption'
	  AND (op.key IN ('StringNotEquals', 'StringNotEqualsIfExists', 'StringNotLike',
	                  'StringNotLikeIfExists')
	       OR (op.key = 'Null' AND lower(k.atom) = 'true'))
),
too_many_vars AS (
	SELECT DISTINCT b2.item_key
	FROM b2, json_tree(b2.pol_ok) AS t
	WHERE t.type = 'text'
	  AND (length(t.atom) - length(replace(t.atom, '${', ''))) / 2 > 5
)
SELECT b2.resource_type, b2.resource_id, b2.account_id, b2.region AS aws_region,
       CASE WHEN b2.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN sse.item_key IS NOT NULL THEN 'COMPLIANT'
            WHEN tv.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN dp.item_key IS NOT NULL THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN b2.configuration IS NULL
                 THEN 'configuration not recorded (status ' || b2.status || ')'
            WHEN sse.item_key IS NOT NULL THEN 'default encryption ' || sse.algo
            WHEN tv.item_key IS NOT NULL
                 THEN 'no default encryption; the bucket policy has a value with more than five '
                      || 'policy variables and cannot be evaluated'
            WHEN dp.item_key IS NOT NULL
                 THEN 'no default encryption, but the bucket policy denies s3:PutObject without '
                      || 's3:x-amz-server-side-encryption'
            ELSE 'no default encryption (ServerSideEncryptionConfiguration) and no bucket policy '
                 || 'denying unencrypted s3:PutObject' END AS annotation
FROM b2
LEFT JOIN sse ON sse.item_key = b2.item_key
LEFT JOIN deny_put AS dp ON dp.item_key = b2.item_key
LEFT JOIN too_many_vars AS tv ON tv.item_key = b2.item_key
