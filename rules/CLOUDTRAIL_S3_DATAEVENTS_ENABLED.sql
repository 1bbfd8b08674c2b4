-- identifier: CLOUDTRAIL_S3_DATAEVENTS_ENABLED
-- name: cloudtrail-s3-dataevents-enabled
-- severity: medium (default: logging)
-- remediation: Add an S3 data event selector for all buckets, or the required
--   ones, to a trail (PutEventSelectors DataResources Type=AWS::S3::Object).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   S3BucketNames: string, optional
-- description: At least one trail must log S3 data events (for all
--   buckets, or for each bucket of S3BucketNames); NON_COMPLIANT when no
--   trail does. AWS Config does not record event selectors: the
--   AWS::CloudTrail::Trail item has only hasCustomEventSelectors. A trail
--   with hasCustomEventSelectors false uses the default selector (all
--   management events, no data events), so it logs no S3 data events; a
--   trail with custom (or unknown) selectors might, so its selectors are a
--   missing fact. For each account and Region: the trails that apply are
--   the account's trails of that Region, its multi-Region trails, and the
--   multi-Region organization trails of other accounts. INSUFFICIENT_DATA
--   when one of them has custom or unknown selectors, or is recorded
--   without its configuration; otherwise (every applicable trail uses the
--   default selector, or there is none) NON_COMPLIANT where every Region
--   of the account in the data has a complete inventory (inventory_gaps:
--   a multi-Region trail is recorded in its home Region only),
--   INSUFFICIENT_DATA naming the first gap elsewhere (a trail may be
--   missing from the data). Organization trails of accounts absent from
--   the data cannot be seen. The rule can never conclude COMPLIANT from Config data.
-- missing: trail event selectors (aws cloudtrail get-event-selectors
--   --trail-name TRAIL: EventSelectors[].DataResources of type
--   AWS::S3::Object, or AdvancedEventSelectors with eventCategory Data and
--   resources.type AWS::S3::Object)
WITH tr AS (
	SELECT account_id, region, resource_id, configuration AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
), tv AS (
	SELECT account_id, region, c IS NULL AS unrec,
	       coalesce(json_extract(c, '$.name'), resource_id) AS name,
	       coalesce(json_extract(c, '$.isMultiRegionTrail') IN (1, 'true'), 0) AS multi,
	       coalesce(json_extract(c, '$.isOrganizationTrail') IN (1, 'true'), 0) AS org,
	       json_extract(c, '$.hasCustomEventSelectors') IN (0, 'false') AS default_sel
	FROM tr
), rows AS (
	-- The account and Region pairs and the trails in one set; window
	-- aggregates give each pair what applies to it (the trails of its
	-- Region, the account's multi-Region trails, organization trails)
	-- without a join per pair.
	SELECT a.account_id, a.aws_region AS region, 1 AS pair, NULL AS name, NULL AS dflt,
	       0 AS multi, 0 AS org, 0 AS unrec,
	       -- a multi-Region trail is recorded in its home Region only: every
	       -- Region of the account must have a complete inventory
	       (SELECT min(g.account_id || '/' || g.region) FROM inventory_gaps AS g
		WHERE g.account_id = a.account_id) AS gap
	FROM accounts AS a
	UNION ALL
	SELECT account_id, region, 0, name, coalesce(default_sel, 0), multi, org, unrec, NULL
	FROM tv
), w AS (
	SELECT *,
	       min(CASE WHEN NOT pair AND NOT unrec AND NOT multi AND NOT dflt THEN name END)
		 OVER (PARTITION BY account_id, region) AS region_custom,
	       sum(NOT pair AND NOT unrec AND NOT multi AND dflt)
		 OVER (PARTITION BY account_id, region) AS region_default,
	       min(CASE WHEN NOT pair AND NOT unrec AND multi AND NOT dflt THEN name END)
		 OVER (PARTITION BY account_id) AS multi_custom,
	       sum(NOT pair AND NOT unrec AND multi AND dflt)
		 OVER (PARTITION BY account_id) AS multi_default,
	       sum(NOT pair AND NOT unrec AND multi AND org AND dflt)
		 OVER (PARTITION BY account_id) AS own_org_default,
	       min(CASE WHEN NOT pair AND unrec THEN name || ' (' || region || ')' END)
		 OVER (PARTITION BY account_id) AS unrec_name,
	       -- an organization trail of this account is already among its
	       -- multi-Region trails, which take precedence
	       min(CASE WHEN NOT pair AND NOT unrec AND multi AND org AND NOT dflt
			THEN name || ' (organization trail of ' || account_id || ')' END)
		 OVER () AS org_custom,
	       sum(NOT pair AND NOT unrec AND multi AND org AND dflt) OVER () AS org_default
	FROM rows
), per AS (
	SELECT account_id, region AS aws_region, gap, gap IS NULL AS covered, unrec_name AS unrec,
	       coalesce(region_custom, multi_custom, org_custom) AS custom,
	       region_default + multi_default + org_default - own_org_default AS n_default
	FROM w WHERE pair
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN custom IS NOT NULL OR unrec IS NOT NULL OR NOT covered
		 THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN custom IS NOT NULL
		 THEN 'trail ' || custom || ' has custom event selectors, which AWS Config does not '
		      || 'record: whether it logs S3 data events' ||
		      coalesce(' for ' || nullif(trim(:S3BucketNames), ''), '') ||
		      ' is unknown (aws cloudtrail get-event-selectors)'
	    WHEN unrec IS NOT NULL
		 THEN 'trail ' || unrec || ' is recorded without its configuration '
		      || '(ResourceNotRecorded): its event selectors are unknown '
		      || '(aws cloudtrail get-event-selectors)'
	    WHEN NOT covered
		 THEN 'no trail that may log S3 data events is recorded, but there is no '
		      || 'configuration snapshot of ' || gap
		      || ' at or before ' || as_of() || ' (aws cloudtrail describe-trails, '
		      || 'get-event-selectors)'
	    WHEN n_default > 0
		 THEN 'no trail logs S3 data events: ' || n_default || ' applicable trail(s) use '
		      || 'the default event selector (management events only)'
	    ELSE 'no trail logs S3 data events: the complete inventory of ' || account_id || '/'
		 || aws_region || ' has no CloudTrail trail' END AS annotation
FROM per
