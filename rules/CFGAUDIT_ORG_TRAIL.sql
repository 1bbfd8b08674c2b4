-- identifier: CFGAUDIT_ORG_TRAIL
-- name: cfgaudit-org-trail-covers-members
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Create a multi-Region organization trail in the management account with
--   log file validation, global service events and CloudWatch Logs delivery,
--   and start logging (CreateTrail IsOrganizationTrail=true, StartLogging).
-- parameters:
--   managementAccountId: string, optional
--   trailName: string, optional
-- description: cfgaudit's own rule: every member account must be covered
--   by an organization trail. One result per account in the data (Region
--   global); without Organizations evidence every account in the data is
--   taken as a member. A qualifying trail is an AWS::CloudTrail::Trail with
--   isOrganizationTrail and isMultiRegionTrail true, logFileValidationEnabled
--   and includeGlobalServiceEvents true and a cloudWatchLogsLogGroupArn,
--   recorded in managementAccountId (when given; organization trails live in
--   the management account) and named trailName (when given).
--   COMPLIANT naming the covering trail when a qualifying trail is known to
--   be logging; INSUFFICIENT_DATA when a qualifying trail exists but its
--   logging state is not in the data (AWS Config does not record it), or
--   when a trail of that name is present without configuration;
--   NON_COMPLIANT naming what is wrong when the organization trails found
--   miss a setting or say they are not logging, or when there is none. A
--   NON_COMPLIANT verdict rests on the absence of a qualifying trail, so it
--   needs a complete inventory of the management account (of every account
--   without managementAccountId) in every Region (inventory_gaps).
-- missing: the trail logging state (aws cloudtrail get-trail-status,
--   IsLogging); organization membership (aws organizations list-accounts)
WITH trails AS (
	SELECT account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c, json_unstring(supplementary) AS s
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
	  AND (:managementAccountId IS NULL OR account_id = :managementAccountId)
), tv AS (
	SELECT account_id, region, resource_id, cfg,
	       coalesce(c ->> '$.name', resource_id) AS name,
	       c ->> '$.isOrganizationTrail' IN (1, 'true') AS org,
	       c ->> '$.isMultiRegionTrail' IN (1, 'true') AS multi,
	       trim(CASE WHEN c ->> '$.logFileValidationEnabled' IN (1, 'true') THEN ''
			 ELSE 'log file validation off; ' END
		    || CASE WHEN c ->> '$.includeGlobalServiceEvents' IN (1, 'true') THEN ''
			    ELSE 'global service events off; ' END
		    || CASE WHEN coalesce(c ->> '$.cloudWatchLogsLogGroupArn', '') <> '' THEN ''
			    ELSE 'no CloudWatch Logs delivery; ' END, '; ') AS faults,
	       CASE WHEN coalesce(c ->> '$.isLogging', s ->> '$.IsLogging',
				  s ->> '$.TrailStatus.IsLogging') IN (1, 'true') THEN 1
		    WHEN coalesce(c ->> '$.isLogging', s ->> '$.IsLogging',
				  s ->> '$.TrailStatus.IsLogging') IN (0, 'false') THEN 0
	       END AS logging
	FROM trails
	WHERE :trailName IS NULL OR coalesce(c ->> '$.name', resource_id) = :trailName
		OR resource_id LIKE '%:trail/' || :trailName
), cand AS (
	SELECT * FROM tv WHERE cfg IS NOT NULL AND org AND multi
), summary AS (
	SELECT (SELECT min(name || ' in account ' || account_id || ' (' || region || ')') FROM cand
		WHERE faults = '' AND logging = 1) AS on_trail,
	       (SELECT min(name || ' in account ' || account_id || ' (' || region || ')') FROM cand
		WHERE faults = '' AND logging IS NULL) AS unk_trail,
	       (SELECT min(name || ' in account ' || account_id || ': '
			   || CASE WHEN logging = 0 THEN 'not logging' ELSE faults END) FROM cand
		WHERE faults <> '' OR logging = 0) AS bad_trail,
	       (SELECT min(resource_id || ' (' || region || ')') FROM tv WHERE cfg IS NULL)
	       AS unrec,
	       (SELECT min(name || ' in account ' || account_id) FROM tv
		WHERE cfg IS NOT NULL AND NOT (org AND multi)) AS plain,
	       (SELECT min(g.account_id || '/' || g.region) FROM inventory_gaps g
		WHERE :managementAccountId IS NULL OR g.account_id = :managementAccountId) AS gap
), acct AS (
	SELECT DISTINCT account_id FROM accounts
	UNION SELECT :managementAccountId WHERE :managementAccountId IS NOT NULL
)
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id, a.account_id,
       'global' AS aws_region,
       unless_incomplete(CASE WHEN on_trail IS NOT NULL THEN 'COMPLIANT'
			      WHEN unk_trail IS NOT NULL OR unrec IS NOT NULL
				THEN 'INSUFFICIENT_DATA'
			      ELSE 'NON_COMPLIANT' END, gap) AS compliance_type,
       incomplete_note(
	 CASE WHEN on_trail IS NOT NULL
		THEN 'covered by organization trail ' || on_trail
	      WHEN unk_trail IS NOT NULL
		THEN 'organization trail ' || unk_trail || ' would cover this account (multi-Region, '
		     || 'log file validation, global service events, CloudWatch Logs); its logging '
		     || 'state is not in AWS Config data (aws cloudtrail get-trail-status)'
	      WHEN unrec IS NOT NULL
		THEN 'trail ' || unrec || ' is in the data without its configuration '
		     || '(ResourceNotRecorded): its settings are unknown'
	      WHEN bad_trail IS NOT NULL
		THEN 'not covered: organization trail ' || bad_trail
	      WHEN plain IS NOT NULL
		THEN 'not covered: trail ' || plain || ' is not a multi-Region organization trail'
	      ELSE 'not covered: no organization trail'
		   || CASE WHEN :trailName IS NOT NULL THEN ' named ' || :trailName ELSE '' END
		   || CASE WHEN :managementAccountId IS NOT NULL
			   THEN ' in account ' || :managementAccountId ELSE '' END
		   || ' is recorded'
	 END,
	 CASE WHEN on_trail IS NOT NULL THEN 'COMPLIANT'
	      WHEN unk_trail IS NOT NULL OR unrec IS NOT NULL THEN 'INSUFFICIENT_DATA'
	      ELSE 'NON_COMPLIANT' END, gap) AS annotation
FROM acct a, summary
