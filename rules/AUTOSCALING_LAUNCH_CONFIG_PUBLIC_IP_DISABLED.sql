-- identifier: AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED
-- name: autoscaling-launch-config-public-ip-disabled
-- severity: high (Security Hub Autoscaling.5)
-- remediation: Create a launch configuration with
--   AssociatePublicIpAddress=false and switch the group to it
--   (CreateLaunchConfiguration, UpdateAutoScalingGroup).
-- resource-types: AWS::AutoScaling::LaunchConfiguration
-- trigger: configuration-changes
-- parameters: (none)
-- description: A launch configuration must not give instances public IP
--   addresses: NON_COMPLIANT when configuration.associatePublicIpAddress
--   is true, COMPLIANT when it is false or absent (absent leaves the
--   choice to the subnet; AWS's page names only true as failing). Every
--   launch configuration is evaluated, whether or not a group uses it (the
--   rule's resource type is the launch configuration). An item recorded
--   without its configuration is INSUFFICIENT_DATA.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN configuration ->> '$.associatePublicIpAddress' IN (1, 'true') THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN configuration ->> '$.associatePublicIpAddress' IN (1, 'true')
	   THEN 'associatePublicIpAddress is true: instances get public IP addresses'
	 WHEN json_type(configuration, '$.associatePublicIpAddress') = 'false'
	   THEN 'associatePublicIpAddress is false'
	 ELSE 'associatePublicIpAddress is not set'
       END AS annotation
FROM current_items
WHERE resource_type = 'AWS::AutoScaling::LaunchConfiguration';
