-- identifier: EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK
-- name: ec2-managedinstance-patch-compliance-status-check
-- severity: high (Security Hub SSM.2)
-- remediation: Install the missing patches on the instance (Run Command
--   AWS-RunPatchBaseline Operation=Install).
-- resource-types: AWS::SSM::PatchCompliance
-- trigger: configuration-changes
-- parameters: (none)
-- description: The Systems Manager patch compliance of each managed
--   instance must be COMPLIANT after patching. AWS Config records it as an
--   AWS::SSM::PatchCompliance item whose
--   configuration."AWS:ComplianceItem".Content.Patch holds a
--   ComplianceSummary entry (Status, OverallSeverity, counts) and one entry
--   per patch (Id, Title, Status, Severity, PatchState, ...).
--   NON_COMPLIANT when the summary's Status, or any patch's Status, is
--   NON_COMPLIANT; COMPLIANT when the summary (or, without a summary, every
--   judged patch) is COMPLIANT. Not stated by AWS: entries with an empty
--   Status are not judged; an item with no judged entry, or without a
--   configuration, is INSUFFICIENT_DATA.
-- missing: the patch status when the item does not hold it (aws ssm
--   describe-instance-patch-states)
WITH c AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::SSM::PatchCompliance'
), e AS (
	-- One row per entry of Content.Patch (the summary and each patch).
	SELECT c.resource_id, c.account_id, c.region, x.key AS k,
	       upper(json_extract(c.configuration, x.fullkey || '.Status')) AS st,
	       coalesce(json_extract(c.configuration, x.fullkey || '.Id'), x.key) AS patch
	FROM c, json_each(c.configuration, '$."AWS:ComplianceItem".Content.Patch') AS x
	WHERE x.type = 'object'
), per AS (
	SELECT resource_id, account_id, region,
	       max(CASE WHEN k = 'ComplianceSummary' THEN st END) AS summary,
	       sum(k <> 'ComplianceSummary' AND st = 'NON_COMPLIANT') AS n_bad,
	       sum(k <> 'ComplianceSummary' AND st = 'COMPLIANT') AS n_ok,
	       min(CASE WHEN k <> 'ComplianceSummary' AND st = 'NON_COMPLIANT' THEN patch END)
	       AS bad
	FROM e GROUP BY resource_id, account_id, region
)
SELECT c.resource_type, c.resource_id, c.account_id, c.region AS aws_region,
       CASE WHEN c.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN per.summary = 'NON_COMPLIANT' OR per.n_bad > 0 THEN 'NON_COMPLIANT'
	    WHEN per.summary = 'COMPLIANT' OR per.n_ok > 0 THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN c.configuration IS NULL
		 THEN 'configuration not recorded (status ' || c.status || ')'
	    WHEN per.n_bad > 0
		 THEN per.n_bad || ' patch(es) NON_COMPLIANT, first ' || per.bad
	    WHEN per.summary = 'NON_COMPLIANT' THEN 'patch compliance summary is NON_COMPLIANT'
	    WHEN per.summary = 'COMPLIANT' THEN 'patch compliance summary is COMPLIANT'
	    WHEN per.n_ok > 0 THEN per.n_ok || ' patch(es) COMPLIANT'
	    ELSE 'no patch compliance status in the item (aws ssm describe-instance-patch-states)'
       END AS annotation
FROM c
LEFT JOIN per ON per.resource_id = c.resource_id AND per.account_id = c.account_id
	     AND per.region = c.region
