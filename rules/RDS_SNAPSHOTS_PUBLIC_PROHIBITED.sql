-- identifier: RDS_SNAPSHOTS_PUBLIC_PROHIBITED
-- name: rds-snapshots-public-prohibited
-- severity: critical (Security Hub RDS.1)
-- remediation: Remove the public restore permission from the snapshot
--   (ModifyDBSnapshotAttribute or ModifyDBClusterSnapshotAttribute
--   AttributeName=restore ValuesToRemove=all).
-- resource-types: AWS::RDS::DBSnapshot, AWS::RDS::DBClusterSnapshot
-- trigger: configuration-changes
-- parameters: (none)
-- description: NON_COMPLIANT when an RDS DB snapshot or DB cluster
--   snapshot is public, COMPLIANT otherwise. Config records the sharing
--   attributes in supplementaryConfiguration.DBSnapshotAttributes (DB
--   snapshots) or DBClusterSnapshotAttributes (cluster snapshots), a list
--   of {attributeName, attributeValues}; a snapshot is public when its
--   "restore" attribute lists "all" (sharing with named accounts is not
--   public). When the item has no such list, an automated snapshot
--   (snapshotType automated, which RDS does not let anyone share) is
--   COMPLIANT and any other snapshot is INSUFFICIENT_DATA, naming
--   DescribeDBSnapshotAttributes / DescribeDBClusterSnapshotAttributes.
-- missing: snapshot restore attributes when the item lacks them
--   (aws rds describe-db-snapshot-attributes,
--   aws rds describe-db-cluster-snapshot-attributes)
WITH s AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       json_unstring(configuration) AS c,
	       json_unstring(CASE resource_type
			       WHEN 'AWS::RDS::DBSnapshot' THEN supplementary -> '$.DBSnapshotAttributes'
			       ELSE supplementary -> '$.DBClusterSnapshotAttributes' END) AS attrs,
	       CASE resource_type WHEN 'AWS::RDS::DBSnapshot' THEN 'DB snapshot '
		    ELSE 'DB cluster snapshot ' END
	       || coalesce(resource_name, resource_id) AS what
	FROM current_items
	WHERE resource_type IN ('AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot')
), v AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	-- Whether the restore attribute lists "all", from this item's own
	-- list only. Paths come from the whole document (fullkey), never from
	-- re-parsing an element.
	SELECT s.*,
	       json_valid(s.attrs) AND json_type(s.attrs) = 'array' AS has_attrs,
	       EXISTS (SELECT 1
		       FROM json_each(s.attrs) AS a,
			    json_each(s.attrs, a.fullkey || '.attributeValues') AS val
		       WHERE a.type = 'object'
			 AND lower(json_extract(s.attrs, a.fullkey || '.attributeName')) = 'restore'
			 AND lower(trim(val.value)) = 'all') AS public
	FROM s
)
SELECT s.resource_type, s.resource_id, s.account_id, s.region AS aws_region,
       CASE
	 WHEN s.c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN s.public THEN 'NON_COMPLIANT'
	 WHEN s.has_attrs THEN 'COMPLIANT'
	 WHEN lower(s.c ->> '$.snapshotType') = 'automated' THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN s.c IS NULL THEN 'configuration not recorded (status ' || s.status || ')'
	 WHEN s.public
	   THEN s.what || ' is public: its restore attribute includes all'
	 WHEN s.has_attrs
	   THEN s.what || ' is not public'
	 WHEN lower(s.c ->> '$.snapshotType') = 'automated'
	   THEN s.what || ' is an automated snapshot, which cannot be shared'
	 ELSE 'snapshot attributes not recorded for ' || s.what || ' (aws rds describe-db-'
	      || CASE s.resource_type WHEN 'AWS::RDS::DBSnapshot' THEN '' ELSE 'cluster-' END
	      || 'snapshot-attributes)'
       END AS annotation
FROM v AS s;
