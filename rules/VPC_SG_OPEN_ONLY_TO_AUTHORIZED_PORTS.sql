-- identifier: VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS
-- name: vpc-sg-open-only-to-authorized-ports
-- severity: high (Security Hub EC2.18)
-- remediation: Remove ingress rules that open unauthorized ports to 0.0.0.0/0
--   or ::/0 (RevokeSecurityGroupIngress).
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
--   item without a recorded configuration is INSUFFICIENT_DATA, and so is a
--   group with no unauthorized open port among what can be read but
--   ingress permissions that cannot be read (ipPermissions or a range list
--   a string or a number; security_groups.unreadable names it).
WITH sg AS (
	-- The groups, with whether each is recorded, listed in the same pass
	-- (security_groups, cfgaudit-rules(5)).
	-- unreadable: what of its ingress permissions cannot be read.
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       unreadable
	FROM security_groups
),
src AS (
	-- Every CIDR source of every ingress permission, expanded once per run
	-- by the engine (security_group_sources, cfgaudit-rules(5)).
	-- Only the sources open to the world (open: cidr_is_open(cidr)).
	SELECT item_key, permission AS pk, lower(ip_protocol) AS proto, from_port, to_port, cidr
	FROM security_group_sources WHERE open = 1
),
open_perm AS (
	SELECT item_key, pk, proto, min(cidr) AS cidr,
	       CASE WHEN from_port IS NULL OR from_port < 0 THEN 0 ELSE from_port END AS lo,
	       CASE WHEN to_port IS NULL OR to_port < 0 THEN 65535 ELSE to_port END AS hi
	FROM src
	GROUP BY item_key, pk
),
per_group AS (
	-- Per group, in one pass over its open permissions: how many there
	-- are and the least reason among those that open unauthorized ports
	-- (NULL when none does).
	SELECT item_key, count(*) AS n,
	       min(CASE WHEN (proto IN ('tcp', '6')
			      AND coalesce(ports_within(:authorizedTcpPorts, lo, hi), 0) = 0)
			  OR (proto IN ('udp', '17')
			      AND coalesce(ports_within(:authorizedUdpPorts, lo, hi), 0) = 0)
			  OR (proto IN ('-1', 'all')
			      AND NOT (coalesce(ports_within(:authorizedTcpPorts, 0, 65535), 0) = 1
				       AND coalesce(ports_within(:authorizedUdpPorts, 0, 65535), 0) = 1))
		   THEN CASE WHEN proto IN ('-1', 'all')
			     THEN 'all traffic (protocol -1) from ' || cidr ||
				  ' is not covered by authorizedTcpPorts and authorizedUdpPorts'
			     WHEN proto IN ('tcp', '6')
			     THEN 'tcp ' || lo || '-' || hi || ' from ' || cidr ||
				  ' is not within authorizedTcpPorts (' ||
				  coalesce(:authorizedTcpPorts, 'not set') || ')'
			     ELSE 'udp ' || lo || '-' || hi || ' from ' || cidr ||
				  ' is not within authorizedUdpPorts (' ||
				  coalesce(:authorizedUdpPorts, 'not set') || ')' END END) AS why
	FROM open_perm
	GROUP BY item_key
)
SELECT sg.resource_type AS resource_type, sg.resource_id AS resource_id,
       sg.account_id AS account_id, sg.region AS aws_region,
       CASE WHEN NOT sg.recorded THEN 'INSUFFICIENT_DATA'
            WHEN g.why IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN sg.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN g.item_key IS NULL THEN 'NOT_APPLICABLE'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT sg.recorded
                 THEN 'configuration not recorded (status ' || sg.status || ')'
            WHEN g.why IS NOT NULL THEN 'ingress ' || g.why
            WHEN sg.unreadable IS NOT NULL
                 THEN 'cannot tell whether ingress from 0.0.0.0/0 or ::/0 opens only '
                      || 'authorized ports: ' || sg.unreadable
                      || ' (aws ec2 describe-security-groups)'
            WHEN g.item_key IS NULL
                 THEN 'no ingress permission from 0.0.0.0/0 or ::/0'
            ELSE g.n || ' ingress permission(s) from 0.0.0.0/0 or ::/0 open only '
                 || 'authorized ports' END AS annotation
FROM sg
LEFT JOIN per_group AS g ON g.item_key = sg.item_key
