-- identifier: CODEBUILD_PROJECT_S3_LOGS_ENCRYPTED
-- name: codebuild-project-s3-logs-encrypted
-- severity: low (Security Hub CodeBuild.3)
-- remediation: Turn S3 log encryption back on for the project (UpdateProject
--   logsConfig.s3Logs.encryptionDisabled=false).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters:
--   exemptedProjects: csv, optional
-- description: S3 logs of CodeBuild projects must be encrypted: for a
--   project whose configuration.logsConfig.s3Logs.status is ENABLED,
--   NON_COMPLIANT when s3Logs.encryptionDisabled is true, COMPLIANT when it
--   is false or absent (encrypted is CodeBuild's default). Projects named in
--   exemptedProjects (configuration.name, else the item's resourceName;
--   exact after trimming) are allowed unencrypted logs: COMPLIANT.
--   NOT_APPLICABLE when S3 logs are not enabled. A project item without
--   logsConfig, or without a configuration, is INSUFFICIENT_DATA.
-- missing: the log configuration when the item lacks it (aws codebuild
--   batch-get-projects, projects[].logsConfig.s3Logs)
WITH p AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(json_extract(configuration, '$.name'), resource_name) AS name,
	       json_type(configuration, '$.logsConfig') AS lc,
	       upper(json_extract(configuration, '$.logsConfig.s3Logs.status')) AS s3,
	       json_extract(configuration, '$.logsConfig.s3Logs.encryptionDisabled') AS off
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
), v AS (
	SELECT p.*, off IN (1, 'true') AS unencrypted,
	       coalesce(csv_contains(:exemptedProjects, name), 0) AS exempt
	FROM p
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL OR lc IS NOT 'object' THEN 'INSUFFICIENT_DATA'
	    WHEN s3 IS NOT 'ENABLED' THEN 'NOT_APPLICABLE'
	    WHEN unencrypted AND NOT exempt THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN lc IS NOT 'object'
		 THEN 'logsConfig is not in the item (aws codebuild batch-get-projects)'
	    WHEN s3 IS NOT 'ENABLED' THEN 'S3 logs are not enabled'
	    WHEN unencrypted AND exempt
		 THEN 'S3 log encryption is disabled; project ' || name || ' is in exemptedProjects'
	    WHEN unencrypted THEN 'S3 log encryption is disabled (s3Logs.encryptionDisabled true)'
	    ELSE 'S3 logs are encrypted'
       END AS annotation
FROM v
