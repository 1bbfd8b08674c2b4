-- identifier: INSTANCES_IN_VPC
-- name: ec2-instances-in-vpc
-- severity: high (Security Hub EC2.29)
-- remediation: Migrate the EC2-Classic instance into a VPC (launch from an AMI
--   of it in a VPC subnet).
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters:
--   vpcId: string, optional
-- description: EC2 instances must belong to a VPC and, with vpcId, to that
--   VPC. An instance is NON_COMPLIANT when its configuration has no vpcId
--   (an EC2-Classic instance), or, with vpcId given, when its
--   configuration.vpcId differs from the parameter (compared exactly, after
--   trimming white space from the parameter); COMPLIANT otherwise. Not
--   stated by AWS (natural reading): the instance state does not matter
--   (stopped instances are evaluated; terminated ones are deletions and are
--   not evaluated); the "Is contained in Vpc" relationship is used when
--   configuration.vpcId is absent. An item without a recorded
--   configuration is INSUFFICIENT_DATA.
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)): vpc_id from the configuration, related_vpc
	-- from the item's relationships.
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       coalesce(nullif(vpc_id, ''), related_vpc) AS vpc,
	       nullif(trim(:vpcId), '') AS want
	FROM ec2_instances
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN vpc IS NULL THEN 'NON_COMPLIANT'
            WHEN want IS NOT NULL AND vpc <> want THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN vpc IS NULL THEN 'the instance is not in a VPC (no vpcId: EC2-Classic)'
            WHEN want IS NOT NULL AND vpc <> want
                 THEN 'the instance is in ' || vpc || ', not in ' || want
            ELSE 'the instance is in ' || vpc END AS annotation
FROM i
