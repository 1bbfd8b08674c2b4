-- identifier: VPC_NETWORK_ACL_UNUSED_CHECK
-- name: vpc-network-acl-unused-check
-- severity: low (Security Hub EC2.16)
-- remediation: Delete the network ACL, or associate it with a subnet
--   (DeleteNetworkAcl).
-- resource-types: AWS::EC2::NetworkAcl
-- trigger: configuration-changes
-- parameters: (none)
-- description: Network ACLs must be in use: a network ACL is COMPLIANT
--   when it is associated with a subnet, NON_COMPLIANT when it is not. The
--   associations are part of the network ACL's own item
--   (configuration.associations[].subnetId, an empty list when there are
--   none), mirrored by its "Is attached to Subnet" relationships, so the
--   verdict does not depend on finding other items. AWS makes no exception
--   for the default network ACL of a VPC, and neither does this rule. An
--   item whose configuration has no associations member and no subnet
--   relationship is INSUFFICIENT_DATA (aws ec2 describe-network-acls), as
--   is an item without a recorded configuration.
WITH acl AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       json_type(configuration, '$.associations') AS atype
	FROM current_items
	WHERE resource_type = 'AWS::EC2::NetworkAcl'
), assoc AS (
	SELECT acl.item_key, count(*) AS n,
	       min(json_extract(acl.configuration, a.fullkey || '.subnetId')) AS first_subnet
	FROM acl, json_each(acl.configuration, '$.associations') AS a
	WHERE a.type = 'object' AND json_extract(acl.configuration, a.fullkey || '.subnetId') <> ''
	GROUP BY acl.item_key
), rel AS (
	SELECT account_id, region, resource_id, count(*) AS n, min(related_id) AS first_subnet
	FROM relationships
	WHERE resource_type = 'AWS::EC2::NetworkAcl' AND related_type = 'AWS::EC2::Subnet'
	GROUP BY account_id, region, resource_id
), v AS (
	SELECT acl.*, coalesce(a.n, r.n, 0) AS n, coalesce(a.first_subnet, r.first_subnet) AS subnet,
	       r.n IS NOT NULL AS has_rel
	FROM acl
	LEFT JOIN assoc AS a ON a.item_key = acl.item_key
	LEFT JOIN rel AS r
	  ON r.account_id = acl.account_id AND r.region = acl.region AND r.resource_id = acl.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN n > 0 THEN 'COMPLIANT'
            WHEN atype IS NULL OR atype = 'null' THEN 'INSUFFICIENT_DATA'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN n > 0
                 THEN 'associated with ' || subnet
                      || CASE WHEN n > 1 THEN ' and ' || (n - 1) || ' more subnet'
                                              || CASE WHEN n > 2 THEN 's' ELSE '' END
                              ELSE '' END
            WHEN atype IS NULL OR atype = 'null'
                 THEN 'the item records no associations (aws ec2 describe-network-acls)'
            ELSE 'the network ACL is not associated with any subnet' END AS annotation
FROM v
