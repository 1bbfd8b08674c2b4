-- identifier: CLOUDTRAIL_SECURITY_TRAIL_ENABLED
-- name: cloudtrail-security-trail-enabled
-- severity: medium (default: logging)
-- remediation: Create or update a multi-Region trail that logs read and write
--   management events, with log file validation and KMS encryption (CreateTrail
--   IsMultiRegionTrail=true, EnableLogFileValidation=true, KmsKeyId).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: COMPLIANT when at least one trail covering the account
--   records global service events, is multi-Region, has log file
--   validation, is encrypted with a KMS key, records read and write
--   management events and excludes none; NON_COMPLIANT when no trail meets
--   all of them. The first four are in the trail item. The event selectors
--   come from cloudtrail_event_selectors: the trail's aws cloudtrail
--   get-event-selectors evidence within --max-age (basic EventSelectors:
--   IncludeManagementEvents, ReadWriteType, ExcludeManagementEventSources;
--   AdvancedEventSelectors: eventCategory Management, readOnly, and any
--   eventSource condition counts as an exclusion), else the item when
--   hasCustomEventSelectors is false (the default selector: all read and
--   write management events, none excluded); a trail that meets the first
--   four but whose selectors are unknown gives INSUFFICIENT_DATA unless
--   another trail is COMPLIANT. An organization trail recorded in another
--   (management) account covers the account when cloudtrail_org_members
--   says it is a member (that account's aws organizations list-accounts,
--   else the account's describe-organization, within --max-age); not a
--   member: it does not; unknown: INSUFFICIENT_DATA naming the missing
--   evidence. Whether the trail must be logging is not stated by AWS; it
--   is not required here.
--   A trail of the account present only as ResourceNotRecorded (no
--   configuration) turns a NON_COMPLIANT verdict into INSUFFICIENT_DATA.
--   A NON_COMPLIANT verdict concludes that no qualifying trail exists, and a
--   multi-Region trail is recorded in its home Region only: it is given
--   only when every Region of the account in the data has a complete
--   inventory (inventory_gaps); otherwise INSUFFICIENT_DATA naming the
--   first Region without a snapshot at or before the as-of time.
-- missing: event selectors of trails with custom selectors (aws cloudtrail
--   get-event-selectors); organization membership for organization trails
--   of other accounts (aws organizations list-accounts of the management
--   account, or describe-organization of the member)
WITH trails AS (
	SELECT item_key, account_id, region, resource_id, json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NOT NULL
), tv AS (
	SELECT t.account_id, t.region, coalesce(c ->> '$.name', t.resource_id) AS name,
	       coalesce(c ->> '$.isOrganizationTrail' IN (1, 'true'), 0) AS org,
	       coalesce(c ->> '$.includeGlobalServiceEvents' IN (1, 'true'), 0) AS g,
	       coalesce(c ->> '$.isMultiRegionTrail' IN (1, 'true'), 0) AS m,
	       coalesce(c ->> '$.logFileValidationEnabled' IN (1, 'true'), 0) AS v,
	       trim(coalesce(c ->> '$.kmsKeyId', '')) <> '' AS k,
	       es.source IS NOT NULL AS known, es.missing AS sel_missing,
	       es.management_reads AS r, es.management_writes AS w,
	       es.excluded_sources AS excluded
	FROM trails t LEFT JOIN cloudtrail_event_selectors es ON es.item_key = t.item_key
), tm AS (
	SELECT *, g AND m AND v AND k AS base_ok,
	       known AND r AND w AND excluded IS NULL AS sel_ok,
	       substr(CASE WHEN m THEN '' ELSE ', not multi-Region' END
		      || CASE WHEN g THEN '' ELSE ', no global service events' END
		      || CASE WHEN v THEN '' ELSE ', no log file validation' END
		      || CASE WHEN k THEN '' ELSE ', no KMS key' END
		      || CASE WHEN known AND NOT r THEN ', no read management events' ELSE '' END
		      || CASE WHEN known AND NOT w THEN ', no write management events' ELSE '' END
		      || CASE WHEN known AND excluded IS NOT NULL
			      THEN ', excludes ' || excluded ELSE '' END, 3) AS lacks
	FROM tv
), om AS (
	-- Organization trails (few) that qualify otherwise, each with the other
	-- accounts and whether they are members of its organization.
	SELECT tm.*, name || ' in account ' || tm.account_id AS label,
	       mb.account_id AS member_account, mb.member, mb.source, mb.missing
	FROM tm JOIN cloudtrail_org_members mb ON mb.management_account_id = tm.account_id
	WHERE org AND base_ok
), unrec AS MATERIALIZED (
	-- Trails present without a configuration (ResourceNotRecorded): their
	-- settings are unknown, so they forbid a NON_COMPLIANT verdict.
	SELECT account_id, min(resource_id || ' (' || region || ')') AS label
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NULL
	GROUP BY account_id
), per AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT a.account_id, a.aws_region,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND base_ok AND sel_ok) AS ok_name,
	       (SELECT min(name || ': ' || sel_missing) FROM tm WHERE tm.account_id = a.account_id
		  AND base_ok AND NOT known) AS sel_name,
	       (SELECT min(label || ' covers this account (a member of its organization by '
		       || source || ')') FROM om
		WHERE member_account = a.account_id AND member = 1 AND sel_ok) AS org_ok_name,
	       (SELECT min(label || ': ' || sel_missing) FROM om
		WHERE member_account = a.account_id AND member = 1 AND NOT known) AS org_sel_name,
	       (SELECT min(label || ': ' || lacks) FROM om
		WHERE member_account = a.account_id AND member = 1 AND known AND NOT sel_ok) AS org_misfit_name,
	       (SELECT min(label || ' may cover this account: ' || missing) FROM om
		WHERE member_account = a.account_id AND member IS NULL) AS org_name,
	       (SELECT min(u.label) FROM unrec u WHERE u.account_id = a.account_id) AS unrec_name,
	       (SELECT min(name || ': ' || lacks) FROM tm
		WHERE tm.account_id = a.account_id AND lacks <> '') AS worst,
	       (SELECT min(g.account_id || '/' || g.region) FROM inventory_gaps g
		WHERE g.account_id = a.account_id) AS gap
	FROM accounts a
)
SELECT resource_type, resource_id, account_id, aws_region,
       unless_incomplete(compliance_type, gap) AS compliance_type,
       incomplete_note(annotation, compliance_type, gap) AS annotation
