-- identifier: EFS_IN_BACKUP_PLAN
-- name: efs-in-backup-plan
-- severity: medium (Security Hub EFS.2)
-- remediation: Enable automatic backups for the file system or add it to a
--   backup plan (PutBackupPolicy Status=ENABLED).
-- resource-types: AWS::EFS::FileSystem
-- trigger: periodic
-- parameters: (none)
-- description: An EFS file system must be in an AWS Backup plan.
--   COMPLIANT when a current AWS::Backup::BackupSelection of the file
--   system's account and Region assigns it to its plan
--   (backup_plan_membership, from backup_selected_resources: a Resources
--   ARN pattern or a ListOfTags tag, and every Conditions entry, and no
--   NotResources pattern; a selection without Resources and ListOfTags
--   assigns every resource). NON_COMPLIANT when no selection does, but
--   only where the store holds a complete inventory of that account and
--   Region (inventory_coverage) and every selection there was recorded
--   with its configuration; otherwise INSUFFICIENT_DATA naming what is
--   missing. A file system whose ARN is not recorded and that no
--   selection assigns is INSUFFICIENT_DATA (ARN patterns cannot be
--   tested). AWS leaves open how Backup's per-Region resource type opt-in
--   (aws backup describe-region-settings, not recorded by Config) affects
--   the rule: it is not considered, so a selection of "*" counts for file
--   systems.
--   A resource that no readable selection assigns but that one which
--   cannot be read whole may assign (backup_plan_membership.unreadable)
--   is INSUFFICIENT_DATA naming that selection and its member.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       verdict AS compliance_type, reason AS annotation
FROM backup_plan_membership
WHERE resource_type = 'AWS::EFS::FileSystem'
