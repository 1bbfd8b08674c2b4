-- identifier: DMS_REPLICATION_NOT_PUBLIC
-- name: dms-replication-not-public
-- severity: critical (Security Hub DMS.1)
-- remediation: Recreate the replication instance with PubliclyAccessible=false
--   (the setting cannot be changed in place) and move the tasks to it
--   (CreateReplicationInstance).
-- resource-types: AWS::DMS::ReplicationInstance
-- trigger: periodic
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.PubliclyAccessible of the
--   AWS DMS replication instance is true, COMPLIANT when it is false.
--   Config records this type with CloudFormation (PascalCase) names; the
--   camelCase publiclyAccessible is read too. An item without the field or
--   without its configuration gives INSUFFICIENT_DATA.
WITH v AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(json_unstring(configuration) ->> '$.PubliclyAccessible',
			json_unstring(configuration) ->> '$.publiclyAccessible') AS pub,
	       coalesce(json_unstring(configuration) ->> '$.ReplicationInstanceIdentifier',
			resource_name, resource_id) AS ri
	FROM current_items
	WHERE resource_type = 'AWS::DMS::ReplicationInstance'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN pub IN (1, 'true') THEN 'NON_COMPLIANT'
	 WHEN pub IN (0, 'false') THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN pub IN (1, 'true') THEN 'replication instance ' || ri || ' is publicly accessible'
	 WHEN pub IN (0, 'false') THEN 'replication instance ' || ri || ' is not publicly accessible'
	 ELSE 'PubliclyAccessible is not in the configuration item of replication instance ' || ri
       END AS annotation
FROM v;
