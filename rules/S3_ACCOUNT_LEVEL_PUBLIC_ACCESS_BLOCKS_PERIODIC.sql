-- identifier: S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC
-- name: s3-account-level-public-access-blocks-periodic
-- severity: medium (Security Hub S3.1)
-- remediation: Turn on all four account-level Block Public Access settings
--   (s3control PutPublicAccessBlock BlockPublicAcls, IgnorePublicAcls,
--   BlockPublicPolicy, RestrictPublicBuckets=true).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   IgnorePublicAcls: string = True
--   BlockPublicPolicy: string = True
--   BlockPublicAcls: string = True
--   RestrictPublicBuckets: string = True
-- description: The account-level S3 Block Public Access settings must match
--   the parameters: for each account and region, NON_COMPLIANT when a
--   setting of the AWS::S3::AccountPublicAccessBlock item differs from its
--   parameter (True/False, any case; read literally, so False demands the
--   setting be off), COMPLIANT when all four match. The item of the same
--   region is used, else the newest one of the account (the setting is
--   account-wide). Without such an item, evidence of aws s3control
--   get-public-access-block --account-id ACCOUNT within --max-age of the
--   as-of time (any Region folder, the newest) gives the four settings
--   (PublicAccessBlockConfiguration); its error
--   NoSuchPublicAccessBlockConfiguration means none is configured, all
--   four off. Not stated by AWS: the result when the account has neither;
--   it may never have been configured (all off) or the type may not be
--   recorded, so the result is INSUFFICIENT_DATA naming the call.
-- missing: whether an account without an AWS::S3::AccountPublicAccessBlock
--   item has a block configured: aws s3control get-public-access-block
--   --account-id ACCOUNT (NoSuchPublicAccessBlockConfiguration = none).
WITH pairs AS (
	SELECT x.account_id, x.aws_region,
	       coalesce(
	           (SELECT a.configuration FROM current_items AS a
	            WHERE a.resource_id = x.account_id AND a.account_id = x.account_id
	              AND a.resource_type = 'AWS::S3::AccountPublicAccessBlock'
	              AND a.region = x.aws_region AND a.configuration IS NOT NULL),
	           (SELECT a.configuration FROM current_items AS a
	            WHERE a.resource_id = x.account_id AND a.account_id = x.account_id
	              AND a.resource_type = 'AWS::S3::AccountPublicAccessBlock'
	              AND a.configuration IS NOT NULL
	            ORDER BY a.capture_time DESC LIMIT 1),
	           -- evidence: the account's newest usable answer, any Region
	           (SELECT CASE WHEN e.error_code = 'NoSuchPublicAccessBlockConfiguration'
	                        THEN '{}'
	                        ELSE json_object(
	                          'ignorePublicAcls',
	                          e.body -> '$.PublicAccessBlockConfiguration.IgnorePublicAcls',
	                          'blockPublicPolicy',
	                          e.body -> '$.PublicAccessBlockConfiguration.BlockPublicPolicy',
	                          'blockPublicAcls',
	                          e.body -> '$.PublicAccessBlockConfiguration.BlockPublicAcls',
	                          'restrictPublicBuckets',
	                          e.body -> '$.PublicAccessBlockConfiguration.RestrictPublicBuckets')
	                   END
	            FROM evidence AS e
	            WHERE e.service = 's3control' AND e.operation = 'get-public-access-block'
	              AND e.account_id = x.account_id AND e.fresh
	              AND (e.error_code IS NULL
	                   OR e.error_code = 'NoSuchPublicAccessBlockConfiguration')
	            ORDER BY e.captured_at DESC LIMIT 1)) AS conf,
	       (SELECT evidence_missing('s3control get-public-access-block', x.account_id,
	                                max(e.captured_at))
	        FROM evidence AS e
	        WHERE e.service = 's3control' AND e.operation = 'get-public-access-block'
	          AND e.account_id = x.account_id) AS missing
	FROM accounts AS x
	-- one row per pair already; the GROUP BY makes SQLite evaluate the
	-- subqueries once instead of inlining them into every later use
	GROUP BY x.account_id, x.aws_region
),
flags AS (
	SELECT account_id, aws_region, conf, missing,
	       coalesce(json_extract(conf, '$.ignorePublicAcls') IN (1, 'true'), 0) AS ipa,
	       coalesce(json_extract(conf, '$.blockPublicPolicy') IN (1, 'true'), 0) AS bpp,
	       coalesce(json_extract(conf, '$.blockPublicAcls') IN (1, 'true'), 0) AS bpa,
	       coalesce(json_extract(conf, '$.restrictPublicBuckets') IN (1, 'true'), 0) AS rpb,
	       lower(trim(coalesce(:IgnorePublicAcls, 'true'))) = 'true' AS want_ipa,
	       lower(trim(coalesce(:BlockPublicPolicy, 'true'))) = 'true' AS want_bpp,
	       lower(trim(coalesce(:BlockPublicAcls, 'true'))) = 'true' AS want_bpa,
	       lower(trim(coalesce(:RestrictPublicBuckets, 'true'))) = 'true' AS want_rpb
	FROM pairs
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region,
       CASE WHEN conf IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN ipa = want_ipa AND bpp = want_bpp AND bpa = want_bpa AND rpb = want_rpb
                 THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN conf IS NULL
                 THEN 'no AWS::S3::AccountPublicAccessBlock item for the account, and '
                      || coalesce(missing, 'no usable answer of aws s3control '
                                           || 'get-public-access-block')
            WHEN ipa = want_ipa AND bpp = want_bpp AND bpa = want_bpa AND rpb = want_rpb
                 THEN 'account-level Block Public Access matches the parameters'
            ELSE 'account-level settings differ from the parameters: ' ||
                 trim(CASE WHEN ipa <> want_ipa THEN 'ignorePublicAcls is ' ||
                           CASE ipa WHEN 1 THEN 'on ' ELSE 'off ' END ELSE '' END ||
                      CASE WHEN bpp <> want_bpp THEN 'blockPublicPolicy is ' ||
                           CASE bpp WHEN 1 THEN 'on ' ELSE 'off ' END ELSE '' END ||
                      CASE WHEN bpa <> want_bpa THEN 'blockPublicAcls is ' ||
                           CASE bpa WHEN 1 THEN 'on ' ELSE 'off ' END ELSE '' END ||
                      CASE WHEN rpb <> want_rpb THEN 'restrictPublicBuckets is ' ||
                           CASE rpb WHEN 1 THEN 'on' ELSE 'off' END ELSE '' END) END AS annotation
FROM flags
