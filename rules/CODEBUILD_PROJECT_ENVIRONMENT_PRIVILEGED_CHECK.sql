-- identifier: CODEBUILD_PROJECT_ENVIRONMENT_PRIVILEGED_CHECK
-- name: codebuild-project-environment-privileged-check
-- severity: high (Security Hub CodeBuild.5)
-- remediation: Turn off privileged mode in the project's environment unless it
--   builds Docker images (UpdateProject environment.privilegedMode=false).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters:
--   exemptedProjects: csv, optional
-- description: CodeBuild projects must not run in privileged mode:
--   NON_COMPLIANT when configuration.environment.privilegedMode is true,
--   COMPLIANT when it is false or absent (CodeBuild's default). Projects
--   named in exemptedProjects (project names, configuration.name, else the
--   item's resourceName; compared exactly after trimming) are allowed
--   privileged mode and are COMPLIANT. An item without a configuration or
--   without an environment is INSUFFICIENT_DATA.
-- missing: the build environment when the item lacks it (aws codebuild
--   batch-get-projects, projects[].environment.privilegedMode)
WITH p AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(json_extract(configuration, '$.name'), resource_name) AS name,
	       json_type(configuration, '$.environment') AS env,
	       json_extract(configuration, '$.environment.privilegedMode') AS priv
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL OR env IS NOT 'object' THEN 'INSUFFICIENT_DATA'
	    WHEN priv IS NOT 1 AND priv IS NOT 'true' THEN 'COMPLIANT'
	    WHEN coalesce(csv_contains(:exemptedProjects, name), 0) THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN env IS NOT 'object'
		 THEN 'environment is not in the item (aws codebuild batch-get-projects)'
	    WHEN priv IS NOT 1 AND priv IS NOT 'true' THEN 'privileged mode is off'
	    WHEN coalesce(csv_contains(:exemptedProjects, name), 0)
		 THEN 'privileged mode is on; project ' || name || ' is in exemptedProjects'
	    ELSE 'privileged mode is on (environment.privilegedMode true)'
       END AS annotation
FROM p
