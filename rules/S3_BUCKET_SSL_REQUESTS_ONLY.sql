-- identifier: S3_BUCKET_SSL_REQUESTS_ONLY
-- name: s3-bucket-ssl-requests-only
-- severity: medium (Security Hub S3.5)
-- remediation: Add a bucket policy statement that denies s3:* when
--   aws:SecureTransport is false (PutBucketPolicy).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters: (none)
-- description: Bucket policies must require SSL/TLS: COMPLIANT when the
--   bucket policy has Deny statements for all principals (* or {"AWS":
--   "*"}), with Action s3:* or *, and the condition Bool (or
--   BoolIfExists) aws:SecureTransport = false (policy_denies_insecure_-
--   transport), whose Resource values together cover both the bucket ARN
--   and bucket/* (the compliant form AWS's knowledge-center article
--   gives); NON_COMPLIANT otherwise. Not stated by AWS (natural reading):
--   no bucket policy is NON_COMPLIANT; a deny covering only the bucket or
--   only its objects, or only some actions, is NON_COMPLIANT; a policy
--   that only allows HTTPS is NON_COMPLIANT. An item without a recorded
--   configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       coalesce(arn, 'arn:aws:s3:::' || coalesce(name, resource_id)) AS bucket_arn,
	       CASE WHEN json_valid(policy) THEN policy END AS pol_ok
	FROM s3_bucket_facts
),
b3 AS MATERIALIZED (
	-- The verdict: pattern coverage done soundly (the GLOBs below would
	-- let "b/?" cover the literal "b/*"; they only word the annotation).
	-- MATERIALIZED: each bucket's policy is analysed once, not at every
	-- use of covered.
	SELECT b.*,
	       coalesce(policy_denies_insecure_transport(pol_ok, bucket_arn), 0) = 1 AS covered
	FROM b
),
b4 AS MATERIALIZED (
	-- The Resource values of the statements that deny insecure transport
	-- (each statement checked alone by policy_denies_insecure_transport).
	SELECT b3.*,
	       (SELECT json_group_array(r.value)
	        FROM s3_policy_statements AS s,
	             json_each(CASE json_type(s.stmt, '$.Resource')
	                            WHEN 'array' THEN json_extract(s.stmt, '$.Resource')
	                            WHEN 'text' THEN json_array(json_extract(s.stmt, '$.Resource'))
	                            END) AS r
	        WHERE s.item_key = b3.item_key AND s.effect = 'Deny'
	          AND r.type = 'text'
	          AND policy_denies_insecure_transport(
	                  json_object('Version', '2012-10-17',
	                              'Statement', json_array(json(s.stmt)))) = 1) AS deny_res
	FROM b3
),
b5 AS (
	SELECT b4.*,
	       json_array_length(deny_res) > 0 AS has_deny,
	       EXISTS (SELECT 1 FROM json_each(b4.deny_res) AS r
	               WHERE b4.bucket_arn GLOB r.value) AS bucket_covered,
	       EXISTS (SELECT 1 FROM json_each(b4.deny_res) AS r
	               WHERE (b4.bucket_arn || '/*') GLOB r.value) AS objects_covered
	FROM b4
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN covered THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN pol_ok IS NULL THEN 'no bucket policy, so HTTP requests are not denied'
            WHEN NOT has_deny
                 THEN 'bucket policy has no Deny of s3:* for all principals on '
                      || 'aws:SecureTransport = false'
            WHEN covered
                 THEN 'bucket policy denies requests with aws:SecureTransport = false on the '
                      || 'bucket and its objects'
            WHEN bucket_covered AND objects_covered
                 THEN 'the aws:SecureTransport deny does not cover every object of '
                      || bucket_arn || '/*'
            WHEN bucket_covered
                 THEN 'the aws:SecureTransport deny covers the bucket but not '
                      || bucket_arn || '/*'
            ELSE 'the aws:SecureTransport deny does not cover ' || bucket_arn END AS annotation
FROM b5
