-- identifier: CLOUDWATCH_LOG_GROUP_ENCRYPTED
-- name: cloudwatch-log-group-encrypted
-- severity: medium (default: encryption)
-- remediation: Associate a KMS key with the log group (logs AssociateKmsKey).
-- resource-types: AWS::Logs::LogGroup
-- trigger: periodic
-- parameters:
--   KmsKeyId: string, optional
-- description: CloudWatch Logs log groups must be encrypted with a KMS key:
--   NON_COMPLIANT when configuration.KmsKeyId (kmsKeyId in the
--   DescribeLogGroups shape) is empty or absent, or, with KmsKeyId (the
--   key's ARN), when the log group's key is not that key; COMPLIANT
--   otherwise. Keys are compared after resolving key ARNs, alias names and
--   alias ARNs through the kms_keys table of the log group's account and
--   Region; only when they differ in spelling and an unresolved alias
--   could still be the same key is the result INSUFFICIENT_DATA (aws kms
--   list-aliases). Not stated by AWS: a comma-separated KmsKeyId is read
--   as a list of allowed keys. AWS::Logs::LogGroup is not listed in the
--   published Config resource schema; the rule reads the CloudFormation
--   property names. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH r AS (
	-- The log group facts, read once per run for every log group rule.
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf, kms_key AS k, NULL AS extra
	FROM log_groups
), m AS (
	-- listed, unlisted, or which listed key may or may not be the same
	-- (kms_keys_check, cfgaudit-rules(5))
	SELECT r.*, kms_keys_check(k, :KmsKeyId, account_id, region) AS c FROM r
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :KmsKeyId IS NULL OR c = 'listed' THEN 'COMPLIANT'
	 WHEN c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN k = '' THEN 'KmsKeyId is not set: the log group is not encrypted with a KMS key'
	 WHEN :KmsKeyId IS NULL THEN 'log group is encrypted with KMS key ' || k
	 WHEN c = 'listed' THEN 'log group key ' || k || ' matches KmsKeyId'
	 WHEN c LIKE 'unresolved-key:%'
	   THEN 'log group key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	 WHEN c LIKE 'unresolved-listed:%'
	   THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		|| 'log group key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'log group key ' || k || ' is not the KmsKeyId key'
       END AS annotation
FROM m;
