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
	SELECT account_id, region, coalesce(arn, json_unstring(configuration) ->> '$.arn') AS key_arn,
	       coalesce(json_unstring(configuration) ->> '$.keyId', resource_id) AS key_id
	FROM current_items WHERE resource_type = 'AWS::KMS::Key'
), aliases AS (
	SELECT account_id, region, arn AS alias_arn,
	       coalesce(json_unstring(configuration) ->> '$.AliasName', resource_id) AS alias_name,
	       json_unstring(configuration) ->> '$.TargetKeyId' AS target
	FROM current_items
	WHERE resource_type = 'AWS::KMS::Alias' AND configuration IS NOT NULL
), ids(account_id, region, ident, key_id) AS (
	-- Every recorded name of a key: key ID, key ARN, alias name, alias ARN.
	SELECT account_id, region, key_id, key_id FROM keys
	UNION ALL
	SELECT account_id, region, key_arn, key_id FROM keys WHERE key_arn IS NOT NULL
	UNION ALL
	SELECT account_id, region, alias_name,
	       CASE WHEN target LIKE 'arn:%:key/%' THEN substr(target, instr(target, ':key/') + 5)
		    ELSE target END
	FROM aliases WHERE target IS NOT NULL
	UNION ALL
	SELECT account_id, region, alias_arn,
	       CASE WHEN target LIKE 'arn:%:key/%' THEN substr(target, instr(target, ':key/') + 5)
		    ELSE target END
	FROM aliases WHERE target IS NOT NULL AND alias_arn IS NOT NULL
), t AS (
	SELECT resource_type, resource_id, account_id, region,
	       trim(coalesce(json_unstring(configuration) ->> '$.KmsMasterKeyId', '')) AS k,
	       configuration IS NULL AS no_conf
	FROM current_items
	WHERE resource_type = 'AWS::SNS::Topic'
), names AS (
	-- The topic's key and every listed key, each with the key ID it
	-- resolves to (NULL for an alias that no item resolves).
	SELECT DISTINCT t.account_id, t.region, n.x
	FROM t, (SELECT k AS x, account_id AS a, region AS r FROM t WHERE k <> ''
		 UNION ALL SELECT p, NULL, NULL FROM wanted) n
	WHERE n.a IS NULL OR (n.a = t.account_id AND n.r = t.region)
), resolved AS (
	SELECT n.account_id, n.region, n.x,
	       coalesce(
		 (SELECT min(i.key_id) FROM ids i
		  WHERE i.account_id = n.account_id AND i.region = n.region AND i.ident = n.x),
		 CASE WHEN n.x LIKE 'arn:%:alias/%'
		      THEN (SELECT min(i.key_id) FROM ids i
			    WHERE i.account_id = n.account_id AND i.region = n.region
			      AND i.ident = substr(n.x, instr(n.x, ':alias/') + 1)) END,
		 CASE WHEN n.x LIKE 'arn:%:key/%' THEN substr(n.x, instr(n.x, ':key/') + 5)
		      WHEN n.x LIKE 'alias/%' OR n.x LIKE 'arn:%:alias/%' THEN NULL
		      ELSE n.x END) AS key_id
	FROM names n
), v AS (
	SELECT t.*,
	       (SELECT key_id FROM resolved r
		WHERE r.account_id = t.account_id AND r.region = t.region AND r.x = t.k) AS tk,
	       EXISTS (SELECT 1 FROM wanted w WHERE w.p = t.k) AS direct,
	       EXISTS (SELECT 1 FROM wanted w JOIN resolved r
		       ON r.account_id = t.account_id AND r.region = t.region AND r.x = w.p
		       WHERE r.key_id = (SELECT key_id FROM resolved r2
					 WHERE r2.account_id = t.account_id
					   AND r2.region = t.region AND r2.x = t.k)) AS via_id,
	       (SELECT min(w.p) FROM wanted w JOIN resolved r
		ON r.account_id = t.account_id AND r.region = t.region AND r.x = w.p
		WHERE r.key_id IS NULL) AS unresolved_param
	FROM t
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyIds IS NULL OR direct OR via_id THEN 'COMPLIANT'
	 WHEN tk IS NULL OR unresolved_param IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'topic configuration not recorded in the configuration item'
	 WHEN k = '' THEN 'KmsMasterKeyId is not set: the topic is not encrypted with KMS'
	 WHEN :kmsKeyIds IS NULL THEN 'topic is encrypted with KMS key ' || k
	 WHEN direct OR via_id THEN 'topic key ' || k || ' matches kmsKeyIds'
	 WHEN tk IS NULL
	   THEN 'topic key alias ' || k || ' cannot be resolved from AWS Config data (aws kms '
		|| 'list-aliases)'
	 WHEN unresolved_param IS NOT NULL
	   THEN 'listed alias ' || unresolved_param || ' cannot be resolved from AWS Config data '
		|| '(aws kms list-aliases)'
	 ELSE 'topic key ' || k || ' is not listed in kmsKeyIds'
       END AS annotation
FROM v;
