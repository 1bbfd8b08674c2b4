-- identifier: EC2_INSTANCE_PROFILE_ATTACHED
-- name: ec2-instance-profile-attached
-- severity: medium (default: access)
-- remediation: Attach an IAM instance profile to the instance
--   (AssociateIamInstanceProfile).
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters:
--   IamInstanceProfileArnList: csv, optional
-- description: An instance must have an IAM instance profile:
--   NON_COMPLIANT when configuration.iamInstanceProfile is null or absent
--   (EC2 leaves it out when no profile is attached) or has no arn;
--   COMPLIANT otherwise. With IamInstanceProfileArnList (comma-separated
--   instance profile ARNs, each trimmed, compared exactly), an attached
--   profile whose ARN is not listed is NON_COMPLIANT too. An item without
--   a recorded configuration is INSUFFICIENT_DATA.
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       profile_arn AS profile
	FROM ec2_instances
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN profile IS NULL OR profile = '' THEN 'NON_COMPLIANT'
            WHEN :IamInstanceProfileArnList IS NULL
                 OR csv_contains(:IamInstanceProfileArnList, profile) THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN profile IS NULL OR profile = ''
                 THEN 'no IAM instance profile is attached'
            WHEN :IamInstanceProfileArnList IS NULL
                 THEN 'IAM instance profile ' || profile || ' is attached'
            WHEN csv_contains(:IamInstanceProfileArnList, profile)
                 THEN 'IAM instance profile ' || profile || ' is in IamInstanceProfileArnList'
            ELSE 'IAM instance profile ' || profile || ' is not in IamInstanceProfileArnList'
       END AS annotation
FROM i
