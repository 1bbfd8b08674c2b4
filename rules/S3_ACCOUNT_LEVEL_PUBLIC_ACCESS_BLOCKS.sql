-- identifier: S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS
-- name: s3-account-level-public-access-blocks
-- severity: high (default: exposure)
-- remediation: Turn on all four account-level Block Public Access settings
--   (s3control PutPublicAccessBlock BlockPublicAcls, IgnorePublicAcls,
--   BlockPublicPolicy, RestrictPublicBuckets=true).
-- resource-types: AWS::S3::AccountPublicAccessBlock
-- trigger: configuration-changes
-- parameters:
--   IgnorePublicAcls: string = True
--   BlockPublicPolicy: string = True
--   BlockPublicAcls: string = True
--   RestrictPublicBuckets: string = True
-- description: The account-level S3 Block Public Access settings must match
--   the parameters: each AWS::S3::AccountPublicAccessBlock item (resource
--   id = account id, recorded per Region) is NON_COMPLIANT when one of
--   ignorePublicAcls, blockPublicPolicy, blockPublicAcls,
--   restrictPublicBuckets differs from its parameter (True/False, any case
--   and spacing; False demands the setting be off), COMPLIANT when all
--   four match. For an account and Region of the data without such an
--   item, the item of another Region of the account is used (the setting
--   is account-wide); with none at all, AWS's page says the rule gives
--   INSUFFICIENT_DATA because no configuration change invokes it, and so
--   it is here; the annotation says whether the complete inventory of that
--   account and Region (inventory_coverage) shows that no block is
--   configured, or whether no snapshot covers it. An item without a
--   recorded configuration is INSUFFICIENT_DATA. Unlike the periodic
--   variant, the resource is the block item, not AWS::::Account.
-- missing: whether an account without an AWS::S3::AccountPublicAccessBlock
--   item has a block configured, where no snapshot covers it: aws s3control
--   get-public-access-block --account-id ACCOUNT
WITH want(k, w) AS (
	VALUES ('ignorePublicAcls', lower(trim(coalesce(:IgnorePublicAcls, 'True'))) = 'true'),
	       ('blockPublicPolicy', lower(trim(coalesce(:BlockPublicPolicy, 'True'))) = 'true'),
	       ('blockPublicAcls', lower(trim(coalesce(:BlockPublicAcls, 'True'))) = 'true'),
	       ('restrictPublicBuckets',
		lower(trim(coalesce(:RestrictPublicBuckets, 'True'))) = 'true')
), blk AS (
	SELECT account_id, region, status, configuration AS conf, capture_time
	FROM current_items
	WHERE resource_type = 'AWS::S3::AccountPublicAccessBlock' AND resource_id = account_id
), subj AS (
	-- The recorded items, then each account and Region without one, with
	-- the newest recorded configuration of the account, if any.
	SELECT account_id, region, status, conf, NULL AS from_region FROM blk
	UNION ALL
	SELECT a.account_id, a.aws_region, NULL,
	       (SELECT conf FROM blk WHERE blk.account_id = a.account_id AND blk.conf IS NOT NULL
		ORDER BY capture_time DESC LIMIT 1),
	       (SELECT region FROM blk WHERE blk.account_id = a.account_id AND blk.conf IS NOT NULL
		ORDER BY capture_time DESC LIMIT 1)
	FROM accounts AS a
	WHERE NOT EXISTS (SELECT 1 FROM blk
			  WHERE blk.account_id = a.account_id AND blk.region = a.aws_region)
), judged AS (
	SELECT s.*,
	       (SELECT group_concat(w.k || ' is ' ||
				    CASE WHEN w.w THEN 'off' ELSE 'on' END, ', ')
		FROM want AS w
		WHERE coalesce(json_extract(s.conf, '$.' || w.k) IN (1, 'true'), 0) <> w.w) AS diff,
	       EXISTS (SELECT 1 FROM inventory_coverage AS ic
		       WHERE ic.account_id = s.account_id AND ic.region = s.region) AS covered
	FROM subj AS s
)
SELECT 'AWS::S3::AccountPublicAccessBlock' AS resource_type, account_id AS resource_id,
       account_id, region AS aws_region,
       CASE WHEN conf IS NULL AND status IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN conf IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN diff IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN conf IS NULL AND status IS NOT NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN conf IS NULL AND covered
		 THEN 'no account-level Block Public Access appears configured: the complete '
		      || 'inventory of ' || account_id || '/' || region || ' has no '
		      || 'AWS::S3::AccountPublicAccessBlock item (AWS''s rule gives no verdict without one)'
	    WHEN conf IS NULL
		 THEN 'no AWS::S3::AccountPublicAccessBlock item, and no configuration snapshot of '
		      || account_id || '/' || region || ' at or before ' || as_of()
		      || ' (aws s3control get-public-access-block)'
	    WHEN diff IS NOT NULL
		 THEN 'account-level settings differ from the parameters: ' || diff ||
		      coalesce(' (item recorded in ' || from_region || ')', '')
	    ELSE 'account-level Block Public Access matches the parameters' ||
		 coalesce(' (item recorded in ' || from_region || ')', '') END AS annotation
FROM judged
