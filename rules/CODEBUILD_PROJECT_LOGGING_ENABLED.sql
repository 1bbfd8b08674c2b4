-- identifier: CODEBUILD_PROJECT_LOGGING_ENABLED
-- name: codebuild-project-logging-enabled
-- severity: medium (Security Hub CodeBuild.4)
-- remediation: Enable CloudWatch Logs or S3 logs for the project (UpdateProject
--   logsConfig).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters:
--   s3BucketNames: string, optional
--   cloudWatchGroupNames: string, optional
-- description: A CodeBuild project must have at least one log option
--   enabled: NON_COMPLIANT when every log configuration present in
--   configuration.logsConfig (cloudWatchLogs, s3Logs) has status DISABLED;
--   COMPLIANT when one is ENABLED. With s3BucketNames (comma-separated
--   bucket names), enabled S3 logs must go to one of them (the bucket of
--   s3Logs.location, "bucket/prefix" or an S3 ARN); with
--   cloudWatchGroupNames (comma-separated log group names), enabled
--   CloudWatch logs must go to one of them (cloudWatchLogs.groupName, read
--   as CodeBuild's default /aws/codebuild/<project name> when absent, which
--   is not stated by AWS); an enabled destination outside its list is
--   NON_COMPLIANT. A project item with no log configuration at all, or
--   without a configuration, is INSUFFICIENT_DATA.
-- missing: the log configuration when the item lacks it (aws codebuild
--   batch-get-projects, projects[].logsConfig)
WITH p AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(json_extract(configuration, '$.name'), resource_name) AS name,
	       upper(json_extract(configuration, '$.logsConfig.cloudWatchLogs.status')) AS cw,
	       upper(json_extract(configuration, '$.logsConfig.s3Logs.status')) AS s3,
	       json_extract(configuration, '$.logsConfig.cloudWatchLogs.groupName') AS grp,
	       json_extract(configuration, '$.logsConfig.s3Logs.location') AS loc
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
), d AS (
	SELECT p.*,
	       coalesce(nullif(grp, ''), '/aws/codebuild/' || name) AS cw_group,
	       CASE WHEN instr(b, '/') > 0 THEN substr(b, 1, instr(b, '/') - 1) ELSE b END
	       AS bucket
	FROM (SELECT p.*,
		     CASE WHEN loc LIKE 'arn:%:s3:::%' THEN substr(loc, instr(loc, ':::') + 3)
			  ELSE loc END AS b
	      FROM p) AS p
), v AS (
	SELECT d.*,
	       cw = 'ENABLED' AND :cloudWatchGroupNames IS NOT NULL
	       AND NOT csv_contains(:cloudWatchGroupNames, cw_group) AS cw_off_list,
	       s3 = 'ENABLED' AND :s3BucketNames IS NOT NULL
	       AND NOT coalesce(csv_contains(:s3BucketNames, bucket), 0) AS s3_off_list
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL OR (cw IS NULL AND s3 IS NULL) THEN 'INSUFFICIENT_DATA'
	    WHEN coalesce(cw, '') <> 'ENABLED' AND coalesce(s3, '') <> 'ENABLED'
		 THEN 'NON_COMPLIANT'
	    WHEN cw_off_list OR s3_off_list THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN cw IS NULL AND s3 IS NULL
		 THEN 'logsConfig is not in the item (aws codebuild batch-get-projects)'
	    WHEN coalesce(cw, '') <> 'ENABLED' AND coalesce(s3, '') <> 'ENABLED'
		 THEN 'no log option is enabled (CloudWatch Logs ' || coalesce(cw, 'absent')
		      || ', S3 logs ' || coalesce(s3, 'absent') || ')'
	    WHEN cw_off_list
		 THEN 'CloudWatch Logs go to log group ' || cw_group
		      || ', which is not in cloudWatchGroupNames'
	    WHEN s3_off_list
		 THEN 'S3 logs go to bucket ' || coalesce(bucket, '(none)')
		      || ', which is not in s3BucketNames'
	    ELSE 'logging enabled: '
		 || trim(CASE WHEN cw = 'ENABLED' THEN 'CloudWatch Logs (' || cw_group || ') ' ELSE '' END
		    || CASE WHEN s3 = 'ENABLED' THEN 'S3 logs (' || coalesce(bucket, '?') || ')' ELSE '' END)
       END AS annotation
FROM v
