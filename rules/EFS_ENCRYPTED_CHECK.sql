-- identifier: EFS_ENCRYPTED_CHECK
-- name: efs-encrypted-check
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
	       kms_key_ref(configuration ->> '$.KmsKeyId') AS k_ref,
	       kms_key_ref(:KmsKeyId) AS w_ref
	FROM current_items
	WHERE resource_type = 'AWS::EFS::FileSystem'
), r AS (
	-- Each key as a key id (an alias through kms_keys; NULL when no item
	-- resolves it) and its kind: 1 AWS managed, 0 customer managed, NULL
	-- unknown. alias/aws/... always names an AWS managed key, any other
	-- alias a customer managed one.
	SELECT f.*,
	       CASE WHEN k_ref LIKE 'alias/%' THEN ka.key_id ELSE k_ref END AS k_key,
	       CASE WHEN w_ref LIKE 'alias/%' THEN wa.key_id ELSE w_ref END AS w_key,
	       CASE WHEN k_ref LIKE 'alias/aws/%' THEN 1 WHEN ka.aws_managed IS NOT NULL
		    THEN ka.aws_managed WHEN k_ref LIKE 'alias/%' THEN 0 END AS k_aws,
	       CASE WHEN w_ref LIKE 'alias/aws/%' THEN 1 WHEN wa.aws_managed IS NOT NULL
		    THEN wa.aws_managed WHEN w_ref LIKE 'alias/%' THEN 0 END AS w_aws
	FROM f
	LEFT JOIN kms_keys ka ON ka.account_id = f.account_id AND ka.region = f.region
				 AND ka.ref = f.k_ref
	LEFT JOIN kms_keys wa ON wa.account_id = f.account_id AND wa.region = f.region
				 AND wa.ref = f.w_ref
), v AS (
	SELECT *, w_ref IS NULL OR k_ref = w_ref OR k_key = w_key AS key_ok,
	       (k_key IS NULL OR w_key IS NULL) AND NOT coalesce(k_aws <> w_aws, 0) AS undecided
	FROM r
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN NOT enc THEN 'NON_COMPLIANT'
	    WHEN key_ok THEN 'COMPLIANT'
	    WHEN undecided THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'file system configuration not recorded (status ' || status || ')'
	    WHEN NOT enc THEN 'Encrypted is not true: file data is not encrypted with AWS KMS'
	    WHEN key_ok THEN 'file data is encrypted' || coalesce(' with KMS key ' || k, '')
	    WHEN k IS NULL
	      THEN 'the item records no KmsKeyId to compare with KmsKeyId (aws efs '
		   || 'describe-file-systems)'
	    WHEN undecided
	      THEN 'alias ' || CASE WHEN k_key IS NULL THEN k_ref ELSE w_ref END
		   || ' cannot be resolved from AWS Config data (aws kms list-aliases)'
	    ELSE 'file data is encrypted with KMS key ' || k || ', not ' || trim(:KmsKeyId)
       END AS annotation
FROM v;
