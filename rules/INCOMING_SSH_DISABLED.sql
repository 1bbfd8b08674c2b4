-- identifier: INCOMING_SSH_DISABLED
-- name: restricted-ssh
-- severity: high (Security Hub EC2.13)
-- remediation: Remove ingress rules that allow port 22 from 0.0.0.0/0 or ::/0,
--   or limit them to known addresses (RevokeSecurityGroupIngress).
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
--   without a recorded configuration is INSUFFICIENT_DATA, and so is a
--   group with no open SSH rule among what can be read but ingress
--   permissions that cannot be read (ipPermissions or a range list a
--   string or a number; security_groups.unreadable names it).
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
	SELECT item_key, permission AS pk, ip_protocol AS proto, from_port, to_port, cidr
	FROM security_group_sources WHERE open = 1
),
open_ssh AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT item_key,
	       min(CASE WHEN proto IN ('-1', 'all') THEN 'all traffic (protocol -1)'
	                WHEN from_port IS NULL OR to_port IS NULL THEN 'tcp all ports'
	                ELSE 'tcp ' || from_port || '-' || to_port END
	           || ' from ' || cidr) AS why,
	       count(*) AS n
	FROM src
	WHERE port_in_rule(proto, from_port, to_port, 22) = 1
	GROUP BY item_key
)
SELECT sg.resource_type AS resource_type, sg.resource_id AS resource_id,
       sg.account_id AS account_id, sg.region AS aws_region,
       CASE WHEN NOT sg.recorded THEN 'INSUFFICIENT_DATA'
            WHEN o.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN sg.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT sg.recorded
                 THEN 'configuration not recorded (status ' || sg.status || ')'
            WHEN o.item_key IS NOT NULL
                 THEN 'ingress ' || o.why || ' allows SSH (TCP 22) from anywhere'
                      || CASE WHEN o.n > 1 THEN ' (' || o.n || ' open sources in all)' ELSE '' END
            WHEN sg.unreadable IS NOT NULL
                 THEN 'cannot tell whether ingress opens TCP 22 to 0.0.0.0/0 or ::/0: '
                      || sg.unreadable || ' (aws ec2 describe-security-groups)'
            ELSE 'no ingress rule opens TCP 22 to 0.0.0.0/0 or ::/0' END AS annotation
FROM sg LEFT JOIN open_ssh AS o ON o.item_key = sg.item_key
