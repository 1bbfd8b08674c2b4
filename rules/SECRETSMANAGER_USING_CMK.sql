-- identifier: SECRETSMANAGER_USING_CMK
-- name: secretsmanager-using-cmk
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
WITH RECURSIVE split(rest, part) AS (
	SELECT :kmsKeyArns || ',', NULL WHERE :kmsKeyArns IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT trim(part) AS p, kms_key_ref(part) AS ref
	FROM split WHERE kms_key_ref(part) IS NOT NULL
), s AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       trim(coalesce(json_extract(configuration, '$.KmsKeyId'),
			     json_extract(configuration, '$.KMSKeyId'), '')) AS raw_key
	FROM current_items
	WHERE resource_type = 'AWS::SecretsManager::Secret'
), r AS (
	SELECT s.*, raw_key = '' AS default_key,
	       CASE WHEN no_conf THEN '' WHEN raw_key = '' THEN 'alias/aws/secretsmanager'
		    ELSE raw_key END AS k,
	       raw_key LIKE 'arn:%' AND raw_key NOT LIKE 'arn:%:kms:%:' || account_id || ':%'
		 AS foreign_key
	FROM s
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
	 WHEN aws_managed = 1 OR foreign_key THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND matched THEN 'COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN :kmsKeyArns IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN aws_managed = 0 THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN default_key
	   THEN 'KmsKeyId is not set: the secret uses the AWS managed key aws/secretsmanager'
	 WHEN aws_managed = 1 THEN 'the secret uses AWS managed key ' || k
	 WHEN foreign_key
	   THEN 'the secret uses key ' || k || ' of another account, which the rule cannot '
		|| 'read (AWS finds cross-account keys NON_COMPLIANT)'
	 WHEN :kmsKeyArns IS NOT NULL AND matched
	   THEN 'customer managed key ' || k || ' matches kmsKeyArns'
	 WHEN :kmsKeyArns IS NOT NULL AND undecided IS NOT NULL AND unresolved
	   THEN 'secret key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || undecided || ' (aws kms list-aliases)'
	 WHEN :kmsKeyArns IS NOT NULL AND undecided IS NOT NULL
	   THEN 'listed alias ' || undecided || ' cannot be resolved from AWS Config data, so '
		|| 'secret key ' || k || ' may or may not be it (aws kms list-aliases)'
	 WHEN :kmsKeyArns IS NOT NULL THEN 'key ' || k || ' is not listed in kmsKeyArns'
	 WHEN aws_managed = 0 THEN 'the secret uses customer managed key ' || k
	 ELSE 'key ' || k || ' is not recorded, so whether it is customer managed is unknown '
	      || '(aws kms describe-key: KeyManager)'
       END AS annotation
FROM m;
