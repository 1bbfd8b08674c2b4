-- identifier: RDS_STORAGE_ENCRYPTED
-- name: rds-storage-encrypted
-- severity: medium (Security Hub RDS.3)
-- remediation: Restore an encrypted copy of the instance from an encrypted
--   snapshot copy and switch clients to it (CopyDBSnapshot KmsKeyId,
--   RestoreDBInstanceFromDBSnapshot).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters:
--   kmsKeyId: string, optional
-- description: NON_COMPLIANT when storage encryption is not enabled for
--   the DB instance (configuration.storageEncrypted not true); with
--   kmsKeyId (key ID or ARN), also when the instance's kmsKeyId is a
--   different key (not stated by AWS); COMPLIANT otherwise. An encrypted
--   instance whose item lacks kmsKeyId cannot be compared with kmsKeyId:
--   INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, recorded,
	       db_instance_identifier AS x_db, storage_encrypted AS x_storage_encrypted,
	       kms_key_id AS x_kms_key_id
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, NOT recorded AS unrec,
	       x_storage_encrypted IN (1, 'true') AS enc,
	       coalesce(x_kms_key_id, '') AS k,
	       coalesce(x_db, resource_id) AS db
	FROM d
), w AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT *,
	       :kmsKeyId IS NULL OR trim(:kmsKeyId) = k
	       OR (k LIKE 'arn:%:key/%' AND substr(k, instr(k, ':key/') + 5) = trim(:kmsKeyId))
	       OR (trim(:kmsKeyId) LIKE 'arn:%:key/%'
		   AND substr(trim(:kmsKeyId), instr(trim(:kmsKeyId), ':key/') + 5) = k) AS key_ok
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN NOT coalesce(enc, 0) THEN 'NON_COMPLIANT'
	 WHEN NOT key_ok AND k = '' THEN 'INSUFFICIENT_DATA'
	 WHEN NOT key_ok THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'DB instance configuration not recorded in the configuration item'
	 WHEN NOT coalesce(enc, 0) THEN 'storageEncrypted is not true for DB instance ' || db
	 WHEN NOT key_ok AND k = ''
	   THEN 'storage is encrypted but the item has no kmsKeyId to compare with kmsKeyId'
	 WHEN NOT key_ok
	   THEN 'storage is encrypted with ' || k
		|| ', not the required kmsKeyId'
	 ELSE 'storage is encrypted' || coalesce(' with ' || nullif(k, ''), '')
       END AS annotation
FROM w;
