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
WITH b AS MATERIALIZED (
	-- MATERIALIZED: each bucket's policy is checked (json_valid) and
	-- analysed once, and only the small columns are kept.
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       bucket_arn, pol_ok IS NOT NULL AS has_pol,
	       coalesce(policy_denies_insecure_transport(pol_ok, bucket_arn), 0) = 1 AS covered
	FROM (SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
		     coalesce(arn, 'arn:aws:s3:::' || coalesce(name, resource_id)) AS bucket_arn,
		     CASE WHEN json_valid(policy) THEN policy END AS pol_ok
	      FROM s3_bucket_facts)
),
d AS (
	-- The verdict: pattern coverage done soundly (the GLOBs below would
	-- let "b/?" cover the literal "b/*"; they only word the annotation).
	-- The Resource values of the statements that deny insecure transport
	-- (each statement checked alone by policy_denies_insecure_transport).
	SELECT b.item_key, count(*) AS n,
	       max(b.bucket_arn GLOB r.value) AS bucket_covered,
	       max((b.bucket_arn || '/*') GLOB r.value) AS objects_covered
	FROM b, s3_policy_statements AS s, json_each(s.stmt, '$.Resource') AS r
	WHERE s.item_key = b.item_key AND s.effect = 'Deny'
	  AND r.type = 'text' AND (r.key IS NULL OR typeof(r.key) = 'integer')
	  AND policy_denies_insecure_transport(
	          '{"Version":"2012-10-17","Statement":[' || s.stmt || ']}') = 1
	GROUP BY b.item_key
)
SELECT b.resource_type, b.resource_id, b.account_id, b.region AS aws_region,
       CASE WHEN NOT b.recorded THEN 'INSUFFICIENT_DATA'
            WHEN b.covered THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT b.recorded
                 THEN 'configuration not recorded (status ' || b.status || ')'
            WHEN NOT b.has_pol THEN 'no bucket policy, so HTTP requests are not denied'
            WHEN d.item_key IS NULL
                 THEN 'bucket policy has no Deny of s3:* for all principals on '
                      || 'aws:SecureTransport = false'
            WHEN b.covered
                 THEN 'bucket policy denies requests with aws:SecureTransport = false on the '
                      || 'bucket and its objects'
            WHEN d.bucket_covered AND d.objects_covered
                 THEN 'the aws:SecureTransport deny does not cover every object of '
                      || b.bucket_arn || '/*'
            WHEN d.bucket_covered
                 THEN 'the aws:SecureTransport deny covers the bucket but not '
                      || b.bucket_arn || '/*'
            ELSE 'the aws:SecureTransport deny does not cover ' || b.bucket_arn END AS annotation
FROM b LEFT JOIN d ON d.item_key = b.item_key
