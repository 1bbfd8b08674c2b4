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
WITH rel_vpc AS (
	SELECT account_id, region, resource_id, min(related_id) AS vpc
	FROM relationships
	WHERE resource_type = 'AWS::EC2::Instance' AND related_type = 'AWS::EC2::VPC'
	GROUP BY account_id, region, resource_id
), i AS (
	SELECT c.resource_type, c.resource_id, c.account_id, c.region, c.status, c.configuration,
	       coalesce(nullif(c.configuration ->> '$.vpcId', ''), r.vpc) AS vpc,
	       nullif(trim(:vpcId), '') AS want
	FROM current_items AS c
	LEFT JOIN rel_vpc AS r
	  ON r.account_id = c.account_id AND r.region = c.region AND r.resource_id = c.resource_id
	WHERE c.resource_type = 'AWS::EC2::Instance'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN vpc IS NULL THEN 'NON_COMPLIANT'
            WHEN want IS NOT NULL AND vpc <> want THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN vpc IS NULL THEN 'the instance is not in a VPC (no vpcId: EC2-Classic)'
            WHEN want IS NOT NULL AND vpc <> want
                 THEN 'the instance is in ' || vpc || ', not in ' || want
            ELSE 'the instance is in ' || vpc END AS annotation
FROM i
