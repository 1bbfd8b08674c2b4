-- identifier: INCOMING_SSH_DISABLED
-- name: restricted-ssh
-- resource-types: AWS::EC2::SecurityGroup
-- trigger: configuration-changes, periodic
-- parameters: (none)
-- description: Incoming SSH must be restricted: a security group is
--   NON_COMPLIANT when an ingress permission (ipPermissions) that reaches
--   TCP port 22 (protocol tcp/6 with 22 in fromPort..toPort, or protocol -1
--   = all traffic) has the source 0.0.0.0/0 or ::/0; COMPLIANT otherwise,
--   including groups with no rule reaching port 22. Sources are
--   ipv4Ranges[].cidrIp and ipv6Ranges[].cidrIpv6, and the legacy ipRanges[]
--   strings (read as IPv4) when ipv4Ranges is absent. Not stated by AWS
--   (natural reading): UDP 22 is not SSH; other broad CIDRs, prefix lists
--   and security-group references count as restricted sources. An item
--   without a recorded configuration is INSUFFICIENT_DATA.
WITH sg AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::EC2::SecurityGroup'
),
perm AS (
	-- Fields are read from each permission element, not from the whole
	-- document (which SQLite would parse again for every field); the CASE
	-- keeps a malformed element from raising a JSON error.
	SELECT sg.item_key, p.value AS pv,
	       CASE WHEN p.type = 'object' THEN p.value ->> '$.ipProtocol' END AS proto,
	       CASE WHEN p.type = 'object' THEN p.value ->> '$.fromPort' END AS from_port,
	       CASE WHEN p.type = 'object' THEN p.value ->> '$.toPort' END AS to_port
	FROM sg, json_each(sg.configuration, '$.ipPermissions') AS p
	WHERE p.type = 'object'
),
src AS (
	SELECT perm.item_key, perm.proto, perm.from_port, perm.to_port,
	       CASE WHEN r.type = 'object' THEN r.value ->> '$.cidrIp' END AS cidr
	FROM perm, json_each(perm.pv, '$.ipv4Ranges') AS r
	WHERE r.type = 'object'
	UNION ALL
	SELECT perm.item_key, perm.proto, perm.from_port, perm.to_port,
	       CASE WHEN r.type = 'object' THEN r.value ->> '$.cidrIpv6' END
	FROM perm, json_each(perm.pv, '$.ipv6Ranges') AS r
	WHERE r.type = 'object'
	UNION ALL
	SELECT perm.item_key, perm.proto, perm.from_port, perm.to_port,
	       CASE r.type WHEN 'text' THEN r.value
	                   WHEN 'object' THEN r.value ->> '$.cidrIp' END
	FROM perm, json_each(perm.pv, '$.ipRanges') AS r
	WHERE coalesce(json_type(perm.pv, '$.ipv4Ranges'), 'null') = 'null'
),
open_ssh AS (
	SELECT item_key,
	       min(CASE WHEN proto IN ('-1', 'all') THEN 'all traffic (protocol -1)'
	                WHEN from_port IS NULL OR to_port IS NULL THEN 'tcp all ports'
	                ELSE 'tcp ' || from_port || '-' || to_port END
	           || ' from ' || cidr) AS why,
	       count(*) AS n
	FROM src
	WHERE cidr_is_open(cidr) = 1 AND port_in_rule(proto, from_port, to_port, 22) = 1
	GROUP BY item_key
)
SELECT sg.resource_type AS resource_type, sg.resource_id AS resource_id,
       sg.account_id AS account_id, sg.region AS aws_region,
       CASE WHEN sg.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN o.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN sg.configuration IS NULL
                 THEN 'configuration not recorded (status ' || sg.status || ')'
            WHEN o.item_key IS NOT NULL
                 THEN 'ingress ' || o.why || ' allows SSH (TCP 22) from anywhere'
                      || CASE WHEN o.n > 1 THEN ' (' || o.n || ' open sources in all)' ELSE '' END
            ELSE 'no ingress rule opens TCP 22 to 0.0.0.0/0 or ::/0' END AS annotation
FROM sg LEFT JOIN open_ssh AS o ON o.item_key = sg.item_key
