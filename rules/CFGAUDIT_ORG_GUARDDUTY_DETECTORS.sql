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
--   securityAccountId: string, optional
--   managementAccountId: string, optional
-- description: cfgaudit's own rule: GuardDuty must be enabled in every
--   account and enabled Region, administered by the delegated
--   administrator. One result per account and Region: the accounts in the
--   data and the ACTIVE accounts of a fresh organizations list-accounts
--   answer (organization_accounts), in the Regions of any account in the
--   data (only those listed in regions when given). Three
--   checks, each from the newest evidence captured within --max-age of the
--   as-of time where AWS Config items cannot tell:
--   (1) a detector is enabled: the aws guardduty get-detector answers
--   (Status ENABLED) of the detectors of the newest list-detectors answer
--   (an empty DetectorIds is no detector), else the AWS::GuardDuty::Detector
--   items (Enable true; none fails only where the account and Region has a
--   complete inventory, inventory_coverage);
--   (2) the Region has a delegated administrator (the newest
--   list-organization-admin-accounts answer of managementAccountId, of any
--   account when not given, lists one ENABLED), and it is
--   securityAccountId when given (guardduty_organization);
--   (3) the account is that administrator or its member with
--   RelationshipStatus Enabled in the administrator's newest list-members
--   answer for the Region.
--   NON_COMPLIANT listing the failed checks; otherwise INSUFFICIENT_DATA
--   naming the first unknown (the call, account and Region whose answer is
--   missing or too old, or a detector item without configuration);
--   COMPLIANT when all three hold.
-- missing: detectors of Regions without a configuration snapshot (aws
--   guardduty list-detectors, get-detector); the delegated administrator
--   (aws guardduty list-organization-admin-accounts in the management
--   account, per Region); its members (aws guardduty list-members in the
--   administrator account, per Region)
WITH reg AS (
	-- Regions with data of any account (a listed Region without any data
	-- gives no result here; CFGAUDIT_ORG_CONFIG_RECORDING reports it)
	SELECT DISTINCT aws_region AS region FROM accounts
	WHERE aws_region <> 'global' AND (:regions IS NULL OR csv_contains(:regions, aws_region))
), d AS (
	SELECT account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c
	FROM current_items WHERE resource_type = 'AWS::GuardDuty::Detector'
), dd AS (
	-- Each place's detectors in one grouping, not three lookups per place.
	SELECT account_id, region,
	       min(CASE WHEN coalesce(c ->> '$.Enable', c ->> '$.enable') IN (1, 'true')
			THEN coalesce(c ->> '$.Id', resource_id) END) AS on_id,
	       min(CASE WHEN cfg IS NOT NULL THEN coalesce(c ->> '$.Id', resource_id) END) AS off_id,
	       min(CASE WHEN cfg IS NULL THEN resource_id END) AS unrec
	FROM d WHERE region IN (SELECT region FROM reg)
	GROUP BY account_id, region
), ld AS (
	SELECT account_id, region, captured_at, fresh, error_code, body FROM evidence
	WHERE service = 'guardduty' AND operation = 'list-detectors'
), gd AS (
	SELECT account_id, region, qualifier AS detector_id, body ->> '$.Status' AS st
	FROM evidence WHERE service = 'guardduty' AND operation = 'get-detector'
	  AND fresh AND error_code IS NULL
), admins AS (
	SELECT region, min(missing) AS missing,
	       min(CASE WHEN missing IS NULL AND status = 'ENABLED' THEN admin_account_id END)
	       AS admin_id,
	       max(missing IS NULL) AS answered
	FROM guardduty_organization WHERE call = 'list-organization-admin-accounts'
	  AND (:managementAccountId IS NULL OR account_id = :managementAccountId)
	GROUP BY region
), per AS MATERIALIZED (
	-- MATERIALIZED: each place's subqueries once, not once per reference
	-- below (mem and v name these columns many times).
	SELECT a.account_id, r.region,
	       -- (1) the detector: evidence first
	       CASE WHEN l.fresh AND l.error_code IS NULL
			 AND json_array_length(l.body, '$.DetectorIds') = 0 THEN 'none'
		    WHEN l.fresh AND l.error_code IS NULL
		      THEN (SELECT CASE WHEN max(gd.st = 'ENABLED') THEN 'on'
					WHEN count(gd.st) = json_array_length(l.body, '$.DetectorIds')
					  THEN 'off' END
			    FROM json_each(l.body, '$.DetectorIds') x
			    LEFT JOIN gd ON gd.account_id = a.account_id AND gd.region = r.region
			     AND gd.detector_id = x.value)
	       END AS ev_det,
	       (SELECT min(x.value) FROM json_each(l.body, '$.DetectorIds') x
		WHERE l.fresh AND l.error_code IS NULL) AS ev_id,
	       dd.on_id, dd.off_id, dd.unrec,
	       EXISTS (SELECT 1 FROM inventory_coverage ic
		       WHERE ic.account_id = a.account_id AND ic.region = r.region) AS covered,
	       CASE WHEN l.error_code IS NOT NULL AND l.fresh
		      THEN 'aws guardduty list-detectors answered ' || l.error_code || ' in '
			   || a.account_id || '/' || r.region
		    ELSE evidence_missing('guardduty list-detectors', a.account_id || '/' || r.region,
					  l.captured_at) END AS det_why,
	       -- (2) the delegated administrator of the Region
	       ad.admin_id, coalesce(ad.answered, 0) AS admin_answered,
	       coalesce(ad.missing, evidence_missing('guardduty list-organization-admin-accounts',
						     coalesce(:managementAccountId,
							      'the management account')
						     || '/' || r.region, NULL)) AS admin_why
	FROM (SELECT account_id FROM accounts
	      UNION SELECT account_id FROM organization_accounts WHERE fresh AND state = 'ACTIVE') a
	CROSS JOIN reg r
	LEFT JOIN ld l ON l.account_id = a.account_id AND l.region = r.region
	LEFT JOIN admins ad ON ad.region = r.region
	LEFT JOIN dd ON dd.account_id = a.account_id AND dd.region = r.region
), mem AS (
	SELECT per.*,
	       CASE WHEN ev_det IS NOT NULL THEN ev_det
		    WHEN on_id IS NOT NULL THEN 'on'
		    WHEN unrec IS NOT NULL THEN NULL
		    WHEN off_id IS NOT NULL THEN 'off'
		    WHEN covered THEN 'none' END AS det,
	       coalesce(admin_id, :securityAccountId) AS adm,
	       (SELECT max(m.missing IS NULL) FROM guardduty_organization m
		WHERE m.call = 'list-members' AND m.region = per.region
		  AND m.account_id = coalesce(per.admin_id, :securityAccountId)) AS members_answered,
	       (SELECT min(m.status) FROM guardduty_organization m
		WHERE m.call = 'list-members' AND m.region = per.region AND m.missing IS NULL
		  AND m.account_id = coalesce(per.admin_id, :securityAccountId)
		  AND m.member_account_id = per.account_id) AS member_status,
	       coalesce((SELECT min(m.missing) FROM guardduty_organization m
			 WHERE m.call = 'list-members' AND m.region = per.region
			   AND m.account_id = coalesce(per.admin_id, :securityAccountId)),
			evidence_missing('guardduty list-members',
					 coalesce(per.admin_id, :securityAccountId) || '/' || per.region,
					 NULL)) AS members_why
	FROM per
), v AS (
	SELECT mem.*,
	       trim(CASE det WHEN 'off' THEN 'detector ' || coalesce(ev_id, off_id) || ' disabled; '
			     WHEN 'none' THEN 'no GuardDuty detector; ' ELSE '' END
		    || CASE WHEN admin_answered AND admin_id IS NULL
			      THEN 'no delegated GuardDuty administrator in ' || region || '; '
			    WHEN admin_id <> :securityAccountId
			      THEN 'delegated administrator is ' || admin_id || ', not '
				   || :securityAccountId || '; '
			    ELSE '' END
		    || CASE WHEN adm IS NULL OR adm = account_id OR NOT coalesce(members_answered, 0)
			      OR (admin_answered AND admin_id IS NULL) THEN ''
			    WHEN member_status IS NULL THEN 'not a member of ' || adm || '; '
			    WHEN member_status <> 'Enabled'
			      THEN 'member of ' || adm || ' with status ' || member_status || '; '
			    ELSE '' END, '; ') AS faults,
	       CASE WHEN det IS NULL AND unrec IS NOT NULL
		      THEN 'GuardDuty detector ' || unrec || ' has no recorded configuration; '
			   || det_why
		    WHEN det IS NULL
		      THEN 'no GuardDuty detector in the data, no snapshot of ' || account_id || '/'
			   || region || ': ' || det_why
		    WHEN NOT admin_answered AND adm IS NULL THEN admin_why
		    WHEN adm <> account_id AND NOT coalesce(members_answered, 0) THEN members_why
		    WHEN NOT admin_answered THEN admin_why
	       END AS unknown
	FROM mem
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN faults <> '' THEN 'NON_COMPLIANT'
	    WHEN unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN faults <> '' THEN faults
	    WHEN unknown IS NOT NULL THEN unknown
	    ELSE 'GuardDuty detector ' || coalesce(ev_id, on_id) || ' is enabled; '
		 || CASE WHEN adm = account_id THEN 'delegated administrator'
			 ELSE 'member of delegated administrator ' || adm END
       END AS annotation
FROM v
