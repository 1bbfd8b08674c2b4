-- identifier: BACKUP_RECOVERY_POINT_ENCRYPTED
-- name: backup-recovery-point-encrypted
-- severity: medium (default: encryption)
-- remediation: Store recovery points in a vault encrypted with a KMS key and
--   copy unencrypted ones into it (CreateBackupVault EncryptionKeyArn,
--   StartCopyJob).
-- resource-types: AWS::Backup::RecoveryPoint
-- trigger: configuration-changes
-- parameters: (none)
-- description: An AWS Backup recovery point must be encrypted:
--   COMPLIANT when configuration.IsEncrypted is true (the annotation names
--   EncryptionKeyArn when recorded), NON_COMPLIANT when it is false.
--   INSUFFICIENT_DATA when the item has no configuration or no
--   IsEncrypted (aws backup describe-recovery-point holds it).
WITH rp AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NOT NULL AS recorded,
	       json_extract(configuration, '$.IsEncrypted') AS enc,
	       json_extract(configuration, '$.EncryptionKeyArn') AS key_arn
	FROM current_items
	WHERE resource_type = 'AWS::Backup::RecoveryPoint'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded OR enc IS NULL OR enc NOT IN (1, 0, 'true', 'false')
		 THEN 'INSUFFICIENT_DATA'
	    WHEN enc IN (1, 'true') THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded THEN 'recovery point configuration not recorded (' || status || ')'
	    WHEN enc IS NULL OR enc NOT IN (1, 0, 'true', 'false')
		 THEN 'IsEncrypted is not recorded (aws backup describe-recovery-point)'
	    WHEN enc IN (1, 'true')
		 THEN 'the recovery point is encrypted'
		      || coalesce(' with ' || key_arn, '')
	    ELSE 'IsEncrypted is false: the recovery point is not encrypted' END AS annotation
FROM rp