FROM (SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region,
       CASE
	 WHEN ok_name IS NOT NULL OR org_ok_name IS NOT NULL THEN 'COMPLIANT'
	 WHEN sel_name IS NOT NULL OR org_sel_name IS NOT NULL OR org_name IS NOT NULL
	      OR unrec_name IS NOT NULL
	   THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN ok_name IS NOT NULL
	   THEN 'trail ' || ok_name || ' is multi-Region with global service events, log file '
		|| 'validation, KMS encryption, and records all read and write management events'
	 WHEN org_ok_name IS NOT NULL
	   THEN 'organization trail ' || org_ok_name || ' and meets every criterion'
	 WHEN sel_name IS NOT NULL
	   THEN 'trail ' || sel_name
	 WHEN org_sel_name IS NOT NULL
	   THEN 'organization trail ' || org_sel_name
	 WHEN org_name IS NOT NULL
	   THEN 'organization trail ' || org_name
	 WHEN unrec_name IS NOT NULL
	   THEN 'trail ' || unrec_name || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its settings are unknown'
	 WHEN worst IS NOT NULL THEN 'no trail meets all criteria; ' || worst
	 WHEN org_misfit_name IS NOT NULL
	   THEN 'no trail meets all criteria; organization trail ' || org_misfit_name
	 ELSE 'no CloudTrail trail is recorded for this account'
       END AS annotation,
       gap
	FROM per);
