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
WITH e AS (
	SELECT e.*,
	       -- What cannot be read where a public IP would be, asked only
	       -- where none was found. publicIpAddress as ec2_instances gives
	       -- it: a number, or JSON text (an object or a list), is not an
	       -- address.
	       CASE WHEN NOT e.recorded OR e.nic_public_ip IS NOT NULL THEN NULL
		    WHEN typeof(e.public_ip_address) IN ('integer', 'real')
			 OR e.public_ip_address GLOB '[[{]*'
			 THEN 'configuration.publicIpAddress cannot be read: not a string'
		    WHEN coalesce(e.public_ip_address, '') <> '' THEN NULL
		    -- networkInterfaces, read again by the item's key columns
		    -- for these instances only: a list of objects whose
		    -- association is an object with a string publicIp, and whose
		    -- privateIpAddresses is a list of such objects (json_each of
		    -- a member that is not a list gives it as one row without
		    -- an integer key; of a missing one, no row)
		    ELSE (SELECT 'configuration.networkInterfaces cannot be read: '
				 || CASE WHEN min(n.key IS NULL OR typeof(n.key) = 'text')
					 THEN 'not a list'
					 ELSE 'an interface, its association or its'
					      || ' privateIpAddresses is not what the recorder writes'
				    END
			  FROM current_items AS c, json_each(c.configuration, '$.networkInterfaces') AS n
			  WHERE c.resource_type = e.resource_type AND c.resource_id = e.resource_id
			    AND c.account_id = e.account_id AND c.region = e.region
			    AND NOT (n.key IS NULL AND n.type = 'null')
			    AND (typeof(n.key) <> 'integer' OR n.type <> 'object'
				 OR coalesce(json_type(c.configuration, n.fullkey || '.association'),
					     'null') NOT IN ('object', 'null')
				 OR coalesce(json_type(c.configuration, n.fullkey || '.association.publicIp'),
					     'null') NOT IN ('text', 'null')
				 OR coalesce(json_type(c.configuration, n.fullkey || '.privateIpAddresses'),
					     'null') NOT IN ('array', 'null')
				 OR EXISTS (
					SELECT 1
					FROM json_each(c.configuration, n.fullkey || '.privateIpAddresses') AS a
					WHERE a.type <> 'object'
					   OR coalesce(json_type(c.configuration, a.fullkey || '.association'),
						       'null') NOT IN ('object', 'null')
					   OR coalesce(json_type(c.configuration,
								 a.fullkey || '.association.publicIp'),
						       'null') NOT IN ('text', 'null')))
			  HAVING count(*) > 0)
	       END AS unreadable
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)): nic_public_ip is the least non-empty publicIp
	-- under networkInterfaces.
	FROM ec2_instances AS e
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN nic_public_ip IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN coalesce(public_ip_address, '') <> '' THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN nic_public_ip IS NOT NULL THEN 'network interface has public IP ' || nic_public_ip
            WHEN unreadable IS NOT NULL
                 THEN unreadable || ' (aws ec2 describe-instances)'
            WHEN coalesce(public_ip_address, '') <> ''
                 THEN 'publicIpAddress is ' || public_ip_address
            ELSE 'no public IPv4 address' END AS annotation
FROM e
