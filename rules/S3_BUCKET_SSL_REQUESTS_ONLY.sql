-- identifier: S3_BUCKET_SSL_REQUESTS_ONLY
-- name: s3-bucket-ssl-requests-only
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
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(arn, 'arn:aws:s3:::' || coalesce(json_extract(configuration, '$.name'),
	                                                resource_id)) AS bucket_arn,
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
stmts AS (
	SELECT b2.item_key, s.value AS st
	FROM b2, json_each(CASE json_type(b2.pol_ok, '$.Statement')
	                   WHEN 'array' THEN json_extract(b2.pol_ok, '$.Statement')
	                   WHEN 'object'
	                        THEN json_array(json(json_extract(b2.pol_ok, '$.Statement')))
	                   END) AS s
	WHERE s.type = 'object'
),
deny_http AS (
	SELECT item_key, st FROM stmts
	WHERE json_extract(st, '$.Effect') = 'Deny'
	  AND policy_denies_insecure_transport(
	          json_object('Version', '2012-10-17', 'Statement', json_array(json(st)))) = 1
),
covered AS (
	SELECT d.item_key,
	       max(b2.bucket_arn GLOB r.value) AS bucket_covered,
	       max((b2.bucket_arn || '/*') GLOB r.value) AS objects_covered
	FROM deny_http AS d
	JOIN b2 ON b2.item_key = d.item_key,
	     json_each(CASE json_type(d.st, '$.Resource')
	                    WHEN 'array' THEN json_extract(d.st, '$.Resource')
	                    WHEN 'text' THEN json_array(json_extract(d.st, '$.Resource')) END) AS r
	WHERE r.type = 'text'
	GROUP BY d.item_key
)
SELECT b2.resource_type, b2.resource_id, b2.account_id, b2.region AS aws_region,
       CASE WHEN b2.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN cv.bucket_covered AND cv.objects_covered THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN b2.configuration IS NULL
                 THEN 'configuration not recorded (status ' || b2.status || ')'
            WHEN b2.pol_ok IS NULL THEN 'no bucket policy, so HTTP requests are not denied'
            WHEN cv.item_key IS NULL
                 THEN 'bucket policy has no Deny of s3:* for all principals on '
                      || 'aws:SecureTransport = false'
            WHEN cv.bucket_covered AND cv.objects_covered
                 THEN 'bucket policy denies requests with aws:SecureTransport = false on the '
                      || 'bucket and its objects'
            WHEN cv.bucket_covered
                 THEN 'the aws:SecureTransport deny covers the bucket but not '
                      || b2.bucket_arn || '/*'
            ELSE 'the aws:SecureTransport deny does not cover ' || b2.bucket_arn END AS annotation
FROM b2 LEFT JOIN covered AS cv ON cv.item_key = b2.item_key
