-- identifier: EBS_OPTIMIZED_INSTANCE
-- name: ebs-optimized-instance
-- severity: low (default: hygiene)
-- remediation: Enable EBS optimization on the instance while it is stopped
--   (ModifyInstanceAttribute EbsOptimized=true).
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters: (none)
-- description: Instances whose type can be EBS-optimized must have EBS
--   optimization on: NON_COMPLIANT when configuration.ebsOptimized is false
--   and the instance type supports EBS optimization as an option (the
--   previous-generation types of the EC2 User Guide's "EBS optimization
--   supported" table: c1.xlarge, c3.xlarge/2xlarge/4xlarge, g2.2xlarge,
--   i2.xlarge/2xlarge/4xlarge, m1.large/xlarge, m2.2xlarge/4xlarge,
--   m3.xlarge/2xlarge, r3.xlarge/2xlarge/4xlarge); COMPLIANT when
--   ebsOptimized is true, and, as AWS notes, always for types that are
--   EBS-optimized by default (every other current type; the item may still
--   say false for them); NOT_APPLICABLE for the other previous-generation
--   types, which cannot be EBS-optimized (t1, t2, m1/m2/m3, c1, c3, r3, i2,
--   g2, cc2, cr1, cg1, hi1, hs1 sizes not listed above). The type table is
--   fixed in this file. An item without instanceType or ebsOptimized, or
--   without a configuration, is INSUFFICIENT_DATA.
-- missing: the instance type's EBS optimization support when an item lacks
--   it: aws ec2 describe-instance-types (EbsInfo.EbsOptimizedSupport).
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       instance_type AS itype, ebs_optimized AS opt
	FROM ec2_instances
), c AS (
	SELECT i.*,
	       CASE WHEN itype IN ('c1.xlarge', 'c3.xlarge', 'c3.2xlarge', 'c3.4xlarge',
				   'g2.2xlarge', 'i2.xlarge', 'i2.2xlarge', 'i2.4xlarge',
				   'm1.large', 'm1.xlarge', 'm2.2xlarge', 'm2.4xlarge',
				   'm3.xlarge', 'm3.2xlarge', 'r3.xlarge', 'r3.2xlarge',
				   'r3.4xlarge') THEN 'supported'
		    WHEN substr(itype, 1, instr(itype, '.') - 1)
			 IN ('t1', 't2', 'm1', 'm2', 'm3', 'c1', 'c3', 'r3', 'i2', 'g2',
			     'cc2', 'cr1', 'cg1', 'hi1', 'hs1') THEN 'unsupported'
		    ELSE 'default' END AS support
	FROM i
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded OR itype IS NULL OR opt IS NULL
		 THEN 'INSUFFICIENT_DATA'
	    WHEN opt IN (1, 'true') THEN 'COMPLIANT'
	    WHEN support = 'supported' THEN 'NON_COMPLIANT'
	    WHEN support = 'unsupported' THEN 'NOT_APPLICABLE'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN itype IS NULL OR opt IS NULL
		 THEN 'instanceType or ebsOptimized is not in the item (aws ec2 describe-instances)'
	    WHEN opt IN (1, 'true') THEN itype || ' instance is EBS-optimized'
	    WHEN support = 'supported'
		 THEN itype || ' supports EBS optimization but ebsOptimized is false'
	    WHEN support = 'unsupported' THEN itype || ' cannot be EBS-optimized'
	    ELSE itype || ' is EBS-optimized by default'
       END AS annotation
FROM c
