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
), per AS (
	SELECT a.account_id, a.aws_region,
	       (SELECT count(*) FROM d WHERE d.account_id = a.account_id
		  AND d.region = a.aws_region) AS n_det,
	       (SELECT min(coalesce(d.c ->> '$.Id', d.resource_id)) FROM d
		WHERE d.account_id = a.account_id AND d.region = a.aws_region
		  AND coalesce(d.c ->> '$.Enable', d.c ->> '$.enable') IN (1, 'true')) AS on_id,
	       (SELECT min(coalesce(d.c ->> '$.Id', d.resource_id)) FROM d
		WHERE d.account_id = a.account_id AND d.region = a.aws_region) AS any_id,
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
)
SELECT resource_type, resource_id, account_id, aws_region,
       unless_incomplete(compliance_type, gap) AS compliance_type,
       incomplete_note(annotation, compliance_type, gap) AS annotation
FROM (SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region,
       CASE
	 WHEN on_id IS NULL AND unrec_id IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN on_id IS NULL THEN 'NON_COMPLIANT'
	 WHEN NOT central OR listed THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN on_id IS NULL AND unrec_id IS NOT NULL
	   THEN 'GuardDuty detector ' || unrec_id || ' is in the data without its configuration '
		|| '(ResourceNotRecorded): its state is unknown'
	 WHEN n_det = 0 THEN 'no GuardDuty detector is recorded for this account in this Region'
	 WHEN on_id IS NULL THEN 'GuardDuty detector ' || any_id || ' has Enable false'
	 WHEN NOT central THEN 'GuardDuty detector ' || on_id || ' is enabled'
	 WHEN listed THEN 'GuardDuty detector ' || on_id
		|| ' is enabled in this account, which is listed in CentralMonitoringAccount'
	 ELSE 'GuardDuty detector ' || on_id || ' is enabled; its administrator account is not in '
	      || 'AWS Config data (aws guardduty get-administrator-account)'
       END AS annotation,
       gap
	FROM per);
