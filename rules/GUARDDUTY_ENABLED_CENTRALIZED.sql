-- identifier: GUARDDUTY_ENABLED_CENTRALIZED
-- name: guardduty-enabled-centralized
-- severity: high (Security Hub GuardDuty.1)
-- remediation: Enable a GuardDuty detector in the Region, administered by the
--   central account when one is set (guardduty CreateDetector, or the delegated
--   administrator's auto-enable).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   CentralMonitoringAccount: string, optional
-- description: GuardDuty must be enabled in every account and Region:
--   COMPLIANT when an AWS::GuardDuty::Detector of the account is recorded
--   in the Region with Enable true; NON_COMPLIANT when the Region has no
--   detector item or only detectors with Enable false. With
--   CentralMonitoringAccount (12-digit account IDs), an enabled detector
--   in a listed account is COMPLIANT; in any other account the rule needs
--   the detector's administrator account, which Config does not record:
--   INSUFFICIENT_DATA (natural reading of "evaluates the results in the
--   centralized account"; not stated by AWS in detail). A detector present
--   only as ResourceNotRecorded (no configuration) gives INSUFFICIENT_DATA
--   unless another detector there is enabled.
--   "No detector in the Region" is concluded only where the Region has a
--   complete inventory (inventory_coverage); otherwise INSUFFICIENT_DATA.
--   Where the items leave it open (no complete inventory, a detector
--   without configuration), evidence within --max-age of the as-of time
--   decides: aws guardduty get-detector (argument: the detector id) with
--   Status ENABLED counts as an enabled detector; aws guardduty
--   list-detectors listing none, or only detectors whose get-detector
--   Status is DISABLED, is NON_COMPLIANT whatever the inventory.
-- missing: with CentralMonitoringAccount: the detector's administrator
--   account (aws guardduty get-administrator-account)
WITH d AS (
	SELECT account_id, region, resource_id, json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::GuardDuty::Detector' AND configuration IS NOT NULL
), unrec AS (
	-- Detectors present without a configuration (ResourceNotRecorded):
	-- their state is unknown.
	SELECT account_id, region, min(resource_id) AS rid
	FROM current_items
	WHERE resource_type = 'AWS::GuardDuty::Detector' AND configuration IS NULL
	GROUP BY account_id, region
), dd AS (
	-- The detectors of each account and Region, grouped once: three
	-- subqueries per account-Region read every detector (O(accounts x
	-- detectors): 0.13 s at 500 accounts x 4 Regions).
	SELECT account_id, region, count(*) AS n_det,
	       min(CASE WHEN coalesce(c ->> '$.Enable', c ->> '$.enable') IN (1, 'true')
			THEN coalesce(c ->> '$.Id', resource_id) END) AS on_id,
	       min(coalesce(c ->> '$.Id', resource_id)) AS any_id
	FROM d GROUP BY account_id, region
), per AS (
	SELECT a.account_id, a.aws_region,
	       coalesce(dd.n_det, 0) AS n_det, dd.on_id AS on_id, dd.any_id AS any_id,
	       :CentralMonitoringAccount IS NOT NULL
	       AND trim(:CentralMonitoringAccount) <> '' AS central,
	       coalesce(csv_contains(:CentralMonitoringAccount, a.account_id), 0) AS listed,
	       (SELECT u.rid FROM unrec u
		WHERE u.account_id = a.account_id AND u.region = a.aws_region) AS unrec_id,
	       (SELECT g.account_id || '/' || g.region FROM inventory_gaps g
		WHERE g.account_id = a.account_id AND g.region = a.aws_region
		  AND NOT EXISTS (SELECT 1 FROM current_items x
				  WHERE x.resource_type = 'AWS::GuardDuty::Detector'
				    AND x.account_id = a.account_id
				    AND x.region = a.aws_region)) AS gap
	FROM accounts a
	LEFT JOIN dd ON dd.account_id = a.account_id AND dd.region = a.aws_region
), ev AS (
	-- Evidence decides where the items do not: the detectors of the
	-- account and Region (aws guardduty list-detectors) and their Status
	-- (aws guardduty get-detector, argument: the detector id).
	SELECT p.*,
	       (SELECT min(g.qualifier) FROM evidence g
		WHERE g.service = 'guardduty' AND g.operation = 'get-detector'
		  AND g.account_id = p.account_id AND g.region = p.aws_region AND g.fresh
		  AND g.error_code IS NULL AND g.body ->> '$.Status' = 'ENABLED') AS ev_on,
	       (SELECT l.error_code IS NULL
		       AND NOT EXISTS (SELECT 1 FROM json_each(l.body, '$.DetectorIds') i
				       WHERE NOT EXISTS (
					 SELECT 1 FROM evidence g
					 WHERE g.service = 'guardduty' AND g.operation = 'get-detector'
					   AND g.account_id = p.account_id
					   AND g.region = p.aws_region AND g.qualifier = i.value
					   AND g.fresh AND g.error_code IS NULL
					   AND g.body ->> '$.Status' = 'DISABLED'))
		FROM evidence l
		WHERE l.service = 'guardduty' AND l.operation = 'list-detectors'
		  AND l.account_id = p.account_id AND l.region = p.aws_region AND l.fresh)
		 AS ev_off
	FROM per p
), per2 AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT account_id, aws_region, n_det, any_id, central, listed, unrec_id,
	       coalesce(on_id, ev_on) AS on_id, on_id IS NULL AND ev_on IS NOT NULL AS by_ev,
	       on_id IS NULL AND ev_on IS NULL AND coalesce(ev_off, 0) AS ev_off,
	       CASE WHEN on_id IS NULL AND (ev_on IS NOT NULL OR coalesce(ev_off, 0)) THEN NULL
		    ELSE gap END AS gap
	FROM ev
)
SELECT resource_type, resource_id, account_id, aws_region,
       unless_incomplete(compliance_type, gap) AS compliance_type,
       incomplete_note(annotation, compliance_type, gap) AS annotation
FROM (SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region,
       CASE
	 WHEN ev_off THEN 'NON_COMPLIANT'
	 WHEN on_id IS NULL AND unrec_id IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN on_id IS NULL THEN 'NON_COMPLIANT'
	 WHEN NOT central OR listed THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN ev_off
	   THEN 'aws guardduty list-detectors and get-detector show no enabled detector in '
		|| account_id || '/' || aws_region
	 WHEN on_id IS NULL AND unrec_id IS NOT NULL
	   THEN 'GuardDuty detector ' || unrec_id || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its state is unknown'
	 WHEN n_det = 0 AND on_id IS NULL THEN 'no GuardDuty detector is recorded for this account in this Region'
	 WHEN on_id IS NULL THEN 'GuardDuty detector ' || any_id || ' has Enable false'
	 WHEN NOT central THEN 'GuardDuty detector ' || on_id || ' is enabled'
		|| CASE WHEN by_ev THEN ' (aws guardduty get-detector: Status ENABLED)' ELSE '' END
	 WHEN listed THEN 'GuardDuty detector ' || on_id
		|| ' is enabled in this account, which is listed in CentralMonitoringAccount'
	 ELSE 'GuardDuty detector ' || on_id || ' is enabled; its administrator account is not in '
	      || 'AWS Config data (aws guardduty get-administrator-account)'
       END AS annotation,
       gap
	FROM per2);
