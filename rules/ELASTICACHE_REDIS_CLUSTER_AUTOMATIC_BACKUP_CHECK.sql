-- identifier: ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK
-- name: elasticache-redis-cluster-automatic-backup-check
-- severity: high (Security Hub ElastiCache.1)
-- remediation: Enable automatic backups with at least the required retention
--   (ModifyReplicationGroup or ModifyCacheCluster SnapshotRetentionLimit).
-- resource-types: AWS::ElastiCache::CacheCluster, AWS::ElastiCache::ReplicationGroup
-- trigger: periodic
-- parameters:
--   snapshotRetentionPeriod: int = 15
-- description: NON_COMPLIANT when the SnapshotRetentionLimit (days of
--   automatic backups; 0 = off) of an ElastiCache Redis cache cluster or
--   replication group is less than snapshotRetentionPeriod, COMPLIANT
--   otherwise. (AWS's example says a parameter of 15 fails retentions
--   "between 0-15"; its rule text, followed here, says "less than".)
--   Memcached cache clusters are NOT_APPLICABLE. Not stated by AWS: a
--   Redis cache cluster that is a member of a replication group
--   (replicationGroupId set) is NOT_APPLICABLE, since its group holds the
--   backup setting and only one member takes the snapshots; Valkey, the
--   Redis-compatible engine, counts as Redis; a replication group without
--   an engine field counts as Redis. The Config resource schema does not
--   list these types, so fields are read in camelCase and PascalCase
--   (snapshotRetentionLimit / SnapshotRetentionLimit, engine,
--   replicationGroupId). An item without the retention or without its
--   configuration gives INSUFFICIENT_DATA.
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type IN ('AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup')
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, c,
	       lower(coalesce(c ->> '$.engine', c ->> '$.Engine')) AS engine,
	       nullif(coalesce(c ->> '$.replicationGroupId', c ->> '$.ReplicationGroupId'), '')
	       AS group_id,
	       CAST(coalesce(c ->> '$.snapshotRetentionLimit', c ->> '$.SnapshotRetentionLimit')
		    AS INTEGER) AS days,
	       CASE resource_type WHEN 'AWS::ElastiCache::CacheCluster' THEN 'cache cluster '
		    ELSE 'replication group ' END || resource_id AS what
	FROM d
), w AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT *,
	       CASE
		 WHEN resource_type = 'AWS::ElastiCache::CacheCluster'
		   THEN coalesce(engine IN ('redis', 'valkey'), 0)
		 ELSE coalesce(engine IN ('redis', 'valkey'), 1)
	       END AS redis,
	       resource_type = 'AWS::ElastiCache::CacheCluster' AND group_id IS NOT NULL AS member
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN resource_type = 'AWS::ElastiCache::CacheCluster' AND engine IS NULL
	   THEN 'INSUFFICIENT_DATA'
	 WHEN NOT redis OR member THEN 'NOT_APPLICABLE'
	 WHEN days IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN days < :snapshotRetentionPeriod THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'configuration not recorded (status ' || status || ')'
	 WHEN resource_type = 'AWS::ElastiCache::CacheCluster' AND engine IS NULL
	   THEN 'the configuration item of ' || what || ' has no engine'
	 WHEN NOT redis THEN 'engine ' || engine || ' is not Redis'
	 WHEN member THEN what || ' belongs to replication group ' || group_id
	 WHEN days IS NULL THEN 'SnapshotRetentionLimit is not in the configuration item of ' || what
	 WHEN days = 0 THEN 'automatic backups are off for ' || what
	 WHEN days < :snapshotRetentionPeriod
	   THEN what || ' keeps automatic backups ' || days || ' days, fewer than '
		|| :snapshotRetentionPeriod
	 ELSE what || ' keeps automatic backups ' || days || ' days'
       END AS annotation
FROM w;
