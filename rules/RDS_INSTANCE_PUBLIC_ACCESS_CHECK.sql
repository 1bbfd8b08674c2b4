-- identifier: RDS_INSTANCE_PUBLIC_ACCESS_CHECK
-- name: rds-instance-public-access-check
-- severity: critical (Security Hub RDS.2)
-- remediation: Make the instance private (ModifyDBInstance
--   PubliclyAccessible=false).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when configuration.publiclyAccessible is true
--   for the DB instance, COMPLIANT when it is false. An item without the
--   field gives INSUFFICIENT_DATA.
WITH d AS (
	-- configuration as it is when it is an object's text (what
	-- json_unstring would return, without copying it), else unstrung.
	SELECT resource_type, resource_id, account_id, region,
	       CASE WHEN configuration LIKE '{%' THEN configuration
		    ELSE json_unstring(configuration) END AS c
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBInstance'
), v AS MATERIALIZED (
	-- MATERIALIZED: the JSON read once per row, not once for each time
	-- the statement below names a column.
	SELECT resource_type, resource_id, account_id, region,
	       CASE
		 WHEN c ->> '$.publiclyAccessible' IN (1, 'true') THEN 1
		 WHEN c ->> '$.publiclyAccessible' IN (0, 'false') THEN 0
	       END AS pub,
	       coalesce(c ->> '$.dBInstanceIdentifier', resource_id) AS db
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN pub = 1 THEN 'NON_COMPLIANT'
	 WHEN pub = 0 THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN pub = 1 THEN 'publiclyAccessible is true for DB instance ' || db
	 WHEN pub = 0 THEN 'publiclyAccessible is false for DB instance ' || db
	 ELSE 'publiclyAccessible is not in the configuration item'
       END AS annotation
FROM v;
