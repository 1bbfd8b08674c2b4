-- identifier: CLOUD_TRAIL_ENABLED
-- name: cloudtrail-enabled
-- severity: high (Security Hub CloudTrail.3)
-- remediation: Create a trail and start logging (CreateTrail, StartLogging).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   s3BucketName: string, optional
--   snsTopicArn: string, optional
--   cloudWatchLogsLogGroupArn: string, optional
-- description: Each account and Region must have an enabled CloudTrail
--   trail, and with the optional parameters the trail must use that S3
--   bucket, SNS topic and log group. A trail covers a Region when it is
--   recorded there or is multi-Region (isMultiRegionTrail) anywhere in the
--   same account; a trail that differs from a given parameter does not
--   count. "Enabled" is read as "logging" (not stated by AWS). The trail
--   item does not record the logging state, so: no covering trail ->
--   NON_COMPLIANT; a covering, matching trail whose item says isLogging
--   true -> COMPLIANT, false -> NON_COMPLIANT; when the item does not say
--   (the usual case), evidence of aws cloudtrail get-trail-status --name
--   TRAIL within --max-age of the as-of time (IsLogging; the argument in
--   the file name is the trail's ARN, or its name in its home Region's
--   folder) decides; unknown -> INSUFFICIENT_DATA. An organization trail
--   recorded in another (management) account covers this one as its own
--   (same Region rule, same logging test) when cloudtrail_org_members says
--   the account is a member (the management account's aws organizations
--   list-accounts, else the account's describe-organization, within
--   --max-age); not a member: it does not cover it; unknown:
--   INSUFFICIENT_DATA naming the missing evidence.
--   A trail of the account present only as ResourceNotRecorded (no
--   configuration) turns a NON_COMPLIANT verdict into INSUFFICIENT_DATA.
--   A NON_COMPLIANT verdict concludes that no qualifying trail exists, and a
--   multi-Region trail is recorded in its home Region only: it is given
--   only when every Region of the account in the data has a complete
--   inventory (inventory_gaps); otherwise INSUFFICIENT_DATA naming the
--   first Region without a snapshot at or before the as-of time.
-- missing: the trail logging state (aws cloudtrail get-trail-status,
--   IsLogging); organization membership for organization trails of other
--   accounts (aws organizations list-accounts of the management account, or
--   describe-organization of the member)
WITH trails AS (
	SELECT account_id, region, resource_id,
	       json_unstring(configuration) AS c, json_unstring(supplementary) AS s
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NOT NULL
), tv AS (
	SELECT account_id, region, coalesce(c ->> '$.name', resource_id) AS name,
	       c ->> '$.isMultiRegionTrail' IN (1, 'true') AS multi,
	       c ->> '$.isOrganizationTrail' IN (1, 'true') AS org,
	       (:s3BucketName IS NULL OR c ->> '$.s3BucketName' = :s3BucketName)
	       AND (:snsTopicArn IS NULL
		    OR coalesce(c ->> '$.snsTopicARN', c ->> '$.snsTopicArn') = :snsTopicArn)
	       AND (:cloudWatchLogsLogGroupArn IS NULL
		    OR c ->> '$.cloudWatchLogsLogGroupArn' = :cloudWatchLogsLogGroupArn) AS matches,
	       CASE
		 WHEN coalesce(c ->> '$.isLogging', s ->> '$.IsLogging', s ->> '$.isLogging',
			       s ->> '$.TrailStatus.isLogging', s ->> '$.TrailStatus.IsLogging')
		      IN (1, 'true') THEN 1
		 WHEN coalesce(c ->> '$.isLogging', s ->> '$.IsLogging', s ->> '$.isLogging',
			       s ->> '$.TrailStatus.isLogging', s ->> '$.TrailStatus.IsLogging')
		      IN (0, 'false') THEN 0
		 -- else the trail's status in evidence: aws cloudtrail
		 -- get-trail-status --name TRAIL (argument: its ARN, or its name
		 -- in its home Region's folder)
		 ELSE (SELECT ts.is_logging FROM cloudtrail_trail_status ts
		       WHERE ts.account_id = trails.account_id AND ts.region = trails.region
			 AND ts.resource_id = trails.resource_id AND ts.missing IS NULL)
	       END AS logging
	FROM trails
), orgs AS (
	-- Organization trails are few: the matching ones, with the label the
	-- annotations give them.
	SELECT account_id, region, multi, logging,
	       name || ' in account ' || account_id AS label
	FROM tv WHERE org AND matches
), om AS (
	-- Each organization trail with the accounts it may cover and whether
	-- they are members (1, 0, or NULL and why not known).
	SELECT o.*, mb.account_id AS member_account, mb.member, mb.source, mb.missing
	FROM orgs o JOIN cloudtrail_org_members mb ON mb.management_account_id = o.account_id
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
	       (SELECT count(*) FROM tv WHERE tv.account_id = a.account_id
		  AND (tv.region = a.aws_region OR tv.multi)) AS n_cover,
	       (SELECT min(name) FROM tv WHERE tv.account_id = a.account_id
		  AND (tv.region = a.aws_region OR tv.multi) AND matches AND logging = 1)
	       AS on_name,
	       (SELECT min(name || ' (' || region || ')') FROM tv WHERE tv.account_id = a.account_id
		  AND (tv.region = a.aws_region OR tv.multi) AND matches AND logging IS NULL)
	       AS unk_name,
	       (SELECT min(name) FROM tv WHERE tv.account_id = a.account_id
		  AND (tv.region = a.aws_region OR tv.multi) AND matches AND logging = 0)
	       AS off_name,
	       (SELECT min(om.label || ' covers this Region (a member of its organization by '
		       || om.source || ') and is logging') FROM om
		WHERE om.member_account = a.account_id AND om.member = 1
		  AND (om.region = a.aws_region OR om.multi) AND om.logging = 1) AS org_on_name,
	       (SELECT min(om.label) FROM om
		WHERE om.member_account = a.account_id AND om.member = 1
		  AND (om.region = a.aws_region OR om.multi) AND om.logging IS NULL) AS org_unk_name,
	       (SELECT min(om.label) FROM om
		WHERE om.member_account = a.account_id AND om.member = 1
		  AND (om.region = a.aws_region OR om.multi) AND om.logging = 0) AS org_off_name,
	       (SELECT min(om.label || ' may cover this account: ' || om.missing) FROM om
		WHERE om.member_account = a.account_id AND om.member IS NULL
		  AND (om.region = a.aws_region OR om.multi)) AS org_name,
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
	 WHEN on_name IS NOT NULL OR org_on_name IS NOT NULL THEN 'COMPLIANT'
	 WHEN unk_name IS NOT NULL OR org_unk_name IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN org_name IS NOT NULL OR unrec_name IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN on_name IS NOT NULL THEN 'trail ' || on_name || ' covers this Region and is logging'
	 WHEN unk_name IS NOT NULL
	   THEN 'trail ' || unk_name || ' covers this Region but its logging state is not in '
		|| 'AWS Config data (aws cloudtrail get-trail-status)'
	 WHEN org_on_name IS NOT NULL THEN 'organization trail ' || org_on_name
	 WHEN org_unk_name IS NOT NULL
	   THEN 'organization trail ' || org_unk_name || ' covers this Region but its logging '
		|| 'state is not in AWS Config data (aws cloudtrail get-trail-status)'
	 WHEN org_name IS NOT NULL THEN 'organization trail ' || org_name
	 WHEN unrec_name IS NOT NULL
	   THEN 'trail ' || unrec_name || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its settings are unknown'
	 WHEN off_name IS NOT NULL
	   THEN 'trail ' || off_name || ' covers this Region but is not logging'
	 WHEN org_off_name IS NOT NULL
	   THEN 'organization trail ' || org_off_name || ' covers this Region but is not logging'
	 WHEN n_cover > 0
	   THEN 'no trail covering this Region uses the required '
		|| trim(CASE WHEN :s3BucketName IS NOT NULL THEN 's3BucketName ' ELSE '' END
		   || CASE WHEN :snsTopicArn IS NOT NULL THEN 'snsTopicArn ' ELSE '' END
		   || CASE WHEN :cloudWatchLogsLogGroupArn IS NOT NULL
			   THEN 'cloudWatchLogsLogGroupArn' ELSE '' END)
	 ELSE 'no CloudTrail trail of this account is recorded in this Region or is multi-Region'
       END AS annotation,
       gap
	FROM per);
