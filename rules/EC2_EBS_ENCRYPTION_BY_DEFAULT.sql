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
--   whether each volume is encrypted, which does not show the default). It
--   comes from evidence of aws ec2 get-ebs-encryption-by-default of the
--   account and Region within --max-age of the as-of time
--   (EbsEncryptionByDefault true -> COMPLIANT, false -> NON_COMPLIANT);
--   without it: INSUFFICIENT_DATA naming the call.
-- missing: the EBS encryption-by-default setting (aws ec2
--   get-ebs-encryption-by-default, EbsEncryptionByDefault)
WITH s AS (
	SELECT a.account_id, a.aws_region, e.captured_at,
	       e.body ->> '$.EbsEncryptionByDefault' AS enabled,
	       CASE WHEN e.error_code IS NOT NULL AND e.fresh
		    THEN 'aws ec2 get-ebs-encryption-by-default answered ' || e.error_code
		    ELSE evidence_missing('ec2 get-ebs-encryption-by-default', a.account_id,
					  e.captured_at) END AS missing
	FROM accounts a
	LEFT JOIN evidence e ON e.service = 'ec2' AND e.operation = 'get-ebs-encryption-by-default'
	 AND e.account_id = a.account_id AND e.region = a.aws_region
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL OR enabled IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN enabled IN (1, 'true') THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL
	    THEN 'EBS encryption by default in ' || aws_region || ': ' || missing
	    WHEN enabled IS NULL
	    THEN 'the answer captured ' || captured_at || ' has no EbsEncryptionByDefault'
	    WHEN enabled IN (1, 'true')
	    THEN 'EBS encryption by default is on in ' || aws_region || ' (captured '
		 || captured_at || ')'
	    ELSE 'EBS encryption by default is off in ' || aws_region || ' (captured '
		 || captured_at || ')' END AS annotation
FROM s
