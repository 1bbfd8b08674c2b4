-- identifier: RDS_LOGGING_ENABLED
-- name: rds-logging-enabled
-- severity: medium (Security Hub RDS.9)
-- remediation: Export the engine's logs to CloudWatch Logs (ModifyDBInstance
--   CloudwatchLogsExportConfiguration EnableLogTypes).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters:
--   additionalLogs: string, optional
-- description: NON_COMPLIANT when a log type required for the instance's
--   engine is missing from configuration.enabledCloudwatchLogsExports,
--   COMPLIANT otherwise. Instances whose dBInstanceStatus is not available,
--   backing-up, storage-optimization or storage-full are NOT_APPLICABLE.
--   AWS does not document the default list; this rule requires each
--   engine's CloudWatch log exports (not stated by AWS): mysql, mariadb,
--   aurora, aurora-mysql: audit, error, general, slowquery; postgres:
--   postgresql, upgrade; aurora-postgresql: postgresql; oracle-*: alert,
--   audit, listener, trace; sqlserver-*: agent, error; db2-*: diag.log,
--   notify.log. additionalLogs ("engine: log, log ; engine: log") adds log
--   types for an engine given by exact name or by prefix before "-" (e.g.
--   oracle matches oracle-ee). Engines with no required log type are
--   NOT_APPLICABLE. Pending log export changes do not count. An instance
--   that belongs to a DB cluster (dBClusterIdentifier) also counts the
--   exports of the recorded AWS::RDS::DBCluster item, since Aurora sets log
--   exports on the cluster (not stated by AWS).
WITH RECURSIVE segs(rest, seg) AS (
	SELECT :additionalLogs || ';', NULL WHERE :additionalLogs IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ';') + 1), trim(substr(rest, 1, instr(rest, ';') - 1))
	FROM segs WHERE rest <> ''
), pairs AS (
	SELECT lower(trim(substr(seg, 1, instr(seg, ':') - 1))) AS eng,
	       substr(seg, instr(seg, ':') + 1) || ',' AS rest
	FROM segs WHERE seg IS NOT NULL AND instr(seg, ':') > 1
), extra(eng, rest, log) AS (
	SELECT eng, rest, NULL FROM pairs
	UNION ALL
	SELECT eng, substr(rest, instr(rest, ',') + 1),
	       lower(trim(substr(rest, 1, instr(rest, ',') - 1)))
	FROM extra WHERE rest <> ''
), defaults(eng_glob, log) AS (
	VALUES ('mysql', 'audit'), ('mysql', 'error'), ('mysql', 'general'), ('mysql', 'slowquery'),
	       ('mariadb', 'audit'), ('mariadb', 'error'), ('mariadb', 'general'),
	       ('mariadb', 'slowquery'),
	       ('aurora', 'audit'), ('aurora', 'error'), ('aurora', 'general'),
	       ('aurora', 'slowquery'),
	       ('aurora-mysql', 'audit'), ('aurora-mysql', 'error'), ('aurora-mysql', 'general'),
	       ('aurora-mysql', 'slowquery'),
	       ('postgres', 'postgresql'), ('postgres', 'upgrade'),
	       ('aurora-postgresql', 'postgresql'),
	       ('oracle-*', 'alert'), ('oracle-*', 'audit'), ('oracle-*', 'listener'),
	       ('oracle-*', 'trace'),
	       ('custom-oracle-*', 'alert'), ('custom-oracle-*', 'audit'),
	       ('custom-oracle-*', 'listener'), ('custom-oracle-*', 'trace'),
	       ('sqlserver-*', 'agent'), ('sqlserver-*', 'error'),
	       ('custom-sqlserver-*', 'agent'), ('custom-sqlserver-*', 'error'),
	       ('db2-*', 'diag.log'), ('db2-*', 'notify.log')
), d AS (
	-- configuration as it is when it is an object's text (what
	-- json_unstring would return, without copying it), else unstrung.
	SELECT resource_type, resource_id, account_id, region,
	       CASE WHEN configuration LIKE '{%' THEN configuration
		    ELSE json_unstring(configuration) END AS c
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBInstance'
), dc AS (
	SELECT resource_type, resource_id, account_id, region, resource_name,
	       CASE WHEN configuration LIKE '{%' THEN configuration
		    ELSE json_unstring(configuration) END AS c
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBCluster' AND configuration IS NOT NULL
), v AS (
	SELECT 'i' AS kind, resource_type, resource_id, account_id, region,
	       c IS NULL AS no_conf,
	       lower(coalesce(c ->> '$.engine', '')) AS engine,
	       lower(c ->> '$.dBInstanceStatus') AS status,
	       coalesce(c ->> '$.dBClusterIdentifier', c ->> '$.dbClusterIdentifier',
			c ->> '$.dbclusterIdentifier') AS cluster_id,
	       CASE WHEN json_type(c, '$.enabledCloudwatchLogsExports') = 'array'
		    THEN c -> '$.enabledCloudwatchLogsExports' ELSE '[]' END AS own_exports,
	       NULL AS cluster_exports
	FROM d
	UNION ALL
	SELECT 'c', resource_type, resource_id, account_id, region, 0, NULL, NULL,
	       coalesce(c ->> '$.dbclusterIdentifier', c ->> '$.dBClusterIdentifier',
			c ->> '$.dbClusterIdentifier', resource_name),
	       NULL,
	       CASE WHEN json_type(c, '$.enabledCloudwatchLogsExports') = 'array'
		    THEN c -> '$.enabledCloudwatchLogsExports' ELSE '[]' END
	FROM dc
), ve AS (
	-- Each instance with its cluster's exports. A window over the union
	-- (sorting) rather than a join: joins between unindexed CTEs are
	-- quadratic and this must scale to many instances.
	SELECT * FROM (
		SELECT v.*,
		       CASE WHEN cluster_id IS NOT NULL
			    THEN max(cluster_exports) OVER (
				   PARTITION BY account_id, region, cluster_id) END AS cl_exports
		FROM v)
	WHERE kind = 'i'
), req AS MATERIALIZED (
	-- The required log types by engine pattern, listed once.
	SELECT eng_glob, log FROM defaults
	UNION ALL
	SELECT eng, log FROM extra WHERE log IS NOT NULL AND log <> ''
	UNION ALL
	SELECT eng || '-*', log FROM extra WHERE log IS NOT NULL AND log <> ''
), er AS MATERIALIZED (
	-- Each engine's required log types (each once), matched against the
	-- patterns once per engine rather than once per instance.
	SELECT DISTINCT e.engine, req.log
	FROM (SELECT DISTINCT engine FROM ve) AS e, req WHERE e.engine GLOB req.eng_glob
), wa AS MATERIALIZED (
	-- Each instance with its required log types (each once, in order)
	-- counted and the missing ones listed, as a JSON array [n, missing].
	-- A log type is present when it is IN the lower-cased exports of the
	-- instance or its cluster: 1 on a match, else NULL when an export is
	-- NULL, else 0 (no index of the exports is built for each log type).
	SELECT ve.*,
	       (SELECT json_array(count(*), group_concat(CASE WHEN NOT present THEN log END, ', '))
		FROM (SELECT q.log,
			     (SELECT CASE WHEN max(lower(e.value) = q.log) THEN 1
					  WHEN count(*) > count(lower(e.value) = q.log) THEN NULL
					  ELSE 0 END
			      FROM json_each(ve.own_exports) e)
			     OR (SELECT CASE WHEN max(lower(e.value) = q.log) THEN 1
					     WHEN count(*) > count(lower(e.value) = q.log) THEN NULL
					     ELSE 0 END
				 FROM json_each(coalesce(ve.cl_exports, '[]')) e) AS present
		      FROM (SELECT log FROM er WHERE er.engine = ve.engine) AS q
		      ORDER BY q.log)) AS agg
	FROM ve
), w AS (
	SELECT resource_type, resource_id, account_id, region, no_conf, engine, status, cluster_id,
	       cl_exports IS NOT NULL AS with_cluster, agg ->> '$[0]' AS n_req,
	       agg ->> '$[1]' AS missing_logs
	FROM wa
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN status IS NOT NULL
	      AND status NOT IN ('available', 'backing-up', 'storage-optimization', 'storage-full')
	   THEN 'NOT_APPLICABLE'
	 WHEN n_req = 0 THEN 'NOT_APPLICABLE'
	 WHEN missing_logs IS NOT NULL THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'DB instance configuration not recorded in the configuration item'
	 WHEN status IS NOT NULL
	      AND status NOT IN ('available', 'backing-up', 'storage-optimization', 'storage-full')
	   THEN 'dBInstanceStatus is ' || status
	 WHEN n_req = 0 THEN 'no required log types are known for engine '
		|| coalesce(nullif(engine, ''), '(none)')
	 WHEN missing_logs IS NOT NULL THEN 'engine ' || engine
		|| ': log types not exported to CloudWatch Logs: ' || missing_logs
	 ELSE 'engine ' || engine || ': all ' || n_req || ' required log types are exported'
	      || CASE WHEN with_cluster THEN ' (with DB cluster ' || cluster_id || ')' ELSE '' END
       END AS annotation
FROM w;
