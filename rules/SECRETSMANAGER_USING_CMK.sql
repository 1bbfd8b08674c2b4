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
	-- extra: default (no KmsKeyId) or foreign (a key of another account)
	SELECT account_id, region, resource_id, resource_type, status, no_conf,
	       CASE WHEN no_conf THEN '' WHEN raw_key = '' THEN 'alias/aws/secretsmanager'
		    ELSE raw_key END AS k,
	       CASE WHEN raw_key = '' THEN 'default'
		    WHEN raw_key LIKE 'arn:%'
			 AND raw_key NOT LIKE 'arn:%:kms:%:' || account_id || ':%' THEN 'foreign'
	       END AS extra
	FROM s
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
	 WHEN aws_managed = 1 OR extra = 'foreign' THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND matched THEN 'COMPLIANT'
	 WHEN :kmsKeyArns IS NOT NULL AND undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
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
