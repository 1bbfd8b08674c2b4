-- identifier: SECRETSMANAGER_USING_CMK
-- name: secretsmanager-using-cmk
-- severity: medium (default: encryption)
-- remediation: Encrypt the secret with a customer managed KMS key (UpdateSecret
--   KmsKeyId).
-- resource-types: AWS::SecretsManager::Secret
-- trigger: configuration-changes
-- parameters:
--   kmsKeyArns: csv, optional
-- description: Secrets must be encrypted with a customer managed KMS key:
--   NON_COMPLIANT when the secret uses the AWS managed key
--   aws/secretsmanager (configuration.KmsKeyId absent or empty, which
--   means that key, or alias/aws/..., or a key whose AWS::KMS::Key item
--   has keyManager AWS), or a key of another account (AWS's page: the rule
--   cannot read cross-account keys and finds them NON_COMPLIANT); with
--   kmsKeyArns, also when the key is not one of those listed. COMPLIANT
--   when the key is customer managed (keyManager CUSTOMER, or an alias
--   other than alias/aws/...) and, with kmsKeyArns, listed. Keys are
--   compared and classified through the kms_keys table of the secret's
--   account and Region. A key id or key ARN of the account whose key is not
--   recorded is of unknown kind: INSUFFICIENT_DATA without kmsKeyArns
--   (aws kms describe-key: KeyManager); with kmsKeyArns, an unresolved
--   alias that may or may not be a listed key is INSUFFICIENT_DATA too (aws
--   kms list-aliases). The schema spells the property KMSKeyId, the API
--   and CloudFormation KmsKeyId: both are read. An item without a recorded
--   configuration is INSUFFICIENT_DATA.
-- missing: the kind of a key that is not recorded (aws kms describe-key)
WITH s AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       trim(coalesce(json_extract(configuration, '$.KmsKeyId'),
			     json_extract(configuration, '$.KMSKeyId'), '')) AS raw_key
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), r AS (
	-- extra: default (no KmsKeyId) or foreign (a key of another account)
	SELECT account_id, region, resource_id, resource_type, status, no_conf,
	       CASE WHEN no_conf THEN '' WHEN raw_key = '' THEN 'alias/aws/secretsmanager'
		    ELSE raw_key END AS k,
	       CASE WHEN raw_key = '' THEN 'default'
		    WHEN raw_key LIKE 'arn:%'
			 AND raw_key NOT LIKE 'arn:%:kms:%:' || account_id || ':%' THEN 'foreign'
	       END AS extra
	FROM s
), m AS (
	-- the key's kind (alias/aws/... AWS managed, another alias customer
	-- managed, else as kms_keys records it) and whether it is listed
	-- (kms_keys_check, cfgaudit-rules(5))
	SELECT r.*,
	       CASE WHEN kms_key_ref(r.k) LIKE 'alias/aws/%' THEN 1
		    WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
		    WHEN kms_key_ref(r.k) LIKE 'alias/%' THEN 0 END AS aws_managed,
	       kms_keys_check(r.k, :kmsKeyArns, r.account_id, r.region) AS c
	FROM r
	LEFT JOIN kms_keys AS kk
	  ON kk.account_id = r.account_id AND kk.region = r.region AND kk.ref = kms_key_ref(r.k)
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN aws_managed = 1 OR extra = 'foreign' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND c = 'listed' THEN 'COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 WHEN :kmsKeyArns IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN aws_managed = 0 THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN extra = 'default'
	   THEN 'KmsKeyId is not set: the secret uses the AWS managed key aws/secretsmanager'
	 WHEN aws_managed = 1 THEN 'the secret uses AWS managed key ' || k
	 WHEN extra = 'foreign'
	   THEN 'the secret uses key ' || k || ' of another account, which the rule cannot '
		|| 'read (AWS finds cross-account keys NON_COMPLIANT)'
	 WHEN :kmsKeyArns IS NOT NULL AND c = 'listed'
	   THEN 'customer managed key ' || k || ' matches kmsKeyArns'
	 WHEN :kmsKeyArns IS NOT NULL AND c LIKE 'unresolved-key:%'
	   THEN 'secret key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	 WHEN :kmsKeyArns IS NOT NULL AND c LIKE 'unresolved-listed:%'
	   THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		|| 'secret key ' || k || ' may or may not be it (aws kms list-aliases)'
	 WHEN :kmsKeyArns IS NOT NULL THEN 'key ' || k || ' is not listed in kmsKeyArns'
	 WHEN aws_managed = 0 THEN 'the secret uses customer managed key ' || k
	 ELSE 'key ' || k || ' is not recorded, so whether it is customer managed is unknown '
	      || '(aws kms describe-key: KeyManager)'
       END AS annotation
FROM m;
