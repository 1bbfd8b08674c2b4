-- identifier: CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED
-- name: cloud-trail-log-file-validation-enabled
-- severity: low (Security Hub CloudTrail.4)
-- remediation: Enable log file validation on the trail (UpdateTrail
--   EnableLogFileValidation=true).
-- resource-types: AWS::CloudTrail::Trail
-- trigger: periodic
-- parameters: (none)
-- description: A CloudTrail trail must create signed digest files:
--   COMPLIANT when configuration.logFileValidationEnabled is true,
--   NON_COMPLIANT when it is false or absent.
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN c ->> '$.logFileValidationEnabled' IN (1, 'true') THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'trail configuration not recorded in the configuration item'
	 WHEN c ->> '$.logFileValidationEnabled' IN (1, 'true')
	   THEN 'logFileValidationEnabled is true'
	 WHEN c ->> '$.logFileValidationEnabled' IS NULL
	   THEN 'logFileValidationEnabled is not set: log file validation is off'
	 ELSE 'logFileValidationEnabled is false'
       END AS annotation
FROM t;
