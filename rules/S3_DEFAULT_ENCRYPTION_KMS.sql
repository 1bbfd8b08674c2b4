-- identifier: S3_DEFAULT_ENCRYPTION_KMS
-- name: s3-default-encryption-kms
-- severity: medium (default: encryption)
-- remediation: Set default encryption with a KMS key (PutBucketEncryption
--   SSEAlgorithm=aws:kms, KMSMasterKeyID).
-- resource-types: AWS::S3::Bucket, AWS::KMS::Key
-- trigger: configuration-changes
-- parameters:
--   kmsKeyArns: csv, optional
-- description: Buckets must be encrypted by default with AWS KMS:
--   NON_COMPLIANT when no rule of supplementary
--   ServerSideEncryptionConfiguration applies sseAlgorithm aws:kms (or
--   aws:kms:dsse), or, with kmsKeyArns, when the rule's key is not one of
--   those listed; COMPLIANT otherwise. A KMS rule without kmsMasterKeyID
--   uses the AWS managed key alias/aws/s3. Keys are compared after
--   resolving key ARNs, alias names and alias ARNs through the kms_keys
--   table of the bucket's account and Region; an alias no item resolves
--   differs from a key of the other kind (alias/aws/... is AWS managed,
--   any other alias customer managed), and only when no listed key matches
--   and an unresolved alias could still be the same key is the result
--   INSUFFICIENT_DATA (aws kms list-aliases). Not stated by AWS: listed
--   values may also be key ids or aliases; AWS::KMS::Key is named because
--   key changes trigger the rule, only buckets are evaluated. An item
--   without a recorded configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf, encryption AS sse
	FROM s3_bucket_facts
), r AS MATERIALIZED (
	-- The first default-encryption rule that uses KMS (its JSON path),
	-- every algorithm, and that rule's key, once per bucket.
	SELECT b.*,
	       (SELECT group_concat(json_extract(x.value,
				    '$.applyServerSideEncryptionByDefault.sseAlgorithm'), ', ')
		FROM json_each(b.sse, '$.rules') AS x WHERE x.type = 'object') AS extra,
	       (SELECT min(CASE WHEN lower(json_extract(x.value,
			'$.applyServerSideEncryptionByDefault.sseAlgorithm')) LIKE 'aws:kms%'
			THEN x.fullkey END)
		FROM json_each(b.sse, '$.rules') AS x WHERE x.type = 'object') AS rk
	FROM b
), rr AS (
	SELECT resource_type, resource_id, account_id, region, status, no_conf, extra,
	       CASE WHEN rk IS NULL THEN ''
		    ELSE coalesce(nullif(trim(json_extract(sse, rk
			     || '.applyServerSideEncryptionByDefault.kmsMasterKeyID')), ''),
				  'alias/aws/s3') END AS k
	FROM r
), m AS (
	-- listed, unlisted, or which listed key may or may not be the same
	-- (kms_keys_check, cfgaudit-rules(5))
	SELECT rr.*, kms_keys_check(k, :kmsKeyArns, account_id, region) AS c FROM rr
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NULL OR c = 'listed' THEN 'COMPLIANT'
	 WHEN c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN k = '' AND extra IS NULL THEN 'the bucket has no default encryption rule'
	 WHEN k = '' THEN 'default encryption is ' || extra || ', not AWS KMS'
	 WHEN :kmsKeyArns IS NULL THEN 'default encryption uses KMS key ' || k
	 WHEN c = 'listed' THEN 'default encryption key ' || k || ' matches kmsKeyArns'
	 WHEN c LIKE 'unresolved-key:%'
	   THEN 'bucket key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	 WHEN c LIKE 'unresolved-listed:%'
	   THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		|| 'bucket key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'default encryption key ' || k || ' is not listed in kmsKeyArns'
       END AS annotation
FROM m;
