-- identifier: EC2_INSTANCE_NO_PUBLIC_IP
-- name: ec2-instance-no-public-ip
-- severity: high (Security Hub EC2.9)
-- remediation: Launch the instance in a subnet without public IP assignment, or
--   release its Elastic IP, and reach it through a load balancer or Session
--   Manager.
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters: (none)
-- description: Instances must not have a public IPv4 address:
--   NON_COMPLIANT when a publicIp field is present (non-empty) anywhere
--   under configuration.networkInterfaces (association.publicIp of an
--   interface or of one of its privateIpAddresses), or publicIpAddress is
--   set; COMPLIANT otherwise. IPv6 addresses are not considered. Not
--   stated by AWS: a stopped instance keeps only an Elastic IP, so it is
--   judged on what its item shows. An item without a recorded
--   configuration is INSUFFICIENT_DATA. Where no public IP is found, what
--   cannot be read does not make it COMPLIANT: publicIpAddress that is
--   not a string (a number, an object or a list), networkInterfaces that
--   is not a list, an interface that is not an object, an association
--   that is not an object or a publicIp that is not a string, or
--   privateIpAddresses that is not a list of such objects are
--   INSUFFICIENT_DATA naming the member.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN nic_public_ip IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN public_ip_unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN coalesce(public_ip_address, '') <> '' THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN nic_public_ip IS NOT NULL THEN 'network interface has public IP ' || nic_public_ip
            WHEN public_ip_unreadable IS NOT NULL
                 THEN public_ip_unreadable || ' (aws ec2 describe-instances)'
            WHEN coalesce(public_ip_address, '') <> ''
                 THEN 'publicIpAddress is ' || public_ip_address
            ELSE 'no public IPv4 address' END AS annotation
-- The instance facts, parsed once per run (ec2_instances,
-- cfgaudit-rules(5)): nic_public_ip is the least non-empty publicIp
-- under networkInterfaces; public_ip_unreadable, where no public IP is
-- found, names what cannot be read where one would be.
FROM ec2_instances
