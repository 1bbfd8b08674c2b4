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
--   group, and whose event selectors match includeManagementEvents and
--   readWriteType (ReadOnly, WriteOnly, ALL; compared case-insensitively)
--   and exclude no management event source (AWS: NON_COMPLIANT when
--   ExcludeManagementEventSources is not empty or management events such
--   as KMS or RDS Data API events are excluded). Without the parameters a
--   trail must record read and write management events, as Security Hub
--   CloudTrail.1 asks (AWS leaves the default unstated);
--   includeManagementEvents false asks for a trail without management
--   events. NON_COMPLIANT when no trail qualifies. The selectors come from
--   cloudtrail_event_selectors: the trail's aws cloudtrail
--   get-event-selectors evidence within --max-age (basic EventSelectors:
--   IncludeManagementEvents, ReadWriteType, ExcludeManagementEventSources;
--   AdvancedEventSelectors: eventCategory Management, readOnly,
--   eventSource conditions count as exclusions), else the item when
--   hasCustomEventSelectors is false (the default selector: all read and
--   write management events); a trail that qualifies otherwise but whose
--   selectors are unknown gives INSUFFICIENT_DATA unless another trail is
--   COMPLIANT. An organization trail recorded in another (management)
--   account covers the account when cloudtrail_org_members says it is a
--   member (that account's aws organizations list-accounts, else the
--   account's describe-organization, within --max-age); not a member: it
--   does not cover it; unknown: INSUFFICIENT_DATA naming the missing
--   evidence. Whether the trail must be logging is not stated by AWS; it
--   is not required.
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
	       coalesce(c ->> '$.isMultiRegionTrail' IN (1, 'true'), 0) AS m,
	       coalesce((:s3BucketName IS NULL OR c ->> '$.s3BucketName' = :s3BucketName)
			AND (:snsTopicArn IS NULL
			     OR coalesce(c ->> '$.snsTopicARN', c ->> '$.snsTopicArn')
				= :snsTopicArn)
			AND (:cloudWatchLogsLogGroupArn IS NULL
			     OR c ->> '$.cloudWatchLogsLogGroupArn' = :cloudWatchLogsLogGroupArn),
			0) AS matches,
	       es.source IS NOT NULL AS known, es.missing AS sel_missing,
	       CASE WHEN es.management_reads AND es.management_writes THEN 'ALL'
		    WHEN es.management_reads THEN 'READONLY'
		    WHEN es.management_writes THEN 'WRITEONLY' END AS rw,
	       es.excluded_sources AS excluded
	FROM trails t LEFT JOIN cloudtrail_event_selectors es ON es.item_key = t.item_key
), tm AS (
	SELECT *,
	       CASE WHEN coalesce(:includeManagementEvents, 1) = 1
		    THEN coalesce(rw = upper(trim(coalesce(:readWriteType, 'ALL'))), 0)
			 AND excluded IS NULL
		    ELSE rw IS NULL END AS fits,
	       CASE WHEN rw IS NULL THEN 'records no management events'
		    ELSE 'records ' || CASE rw WHEN 'ALL' THEN 'read and write'
					       WHEN 'READONLY' THEN 'read-only'
					       ELSE 'write-only' END
			 || ' management events' || coalesce(' but excludes ' || excluded, '')
	       END AS records
	FROM tv
), om AS (
	-- Organization trails (few) that qualify otherwise, each with the other
	-- accounts and whether they are members of its organization.
	SELECT tm.*, name || ' in account ' || tm.account_id AS label,
	       mb.account_id AS member_account, mb.member, mb.source, mb.missing
	FROM tm JOIN cloudtrail_org_members mb ON mb.management_account_id = tm.account_id
	WHERE org AND m AND matches
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
	       (SELECT count(*) FROM tm WHERE tm.account_id = a.account_id AND m) AS n_multi,
	       (SELECT min(name) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND known AND fits) AS ok_name,
	       (SELECT min(name || ': ' || sel_missing) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND NOT known) AS sel_name,
	       (SELECT min(name || ' ' || records) FROM tm WHERE tm.account_id = a.account_id
		  AND m AND matches AND known AND NOT fits) AS misfit_name,
	       (SELECT min(label || ' covers this account (a member of its organization by '
		       || source || ')') FROM om
		WHERE member_account = a.account_id AND member = 1 AND known AND fits) AS org_ok_name,
	       (SELECT min(label || ': ' || sel_missing) FROM om
		WHERE member_account = a.account_id AND member = 1 AND NOT known) AS org_sel_name,
	       (SELECT min(label || ' ' || records) FROM om
		WHERE member_account = a.account_id AND member = 1 AND known AND NOT fits) AS org_misfit_name,
	       (SELECT min(label || ' may cover this account: ' || missing) FROM om
		WHERE member_account = a.account_id AND member IS NULL) AS org_name,
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
	 WHEN sel_name IS NOT NULL OR org_sel_name IS NOT NULL OR org_name IS NOT NULL
	      OR unrec_name IS NOT NULL
	   THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN ok_name IS NOT NULL
	   THEN 'multi-Region trail ' || ok_name || ' matches the parameters and its event '
		|| 'selectors record the management events asked for'
	 WHEN org_ok_name IS NOT NULL
	   THEN 'organization trail ' || org_ok_name || ' and its event selectors record the '
		|| 'management events asked for'
	 WHEN sel_name IS NOT NULL
	   THEN 'multi-Region trail ' || sel_name
	 WHEN org_sel_name IS NOT NULL
	   THEN 'organization trail ' || org_sel_name
	 WHEN org_name IS NOT NULL
	   THEN 'organization trail ' || org_name
	 WHEN unrec_name IS NOT NULL
	   THEN 'trail ' || unrec_name || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its settings are unknown'
	 WHEN misfit_name IS NOT NULL
	   THEN 'multi-Region trail ' || misfit_name || ', which differs from '
		|| 'includeManagementEvents/readWriteType or excludes management events'
	 WHEN org_misfit_name IS NOT NULL
	   THEN 'organization trail ' || org_misfit_name || ', which differs from '
		|| 'includeManagementEvents/readWriteType or excludes management events'
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
