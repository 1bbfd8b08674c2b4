-- identifier: EC2_INSTANCE_DETAILED_MONITORING_ENABLED
-- name: ec2-instance-detailed-monitoring-enabled
-- severity: low (default: hygiene)
-- remediation: Enable detailed monitoring on the instance (MonitorInstances).
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters: (none)
-- description: Instances must have detailed monitoring enabled:
--   NON_COMPLIANT when configuration.monitoring.state is anything but
--   enabled (disabled, disabling, or pending, which is not yet enabled),
--   COMPLIANT when it is enabled. Not stated by AWS: an item without
--   monitoring.state, or without a recorded configuration, is
--   INSUFFICIENT_DATA rather than a guess.
-- missing: monitoring.state when an item lacks it: aws ec2
--   describe-instances (Reservations[].Instances[].Monitoring.State).
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       monitoring AS mon
	FROM ec2_instances
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded OR mon IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN mon = 'enabled' THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN mon IS NULL
                 THEN 'monitoring.state is not in the item (aws ec2 describe-instances)'
            WHEN mon = 'enabled' THEN 'detailed monitoring is enabled'
            ELSE 'detailed monitoring is not enabled (monitoring.state ' || mon || ')'
       END AS annotation
FROM i
