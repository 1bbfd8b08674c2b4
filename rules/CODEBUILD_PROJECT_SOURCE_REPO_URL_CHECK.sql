-- identifier: CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK
-- name: codebuild-project-source-repo-url-check
-- severity: critical (Security Hub CodeBuild.1)
-- remediation: Remove the personal access token or user name and password from
--   the source URL and connect the source through OAuth or a CodeConnections
--   connection (UpdateProject source.location).
-- resource-types: AWS::CodeBuild::Project
-- trigger: configuration-changes
-- parameters: (none)
-- description: Source repository URLs must not contain sign-in information:
--   NON_COMPLIANT when the location of the project's source or of one of
--   its secondarySources (source is recorded as an object, or as an array
--   of one) is a URL whose authority carries user information
--   (scheme://user[:password-or-token]@host/...; a user name alone counts,
--   as AWS says "any sign-in information"), or whose query string has a
--   credential parameter (token, access_token, private_token, password,
--   passwd, pwd, secret, auth); COMPLIANT otherwise (OAuth or CodeConnections
--   sources, S3, CodeCommit, CodePipeline, no source). AWS's current page
--   names Bitbucket URLs, its 2023 page GitHub and Bitbucket: any source type
--   is checked here, since a credential in a URL is the same exposure
--   whatever the provider. The annotation names only the URL's host (when it
--   reads as a host name), never the URL. An item without a configuration
--   is INSUFFICIENT_DATA, and so is a project with no such URL among what
--   can be read but source or secondarySources recorded as something else (list_unreadable)
--   (a string that is not JSON, a number, an element that is not an
--   object).
WITH p AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       -- sources recorded as something else
	       coalesce(list_unreadable(configuration -> '$.source', 'source', 1),
			list_unreadable(configuration -> '$.secondarySources',
					'secondarySources')) AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::CodeBuild::Project'
), locs AS (
	-- source is recorded as an object or as an array of one: wrap an object
	-- so that one json_each reads both (values of a parsed document).
	SELECT p.resource_id, p.account_id, p.region, 'source' AS which,
	       s.value ->> '$.location' AS loc
	FROM p, json_each(CASE json_type(p.configuration, '$.source')
			       WHEN 'object' THEN json_array(p.configuration -> '$.source')
			       WHEN 'array' THEN p.configuration -> '$.source' END) AS s
	WHERE s.type = 'object'
	UNION ALL
	SELECT p.resource_id, p.account_id, p.region, 'secondary source',
	       s.value ->> '$.location'
	FROM p, json_each(CASE json_type(p.configuration, '$.secondarySources')
			       WHEN 'array' THEN p.configuration -> '$.secondarySources' END) AS s
	WHERE s.type = 'object'
), flagged AS (
	SELECT l.*,
	       regexp('^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@', loc) AS userinfo,
	       -- The text after the last @ (or after the scheme), up to the
	       -- path: shown only when it reads as a host name.
	       substr(loc, length(rtrim(loc, replace(loc, '@', ''))) + 1) AS tail
	FROM locs AS l
	WHERE typeof(loc) = 'text'
	  AND (regexp('^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@', loc)
	       OR regexp('(?i)[?&](access_token|private_token|token|password|passwd|pwd|secret|auth)=',
			 loc))
), hosts AS (
	SELECT f.*,
	       CASE WHEN userinfo THEN tail
		    ELSE substr(loc, instr(loc, '://') + 3) END AS rest
	FROM flagged AS f
), named AS (
	SELECT h.*,
	       CASE WHEN instr(rest, '/') > 0 THEN substr(rest, 1, instr(rest, '/') - 1)
		    ELSE rest END AS h1
	FROM hosts AS h
), per AS (
	SELECT resource_id, account_id, region, count(*) AS n,
	       min(which || CASE WHEN regexp('^[A-Za-z0-9]([A-Za-z0-9-]*\.)+[A-Za-z0-9-]+(:\d+)?$', h1)
				 THEN ' URL on host ' || h1 ELSE ' URL' END
		   || CASE WHEN userinfo THEN ' has user information (sign-in details) in it'
			   ELSE ' has a credential parameter in its query string' END) AS why
	FROM named GROUP BY resource_id, account_id, region
)
SELECT p.resource_type, p.resource_id, p.account_id, p.region AS aws_region,
       CASE WHEN p.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN per.n > 0 THEN 'NON_COMPLIANT'
	    WHEN p.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN p.configuration IS NULL
		 THEN 'configuration not recorded (status ' || p.status || ')'
	    WHEN per.n > 0
		 THEN per.why || CASE WHEN per.n > 1 THEN ' (' || per.n || ' locations)' ELSE '' END
	    WHEN p.unreadable IS NOT NULL
		 THEN 'cannot tell whether a source URL carries sign-in information: '
		      || p.unreadable || ' (aws codebuild batch-get-projects)'
	    ELSE 'no source URL carries sign-in information'
       END AS annotation
FROM p
LEFT JOIN per ON per.resource_id = p.resource_id AND per.account_id = p.account_id
	     AND per.region = p.region
