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
	       kr.algos,
	       CASE WHEN kr.rk IS NULL THEN ''
		    ELSE coalesce(nullif(trim(json_extract(b.sup, kr.rk
			     || '.applyServerSideEncryptionByDefault.kmsMasterKeyID')), ''),
				  'alias/aws/s3') END AS k
	FROM b LEFT JOIN kr ON kr.item_key = b.item_key
), refs AS (
	-- The resource's key and every listed key, each in kms_key_ref() form.
	SELECT r.account_id, r.region, r.resource_id, w.p AS x, w.ref, 1 AS listed
	FROM r, wanted AS w WHERE r.k <> ''
	UNION ALL
	SELECT account_id, region, resource_id, k, kms_key_ref(k), 0 FROM r WHERE k <> ''
), resolved AS (
	-- Each name with the key it names (NULL: an alias no item resolves)
	-- and its kind (1 AWS managed, 0 customer managed, NULL unknown).
	SELECT f.account_id, f.region, f.resource_id, f.listed, f.x, f.ref,
	       CASE WHEN f.ref LIKE 'alias/%%' THEN kk.key_id ELSE f.ref END AS key_id,
	       CASE WHEN f.ref LIKE 'alias/aws/%%' THEN 1
		    WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
		    WHEN f.ref LIKE 'alias/%%' THEN 0 END AS aws_managed
	FROM refs AS f
	LEFT JOIN kms_keys AS kk
	  ON kk.account_id = f.account_id AND kk.region = f.region AND kk.ref = f.ref
), m AS (
	-- One row per resource: its key's kind, whether a listed key names
	-- the same key, and a listed key that may or may not be it.
	SELECT r.*, max(tk.aws_managed) AS aws_managed,
	       max(w.ref = tk.ref OR w.key_id = tk.key_id) AS matched,
	       min(CASE WHEN (w.key_id IS NULL OR tk.key_id IS NULL)
			 AND NOT (w.aws_managed IS NOT NULL AND tk.aws_managed IS NOT NULL
				  AND w.aws_managed <> tk.aws_managed)
			 AND NOT (w.ref LIKE 'alias/aws/%%' AND tk.ref LIKE 'alias/aws/%%')
			THEN w.x END) AS undecided,
	       min(tk.key_id IS NULL) AS unresolved
	FROM r
	LEFT JOIN resolved AS tk
	  ON tk.account_id = r.account_id AND tk.region = r.region
	     AND tk.resource_id = r.resource_id AND NOT tk.listed
	LEFT JOIN resolved AS w
	  ON w.account_id = r.account_id AND w.region = r.region
	     AND w.resource_id = r.resource_id AND w.listed
	GROUP BY r.account_id, r.region, r.resource_type, r.resource_id
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
	 WHEN k = '' AND algos IS NULL THEN 'the bucket has no default encryption rule'
	 WHEN k = '' THEN 'default encryption is ' || algos || ', not AWS KMS'
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
