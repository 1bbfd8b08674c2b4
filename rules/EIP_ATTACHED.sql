-- identifier: EIP_ATTACHED
-- name: eip-attached
-- severity: low (Security Hub EC2.12)
-- remediation: Release the unattached Elastic IP address, or associate it with
--   an instance or network interface (ReleaseAddress).
-- resource-types: AWS::EC2::EIP
-- trigger: configuration-changes
-- parameters: (none)
-- description: Elastic IP addresses allocated to the account must be in
--   use. As AWS's current page says, an address is NON_COMPLIANT when its
--   AssociationId is null (configuration.associationId absent, null or
--   empty), COMPLIANT when it is set. The verdict comes from the EIP's own
--   item (AWS Config updates it on every association and disassociation),
--   so it does not depend on finding other items. Not stated by AWS
--   (natural reading): an EC2-Classic address (domain standard) has no
--   association id and counts as attached when configuration.instanceId is
--   set; an item whose association fields are absent but which has an
--   "Is attached to Instance" or "Is attached to NetworkInterface"
--   relationship counts as attached. Older AWS wording ("attached to an EC2
--   instance or an in-use network interface") is read the same way: the
--   state of the network interface is not checked. An item without a
--   recorded configuration is INSUFFICIENT_DATA.
WITH rel_att AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT account_id, region, resource_id, min(related_id) AS target
	FROM relationships
	WHERE resource_type = 'AWS::EC2::EIP'
	  AND related_type IN ('AWS::EC2::Instance', 'AWS::EC2::NetworkInterface')
	GROUP BY account_id, region, resource_id
), e AS (
	SELECT c.resource_type, c.resource_id, c.account_id, c.region, c.status, c.configuration,
	       coalesce(c.configuration ->> '$.publicIp', c.resource_id) AS ip,
	       nullif(c.configuration ->> '$.associationId', '') AS assoc,
	       coalesce(nullif(c.configuration ->> '$.instanceId', ''),
	                nullif(c.configuration ->> '$.networkInterfaceId', '')) AS target,
	       r.target AS rel_target
	FROM current_items AS c
	LEFT JOIN rel_att AS r
	  ON r.account_id = c.account_id AND r.region = c.region AND r.resource_id = c.resource_id
	WHERE c.resource_type = 'AWS::EC2::EIP'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN assoc IS NOT NULL THEN 'COMPLIANT'
            WHEN configuration ->> '$.instanceId' <> '' THEN 'COMPLIANT'
            WHEN rel_target IS NOT NULL THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN assoc IS NOT NULL
                 THEN ip || ' is associated (' || assoc
                      || coalesce(' with ' || target, '') || ')'
            WHEN configuration ->> '$.instanceId' <> ''
                 THEN ip || ' is attached to ' || (configuration ->> '$.instanceId')
            WHEN rel_target IS NOT NULL
                 THEN ip || ' is attached to ' || rel_target || ' (relationship)'
            ELSE ip || ' has no AssociationId: the address is not attached' END AS annotation
FROM e
