-- identifier: S3_DEFAULT_ENCRYPTION_KMS
-- name: s3-default-encryption-kms
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
WITH RECURSIVE split(rest, part) AS (
	SELECT :kmsKeyArns || ',', NULL WHERE :kmsKeyArns IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT trim(part) AS p, kms_key_ref(part) AS ref
	FROM split WHERE kms_key_ref(part) IS NOT NULL
), b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf, supplementary AS sup
	FROM current_items
	WHERE resource_type = 'AWS::S3::Bucket'
), kr AS (
	-- The first default-encryption rule that uses KMS, and every algorithm.
	SELECT b.item_key,
	       min(CASE WHEN lower(json_extract(b.sup, x.fullkey
			|| '.applyServerSideEncryptionByDefault.sseAlgorithm')) LIKE 'aws:kms%'
			THEN x.fullkey END) AS rk,
	       group_concat(json_extract(b.sup, x.fullkey
			    || '.applyServerSideEncryptionByDefault.sseAlgorithm'), ', ') AS algos
	FROM b, json_each(b.sup, '$.ServerSideEncryptionConfiguration.rules') AS x
	WHERE x.type = 'object'
	GROUP BY b.item_key
), r AS (
	SELECT b.resource_type, b.resource_id, b.account_id, b.region, b.status, b.no_conf,
	       kr.algos AS extra,
	       CASE WHEN kr.rk IS NULL THEN ''
		    ELSE coalesce(nullif(trim(json_extract(b.sup, kr.rk
			     || '.applyServerSideEncryptionByDefault.kmsMasterKeyID')), ''),
				  'alias/aws/s3') END AS k
	FROM b LEFT JOIN kr ON kr.item_key = b.item_key
), rows AS (
	-- One row per resource (listed -1) with what the verdict shows, one for
	-- its key (0) and one per listed key (1), keys in kms_key_ref() form.
	-- They are brought together by grouping, never by joining two large
	-- sets, which SQLite may run as a scan per resource.
	SELECT account_id, region, resource_id, resource_type, status, no_conf, k, extra,
	       -1 AS listed, NULL AS x, NULL AS ref
	FROM r
	UNION ALL
	SELECT account_id, region, resource_id, NULL, NULL, NULL, NULL, NULL, 0, k, kms_key_ref(k)
	FROM r WHERE k <> ''
	UNION ALL
	SELECT r.account_id, r.region, r.resource_id, NULL, NULL, NULL, NULL, NULL, 1, w.p, w.ref
	FROM r, wanted AS w WHERE r.k <> ''
), resolved AS (
	-- Each key with the key it names (NULL: an alias no item resolves)
	-- and its kind (1 AWS managed, 0 customer managed, NULL unknown), and
	-- beside it the same for the resource's own key (t_*).
	SELECT *,
	       max(CASE WHEN listed = 0 THEN ref END) OVER own AS t_ref,
	       max(CASE WHEN listed = 0 THEN key_id END) OVER own AS t_key,
	       max(CASE WHEN listed = 0 THEN aws_managed END) OVER own AS t_aws,
	       max(CASE WHEN listed = 0 THEN key_id IS NULL END) OVER own AS t_unres
	FROM (SELECT f.*,
		     CASE WHEN f.ref LIKE 'alias/%' THEN kk.key_id ELSE f.ref END AS key_id,
		     CASE WHEN f.ref LIKE 'alias/aws/%' THEN 1
			  WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
			  WHEN f.ref LIKE 'alias/%' THEN 0 END AS aws_managed
	      FROM rows AS f
	      LEFT JOIN kms_keys AS kk
		ON kk.account_id = f.account_id AND kk.region = f.region AND kk.ref = f.ref)
	WINDOW own AS (PARTITION BY account_id, region, resource_id)
), m AS (
	-- One row per resource: its key's kind, whether a listed key names
	-- the same key, and a listed key that may or may not be it.
	SELECT account_id, region, resource_id, max(resource_type) AS resource_type,
	       max(status) AS status, max(no_conf) AS no_conf, max(k) AS k, max(extra) AS extra,
	       max(t_aws) AS aws_managed,
	       max(listed = 1 AND (ref = t_ref OR key_id = t_key)) AS matched,
	       min(CASE WHEN listed = 1 AND (key_id IS NULL OR t_key IS NULL)
			 AND NOT (aws_managed IS NOT NULL AND t_aws IS NOT NULL
				  AND aws_managed <> t_aws)
			 AND NOT (ref LIKE 'alias/aws/%' AND t_ref LIKE 'alias/aws/%')
			THEN x END) AS undecided,
	       max(t_unres) AS unresolved
	FROM resolved
	GROUP BY account_id, region, resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NULL OR matched THEN 'COMPLIANT'
	 WHEN undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN k = '' AND extra IS NULL THEN 'the bucket has no default encryption rule'
	 WHEN k = '' THEN 'default encryption is ' || extra || ', not AWS KMS'
	 WHEN :kmsKeyArns IS NULL THEN 'default encryption uses KMS key ' || k
	 WHEN matched THEN 'default encryption key ' || k || ' matches kmsKeyArns'
	 WHEN undecided IS NOT NULL AND unresolved
	   THEN 'bucket key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || undecided || ' (aws kms list-aliases)'
	 WHEN undecided IS NOT NULL
	   THEN 'listed alias ' || undecided || ' cannot be resolved from AWS Config data, so '
		|| 'bucket key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'default encryption key ' || k || ' is not listed in kmsKeyArns'
       END AS annotation
FROM m;
