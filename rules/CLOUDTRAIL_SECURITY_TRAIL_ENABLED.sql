-- identifier: CLOUDTRAIL_SECURITY_TRAIL_ENABLED
-- name: cloudtrail-security-trail-enabled
-- severity: medium (default: logging)
-- remediation: Create or update a multi-Region trail that logs read and write
--   management events, with log file validation and KMS encryption (CreateTrail
--   IsMultiRegionTrail=true, EnableLogFileValidation=true, KmsKeyId).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: COMPLIANT when at least one trail of the account records
--   global service events, is multi-Region, has log file validation, is
--   encrypted with a KMS key, records read and write management events and
--   excludes none; NON_COMPLIANT when no trail meets all of them. The first
--   four are in the trail item. A trail with hasCustomEventSelectors false
--   uses the default selectors (all read and write management events, no
--   exclusions), so it meets the last three; custom selectors are not
--   recorded, so a trail that meets the first four with custom (or unknown)
--   selectors gives INSUFFICIENT_DATA unless another trail is COMPLIANT.
--   An organization trail recorded in another account may qualify too
--   (membership not in the items): INSUFFICIENT_DATA then. Whether the
--   trail must be logging is not stated by AWS; it is not required here.
--   A trail of the account present only as ResourceNotRecorded (no
--   configuration) turns a NON_COMPLIANT verdict into INSUFFICIENT_DATA.
--   A NON_COMPLIANT verdict concludes that no qualifying trail exists, and a
--   multi-Region trail is recorded in its home Region only: it is given
--   only when every Region of the account in the data has a complete
--   inventory (inventory_gaps); otherwise INSUFFICIENT_DATA naming the
--   first Region without a snapshot at or before the as-of time.
-- missing: event selectors of trails with custom selectors (aws cloudtrail
--   get-event-selectors); organization membership for organization trails
--   of other accounts (aws organizations list-accounts)
WITH trails AS (
	SELECT account_id, region, resource_id, json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NOT NULL
), tv AS (
	SELECT account_id, region, coalesce(c ->> '$.name', resource_id) AS name,
	       coalesce(c ->> '$.isOrganizationTrail' IN (1, 'true'), 0) AS org,
	       coalesce(c ->> '$.includeGlobalServiceEvents' IN (1, 'true'), 0) AS g,
	       coalesce(c ->> '$.isMultiRegionTrail' IN (1, 'true'), 0) AS m,
	       coalesce(c ->> '$.logFileValidationEnabled' IN (1, 'true'), 0) AS v,
	       trim(coalesce(c ->> '$.kmsKeyId', '')) <> '' AS k,
	       c ->> '$.hasCustomEventSelectors' IN (0, 'false') AS default_sel
	FROM trails
), tm AS (
	SELECT *, g AND m AND v AND k AS base_ok,
	       substr(CASE WHEN m THEN '' ELSE ', not multi-Region' END
		      || CASE WHEN g THEN '' ELSE ', no global service events' END
		      || CASE WHEN v THEN '' ELSE ', no log file validation' END
		      || CASE WHEN k THEN '' ELSE ', no KMS key' END, 3) AS lacks
	FROM tv
), orgs AS (
	-- Organization trails are few: group them once instead of scanning
	-- every trail for every account.
	SELECT account_id, min(name || ' in account ' || account_id) AS label
	FROM tm WHERE org AND base_ok GROUP BY account_id
), unrec AS (
	-- Trails present without a configuration (ResourceNotRecorded): their
	-- settings are unknown, so they forbid a NON_COMPLIANT verdict.
	SELECT account_id, min(resource_id || ' (' || region || ')') AS label
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NULL
	GROUP BY account_id
), per AS (
	SELECT a.account_id, a.aws_region,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND base_ok AND default_sel) AS ok_name,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND base_ok AND coalesce(default_sel, 0) = 0) AS sel_name,
	       (SELECT min(o.label) FROM orgs o WHERE o.account_id <> a.account_id) AS org_name,
	       (SELECT min(u.label) FROM unrec u WHERE u.account_id = a.account_id) AS unrec_name,
	       (SELECT min(name || ': ' || lacks) FROM tm
		WHERE tm.account_id = a.account_id) AS worst,
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
	 WHEN ok_name IS NOT NULL THEN 'COMPLIANT'
	 WHEN sel_name IS NOT NULL OR org_name IS NOT NULL OR unrec_name IS NOT NULL
	   THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN ok_name IS NOT NULL
	   THEN 'trail ' || ok_name || ' is multi-Region with global service events, log file '
		|| 'validation, KMS encryption and default event selectors (all management events)'
	 WHEN sel_name IS NOT NULL
	   THEN 'trail ' || sel_name || ' meets the recorded criteria but has custom event '
		|| 'selectors, which are not in AWS Config data '
		|| '(aws cloudtrail get-event-selectors)'
	 WHEN org_name IS NOT NULL
	   THEN 'no trail of this account qualifies; organization trail ' || org_name
		|| ' may (membership not in AWS Config data: aws organizations list-accounts)'
	 WHEN unrec_name IS NOT NULL
	   THEN 'trail ' || unrec_name || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its settings are unknown'
	 WHEN worst IS NOT NULL THEN 'no trail meets all criteria; ' || worst
	 ELSE 'no CloudTrail trail is recorded for this account'
       END AS annotation,
       gap
	FROM per);
