-- identifier: RDS_IN_BACKUP_PLAN
-- name: rds-in-backup-plan
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
--   Backup backs Aurora instances up through their cluster). AWS's page
--   says the rule "only applies to Amazon Aurora DB instances" yet names
--   AWS::RDS::DBInstance and no engine filter; every DB instance is
--   evaluated here. NON_COMPLIANT when nothing assigns it, but only where
--   the store holds a complete inventory of that account and Region
--   (inventory_coverage) and every selection there was recorded with its
--   configuration; otherwise INSUFFICIENT_DATA naming what is missing. An
--   instance whose ARN is not recorded and that no selection assigns is
--   INSUFFICIENT_DATA. Backup's per-Region resource type opt-in (aws
--   backup describe-region-settings, not recorded by Config) is not
--   considered.
WITH inst AS (
	SELECT m.*, json_extract(c.configuration, '$.dBClusterIdentifier') AS cluster
	FROM backup_plan_membership AS m
	JOIN current_items AS c ON c.item_key = m.item_key
	WHERE m.resource_type = 'AWS::RDS::DBInstance'
), by_cluster AS (
	-- Instances whose cluster a selection assigns.
	SELECT i.item_key, min('its DB cluster ' || i.cluster || ' is selected by ' || m.selection)
	       AS why
	FROM inst AS i
	JOIN backup_plan_membership AS m
	  ON m.resource_type = 'AWS::RDS::DBCluster' AND m.account_id = i.account_id
	     AND m.region = i.region AND m.selection IS NOT NULL
	JOIN current_items AS c ON c.item_key = m.item_key
	WHERE i.cluster IS NOT NULL
	  AND i.cluster IN (c.resource_name, json_extract(c.configuration, '$.dBClusterIdentifier'))
	GROUP BY i.item_key
)
SELECT i.resource_type, i.resource_id, i.account_id, i.region AS aws_region,
       CASE WHEN i.recorded AND i.selection IS NULL AND b.why IS NOT NULL THEN 'COMPLIANT'
	    ELSE i.verdict END AS compliance_type,
       CASE WHEN i.recorded AND i.selection IS NULL AND b.why IS NOT NULL THEN b.why
	    ELSE i.reason END AS annotation
FROM inst AS i
LEFT JOIN by_cluster AS b ON b.item_key = i.item_key
