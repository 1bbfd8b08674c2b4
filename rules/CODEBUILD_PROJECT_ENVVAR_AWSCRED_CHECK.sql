-- identifier: CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK
-- name: codebuild-project-envvar-awscred-check
-- severity: critical (Security Hub CodeBuild.2)
-- remediation: Remove AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the
--   plaintext environment variables, give the project a service role, and
--   rotate the exposed keys (UpdateProject).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters: (none)
-- description: CodeBuild projects must not hold AWS credentials in
--   plaintext environment variables: NON_COMPLIANT when
--   configuration.environment.environmentVariables has a variable named
--   AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY (names compared in upper
--   case) whose type is PLAINTEXT or absent (CodeBuild's default);
--   COMPLIANT otherwise, including when such a variable refers to
--   PARAMETER_STORE or SECRETS_MANAGER. The annotation names the variable,
--   never its value. An item without a configuration is INSUFFICIENT_DATA,
--   and so is a project with no such variable among what can be read but
--   environment or its environmentVariables recorded as something other
--   than an object / a list of objects (a string that is not JSON, a
--   number).
WITH p AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       -- environment variables recorded as something else
	       CASE WHEN json_type(configuration, '$.environment') NOT IN ('object', 'null')
		    THEN 'environment is not an object'
		    ELSE list_unreadable(configuration -> '$.environment.environmentVariables',
					 'environment.environmentVariables')
	       END AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
), bad AS (
	SELECT p.resource_id, p.account_id, p.region,
	       min(upper(json_extract(p.configuration, v.fullkey || '.name'))) AS var,
	       count(*) AS n
	FROM p, json_each(p.configuration, '$.environment.environmentVariables') AS v
	WHERE v.type = 'object'
	  AND upper(json_extract(p.configuration, v.fullkey || '.name'))
	      IN ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY')
	  AND upper(coalesce(json_extract(p.configuration, v.fullkey || '.type'), 'PLAINTEXT'))
	      = 'PLAINTEXT'
	GROUP BY p.resource_id, p.account_id, p.region
)
SELECT p.resource_type, p.resource_id, p.account_id, p.region AS aws_region,
       CASE WHEN p.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN bad.var IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN p.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN p.configuration IS NULL
		 THEN 'configuration not recorded (status ' || p.status || ')'
	    WHEN bad.var IS NOT NULL
		 THEN 'plaintext environment variable ' || bad.var
		      || CASE WHEN bad.n > 1 THEN ' (and ' || (bad.n - 1) || ' more)' ELSE '' END
		      || ' holds AWS credentials'
	    WHEN p.unreadable IS NOT NULL
		 THEN 'cannot tell whether a plaintext environment variable holds AWS credentials: '
		      || p.unreadable || ' (aws codebuild batch-get-projects)'
	    ELSE 'no plaintext AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY environment variable'
       END AS annotation
FROM p
LEFT JOIN bad ON bad.resource_id = p.resource_id AND bad.account_id = p.account_id
	     AND bad.region = p.region
