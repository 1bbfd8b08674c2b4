-- identifier: SNS_ENCRYPTED_KMS
-- name: sns-encrypted-kms
-- severity: medium (Security Hub SNS.1)
-- remediation: Encrypt the topic with a KMS key (SetTopicAttributes
--   KmsMasterKeyId).
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
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       trim(coalesce(configuration ->> '$.KmsMasterKeyId', '')) AS k,
	       configuration IS NULL AS no_conf
	FROM current_items
	WHERE resource_type = 'AWS::SNS::Topic'
), v AS (
	-- listed, unlisted, or which listed key may or may not be the same
	-- (kms_keys_check, cfgaudit-rules(5))
	SELECT t.*, kms_keys_check(k, :kmsKeyIds, account_id, region) AS c FROM t
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyIds IS NULL OR c = 'listed' THEN 'COMPLIANT'
	 WHEN c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'topic configuration not recorded in the configuration item'
	 WHEN k = '' THEN 'KmsMasterKeyId is not set: the topic is not encrypted with KMS'
	 WHEN :kmsKeyIds IS NULL THEN 'topic is encrypted with KMS key ' || k
	 WHEN c = 'listed' THEN 'topic key ' || k || ' matches kmsKeyIds'
	 WHEN c LIKE 'unresolved-key:%'
	   THEN 'topic key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	 WHEN c LIKE 'unresolved-listed:%'
	   THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		|| 'topic key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'topic key ' || k || ' is not listed in kmsKeyIds'
       END AS annotation
FROM v;
