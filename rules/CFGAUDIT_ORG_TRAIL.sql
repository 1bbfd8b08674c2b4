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
--   by a logging organization trail. One result per account (Region
--   global): the accounts in the data, the ACTIVE accounts of the
--   Organizations account list and managementAccountId. A qualifying trail
--   is an AWS::CloudTrail::Trail with isOrganizationTrail and
--   isMultiRegionTrail true, logFileValidationEnabled and
--   includeGlobalServiceEvents true and a cloudWatchLogsLogGroupArn,
--   recorded in managementAccountId (when given; organization trails live
--   in the management account) and named trailName (when given). Its
--   logging state comes from the newest aws cloudtrail get-trail-status
--   answer captured within --max-age of the as-of time
--   (cloudtrail_trail_status.is_logging), else from an IsLogging the item
--   carries. Membership comes from the newest organizations list-accounts
--   answer of managementAccountId (of any account when not given,
--   organization_accounts): an account it lists ACTIVE is a member and
--   covered; an account of the data it does not list ACTIVE has left the
--   organization and so the trail's coverage (NON_COMPLIANT). Without any
--   list-accounts answer every account in the data is taken as a member
--   (the annotation says so); an answer that is too old or an error
--   answer gives INSUFFICIENT_DATA naming it.
--   COMPLIANT naming the covering trail when a qualifying trail is
--   logging and the account a member; NON_COMPLIANT naming what is wrong
--   when the organization trails found miss a setting or are not logging,
--   when there is none, or when the account is not a member;
--   INSUFFICIENT_DATA naming the missing call (trail status, account list)
--   or a trail of that name present without configuration. "No qualifying
--   trail" rests on absence, so it needs a complete inventory of the
--   management account (of every account without managementAccountId) in
--   every Region (inventory_gaps).
-- missing: the trail logging state (aws cloudtrail get-trail-status
--   --name TRAIL-ARN in the trail's account); organization membership
--   (aws organizations list-accounts in the management account)
WITH trails AS (
	SELECT item_key, account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c, json_unstring(supplementary) AS s
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
	  AND (:managementAccountId IS NULL OR account_id = :managementAccountId)
), tv AS (
	SELECT t.account_id, t.region, t.resource_id, t.cfg,
	       coalesce(t.c ->> '$.name', t.resource_id) AS name,
	       t.c ->> '$.isOrganizationTrail' IN (1, 'true') AS org,
	       t.c ->> '$.isMultiRegionTrail' IN (1, 'true') AS multi,
	       trim(CASE WHEN t.c ->> '$.logFileValidationEnabled' IN (1, 'true') THEN ''
			 ELSE 'log file validation off; ' END
		    || CASE WHEN t.c ->> '$.includeGlobalServiceEvents' IN (1, 'true') THEN ''
			    ELSE 'global service events off; ' END
		    || CASE WHEN coalesce(t.c ->> '$.cloudWatchLogsLogGroupArn', '') <> '' THEN ''
			    ELSE 'no CloudWatch Logs delivery; ' END, '; ') AS faults,
	       CASE WHEN ts.missing IS NULL AND ts.is_logging IS NOT NULL THEN ts.is_logging
		    WHEN coalesce(t.c ->> '$.isLogging', t.s ->> '$.IsLogging',
				  t.s ->> '$.TrailStatus.IsLogging') IN (1, 'true') THEN 1
		    WHEN coalesce(t.c ->> '$.isLogging', t.s ->> '$.IsLogging',
				  t.s ->> '$.TrailStatus.IsLogging') IN (0, 'false') THEN 0
	       END AS logging,
	       CASE WHEN ts.missing IS NULL AND ts.is_logging IS NOT NULL
		    THEN ' (get-trail-status captured ' || time_text(ts.captured_at) || ')'
		    ELSE '' END AS logging_src,
	       coalesce(ts.missing, 'the answer of aws cloudtrail get-trail-status for '
				    || t.resource_id || ' has no IsLogging') AS logging_missing
	FROM trails t LEFT JOIN cloudtrail_trail_status ts ON ts.item_key = t.item_key
	WHERE :trailName IS NULL OR coalesce(t.c ->> '$.name', t.resource_id) = :trailName
		OR t.resource_id LIKE '%:trail/' || :trailName
), cand AS (
	SELECT * FROM tv WHERE cfg IS NOT NULL AND org AND multi
), summary AS (
	SELECT (SELECT min(name || ' in account ' || account_id || ' (' || region || ')'
			   || logging_src) FROM cand
		WHERE faults = '' AND logging = 1) AS on_trail,
	       (SELECT min(name || ' in account ' || account_id || ' (' || region || ')') FROM cand
		WHERE faults = '' AND logging IS NULL) AS unk_trail,
	       (SELECT min(logging_missing) FROM cand WHERE faults = '' AND logging IS NULL)
	       AS unk_why,
	       (SELECT min(name || ' in account ' || account_id || ': '
			   || CASE WHEN faults <> '' THEN faults ELSE 'not logging' || logging_src END)
		FROM cand WHERE faults <> '' OR logging = 0) AS bad_trail,
	       (SELECT min(resource_id || ' (' || region || ')') FROM tv WHERE cfg IS NULL)
	       AS unrec,
	       (SELECT min(name || ' in account ' || account_id) FROM tv
		WHERE cfg IS NOT NULL AND NOT (org AND multi)) AS plain,
	       (SELECT min(g.account_id || '/' || g.region) FROM inventory_gaps g
		WHERE :managementAccountId IS NULL OR g.account_id = :managementAccountId) AS gap
), lists AS (
	-- the newest list-accounts answers of the management account(s)
	SELECT account_id, captured_at, fresh, error_code FROM evidence
	WHERE service = 'organizations' AND operation = 'list-accounts'
	  AND (:managementAccountId IS NULL OR account_id = :managementAccountId)
), org AS (
	SELECT (SELECT count(*) FROM lists) AS n_lists,
	       (SELECT min(account_id || ' captured ' || time_text(captured_at)) FROM lists
		WHERE fresh AND error_code IS NULL) AS good_list,
	       (SELECT min(CASE WHEN error_code IS NOT NULL AND fresh
				THEN 'aws organizations list-accounts answered ' || error_code
				     || ' in ' || account_id
				ELSE evidence_missing('organizations list-accounts', account_id,
						      captured_at) END) FROM lists
		WHERE NOT fresh OR error_code IS NOT NULL) AS list_missing
), members AS (
	SELECT account_id, min(state) AS state FROM organization_accounts
	WHERE fresh AND (:managementAccountId IS NULL OR management_account_id = :managementAccountId)
	GROUP BY account_id
), acct AS (
	SELECT DISTINCT account_id FROM accounts
	UNION SELECT :managementAccountId WHERE :managementAccountId IS NOT NULL
	UNION SELECT account_id FROM members WHERE state = 'ACTIVE'
), per AS (
	SELECT a.account_id, s.*, o.*,
	       CASE WHEN o.n_lists = 0 THEN 'assumed'
		    WHEN o.good_list IS NULL THEN 'unknown'
		    WHEN m.state = 'ACTIVE' THEN 'member'
		    ELSE 'left' END AS membership,
	       m.state AS state,
	       CASE WHEN s.on_trail IS NOT NULL THEN 'on'
		    WHEN s.unk_trail IS NOT NULL OR s.unrec IS NOT NULL THEN 'unknown'
		    WHEN s.bad_trail IS NOT NULL THEN 'bad'
		    ELSE 'absent' END AS trail
	FROM acct a CROSS JOIN summary s CROSS JOIN org o
	LEFT JOIN members m ON m.account_id = a.account_id
), v AS (
	SELECT per.*,
	       CASE WHEN trail = 'bad' OR membership = 'left' THEN 'NON_COMPLIANT'
		    WHEN trail = 'absent' THEN unless_incomplete('NON_COMPLIANT', gap)
		    WHEN trail = 'on' AND membership IN ('member', 'assumed') THEN 'COMPLIANT'
		    ELSE 'INSUFFICIENT_DATA' END AS verdict
	FROM per
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       'global' AS aws_region, verdict AS compliance_type,
       CASE WHEN membership = 'left'
	      THEN 'not covered: ' || account_id || ' is '
		   || CASE WHEN state IS NULL THEN 'not in the organization''s account list'
			   ELSE state || ' in the organization''s account list' END
		   || ' (aws organizations list-accounts of ' || good_list || ')'
		   || CASE WHEN on_trail IS NOT NULL OR unk_trail IS NOT NULL
			   THEN ', so organization trail ' || coalesce(on_trail, unk_trail)
				|| ' does not log it'
			   ELSE '' END
	    WHEN trail = 'bad' THEN 'not covered: organization trail ' || bad_trail
	    WHEN trail = 'absent'
	      THEN incomplete_note(
		     CASE WHEN plain IS NOT NULL
			    THEN 'not covered: trail ' || plain
				 || ' is not a multi-Region organization trail'
			  ELSE 'not covered: no organization trail'
			       || CASE WHEN :trailName IS NOT NULL THEN ' named ' || :trailName
				       ELSE '' END
			       || CASE WHEN :managementAccountId IS NOT NULL
				       THEN ' in account ' || :managementAccountId ELSE '' END
			       || ' is recorded' END, 'NON_COMPLIANT', gap)
	    WHEN trail = 'unknown' AND unrec IS NOT NULL AND unk_trail IS NULL
	      THEN 'trail ' || unrec || ' is in the data without its configuration '
		   || '(ResourceNotRecorded): its settings are unknown'
	    WHEN trail = 'unknown'
	      THEN 'organization trail ' || unk_trail || ' qualifies; logging unknown: ' || unk_why
	    WHEN membership = 'unknown'
	      THEN 'organization trail ' || on_trail || ' is logging, but membership is unknown: '
		   || list_missing
	    ELSE 'covered by organization trail ' || on_trail
		 || CASE WHEN membership = 'member'
			 THEN '; ACTIVE member (aws organizations list-accounts of ' || good_list
			      || ')'
			 ELSE '; no Organizations account list (aws organizations list-accounts), '
			      || 'every account in the data taken as a member' END
       END AS annotation
FROM v
