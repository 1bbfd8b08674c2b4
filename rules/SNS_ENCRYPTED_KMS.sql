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
--   Region. If an alias needed for the comparison cannot be resolved from
--   the items, the result is INSUFFICIENT_DATA (aws kms list-aliases).
WITH RECURSIVE split(rest, part) AS (
	SELECT :kmsKeyIds || ',', NULL WHERE :kmsKeyIds IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT part AS p FROM split WHERE part IS NOT NULL AND part <> ''
), keys AS (
	SELECT account_id, region,
	       coalesce(arn, json_unstring(configuration) ->> '$.arn') AS key_arn,
	       coalesce(json_unstring(configuration) ->> '$.keyId', resource_id) AS key_id
	FROM current_items
	WHERE resource_type = 'AWS::KMS::Key' AND :kmsKeyIds IS NOT NULL
), aliases AS (
	SELECT account_id, region, arn AS alias_arn,
	       coalesce(json_unstring(configuration) ->> '$.AliasName', resource_id) AS alias_name,
	       json_unstring(configuration) ->> '$.TargetKeyId' AS target
	FROM current_items
	WHERE resource_type = 'AWS::KMS::Alias' AND configuration IS NOT NULL
	  AND :kmsKeyIds IS NOT NULL
), ids AS (
	-- Every recorded name of a key (key ID, key ARN, alias name, alias
	-- ARN), once per account and Region.
	SELECT account_id, region, ident, min(key_id) AS key_id
	FROM (SELECT account_id, region, key_id AS ident, key_id FROM keys
	      UNION ALL
	      SELECT account_id, region, key_arn, key_id FROM keys WHERE key_arn IS NOT NULL
	      UNION ALL
	      SELECT account_id, region, alias_name,
		     CASE WHEN target LIKE 'arn:%:key/%'
			  THEN substr(target, instr(target, ':key/') + 5) ELSE target END
	      FROM aliases WHERE target IS NOT NULL
	      UNION ALL
	      SELECT account_id, region, alias_arn,
		     CASE WHEN target LIKE 'arn:%:key/%'
			  THEN substr(target, instr(target, ':key/') + 5) ELSE target END
	      FROM aliases WHERE target IS NOT NULL AND alias_arn IS NOT NULL)
	GROUP BY account_id, region, ident
), t AS (
	SELECT resource_type, resource_id, account_id, region,
	       trim(coalesce(json_unstring(configuration) ->> '$.KmsMasterKeyId', '')) AS k,
	       configuration IS NULL AS no_conf
	FROM current_items
	WHERE resource_type = 'AWS::SNS::Topic'
), names AS (
	-- The topic keys and the listed keys, per account and Region of the
	-- topics, each resolved to a key ID (NULL: an alias no item resolves).
	-- Only with kmsKeyIds; joins and grouping, never per-row scans.
	SELECT DISTINCT account_id, region, k AS x
	FROM t WHERE k <> '' AND :kmsKeyIds IS NOT NULL
	UNION
	SELECT p.account_id, p.region, w.p
	FROM (SELECT DISTINCT account_id, region FROM t WHERE :kmsKeyIds IS NOT NULL) p, wanted w
), resolved AS (
	SELECT n.account_id, n.region, n.x,
	       coalesce(i1.key_id, i2.key_id,
			CASE WHEN n.x LIKE 'arn:%:key/%' THEN substr(n.x, instr(n.x, ':key/') + 5)
			     WHEN n.x LIKE 'alias/%' OR n.x LIKE 'arn:%:alias/%' THEN NULL
			     ELSE n.x END) AS key_id,
	       n.x IN (SELECT p FROM wanted) AS listed
	FROM names n
	LEFT JOIN ids i1
	  ON i1.account_id = n.account_id AND i1.region = n.region AND i1.ident = n.x
	LEFT JOIN ids i2
	  ON i2.account_id = n.account_id AND i2.region = n.region
	     AND n.x LIKE 'arn:%:alias/%' AND i2.ident = substr(n.x, instr(n.x, ':alias/') + 1)
), verdicts AS (
	-- One row per topic: its key ID, whether a listed key matches, and a
	-- listed alias that cannot be resolved in its account and Region.
	SELECT t.resource_type, t.resource_id, t.account_id, t.region, t.k, t.no_conf,
	       min(tr.key_id) AS tk,
	       max(coalesce(w.listed, 0) AND (w.x = t.k OR w.key_id = tr.key_id)) AS matched,
	       min(CASE WHEN w.listed AND w.key_id IS NULL THEN w.x END) AS unresolved_param
	FROM t
	LEFT JOIN resolved tr
	  ON tr.account_id = t.account_id AND tr.region = t.region AND tr.x = t.k
	LEFT JOIN resolved w
	  ON w.account_id = t.account_id AND w.region = t.region AND w.listed
	GROUP BY t.account_id, t.region, t.resource_type, t.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyIds IS NULL OR matched THEN 'COMPLIANT'
	 WHEN tk IS NULL OR unresolved_param IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'topic configuration not recorded in the configuration item'
	 WHEN k = '' THEN 'KmsMasterKeyId is not set: the topic is not encrypted with KMS'
	 WHEN :kmsKeyIds IS NULL THEN 'topic is encrypted with KMS key ' || k
	 WHEN matched THEN 'topic key ' || k || ' matches kmsKeyIds'
	 WHEN tk IS NULL
	   THEN 'topic key alias ' || k || ' cannot be resolved from AWS Config data (aws kms '
		|| 'list-aliases)'
	 WHEN unresolved_param IS NOT NULL
	   THEN 'listed alias ' || unresolved_param || ' cannot be resolved from AWS Config data '
		|| '(aws kms list-aliases)'
	 ELSE 'topic key ' || k || ' is not listed in kmsKeyIds'
       END AS annotation
FROM verdicts;
