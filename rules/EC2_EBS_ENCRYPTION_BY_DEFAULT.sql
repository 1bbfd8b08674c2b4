-- identifier: EC2_EBS_ENCRYPTION_BY_DEFAULT
-- name: ec2-ebs-encryption-by-default
-- severity: medium (Security Hub EC2.7)
-- remediation: Turn on EBS encryption by default in the Region
--   (EnableEbsEncryptionByDefault).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: NON_COMPLIANT when EBS encryption by default is off for the
--   account and Region, COMPLIANT when it is on. The setting belongs to the
--   account and Region, and AWS Config records no resource type that holds
--   it (its resource schema has none, and AWS::EC2::Volume items only say
--   whether each volume is encrypted, which does not show the default):
--   INSUFFICIENT_DATA for every account and Region.
-- missing: the EBS encryption-by-default setting (aws ec2
--   get-ebs-encryption-by-default, EbsEncryptionByDefault)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'the EBS encryption-by-default setting is not in AWS Config data (aws ec2 '
       || 'get-ebs-encryption-by-default)' AS annotation
FROM accounts;
