-- identifier: NO_UNRESTRICTED_ROUTE_TO_IGW
-- name: no-unrestricted-route-to-igw
-- severity: high (default: exposure)
-- remediation: Replace the 0.0.0.0/0 or ::/0 route to the internet gateway with
--   narrower routes, or route through a NAT gateway (DeleteRoute, CreateRoute).
-- resource-types: AWS::EC2::RouteTable
-- trigger: configuration-changes, periodic
-- parameters:
--   routeTableIds: csv, optional
-- description: Route tables must not route all traffic to an internet
--   gateway. A route table is NON_COMPLIANT when one of its
--   configuration.routes has a gatewayId of an internet gateway (igw-...)
--   and a destinationCidrBlock or destinationIpv6CidrBlock of 0.0.0.0/0 or
--   ::/0 (cidr_is_open), unless its id is listed in routeTableIds (route
--   tables allowed such routes); COMPLIANT otherwise. Not stated by AWS
--   (natural reading): routes in the blackhole state (their gateway was
--   detached or deleted) still count; narrower destinations, prefix-list
--   destinations and other targets (egress-only internet gateways eigw-,
--   NAT gateways, virtual private gateways vgw-) are not unrestricted
--   routes to an IGW. The page's "destination CIDR block does not match the
--   rule parameter" has no parameter of CIDRs to match and is read as the
--   routeTableIds exception. An item without a recorded configuration is
--   INSUFFICIENT_DATA, and so is a route table with no such route among
--   what can be read but routes recorded as something other than a list
--   of objects (a string that is not JSON, a number).
WITH rt AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.routeTableId', resource_id) AS rtb,
	       -- routes recorded as something else than a list of routes
	       list_unreadable(configuration -> '$.routes', 'routes') AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::EC2::RouteTable'
), routes AS (
	SELECT rt.item_key,
	       json_extract(rt.configuration, r.fullkey || '.gatewayId') AS gw,
	       json_extract(rt.configuration, r.fullkey || '.destinationCidrBlock') AS dst4,
	       json_extract(rt.configuration, r.fullkey || '.destinationIpv6CidrBlock') AS dst6
	FROM rt, json_each(rt.configuration, '$.routes') AS r
	WHERE r.type = 'object'
), open_routes AS (
	SELECT item_key, count(*) AS n,
	       min(CASE WHEN cidr_is_open(dst4) = 1 THEN dst4 ELSE dst6 END || ' -> ' || gw) AS first
	FROM routes
	WHERE gw LIKE 'igw-%' AND (cidr_is_open(dst4) = 1 OR cidr_is_open(dst6) = 1)
	GROUP BY item_key
)
SELECT rt.resource_type, rt.resource_id, rt.account_id, rt.region AS aws_region,
       CASE WHEN rt.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN o.item_key IS NULL AND rt.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN o.item_key IS NULL THEN 'COMPLIANT'
            WHEN :routeTableIds IS NOT NULL AND csv_contains(:routeTableIds, rt.rtb) THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN rt.configuration IS NULL
                 THEN 'configuration not recorded (status ' || rt.status || ')'
            WHEN o.item_key IS NULL AND rt.unreadable IS NOT NULL
                 THEN 'cannot tell whether a route sends 0.0.0.0/0 or ::/0 to an internet '
                      || 'gateway: ' || rt.unreadable || ' (aws ec2 describe-route-tables)'
            WHEN o.item_key IS NULL
                 THEN 'no route sends 0.0.0.0/0 or ::/0 to an internet gateway'
            WHEN :routeTableIds IS NOT NULL AND csv_contains(:routeTableIds, rt.rtb)
                 THEN 'route ' || o.first || ' is allowed: ' || rt.rtb || ' is listed in routeTableIds'
            ELSE 'route ' || o.first || ' sends all traffic to an internet gateway'
                 || CASE WHEN o.n > 1 THEN ' (' || o.n || ' such routes)' ELSE '' END END AS annotation
FROM rt LEFT JOIN open_routes AS o ON o.item_key = rt.item_key
