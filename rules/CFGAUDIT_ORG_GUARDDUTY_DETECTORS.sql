-- identifier: CFGAUDIT_ORG_GUARDDUTY_DETECTORS
-- name: cfgaudit-org-guardduty-everywhere
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Enable GuardDuty in every account and Region from the delegated
--   administrator (CreateDetector, UpdateOrganizationConfiguration
--   AutoEnable=ALL).
-- parameters:
--   regions: csv, optional
-- description: cfgaudit's own rule: GuardDuty must be enabled in every
--   account and enabled Region. One result per account and Region (the
--   Regions of any account in the data, only those listed in regions when
--   given): COMPLIANT when an AWS::GuardDuty::Detector there has Enable
--   true; NON_COMPLIANT when its detectors all have Enable false, or when
--   there is none and the account and Region has a complete inventory
--   (inventory_coverage); INSUFFICIENT_DATA when there is none and no
--   snapshot proves it, or the detector has no recorded configuration.
--   Whether the security account is the delegated administrator and each
--   detector a member of it is not in AWS Config data: see
--   CFGAUDIT_ORG_GUARDDUTY_ALERTS.
-- missing: detectors of Regions without a configuration snapshot (aws
--   guardduty list-detectors, get-detector)
WITH reg AS (
	-- Regions with data of any account (a listed Region without any data
	-- gives no result here; CFGAUDIT_ORG_CONFIG_RECORDING reports it)
	SELECT DISTINCT aws_region AS region FROM accounts
	WHERE :regions IS NULL OR csv_contains(:regions, aws_region)
), d AS (
	SELECT account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c
	FROM current_items WHERE resource_type = 'AWS::GuardDuty::Detector'
), per AS (
	SELECT a.account_id, r.region,
	       (SELECT min(coalesce(d.c ->> '$.Id', d.resource_id)) FROM d
		WHERE d.account_id = a.account_id AND d.region = r.region
		  AND coalesce(d.c ->> '$.Enable', d.c ->> '$.enable') IN (1, 'true')) AS on_id,
	       (SELECT min(coalesce(d.c ->> '$.Id', d.resource_id)) FROM d
		WHERE d.account_id = a.account_id AND d.region = r.region AND d.cfg IS NOT NULL)
	       AS off_id,
	       (SELECT min(d.resource_id) FROM d
		WHERE d.account_id = a.account_id AND d.region = r.region AND d.cfg IS NULL) AS unrec,
	       EXISTS (SELECT 1 FROM inventory_coverage ic
		       WHERE ic.account_id = a.account_id AND ic.region = r.region) AS covered
	FROM (SELECT DISTINCT account_id FROM accounts) a, reg r
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN on_id IS NOT NULL THEN 'COMPLIANT'
	    WHEN unrec IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN off_id IS NOT NULL OR covered THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN on_id IS NOT NULL THEN 'GuardDuty detector ' || on_id || ' is enabled'
	    WHEN unrec IS NOT NULL
	      THEN 'GuardDuty detector ' || unrec || ' is in the data without its configuration '
		   || '(ResourceNotRecorded): its state is unknown'
	    WHEN off_id IS NOT NULL THEN 'GuardDuty detector ' || off_id || ' has Enable false'
	    WHEN covered THEN 'no GuardDuty detector is recorded for this account in this Region'
	    ELSE 'no GuardDuty detector in the data, and no configuration snapshot of '
		 || account_id || '/' || region || ' at or before ' || as_of()
		 || ' (aws guardduty list-detectors)'
       END AS annotation
FROM per
