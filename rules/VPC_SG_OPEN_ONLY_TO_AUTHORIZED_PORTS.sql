-- identifier: VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS
-- name: vpc-sg-open-only-to-authorized-ports
-- resource-types: AWS::EC2::SecurityGroup
-- trigger: configuration-changes, periodic
-- parameters:
--   authorizedTcpPorts: string, optional
--   authorizedUdpPorts: string, optional
-- description: A security group that allows inbound traffic from 0.0.0.0/0
--   or ::/0 may open only the authorized ports: NON_COMPLIANT when such an
--   ingress permission opens a TCP or UDP port range that is not inside
--   authorizedTcpPorts / authorizedUdpPorts (comma-separated ports and
--   ranges such as 443,1020-1025); NOT_APPLICABLE when no ingress permission
--   has one of those sources; COMPLIANT otherwise. Not stated by AWS
--   (natural reading, as in AWS's sample rule of the same name): a missing
--   fromPort/toPort means 0-65535; a permission's whole range must be
--   authorized; protocol -1 must be covered by both lists for 0-65535;
--   with no list for a protocol, any open port of it fails; ICMP and other
--   protocols are not checked (a group open only for ICMP is COMPLIANT).
--   Legacy ipRanges strings are read as IPv4 when ipv4Ranges is absent. An
--   item without a recorded configuration is INSUFFICIENT_DATA.
WITH sg AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::EC2::SecurityGroup'
),
perm AS (
	-- Fields are read from each permission element, not from the whole
	-- document (which SQLite would parse again for every field); the CASE
	-- keeps a malformed element from raising a JSON error.
	SELECT sg.item_key, p.fullkey AS pk, p.value AS pv,
	       CASE WHEN p.type = 'object' THEN lower(p.value ->> '$.ipProtocol') END AS proto,
	       CASE WHEN p.type = 'object' THEN p.value ->> '$.fromPort' END AS from_port,
	       CASE WHEN p.type = 'object' THEN p.value ->> '$.toPort' END AS to_port
	FROM sg, json_each(sg.configuration, '$.ipPermissions') AS p
	WHERE p.type = 'object'
),
src AS (
	SELECT perm.item_key, perm.pk, perm.proto, perm.from_port, perm.to_port,
	       CASE WHEN r.type = 'object' THEN r.value ->> '$.cidrIp' END AS cidr
	FROM perm, json_each(perm.pv, '$.ipv4Ranges') AS r
	WHERE r.type = 'object'
	UNION ALL
	SELECT perm.item_key, perm.pk, perm.proto, perm.from_port, perm.to_port,
	       CASE WHEN r.type = 'object' THEN r.value ->> '$.cidrIpv6' END
	FROM perm, json_each(perm.pv, '$.ipv6Ranges') AS r
	WHERE r.type = 'object'
	UNION ALL
	SELECT perm.item_key, perm.pk, perm.proto, perm.from_port, perm.to_port,
	       CASE r.type WHEN 'text' THEN r.value
	                   WHEN 'object' THEN r.value ->> '$.cidrIp' END
	FROM perm, json_each(perm.pv, '$.ipRanges') AS r
	WHERE coalesce(json_type(perm.pv, '$.ipv4Ranges'), 'null') = 'null'
),
open_perm AS (
	SELECT item_key, pk, proto, min(cidr) AS cidr,
	       CASE WHEN from_port IS NULL OR from_port < 0 THEN 0 ELSE from_port END AS lo,
	       CASE WHEN to_port IS NULL OR to_port < 0 THEN 65535 ELSE to_port END AS hi
	FROM src
	WHERE cidr_is_open(cidr) = 1
	GROUP BY item_key, pk
),
bad AS (
	SELECT item_key,
	       min(CASE WHEN proto IN ('-1', 'all')
	                     THEN 'all traffic (protocol -1) from ' || cidr ||
	                          ' is not covered by authorizedTcpPorts and authorizedUdpPorts'
	                WHEN proto IN ('tcp', '6')
	                     THEN 'tcp ' || lo || '-' || hi || ' from ' || cidr ||
	                          ' is not within authorizedTcpPorts (' ||
	                          coalesce(:authorizedTcpPorts, 'not set') || ')'
	                ELSE 'udp ' || lo || '-' || hi || ' from ' || cidr ||
	                     ' is not within authorizedUdpPorts (' ||
	                     coalesce(:authorizedUdpPorts, 'not set') || ')' END) AS why
	FROM open_perm
	WHERE (proto IN ('tcp', '6')
	       AND coalesce(ports_within(:authorizedTcpPorts, lo, hi), 0) = 0)
	   OR (proto IN ('udp', '17')
	       AND coalesce(ports_within(:authorizedUdpPorts, lo, hi), 0) = 0)
	   OR (proto IN ('-1', 'all')
	       AND NOT (coalesce(ports_within(:authorizedTcpPorts, 0, 65535), 0) = 1
	                AND coalesce(ports_within(:authorizedUdpPorts, 0, 65535), 0) = 1))
	GROUP BY item_key
),
anyopen AS (
	SELECT item_key, count(*) AS n FROM open_perm GROUP BY item_key
)
SELECT sg.resource_type AS resource_type, sg.resource_id AS resource_id,
       sg.account_id AS account_id, sg.region AS aws_region,
       CASE WHEN sg.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN bad.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN anyopen.item_key IS NULL THEN 'NOT_APPLICABLE'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN sg.configuration IS NULL
                 THEN 'configuration not recorded (status ' || sg.status || ')'
            WHEN bad.item_key IS NOT NULL THEN 'ingress ' || bad.why
            WHEN anyopen.item_key IS NULL
                 THEN 'no ingress permission from 0.0.0.0/0 or ::/0'
            ELSE anyopen.n || ' ingress permission(s) from 0.0.0.0/0 or ::/0 open only '
                 || 'authorized ports' END AS annotation
FROM sg
LEFT JOIN bad ON bad.item_key = sg.item_key
LEFT JOIN anyopen ON anyopen.item_key = sg.item_key
