-- identifier: RESTRICTED_INCOMING_TRAFFIC
-- name: restricted-common-ports
-- severity: high (Security Hub EC2.14)
-- remediation: Remove ingress rules that open the blocked ports to 0.0.0.0/0 or
--   ::/0, or limit them to known addresses (RevokeSecurityGroupIngress).
-- resource-types: AWS::EC2::SecurityGroup
-- trigger: configuration-changes, periodic
-- parameters:
--   blockedPort1: int = 20
--   blockedPort2: int = 21
--   blockedPort3: int = 3389
--   blockedPort4: int = 3306
--   blockedPort5: int = 4333
--   blockedPorts: csv, optional
-- description: Security groups must not allow unrestricted incoming TCP
--   traffic to the blocked ports: NON_COMPLIANT when an ingress permission
--   that reaches a blocked TCP port (protocol tcp/6 whose fromPort..toPort
--   covers it, or protocol -1 = all traffic) has the source 0.0.0.0/0 or
--   ::/0; COMPLIANT otherwise. The blocked ports are blockedPort1..5 plus
--   every port in blockedPorts (AWS does not say how the two combine; this
--   rule takes the union; an element "lo-hi" is read as a range and
--   non-numeric elements are ignored). Sources are ipv4Ranges, ipv6Ranges and
--   the legacy ipRanges strings (IPv4) when ipv4Ranges is absent. Not stated
--   by AWS (natural reading): UDP-only permissions are out of scope; other
--   broad CIDRs, prefix lists and security-group references are restricted
--   sources; groups not attached to anything are evaluated too. An item
--   without a recorded configuration is INSUFFICIENT_DATA, and so is a
--   group with no open blocked port among what can be read but ingress
--   permissions that cannot be read (ipPermissions or a range list a
--   string or a number; security_groups.unreadable names it).
WITH RECURSIVE
csv(rest, elem) AS (
	SELECT coalesce(:blockedPorts, '') || ',', NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM csv WHERE rest <> ''
),
blocked(lo, hi) AS (
	SELECT p, p FROM (SELECT :blockedPort1 AS p UNION SELECT :blockedPort2
	                  UNION SELECT :blockedPort3 UNION SELECT :blockedPort4
	                  UNION SELECT :blockedPort5)
	WHERE p IS NOT NULL
	UNION
	SELECT CAST(elem AS INTEGER), CAST(elem AS INTEGER) FROM csv
	WHERE elem <> '' AND elem NOT GLOB '*[^0-9]*' AND length(elem) <= 5
	UNION
	SELECT CAST(trim(substr(elem, 1, instr(elem, '-') - 1)) AS INTEGER),
	       CAST(trim(substr(elem, instr(elem, '-') + 1)) AS INTEGER)
	FROM csv
	WHERE elem GLOB '*[0-9]-*[0-9]' AND elem NOT GLOB '*[^0-9 -]*' AND length(elem) <= 13
),
sg AS (
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
	SELECT item_key, permission AS pk, ip_protocol AS proto, from_port, to_port, cidr
	FROM security_group_sources WHERE open = 1
),
hits AS (
	SELECT src.item_key, src.cidr,
	       CASE WHEN blocked.lo = blocked.hi THEN blocked.lo
	            ELSE blocked.lo || '-' || blocked.hi END AS port_label,
	       CASE WHEN proto IN ('-1', 'all') THEN 'all traffic (protocol -1)'
	            WHEN from_port IS NULL OR to_port IS NULL THEN 'tcp all ports'
	            ELSE 'tcp ' || from_port || '-' || to_port END AS rule_label,
	       blocked.lo AS lo
	FROM src, blocked
	WHERE port_range_overlaps(src.proto, src.from_port, src.to_port, blocked.lo, blocked.hi) = 1
),
per_port AS (
	SELECT item_key, lo, port_label, min(rule_label || ' from ' || cidr) AS example
	FROM hits
	GROUP BY item_key, lo, port_label
),
bad AS (
	-- Ports in ascending order (the rows reach the aggregate sorted).
	SELECT item_key, group_concat(port_label, ', ') AS ports, min(example) AS example
	FROM (SELECT * FROM per_port ORDER BY item_key, lo)
	GROUP BY item_key
),
blocked_list AS (
	SELECT coalesce(group_concat(l, ', '), 'none') AS ports
	FROM (SELECT CASE WHEN lo = hi THEN lo ELSE lo || '-' || hi END AS l
	      FROM blocked ORDER BY lo)
)
SELECT sg.resource_type AS resource_type, sg.resource_id AS resource_id,
       sg.account_id AS account_id, sg.region AS aws_region,
       CASE WHEN NOT sg.recorded THEN 'INSUFFICIENT_DATA'
            WHEN bad.item_key IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN sg.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT sg.recorded
                 THEN 'configuration not recorded (status ' || sg.status || ')'
            WHEN bad.item_key IS NOT NULL
                 THEN 'blocked TCP port ' || bad.ports || ' open to the internet, e.g. ingress '
                      || bad.example
            WHEN sg.unreadable IS NOT NULL
                 THEN 'cannot tell whether a blocked TCP port (' || blocked_list.ports
                      || ') is open to 0.0.0.0/0 or ::/0: ' || sg.unreadable
                      || ' (aws ec2 describe-security-groups)'
            ELSE 'no blocked TCP port (' || blocked_list.ports ||
                 ') is open to 0.0.0.0/0 or ::/0' END AS annotation
FROM sg
CROSS JOIN blocked_list
LEFT JOIN bad ON bad.item_key = sg.item_key
