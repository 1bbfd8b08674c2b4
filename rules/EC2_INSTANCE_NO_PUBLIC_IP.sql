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
--   configuration is INSUFFICIENT_DATA.
WITH i AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Instance'
),
pub AS (
	SELECT i.item_key, min(t.atom) AS ip
	FROM i, json_tree(i.configuration, '$.networkInterfaces') AS t
	WHERE t.key = 'publicIp' AND t.type = 'text' AND t.atom <> ''
	GROUP BY i.item_key
)
SELECT i.resource_type, i.resource_id, i.account_id, i.region AS aws_region,
       CASE WHEN i.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN pub.ip IS NOT NULL
                 OR coalesce(json_extract(i.configuration, '$.publicIpAddress'), '') <> ''
                 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN i.configuration IS NULL
                 THEN 'configuration not recorded (status ' || i.status || ')'
            WHEN pub.ip IS NOT NULL THEN 'network interface has public IP ' || pub.ip
            WHEN coalesce(json_extract(i.configuration, '$.publicIpAddress'), '') <> ''
                 THEN 'publicIpAddress is ' || json_extract(i.configuration, '$.publicIpAddress')
            ELSE 'no public IPv4 address' END AS annotation
FROM i LEFT JOIN pub ON pub.item_key = i.item_key
