-- identifier: MULTI_REGION_CLOUD_TRAIL_ENABLED
-- name: multi-region-cloudtrail-enabled
-- severity: high (Security Hub CloudTrail.1)
-- remediation: Create or update a trail with IsMultiRegionTrail=true that logs
--   read and write management events, and start logging (UpdateTrail,
--   PutEventSelectors, StartLogging).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   s3BucketName: string, optional
--   snsTopicArn: string, optional
--   cloudWatchLogsLogGroupArn: string, optional
--   includeManagementEvents: bool, optional
--   readWriteType: string, optional
-- description: The account needs at least one multi-Region trail
--   (isMultiRegionTrail) that uses the given S3 bucket, SNS topic and log
--   group, and whose event selectors include management events, exclude
--   none and match includeManagementEvents and readWriteType (ReadOnly,
--   WriteOnly, ALL; compared case-insensitively). NON_COMPLIANT when no
--   trail qualifies. A trail with hasCustomEventSelectors false uses the
--   default selectors (all read and write management events, no
--   exclusions) and is judged from its item; custom selectors are not
--   recorded, so a trail that qualifies otherwise but has custom (or
--   unknown) selectors gives INSUFFICIENT_DATA unless another trail is
--   COMPLIANT. An organization trail recorded in another account may
--   qualify: where that management account's aws organizations
--   list-accounts evidence within --max-age (organization_accounts) lists
--   the account ACTIVE, the trail counts as the account's own; where it
--   does not list it, the trail does not cover it; with no such evidence
--   (membership not in the items): INSUFFICIENT_DATA. Whether
--   the trail must be logging is not stated by AWS; it is not required.
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
	       coalesce(c ->> '$.isMultiRegionTrail' IN (1, 'true'), 0) AS m,
	       coalesce((:s3BucketName IS NULL OR c ->> '$.s3BucketName' = :s3BucketName)
			AND (:snsTopicArn IS NULL
			     OR coalesce(c ->> '$.snsTopicARN', c ->> '$.snsTopicArn')
				= :snsTopicArn)
			AND (:cloudWatchLogsLogGroupArn IS NULL
			     OR c ->> '$.cloudWatchLogsLogGroupArn' = :cloudWatchLogsLogGroupArn),
			0) AS matches,
	       c ->> '$.hasCustomEventSelectors' IN (0, 'false') AS default_sel
	FROM trails
), tm AS (
	SELECT *,
	       (:includeManagementEvents IS NULL OR :includeManagementEvents = 1)
	       AND (:readWriteType IS NULL OR upper(trim(:readWriteType)) = 'ALL') AS default_fits
	FROM tv
), orgs AS (
	-- Organization trails are few: group them once instead of scanning
	-- every trail for every account.
	SELECT account_id, min(name || ' in account ' || account_id) AS label,
	       min(CASE WHEN default_sel AND default_fits
			THEN name || ' in account ' || account_id END) AS ok_label
	FROM tm WHERE org AND m AND matches GROUP BY account_id
), members AS (
	-- What the management accounts' list-accounts evidence says of each
	-- account: member (1) or not (0) of that management account's
	-- organization; no row where there is no fresh list.
	SELECT o.account_id AS mgmt, a.account_id,
	       EXISTS (SELECT 1 FROM organization_accounts x
		       WHERE x.management_account_id = o.account_id
			 AND x.account_id = a.account_id
			 AND coalesce(x.state, 'ACTIVE') = 'ACTIVE') AS member
	FROM orgs o JOIN (SELECT DISTINCT account_id FROM accounts) a
	  ON a.account_id <> o.account_id
	WHERE EXISTS (SELECT 1 FROM organization_accounts x
		      WHERE x.management_account_id = o.account_id AND x.fresh)
), unrec AS (
	-- Trails present without a configuration (ResourceNotRecorded): their
	-- settings are unknown, so they forbid a NON_COMPLIANT verdict.
	SELECT account_id, min(resource_id || ' (' || region || ')') AS label
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NULL
	GROUP BY account_id
), per AS (
	SELECT a.account_id, a.aws_region,
	       (SELECT count(*) FROM tm WHERE tm.account_id = a.account_id AND m) AS n_multi,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND default_sel AND default_fits) AS ok_name,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND coalesce(default_sel, 0) = 0) AS sel_name,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND default_sel AND NOT default_fits) AS misfit_name,
	       (SELECT min(o.label) FROM orgs o WHERE o.account_id <> a.account_id
		  AND NOT EXISTS (SELECT 1 FROM members mb WHERE mb.mgmt = o.account_id
				  AND mb.account_id = a.account_id)) AS org_name,
	       (SELECT min(o.ok_label) FROM orgs o JOIN members mb ON mb.mgmt = o.account_id
		WHERE mb.account_id = a.account_id AND mb.member) AS org_ok_name,
	       (SELECT min(u.label) FROM unrec u WHERE u.account_id = a.account_id) AS unrec_name,
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
	 WHEN sel_name IS NOT NULL OR org_name IS NOT NULL OR unrec_name IS NOT NULL
	   THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN ok_name IS NOT NULL
	   THEN 'multi-Region trail ' || ok_name
		|| ' matches the parameters and uses default event selectors '
		|| '(all management events)'
	 WHEN org_ok_name IS NOT NULL
	   THEN 'organization trail ' || org_ok_name || ' covers this account (a member in its '
		|| 'management account''s aws organizations list-accounts) and uses default '
		|| 'event selectors'
	 WHEN sel_name IS NOT NULL
	   THEN 'multi-Region trail ' || sel_name || ' has custom event selectors, which are not '
		|| 'in AWS Config data (aws cloudtrail get-event-selectors)'
	 WHEN org_name IS NOT NULL
	   THEN 'no multi-Region trail of this account; organization trail ' || org_name
		|| ' may cover it (membership not in AWS Config data: '
		|| 'aws organizations list-accounts)'
	 WHEN unrec_name IS NOT NULL
	   THEN 'trail ' || unrec_name || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its settings are unknown'
	 WHEN misfit_name IS NOT NULL
	   THEN 'multi-Region trail ' || misfit_name || ' records all read and write management '
		|| 'events, which differs from includeManagementEvents/readWriteType'
	 WHEN n_multi > 0
	   THEN 'no multi-Region trail uses the required '
		|| trim(CASE WHEN :s3BucketName IS NOT NULL THEN 's3BucketName ' ELSE '' END
		   || CASE WHEN :snsTopicArn IS NOT NULL THEN 'snsTopicArn ' ELSE '' END
		   || CASE WHEN :cloudWatchLogsLogGroupArn IS NOT NULL
			   THEN 'cloudWatchLogsLogGroupArn' ELSE '' END)
	 ELSE 'no multi-Region CloudTrail trail is recorded for this account'
       END AS annotation,
       gap
	FROM per);
