-- identifier: DYNAMODB_PITR_ENABLED
-- name: dynamodb-pitr-enabled
-- severity: medium (Security Hub DynamoDB.2)
-- remediation: Enable point-in-time recovery on the table
--   (UpdateContinuousBackups PointInTimeRecoveryEnabled=true).
-- resource-types: AWS::DynamoDB::Table
-- trigger: configuration-changes
-- parameters: (none)
-- description: DynamoDB tables must have point-in-time recovery enabled:
--   NON_COMPLIANT when supplementaryConfiguration.ContinuousBackupsDescription
--   .pointInTimeRecoveryDescription.pointInTimeRecoveryStatus is not ENABLED
--   (DISABLED), COMPLIANT when it is ENABLED. AWS Config records the
--   continuous-backups state only in the supplementary configuration: an
--   item without ContinuousBackupsDescription cannot be decided and is
--   INSUFFICIENT_DATA (aws dynamodb describe-continuous-backups), as is an
--   item recorded without its configuration.
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       json_type(supplementary, '$.ContinuousBackupsDescription') = 'object' AS has_cb,
	       json_extract(supplementary, '$.ContinuousBackupsDescription'
			    || '.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus') AS pitr
	FROM current_items
	WHERE resource_type = 'AWS::DynamoDB::Table'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf OR NOT coalesce(has_cb, 0) THEN 'INSUFFICIENT_DATA'
	    WHEN upper(pitr) = 'ENABLED' THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'table configuration not recorded (status ' || status || ')'
	    WHEN NOT coalesce(has_cb, 0)
	      THEN 'ContinuousBackupsDescription is not in the configuration item (aws dynamodb '
		   || 'describe-continuous-backups)'
	    WHEN upper(pitr) = 'ENABLED' THEN 'point-in-time recovery is ENABLED'
	    ELSE 'pointInTimeRecoveryStatus is ' || coalesce(pitr, 'not recorded')
		 || ': point-in-time recovery is not enabled'
       END AS annotation
FROM d;
