-- identifier: EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK
-- name: ebs-snapshot-public-restorable-check
-- severity: critical (Security Hub EC2.1)
-- remediation: Remove the public create-volume permission from the snapshots
--   (ModifySnapshotAttribute CreateVolumePermission Remove Group=all), and
--   block it account-wide (EnableSnapshotBlockPublicAccess).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: NON_COMPLIANT when one or more EBS snapshots of the account
--   and Region are publicly restorable (their createVolumePermission grants
--   the group all), COMPLIANT otherwise. AWS Config has no resource type
--   for EBS snapshots (there is no AWS::EC2::Snapshot in its resource
--   schema), so neither the snapshots nor their createVolumePermission
--   attribute are in configuration items: INSUFFICIENT_DATA for every
--   account and Region.
-- missing: the account's publicly restorable snapshots (aws ec2
--   describe-snapshots --owner-ids self --restorable-by-user-ids all, or
--   aws ec2 describe-snapshot-attribute --attribute createVolumePermission)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'EBS snapshots and their createVolumePermission are not in AWS Config data (aws ec2 '
       || 'describe-snapshots --owner-ids self --restorable-by-user-ids all)' AS annotation
FROM accounts;
