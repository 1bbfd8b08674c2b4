-- identifier: SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED
-- name: sagemaker-notebook-instance-kms-key-configured
-- severity: medium (default: encryption)
-- remediation: Recreate the notebook instance with a KMS key for its storage
--   volume (CreateNotebookInstance KmsKeyId).
-- resource-types: AWS::SageMaker::NotebookInstance
-- trigger: periodic
-- parameters:
--   keyArns: csv, optional
-- description: A KMS key must be configured for each SageMaker
--   notebook instance: NON_COMPLIANT when configuration.KmsKeyId
--   is empty or absent, or, with keyArns (key ARNs, comma-separated),
--   when the configured key is not one of those listed; COMPLIANT
--   otherwise. Keys are compared after resolving key ARNs, alias names and
--   alias ARNs through the kms_keys table of the resource's account and
--   Region; only when no listed key matches and an unresolved alias could
--   still be the same key is the result INSUFFICIENT_DATA (aws kms
--   list-aliases). An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH r AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       trim(coalesce(json_extract(configuration, '$.KmsKeyId'), '')) AS k,
	       NULL AS extra
	FROM current_items
	WHERE resource_type = 'AWS::SageMaker::NotebookInstance'
), m AS (
	-- listed, unlisted, or which listed key may or may not be the same
	-- (kms_keys_check, cfgaudit-rules(5))
	SELECT r.*, kms_keys_check(k, :keyArns, account_id, region) AS c FROM r
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :keyArns IS NULL OR c = 'listed' THEN 'COMPLIANT'
	 WHEN c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN k = '' THEN 'KmsKeyId is not set: no KMS key is configured'
	 WHEN :keyArns IS NULL THEN 'KMS key ' || k || ' is configured'
	 WHEN c = 'listed' THEN 'KMS key ' || k || ' matches keyArns'
	 WHEN c LIKE 'unresolved-key:%'
	   THEN 'the key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	 WHEN c LIKE 'unresolved-listed:%'
	   THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		|| 'the key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'KMS key ' || k || ' is not listed in keyArns'
       END AS annotation
FROM m;
