-- identifier: CODEBUILD_PROJECT_ARTIFACT_ENCRYPTION
-- name: codebuild-project-artifact-encryption
-- severity: medium (default: encryption)
-- remediation: Turn artifact encryption back on for the project (UpdateProject
--   artifacts.encryptionDisabled=false).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters: (none)
-- description: Every artifact of a CodeBuild project must be encrypted:
--   NON_COMPLIANT when encryptionDisabled is true in the primary artifact
--   configuration (configuration.artifacts, recorded as an object or as an
--   array of one) or in any of configuration.secondaryArtifacts; COMPLIANT
--   otherwise (encryptionDisabled false or absent, or NO_ARTIFACTS). An
--   item without a configuration is INSUFFICIENT_DATA, and so is a project
--   with no such artifact among what can be read but artifacts or
--   secondaryArtifacts recorded as something else (a string that is not
--   JSON, a number, an element that is not an object).
WITH p AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       -- artifacts recorded as something else
	       coalesce(list_unreadable(configuration -> '$.artifacts', 'artifacts', 1),
			list_unreadable(configuration -> '$.secondaryArtifacts',
					'secondaryArtifacts')) AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
), arts AS (
	-- artifacts is recorded as an object or as an array of one: wrap an
	-- object so that one json_each reads both (the values come from a
	-- parsed document, so they are valid JSON).
	SELECT p.resource_id, p.account_id, p.region, 'primary artifact' AS which,
	       a.value ->> '$.encryptionDisabled' AS off
	FROM p, json_each(CASE json_type(p.configuration, '$.artifacts')
			       WHEN 'object' THEN json_array(p.configuration -> '$.artifacts')
			       WHEN 'array' THEN p.configuration -> '$.artifacts' END) AS a
	WHERE a.type = 'object'
	UNION ALL
	SELECT p.resource_id, p.account_id, p.region,
	       'secondary artifact '
	       || coalesce(a.value ->> '$.artifactIdentifier', '#' || (a.key + 1)),
	       a.value ->> '$.encryptionDisabled'
	FROM p, json_each(CASE json_type(p.configuration, '$.secondaryArtifacts')
			       WHEN 'array' THEN p.configuration -> '$.secondaryArtifacts' END) AS a
	WHERE a.type = 'object'
), per AS (
	SELECT resource_id, account_id, region, count(*) AS n, min(which) AS which
	FROM arts WHERE off IN (1, 'true')
	GROUP BY resource_id, account_id, region
)
SELECT p.resource_type, p.resource_id, p.account_id, p.region AS aws_region,
       CASE WHEN p.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN per.n > 0 THEN 'NON_COMPLIANT'
	    WHEN p.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN p.configuration IS NULL
		 THEN 'configuration not recorded (status ' || p.status || ')'
	    WHEN per.n > 0
		 THEN per.which || ' has encryptionDisabled true'
		      || CASE WHEN per.n > 1 THEN ' (' || per.n || ' artifacts)' ELSE '' END
	    WHEN p.unreadable IS NOT NULL
		 THEN 'cannot tell whether an artifact disables encryption: '
		      || p.unreadable || ' (aws codebuild batch-get-projects)'
	    ELSE 'no artifact configuration disables encryption'
       END AS annotation
FROM p
LEFT JOIN per ON per.resource_id = p.resource_id AND per.account_id = p.account_id
	     AND per.region = p.region
