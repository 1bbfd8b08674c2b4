-- identifier: EBS_IN_BACKUP_PLAN
-- name: ebs-in-backup-plan
-- resource-types: AWS::EC2::Volume
-- trigger: periodic
-- parameters: (none)
-- description: An EBS volume must be in an AWS Backup plan. COMPLIANT when
--   a current AWS::Backup::BackupSelection of the volume's account and
--   Region assigns it to its plan (backup_selected_resources: a Resources
--   ARN pattern or a ListOfTags tag, and every Conditions entry, and no
--   NotResources pattern; a selection without Resources and ListOfTags
--   assigns every resource). NON_COMPLIANT when no selection does, but
--   only where the store holds a complete inventory of that account and
--   Region (inventory_coverage) and every selection there was recorded
--   with its configuration; otherwise INSUFFICIENT_DATA naming what is
--   missing. A volume whose ARN is not recorded and that no selection
--   assigns is INSUFFICIENT_DATA (ARN patterns cannot be tested). AWS
--   leaves open how Backup's per-Region resource type opt-in (aws backup
--   describe-region-settings, not recorded by Config) affects the rule:
--   it is not considered, so a selection of "*" counts for volumes.
-- missing: backup selections of an account and Region without a
--   configuration snapshot (aws backup list-backup-selections)
WITH target AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, arn,
	       configuration IS NOT NULL AS recorded
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Volume'
), chosen AS (
	SELECT s.item_key,
	       min('selected by backup selection "' || coalesce(s.selection_name, s.selection_id)
		   || '" of plan ' || coalesce(s.plan_id, '(unknown)') || ': ' || s.matched_by)
		   AS why
	FROM backup_selected_resources AS s
	JOIN target AS t ON t.item_key = s.item_key
	GROUP BY s.item_key
)
SELECT t.resource_type AS resource_type, t.resource_id AS resource_id,
       t.account_id AS account_id, t.region AS aws_region,
       CASE WHEN NOT t.recorded THEN 'INSUFFICIENT_DATA'
	    WHEN c.why IS NOT NULL THEN 'COMPLIANT'
	    WHEN NOT coalesce(b.complete, 0) OR t.arn IS NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT t.recorded THEN 'volume configuration not recorded (' || t.status || ')'
	    WHEN c.why IS NOT NULL THEN c.why
	    WHEN NOT coalesce(b.complete, 0)
		 THEN coalesce(b.missing, 'no configuration snapshot of ' || t.account_id || '/'
			       || t.region || ' at or before ' || as_of())
	    WHEN t.arn IS NULL
		 THEN 'the volume''s ARN is not recorded: backup selections by ARN cannot be tested'
	    ELSE 'no backup selection of ' || t.account_id || '/' || t.region
		 || ' assigns the volume to a backup plan' END AS annotation
FROM target AS t
LEFT JOIN chosen AS c ON c.item_key = t.item_key
LEFT JOIN backup_absence_scope AS b ON b.account_id = t.account_id AND b.region = t.region
