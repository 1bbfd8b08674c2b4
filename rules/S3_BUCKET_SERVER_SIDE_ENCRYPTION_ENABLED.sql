-- identifier: S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED
-- name: s3-bucket-server-side-encryption-enabled
-- severity: medium (Security Hub S3.4)
-- remediation: Set default encryption on the bucket (PutBucketEncryption
--   SSEAlgorithm=aws:kms or AES256).
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
WITH b AS MATERIALIZED (
	-- The default-encryption algorithm of the first rule that has one.
	-- MATERIALIZED (as b4): computed once per bucket, not at each use.
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       (SELECT min(json_extract(r.value, '$.applyServerSideEncryptionByDefault.sseAlgorithm'))
	        FROM json_each(encryption, '$.rules') AS r
	        WHERE r.type = 'object'
	          AND coalesce(json_extract(r.value,
	                                    '$.applyServerSideEncryptionByDefault.sseAlgorithm'), '')
	              <> '') AS algo
	FROM s3_bucket_facts
),
b2 AS (
	-- The policy matters only without default encryption.
	SELECT b.*,
	       CASE WHEN algo IS NULL
		    THEN (SELECT CASE WHEN json_valid(f.policy) THEN f.policy END
			  FROM s3_bucket_facts AS f WHERE f.item_key = b.item_key) END AS pol_ok
	FROM b
),
b3 AS (
	SELECT b2.*,
	       CASE json_type(pol_ok, '$.Statement')
	            WHEN 'array' THEN json_extract(pol_ok, '$.Statement')
	            WHEN 'object' THEN json_array(json(json_extract(pol_ok, '$.Statement')))
	            END AS stmts
	FROM b2
),
b4 AS MATERIALIZED (
	-- Only consulted without default encryption: a Deny for everyone of
	-- s3:PutObject whose condition tests s3:x-amz-server-side-encryption
	-- (StringNotEquals..., or Null = true); and AWS's limit of five policy
	-- variables in one value.
	-- Only the small columns are kept.
	SELECT b3.resource_type, b3.resource_id, b3.account_id, b3.region, b3.status, b3.recorded,
	       b3.algo,
	       CASE WHEN algo IS NULL THEN EXISTS (
	           SELECT 1
	           FROM json_each(b3.stmts) AS s,
	                json_each(CASE json_type(s.value, '$.Action')
	                          WHEN 'array' THEN json_extract(s.value, '$.Action')
	                          WHEN 'text' THEN json_array(json_extract(s.value, '$.Action'))
	                          END) AS a,
	                json_each(s.value, '$.Condition') AS op,
	                json_each(s.value, '$.Condition.' || json_quote(op.key)) AS k
	           WHERE s.type = 'object' AND json_extract(s.value, '$.Effect') = 'Deny'
	             AND (json_extract(s.value, '$.Principal') = '*'
	                  OR json_extract(s.value, '$.Principal.AWS') = '*'
	                  OR json_extract(s.value, '$.Principal.AWS[0]') = '*')
	             AND a.type = 'text' AND 's3:putobject' GLOB lower(a.value)
	             AND op.type = 'object'
	             AND lower(k.key) = 's3:x-amz-server-side-encryption'
	             AND (op.key IN ('StringNotEquals', 'StringNotEqualsIfExists', 'StringNotLike',
	                             'StringNotLikeIfExists')
	                  OR (op.key = 'Null' AND lower(k.atom) = 'true'))) END AS deny_put,
	       CASE WHEN algo IS NULL THEN EXISTS (
	           SELECT 1 FROM json_tree(b3.pol_ok) AS t
	           WHERE t.type = 'text'
	             AND (length(t.atom) - length(replace(t.atom, '${', ''))) / 2 > 5) END
	           AS too_many_vars
	FROM b3
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN algo IS NOT NULL THEN 'COMPLIANT'
            WHEN too_many_vars THEN 'NON_COMPLIANT'
            WHEN deny_put THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN algo IS NOT NULL THEN 'default encryption ' || algo
            WHEN too_many_vars
                 THEN 'no default encryption; the bucket policy has a value with more than five '
                      || 'policy variables and cannot be evaluated'
            WHEN deny_put
                 THEN 'no default encryption, but the bucket policy denies s3:PutObject without '
                      || 's3:x-amz-server-side-encryption'
            ELSE 'no default encryption (ServerSideEncryptionConfiguration) and no bucket policy '
                 || 'denying unencrypted s3:PutObject' END AS annotation
FROM b4
