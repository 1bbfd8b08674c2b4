-- identifier: KINESIS_STREAM_ENCRYPTED
-- name: kinesis-stream-encrypted
-- severity: medium (Security Hub Kinesis.1)
-- remediation: Enable server-side encryption on the stream
--   (StartStreamEncryption EncryptionType=KMS).
-- resource-types: AWS::Kinesis::Stream
-- trigger: configuration-changes
-- parameters: (none)
-- description: Kinesis data streams must be encrypted at rest with
--   server-side encryption: NON_COMPLIANT when configuration.StreamEncryption
--   is absent or null, COMPLIANT when it is present. Not stated by AWS:
--   a StreamEncryption whose EncryptionType is NONE (any case) is
--   NON_COMPLIANT too; the key (KeyId, which may be the AWS managed
--   alias/aws/kinesis) is not judged. An item without a recorded
--   configuration is INSUFFICIENT_DATA, and so is a StreamEncryption
--   recorded as something other than an object (a string that is not
--   JSON, a number): it cannot tell whether the stream is encrypted.
WITH s AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       json_type(configuration, '$.StreamEncryption') AS enc_type,
	       json_extract(configuration, '$.StreamEncryption.EncryptionType') AS etype,
	       json_extract(configuration, '$.StreamEncryption.KeyId') AS key_id
	FROM current_items
	WHERE resource_type = 'AWS::Kinesis::Stream'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN enc_type IS NULL OR enc_type = 'null' THEN 'NON_COMPLIANT'
	    WHEN enc_type <> 'object' THEN 'INSUFFICIENT_DATA'
	    WHEN upper(etype) = 'NONE' THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN enc_type IS NULL OR enc_type = 'null'
		 THEN 'StreamEncryption is not set: the stream is not encrypted at rest'
	    WHEN enc_type <> 'object'
		 THEN 'cannot tell whether the stream is encrypted: StreamEncryption is not an'
		      || ' object (aws kinesis describe-stream-summary)'
	    WHEN upper(etype) = 'NONE' THEN 'StreamEncryption.EncryptionType is NONE'
	    ELSE 'server-side encryption with ' || coalesce(etype, 'an unnamed type') ||
		 coalesce(' key ' || key_id, '') END AS annotation
FROM s
