-- identifier: CLOUD_TRAIL_ENCRYPTION_ENABLED
-- name: cloud-trail-encryption-enabled
-- severity: medium (Security Hub CloudTrail.2)
-- remediation: Encrypt the trail's log files with a KMS key (UpdateTrail
--   KmsKeyId).
-- resource-types: AWS::CloudTrail::Trail
-- trigger: periodic
-- parameters: (none)
-- description: A CloudTrail trail must encrypt its log files with SSE-KMS:
--   COMPLIANT when configuration.kmsKeyId is a non-empty string,
--   NON_COMPLIANT otherwise. Each trail item is evaluated where it is
--   recorded (multi-Region trails in their home Region).
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN trim(coalesce(c ->> '$.kmsKeyId', '')) <> '' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'trail configuration not recorded in the configuration item'
	 WHEN trim(coalesce(c ->> '$.kmsKeyId', '')) <> ''
	   THEN 'trail logs are encrypted with KMS key ' || (c ->> '$.kmsKeyId')
	 ELSE 'kmsKeyId is not set: trail logs are not encrypted with SSE-KMS'
       END AS annotation
FROM t;
