-- identifier: VPC_VPN_2_TUNNELS_UP
-- name: vpc-vpn-2-tunnels-up
-- severity: medium (Security Hub EC2.20)
-- remediation: Bring the down tunnel back up: check the customer gateway's
--   configuration for that tunnel and its IKE and IPsec settings
--   (DescribeVpnConnections VgwTelemetry).
-- resource-types: AWS::EC2::VPNConnection
-- trigger: configuration-changes
-- parameters: (none)
-- description: Both tunnels of a Site-to-Site VPN connection must be UP.
--   The tunnel states are the connection item's
--   configuration.vgwTelemetry[].status (UP or DOWN, any case), as
--   recorded at the item's capture time (AWS notes that tunnel state
--   changes may take up to 24 hours to be detected). A connection is
--   NON_COMPLIANT when a tunnel is DOWN, COMPLIANT when at least two
--   tunnels are recorded and all are UP. Not stated by AWS: a connection
--   with no telemetry, or with fewer than two tunnels and none DOWN, is
--   INSUFFICIENT_DATA (aws ec2 describe-vpn-connections, VgwTelemetry)
--   rather than a guess; so is an item without a recorded configuration.
WITH vpn AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::EC2::VPNConnection'
), tel AS (
	SELECT vpn.item_key,
	       sum(upper(json_extract(vpn.configuration, t.fullkey || '.status')) = 'UP') AS up,
	       sum(upper(json_extract(vpn.configuration, t.fullkey || '.status')) = 'DOWN') AS down,
	       count(*) AS n,
	       min(CASE WHEN upper(json_extract(vpn.configuration, t.fullkey || '.status')) = 'DOWN'
	                THEN coalesce(json_extract(vpn.configuration, t.fullkey || '.outsideIpAddress'),
	                              'tunnel ' || t.key)
	                     || coalesce(' (' || json_extract(vpn.configuration,
	                                                       t.fullkey || '.statusMessage') || ')', '')
	           END) AS down_label
	FROM vpn, json_each(vpn.configuration, '$.vgwTelemetry') AS t
	WHERE t.type = 'object'
	GROUP BY vpn.item_key
)
SELECT vpn.resource_type, vpn.resource_id, vpn.account_id, vpn.region AS aws_region,
       CASE WHEN vpn.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN tel.down > 0 THEN 'NON_COMPLIANT'
            WHEN tel.up >= 2 AND tel.up = tel.n THEN 'COMPLIANT'
            ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN vpn.configuration IS NULL
                 THEN 'configuration not recorded (status ' || vpn.status || ')'
            WHEN tel.down > 0
                 THEN tel.down || ' of ' || tel.n || ' tunnels DOWN: ' || tel.down_label
            WHEN tel.up >= 2 AND tel.up = tel.n THEN 'all ' || tel.n || ' tunnels are UP'
            WHEN tel.n IS NULL
                 THEN 'no tunnel telemetry (vgwTelemetry) recorded (aws ec2 describe-vpn-connections)'
            ELSE tel.up || ' of ' || tel.n || ' recorded tunnels UP, state of the others unknown '
                 || '(aws ec2 describe-vpn-connections)' END AS annotation
FROM vpn LEFT JOIN tel ON tel.item_key = vpn.item_key
