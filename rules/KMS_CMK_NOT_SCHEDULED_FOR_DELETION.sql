-- identifier: KMS_CMK_NOT_SCHEDULED_FOR_DELETION
-- name: kms-cmk-not-scheduled-for-deletion
-- severity: critical (Security Hub KMS.3)
-- remediation: Cancel the key's scheduled deletion if it is still needed, then
--   re-enable it (kms CancelKeyDeletion, EnableKey).
-- resource-types: AWS::KMS::Key
-- trigger: periodic
-- parameters:
--   kmsKeyIds: string, optional
-- description: KMS keys must not be scheduled for deletion: NON_COMPLIANT
--   when configuration.keyState is PendingDeletion (or
--   PendingReplicaDeletion), COMPLIANT otherwise. With kmsKeyIds, only the
--   listed keys (key ID or key ARN) are checked and the others are
--   NOT_APPLICABLE (not stated by AWS).
WITH k AS (
	SELECT resource_type, resource_id, account_id, region, arn,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::KMS::Key'
), v AS (
	SELECT *, coalesce(c ->> '$.keyId', resource_id) AS key_id,
	       coalesce(c ->> '$.keyState', '') AS state,
	       (:kmsKeyIds IS NULL
		OR csv_contains(:kmsKeyIds, coalesce(c ->> '$.keyId', resource_id))
		OR csv_contains(:kmsKeyIds, resource_id)
		OR coalesce(csv_contains(:kmsKeyIds, arn), 0)
		OR coalesce(csv_contains(:kmsKeyIds, c ->> '$.arn'), 0)) AS listed
	FROM k
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN NOT listed THEN 'NOT_APPLICABLE'
	 WHEN state IN ('PendingDeletion', 'PendingReplicaDeletion') THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'key configuration not recorded in the configuration item'
	 WHEN NOT listed THEN 'key ' || key_id || ' is not listed in kmsKeyIds'
	 WHEN state IN ('PendingDeletion', 'PendingReplicaDeletion')
	   THEN 'keyState ' || state || ': key is scheduled for deletion'
		|| coalesce(' on ' || CASE
				     WHEN typeof(c ->> '$.deletionDate') IN ('integer', 'real')
				       THEN strftime('%Y-%m-%dT%H:%M:%SZ',
						     (c ->> '$.deletionDate') / 1000, 'unixepoch')
				     ELSE c ->> '$.deletionDate'
				   END, '')
	 ELSE 'keyState ' || coalesce(nullif(state, ''), 'unknown')
	      || ': not scheduled for deletion'
       END AS annotation
FROM v;
