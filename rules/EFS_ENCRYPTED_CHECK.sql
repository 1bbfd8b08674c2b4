-- identifier: EFS_ENCRYPTED_CHECK
-- name: efs-encrypted-check
-- severity: medium (Security Hub EFS.1)
-- remediation: Create an encrypted file system (CreateFileSystem
--   Encrypted=true, KmsKeyId), copy the data with AWS DataSync and retire the
--   old one.
-- resource-types: AWS::EFS::FileSystem
-- trigger: periodic
-- parameters:
--   KmsKeyId: string, optional
-- description: EFS file systems must encrypt file data with AWS KMS:
--   NON_COMPLIANT when configuration.Encrypted is not true, or when KmsKeyId
--   is given and the file system's configuration.KmsKeyId is not that key;
--   COMPLIANT otherwise. AWS documents KmsKeyId as a key ARN; a key id, an
--   alias name or an alias ARN is accepted too (not stated by AWS). Both
--   keys are compared with kms_key_ref() and, for aliases, through kms_keys
--   of the file system's account and Region. When an alias involved cannot
--   be resolved from the items and the key kinds (alias/aws/... is AWS
--   managed, any other alias customer managed) do not tell the keys apart,
--   or an encrypted file system's item has no KmsKeyId, the keys cannot be
--   compared: INSUFFICIENT_DATA (aws kms
--   list-aliases; aws efs describe-file-systems), as is an item recorded
--   without its configuration.
WITH f AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(configuration ->> '$.Encrypted' IN (1, 'true'), 0) AS enc,
	       nullif(trim(configuration ->> '$.KmsKeyId'), '') AS k,
	       kms_key_ref(configuration ->> '$.KmsKeyId') AS k_ref
	FROM current_items
	WHERE resource_type = 'AWS::EFS::FileSystem'
), v AS (
	-- is the key the listed one (kms_keys_check, cfgaudit-rules(5))
	SELECT f.*, kms_keys_check(f.k, :KmsKeyId, f.account_id, f.region) AS c FROM f
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN NOT enc THEN 'NON_COMPLIANT'
	    WHEN :KmsKeyId IS NULL OR c = 'listed' THEN 'COMPLIANT'
	    WHEN c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'file system configuration not recorded (status ' || status || ')'
	    WHEN NOT enc THEN 'Encrypted is not true: file data is not encrypted with AWS KMS'
	    WHEN :KmsKeyId IS NULL OR c = 'listed' THEN 'file data is encrypted' || coalesce(' with KMS key ' || k, '')
	    WHEN k IS NULL
	      THEN 'the item records no KmsKeyId to compare with KmsKeyId (aws efs '
		   || 'describe-file-systems)'
	    WHEN c LIKE 'unresolved-%'
	      THEN 'alias ' || CASE WHEN c LIKE 'unresolved-key:%' THEN k_ref
				    ELSE kms_key_ref(substr(c, 19)) END
		   || ' cannot be resolved from AWS Config data (aws kms list-aliases)'
	    ELSE 'file data is encrypted with KMS key ' || k || ', not ' || trim(:KmsKeyId)
       END AS annotation
FROM v;
