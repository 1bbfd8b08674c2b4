-- identifier: EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK
-- name: ec2-managedinstance-association-compliance-status-check
-- severity: low (Security Hub SSM.3)
-- remediation: Find the failed State Manager association on the instance, fix
--   its cause and re-run it (ssm StartAssociationsOnce).
-- resource-types: AWS::SSM::AssociationCompliance
-- trigger: configuration-changes
-- parameters: (none)
-- description: The Systems Manager association compliance of each managed
--   instance must be COMPLIANT after the association runs. AWS Config
--   records it as an AWS::SSM::AssociationCompliance item whose
--   configuration."AWS:ComplianceItem".Content.Association maps each
--   association ID to an entry with a Status (COMPLIANT or NON_COMPLIANT),
--   DocumentName, ExecutionTime, ... NON_COMPLIANT when any entry's Status
--   is NON_COMPLIANT; COMPLIANT when the others are COMPLIANT. Not stated
--   by AWS: entries with an empty Status are not judged, and an item with
--   no judged entry, or without a configuration, is INSUFFICIENT_DATA.
-- missing: the association status when the item does not hold it (aws ssm
--   list-compliance-items --resource-types ManagedInstance
--   --filters Key=ComplianceType,Values=Association)
WITH c AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::SSM::AssociationCompliance'
), e AS (
	-- One row per association entry; paths come from the whole document.
	SELECT c.resource_id, c.account_id, c.region, x.key AS assoc,
	       upper(json_extract(c.configuration, x.fullkey || '.Status')) AS st,
	       json_extract(c.configuration, x.fullkey || '.DocumentName') AS doc
	FROM c, json_each(c.configuration, '$."AWS:ComplianceItem".Content.Association') AS x
	WHERE x.type = 'object'
), per AS (
	SELECT resource_id, account_id, region,
	       sum(st = 'NON_COMPLIANT') AS n_bad, sum(st = 'COMPLIANT') AS n_ok,
	       min(CASE WHEN st = 'NON_COMPLIANT'
			THEN assoc || coalesce(' (' || doc || ')', '') END) AS bad
	FROM e GROUP BY resource_id, account_id, region
)
SELECT c.resource_type, c.resource_id, c.account_id, c.region AS aws_region,
       CASE WHEN c.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN per.n_bad > 0 THEN 'NON_COMPLIANT'
	    WHEN per.n_ok > 0 THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN c.configuration IS NULL
		 THEN 'configuration not recorded (status ' || c.status || ')'
	    WHEN per.n_bad > 0
		 THEN per.n_bad || ' association(s) NON_COMPLIANT, first ' || per.bad
	    WHEN per.n_ok > 0 THEN per.n_ok || ' association(s) COMPLIANT'
	    ELSE 'no association status in the item (aws ssm list-compliance-items)'
       END AS annotation
FROM c
LEFT JOIN per ON per.resource_id = c.resource_id AND per.account_id = c.account_id
	     AND per.region = c.region
