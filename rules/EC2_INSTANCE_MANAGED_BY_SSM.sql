-- identifier: EC2_INSTANCE_MANAGED_BY_SSM
-- name: ec2-instance-managed-by-systems-manager
-- severity: medium (Security Hub SSM.1)
-- remediation: Install and start the SSM Agent and attach an instance profile
--   that allows Systems Manager (AmazonSSMManagedInstanceCore).
-- resource-types: AWS::EC2::Instance, AWS::SSM::ManagedInstanceInventory
-- trigger: configuration-changes
-- parameters: (none)
-- description: Running instances must be managed by Systems Manager. Each
--   instance is related to its AWS::SSM::ManagedInstanceInventory item
--   (resource id = the instance id, or a relationship naming the instance)
--   in the same account and Region; the agent's state is the item's
--   supplementaryConfiguration.instanceStatus, else the InstanceStatus of
--   its AWS:InstanceInformation content. A running instance is
--   NON_COMPLIANT when that state is Stopped or Terminated, COMPLIANT when
--   Active. As AWS notes, an instance that is not running is never
--   NON_COMPLIANT: NOT_APPLICABLE (COMPLIANT when its agent is Active).
--   A running instance without an inventory item is NON_COMPLIANT (not
--   managed) only where the store holds a complete inventory of the
--   account and Region (inventory_coverage) that records the type (at
--   least one ManagedInstanceInventory item there); elsewhere, and when
--   the inventory item has no state or no configuration, INSUFFICIENT_DATA.
-- missing: where the inventory is incomplete or without a state: the
--   instance's Systems Manager registration (aws ssm
--   describe-instance-information, PingStatus)
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded, state AS st
	FROM ec2_instances
), inv AS (
	SELECT item_key, resource_id, account_id, region, configuration, supplementary
	FROM current_items
	WHERE resource_type = 'AWS::SSM::ManagedInstanceInventory'
), link AS (
	-- Inventory item of each instance: by resource id, or by relationship.
	SELECT inv.item_key, inv.resource_id AS iid, inv.account_id, inv.region FROM inv
	UNION
	SELECT inv.item_key, r.related_id, inv.account_id, inv.region
	FROM inv JOIN relationships AS r
	  ON r.resource_type = 'AWS::SSM::ManagedInstanceInventory'
	 AND r.resource_id = inv.resource_id AND r.account_id = inv.account_id
	 AND r.region = inv.region AND r.related_type = 'AWS::EC2::Instance'
), ag AS (
	SELECT link.iid, link.account_id, link.region,
	       max(inv.configuration IS NOT NULL) AS recorded,
	       min(lower(coalesce(
		   json_extract(inv.supplementary, '$.instanceStatus'),
		   (SELECT json_extract(inv.configuration, c.fullkey || '.InstanceStatus')
		    FROM json_each(inv.configuration, '$."AWS:InstanceInformation".Content') AS c
		    WHERE c.type = 'object'
		      AND (c.key = link.iid
			   OR json_extract(inv.configuration, c.fullkey || '.InstanceId') = link.iid)
		    LIMIT 1)))) AS agent
	FROM link JOIN inv ON inv.item_key = link.item_key
	GROUP BY link.iid, link.account_id, link.region
), typed AS (
	SELECT DISTINCT account_id, region FROM inv
), v AS (
	SELECT i.*, ag.iid IS NOT NULL AS has_inv, ag.recorded, ag.agent,
	       EXISTS (SELECT 1 FROM inventory_coverage c
		       WHERE c.account_id = i.account_id AND c.region = i.region)
	       AND EXISTS (SELECT 1 FROM typed t
			   WHERE t.account_id = i.account_id AND t.region = i.region) AS complete
	FROM i
	LEFT JOIN ag ON ag.iid = i.resource_id AND ag.account_id = i.account_id
		    AND ag.region = i.region
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded OR st IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN has_inv AND agent = 'active' THEN 'COMPLIANT'
	    WHEN st <> 'running' THEN 'NOT_APPLICABLE'
	    WHEN has_inv AND agent IN ('stopped', 'terminated') THEN 'NON_COMPLIANT'
	    WHEN has_inv THEN 'INSUFFICIENT_DATA'
	    WHEN complete THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN NOT recorded
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN st IS NULL THEN 'state.name is not in the item (aws ec2 describe-instances)'
	    WHEN has_inv AND agent = 'active'
		 THEN 'managed by Systems Manager (SSM Agent Active)'
	    WHEN st <> 'running' THEN 'instance is ' || st || '; only running instances are judged'
	    WHEN has_inv AND agent IN ('stopped', 'terminated')
		 THEN 'instance is running but its SSM Agent is ' || agent
	    WHEN has_inv AND NOT recorded
		 THEN 'the ManagedInstanceInventory item is recorded without its configuration'
	    WHEN has_inv
		 THEN 'the ManagedInstanceInventory item does not give the agent state '
		      || '(aws ssm describe-instance-information)'
	    WHEN complete
		 THEN 'running and no AWS::SSM::ManagedInstanceInventory item: not managed by '
		      || 'Systems Manager'
	    ELSE 'no AWS::SSM::ManagedInstanceInventory item, and no complete inventory of '
		 || account_id || '/' || region || ' recording that type at or before ' || as_of()
		 || ' (aws ssm describe-instance-information)'
       END AS annotation
FROM v
