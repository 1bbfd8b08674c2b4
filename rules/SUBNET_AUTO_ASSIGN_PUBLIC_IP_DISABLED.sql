-- identifier: SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED
-- name: subnet-auto-assign-public-ip-disabled
-- severity: medium (Security Hub EC2.15)
-- remediation: Turn off public IPv4 assignment on the subnet
--   (ModifySubnetAttribute MapPublicIpOnLaunch=false).
-- resource-types: AWS::EC2::Subnet
-- trigger: configuration-changes
-- parameters: (none)
-- description: Subnets must not auto-assign public addresses to the
--   instances launched in them. As AWS's page says (current version): a
--   subnet is NON_COMPLIANT when it auto-assigns public IPv4 addresses
--   (configuration.mapPublicIpOnLaunch true) or IPv6 addresses
--   (configuration.assignIpv6AddressOnCreation true; AWS does not tell
--   private from public GUA IPv6 ranges and neither does this rule);
--   COMPLIANT otherwise, a missing flag counting as false (EC2's default).
--   Customer-owned addresses (mapCustomerOwnedIpOnLaunch, Outposts) are not
--   public and do not count. Booleans are read as JSON true or the string
--   "true". An item without a recorded configuration is INSUFFICIENT_DATA.
WITH s AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.mapPublicIpOnLaunch', 0)
	         IN (1, 'true') AS v4,
	       coalesce(configuration ->> '$.assignIpv6AddressOnCreation', 0)
	         IN (1, 'true') AS v6
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Subnet'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN v4 OR v6 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN v4 AND v6
                 THEN 'mapPublicIpOnLaunch and assignIpv6AddressOnCreation are true: '
                      || 'public IPv4 and IPv6 addresses are auto-assigned'
            WHEN v4 THEN 'mapPublicIpOnLaunch is true: public IPv4 addresses are auto-assigned'
            WHEN v6 THEN 'assignIpv6AddressOnCreation is true: IPv6 addresses are auto-assigned'
            ELSE 'the subnet auto-assigns no public IPv4 or IPv6 address' END AS annotation
FROM s
