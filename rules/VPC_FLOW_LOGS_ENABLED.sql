-- identifier: VPC_FLOW_LOGS_ENABLED
-- name: vpc-flow-logs-enabled
-- severity: medium (Security Hub EC2.6)
-- remediation: Create a flow log for the VPC (CreateFlowLogs ResourceType=VPC
--   TrafficType=ALL or the required type).
-- resource-types: AWS::EC2::VPC
-- trigger: periodic
-- parameters:
--   trafficType: string, optional
-- description: Every VPC must have an enabled flow log. A VPC is COMPLIANT
--   when an AWS::EC2::FlowLog item of its account and Region names it
--   (configuration.resourceId = the VPC id) with flowLogStatus ACTIVE (the
--   only status EC2 reports; an item without it counts as ACTIVE) and,
--   when trafficType is given (ACCEPT, REJECT or ALL, any case), that
--   trafficType; AWS does not say whether ALL satisfies ACCEPT or REJECT,
--   and this rule compares exactly. Flow logs of subnets or network
--   interfaces do not count. Otherwise the VPC is NON_COMPLIANT only when
--   the absence of such a flow log is known: the store holds a complete
--   inventory of the account and Region (inventory_coverage) and the
--   recorder records AWS::EC2::FlowLog there, which an
--   AWS::Config::ConfigurationRecorder item shows (all supported types,
--   the type included, or not excluded, and recording), or, with no
--   recorder item, any AWS::EC2::FlowLog item of that account and Region
--   does. Otherwise INSUFFICIENT_DATA naming what is missing (aws ec2
--   describe-flow-logs). An item without a recorded configuration is
--   INSUFFICIENT_DATA.
-- missing: flow logs of VPCs whose account and Region has no configuration
--   snapshot or does not record AWS::EC2::FlowLog (aws ec2
--   describe-flow-logs --filter Name=resource-id,Values=VPC-ID)
WITH want AS (
	SELECT nullif(upper(trim(:trafficType)), '') AS t
), vpc AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.vpcId', resource_id) AS vpc_id
	FROM current_items
	WHERE resource_type = 'AWS::EC2::VPC'
), fl AS (
	SELECT account_id, region, resource_id,
	       configuration ->> '$.resourceId' AS target,
	       upper(coalesce(configuration ->> '$.flowLogStatus', 'ACTIVE')) AS st,
	       upper(coalesce(configuration ->> '$.trafficType', '')) AS traffic
	FROM current_items
	WHERE resource_type = 'AWS::EC2::FlowLog' AND configuration IS NOT NULL
), fl_per_vpc AS (
	SELECT fl.account_id, fl.region, fl.target,
	       min(CASE WHEN fl.st = 'ACTIVE' AND (w.t IS NULL OR fl.traffic = w.t)
	                THEN fl.resource_id END) AS good,
	       min(fl.resource_id || ' (' || CASE WHEN fl.st <> 'ACTIVE' THEN 'status ' || fl.st
	                                          ELSE 'trafficType ' || fl.traffic END || ')') AS other
	FROM fl, want AS w
	GROUP BY fl.account_id, fl.region, fl.target
), fl_regions AS (
	SELECT DISTINCT account_id, region FROM current_items
	WHERE resource_type = 'AWS::EC2::FlowLog'
), recorder AS (
	-- Whether the account's recorder in the Region records flow logs.
	SELECT account_id, region,
	       max(coalesce(c ->> '$.Recording', 1) IN (1, 'true')
	           AND CASE
	                 WHEN c ->> '$.RecordingGroup.RecordingStrategy.UseOnly'
	                      = 'EXCLUSION_BY_RESOURCE_TYPES'
	                   THEN NOT EXISTS (SELECT 1 FROM json_each(c,
	                            '$.RecordingGroup.ExclusionByResourceTypes.ResourceTypes') AS e
	                        WHERE e.value = 'AWS::EC2::FlowLog')
	                 WHEN c ->> '$.RecordingGroup.AllSupported' IN (1, 'true') THEN 1
	                 ELSE EXISTS (SELECT 1 FROM json_each(c, '$.RecordingGroup.ResourceTypes') AS i
	                              WHERE i.value = 'AWS::EC2::FlowLog')
	               END) AS records
	FROM (SELECT account_id, region, configuration AS c FROM current_items
	      WHERE resource_type = 'AWS::Config::ConfigurationRecorder'
	        AND configuration IS NOT NULL)
	GROUP BY account_id, region
), v AS (
	SELECT vpc.*, f.good, f.other,
	       ic.account_id IS NOT NULL AS covered,
	       coalesce(r.records, fr.account_id IS NOT NULL) AS records,
	       r.records IS NOT NULL AS has_recorder
	FROM vpc
	LEFT JOIN fl_per_vpc AS f
	  ON f.account_id = vpc.account_id AND f.region = vpc.region AND f.target = vpc.vpc_id
	LEFT JOIN inventory_coverage AS ic
	  ON ic.account_id = vpc.account_id AND ic.region = vpc.region
	LEFT JOIN recorder AS r ON r.account_id = vpc.account_id AND r.region = vpc.region
	LEFT JOIN fl_regions AS fr ON fr.account_id = vpc.account_id AND fr.region = vpc.region
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN good IS NOT NULL THEN 'COMPLIANT'
            WHEN covered AND records THEN 'NON_COMPLIANT'
            ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN good IS NOT NULL
                 THEN 'flow log ' || good || ' is active for ' || vpc_id
                      || coalesce(' with trafficType ' || (SELECT t FROM want), '')
            WHEN covered AND records AND other IS NOT NULL
                 THEN 'no active flow log'
                      || coalesce(' with trafficType ' || (SELECT t FROM want), '')
                      || ' for ' || vpc_id || '; flow log ' || other
            WHEN covered AND records
                 THEN 'no flow log is recorded for ' || vpc_id
            WHEN NOT covered
                 THEN 'no configuration snapshot of ' || account_id || '/' || region
                      || ' at or before ' || as_of() || ': flow logs of ' || vpc_id
                      || ' unknown (aws ec2 describe-flow-logs)'
            WHEN has_recorder
                 THEN 'the configuration recorder of ' || account_id || '/' || region
                      || ' does not record AWS::EC2::FlowLog: flow logs of ' || vpc_id
                      || ' unknown (aws ec2 describe-flow-logs)'
            ELSE 'no AWS::Config::ConfigurationRecorder or AWS::EC2::FlowLog item shows that '
                 || account_id || '/' || region || ' records flow logs: flow logs of ' || vpc_id
                 || ' unknown (aws ec2 describe-flow-logs)' END AS annotation
FROM v
