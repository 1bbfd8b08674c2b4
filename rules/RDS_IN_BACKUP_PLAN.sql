-- identifier: RDS_IN_BACKUP_PLAN
-- name: rds-in-backup-plan
-- severity: medium (default: backup)
-- remediation: Add the DB instance to an AWS Backup plan's resource selection
--   (CreateBackupSelection).
-- resource-types: AWS::RDS::DBInstance
-- trigger: periodic
-- parameters: (none)
-- description: An RDS DB instance must be in an AWS Backup plan. COMPLIANT
--   when a current AWS::Backup::BackupSelection of the instance's account
--   and Region assigns it to its plan (backup_plan_membership, from
--   backup_selected_resources: a Resources ARN pattern or a ListOfTags
--   tag, and every Conditions entry, and no NotResources pattern; a
--   selection without Resources and ListOfTags assigns every resource),
--   or assigns the DB cluster it belongs to (dBClusterIdentifier: AWS
--   Backup backs Aurora instances up through their cluster; read from
--   backup_group_hits). AWS's page
--   says the rule "only applies to Amazon Aurora DB instances" yet names
--   AWS::RDS::DBInstance and no engine filter; every DB instance is
--   evaluated here. NON_COMPLIANT when nothing assigns it, but only where
--   the store holds a complete inventory of that account and Region
--   (inventory_coverage) and every selection there was recorded with its
--   configuration; otherwise INSUFFICIENT_DATA naming what is missing. An
--   instance whose ARN is not recorded and that no selection assigns is
--   INSUFFICIENT_DATA. Backup's per-Region resource type opt-in (aws
--   backup describe-region-settings, not recorded by Config) is not
--   considered. An instance that no readable selection assigns, directly
--   or through its DB cluster, but that a selection which cannot be read
--   whole may so assign (backup_plan_membership.unreadable) is
--   INSUFFICIENT_DATA naming that selection and its member.
WITH via_cluster AS MATERIALIZED (
	-- The first selection, direct or through the DB cluster, of each
	-- plan group (the resources selections assign alike).
	SELECT plan_group, min(selection) AS selection
	FROM backup_group_hits
	GROUP BY plan_group
)
SELECT m.resource_type, m.resource_id, m.account_id, m.region AS aws_region,
       CASE WHEN m.recorded AND m.selection IS NULL AND v.selection IS NOT NULL
		 THEN 'COMPLIANT'
	    -- a selection that cannot be read may assign it or its DB cluster
	    WHEN m.recorded AND m.selection IS NULL AND m.unreadable IS NOT NULL
		 THEN 'INSUFFICIENT_DATA'
	    ELSE m.verdict END AS compliance_type,
       CASE WHEN m.recorded AND m.selection IS NULL AND v.selection IS NOT NULL
		 THEN 'selected by ' || v.selection
	    WHEN m.recorded AND m.selection IS NULL AND m.unreadable IS NOT NULL
		 THEN m.unreadable
	    ELSE m.reason END AS annotation
FROM backup_plan_membership AS m
LEFT JOIN via_cluster AS v ON v.plan_group = m.plan_group
WHERE m.resource_type = 'AWS::RDS::DBInstance'
