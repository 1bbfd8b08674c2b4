-- identifier: SNS_ENCRYPTED_KMS
-- name: sns-encrypted-kms
-- resource-types: AWS::SNS::Topic
-- trigger: configuration-changes
-- parameters:
--   kmsKeyIds: csv, optional
-- description: An SNS topic must be encrypted with a KMS key: NON_COMPLIANT
--   when configuration.KmsMasterKeyId is empty or absent, or (with
--   kmsKeyIds: key ARNs, key IDs, alias names or alias ARNs) the topic's key
--   is not one of those listed; COMPLIANT otherwise. Keys are compared as
--   written and after resolving aliases and ARNs to key IDs through the
--   AWS::KMS::Alias and AWS::KMS::Key items of the topic's account and
--   Region (kms_keys; an alias ARN and the alias name are the same alias).
--   An alias no item resolves is still known to differ from a key of the
--   other kind: alias/aws/... always names an AWS managed key, any other
--   alias a customer managed key. Only when no listed key matches and an
--   unresolved alias could still be the same key is the result
--   INSUFFICIENT_DATA (aws kms list-aliases).
WITH RECURSIVE split(rest, part) AS (
	SELECT :kmsKeyIds || ',', NULL WHERE :kmsKeyIds IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT trim(part) AS p, kms_key_ref(part) AS ref
	FROM split WHERE kms_key_ref(part) IS NOT NULL
), t AS (
	SELECT resource_type, resource_id, account_id, region,
	       trim(coalesce(configuration ->> '$.KmsMasterKeyId', '')) AS k,
	       configuration IS NULL AS no_conf
	FROM current_items
	WHERE resource_type = 'AWS::SNS::Topic'
), refs AS (
	-- The topic's key and every listed key, each in one spelling, with
	-- the key it names (NULL: an alias no item resolves) and its kind
	-- (1 AWS managed, 0 customer managed, NULL unknown).
	SELECT t.resource_id, t.account_id, t.region, w.p AS x, w.ref, 1 AS listed
	FROM t, wanted w WHERE t.k <> ''
	UNION ALL
	SELECT t.resource_id, t.account_id, t.region, t.k, kms_key_ref(t.k), 0
	FROM t WHERE t.k <> '' AND :kmsKeyIds IS NOT NULL
), resolved AS (
	SELECT r.resource_id, r.listed, r.x, r.ref,
	       CASE WHEN r.ref LIKE 'alias/%' THEN kk.key_id ELSE r.ref END AS key_id,
	       CASE WHEN r.ref LIKE 'alias/aws/%' THEN 1
		    WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
		    WHEN r.ref LIKE 'alias/%' THEN 0 END AS aws_managed
	FROM refs r
	LEFT JOIN kms_keys kk
	  ON kk.account_id = r.account_id AND kk.region = r.region AND kk.ref = r.ref
), verdicts AS (
	-- One row per topic: whether a listed key names the topic's key, and
	-- a listed key that may or may not be the same key.
	SELECT t.resource_type, t.resource_id, t.account_id, t.region, t.k, t.no_conf,
	       max(w.ref = tk.ref OR w.key_id = tk.key_id) AS matched,
	       min(CASE WHEN (w.key_id IS NULL OR tk.key_id IS NULL)
			 AND NOT (w.aws_managed IS NOT NULL AND tk.aws_managed IS NOT NULL
				  AND w.aws_managed <> tk.aws_managed)
			 AND NOT (w.ref LIKE 'alias/aws/%' AND tk.ref LIKE 'alias/aws/%')
			THEN w.x END) AS undecided,
	       min(tk.key_id IS NULL) AS topic_unresolved
	FROM t
	LEFT JOIN resolved tk ON tk.resource_id = t.resource_id AND NOT tk.listed
	LEFT JOIN resolved w ON w.resource_id = t.resource_id AND w.listed
	GROUP BY t.account_id, t.region, t.resource_type, t.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyIds IS NULL OR matched THEN 'COMPLIANT'
	 WHEN undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'topic configuration not recorded in the configuration item'
	 WHEN k = '' THEN 'KmsMasterKeyId is not set: the topic is not encrypted with KMS'
	 WHEN :kmsKeyIds IS NULL THEN 'topic is encrypted with KMS key ' || k
	 WHEN matched THEN 'topic key ' || k || ' matches kmsKeyIds'
	 WHEN undecided IS NOT NULL AND topic_unresolved
	   THEN 'topic key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || undecided || ' (aws kms list-aliases)'
	 WHEN undecided IS NOT NULL
	   THEN 'listed alias ' || undecided || ' cannot be resolved from AWS Config data, so '
		|| 'topic key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'topic key ' || k || ' is not listed in kmsKeyIds'
       END AS annotation
FROM verdicts;
