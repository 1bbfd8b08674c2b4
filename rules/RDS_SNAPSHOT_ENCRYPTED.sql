-- identifier: RDS_SNAPSHOT_ENCRYPTED
-- name: rds-snapshot-encrypted
-- severity: medium (Security Hub RDS.4)
-- remediation: Copy the snapshot with a KMS key and delete the unencrypted one
--   (CopyDBSnapshot KmsKeyId, DeleteDBSnapshot).
-- resource-types: AWS::RDS::DBSnapshot, AWS::RDS::DBClusterSnapshot
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when an RDS DB snapshot or DB cluster
--   snapshot is not encrypted, COMPLIANT when it is. Config records the
--   flag as configuration.encrypted for AWS::RDS::DBSnapshot and as
--   configuration.storageEncrypted for AWS::RDS::DBClusterSnapshot; either
--   name is read for both types. An item without the flag or without its
--   configuration gives INSUFFICIENT_DATA.
WITH v AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(json_unstring(configuration) ->> '$.encrypted',
			json_unstring(configuration) ->> '$.storageEncrypted') AS enc,
	       CASE resource_type WHEN 'AWS::RDS::DBSnapshot' THEN 'DB snapshot '
		    ELSE 'DB cluster snapshot ' END
	       || coalesce(resource_name, resource_id) AS what
	FROM current_items
	WHERE resource_type IN ('AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot')
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN enc IN (1, 'true') THEN 'COMPLIANT'
	 WHEN enc IN (0, 'false') THEN 'NON_COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN enc IN (1, 'true') THEN what || ' is encrypted'
	 WHEN enc IN (0, 'false') THEN what || ' is not encrypted'
	 ELSE 'the configuration item of ' || what || ' does not say whether it is encrypted'
       END AS annotation
FROM v;
