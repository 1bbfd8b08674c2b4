-- identifier: ENCRYPTED_VOLUMES
-- name: encrypted-volumes
-- severity: medium (Security Hub EC2.3)
-- remediation: Snapshot the volume, copy the snapshot with encryption, and
--   replace the volume with one created from the copy (CopySnapshot
--   Encrypted=true, CreateVolume).
-- resource-types: AWS::EC2::Volume
-- trigger: configuration-changes
-- parameters:
--   kmsId: string, optional
-- description: Attached EBS volumes must be encrypted, and with kmsId, with
--   that KMS key: an attached volume (attachments[] not empty, or state
--   in-use) is NON_COMPLIANT when encrypted is not true or its kmsKeyId is
--   another key, COMPLIANT otherwise. Not stated by AWS (natural reading):
--   volumes that are not attached are NOT_APPLICABLE; kmsId may be a key
--   ID or a key ARN and is compared by its key part (key/ID), so an alias
--   never matches. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH v AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(json_extract(configuration, '$.encrypted') IN (1, 'true'), 0) AS enc,
	       json_extract(configuration, '$.kmsKeyId') AS kms,
	       CASE WHEN json_type(configuration, '$.attachments') = 'array'
	                 AND json_array_length(configuration, '$.attachments') > 0 THEN 1
	            WHEN coalesce(json_extract(configuration, '$.state.value'),
	                          CASE json_type(configuration, '$.state')
	                               WHEN 'text' THEN json_extract(configuration, '$.state') END)
	                 = 'in-use' THEN 1
	            ELSE 0 END AS attached,
	       CASE WHEN :kmsId IS NULL THEN NULL
	            WHEN instr(:kmsId, 'key/') > 0 THEN substr(:kmsId, instr(:kmsId, 'key/') + 4)
	            ELSE :kmsId END AS want_key
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Volume'
),
v2 AS (
	SELECT v.*,
	       CASE WHEN instr(kms, 'key/') > 0 THEN substr(kms, instr(kms, 'key/') + 4)
	            ELSE kms END AS have_key
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN NOT attached THEN 'NOT_APPLICABLE'
            WHEN NOT enc THEN 'NON_COMPLIANT'
            WHEN want_key IS NOT NULL
                 AND coalesce(have_key, '') <> want_key THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN NOT attached THEN 'volume is not attached'
            WHEN NOT enc THEN 'attached volume is not encrypted'
            WHEN want_key IS NOT NULL
                 AND coalesce(have_key, '') <> want_key
                 THEN 'encrypted with ' || coalesce(kms, 'an unknown key') || ', not ' || :kmsId
            ELSE 'attached volume is encrypted' || coalesce(' with ' || kms, '') END AS annotation
FROM v2
