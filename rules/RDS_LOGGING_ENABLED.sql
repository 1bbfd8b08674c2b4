-- identifier: RDS_LOGGING_ENABLED
-- name: rds-logging-enabled
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
	       ('aurora', 'audit'), ('aurora', 'error'), ('aurora', 'general'), ('aurora', 'slowquery'),
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
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBInstance'
), clusters AS (
	SELECT account_id, region,
	       coalesce(json_unstring(configuration) ->> '$.dbclusterIdentifier',
			json_unstring(configuration) ->> '$.dBClusterIdentifier',
			json_unstring(configuration) ->> '$.dbClusterIdentifier',
			resource_name) AS cluster_id,
	       CASE WHEN json_type(json_unstring(configuration), '$.enabledCloudwatchLogsExports')
			 = 'array'
		    THEN json_unstring(configuration) -> '$.enabledCloudwatchLogsExports'
		    ELSE '[]' END AS cluster_exports
	FROM current_items
	WHERE resource_type = 'AWS::RDS::DBCluster' AND configuration IS NOT NULL
), v AS (
	SELECT d.*,
	       lower(coalesce(c ->> '$.engine', '')) AS engine,
	       lower(c ->> '$.dBInstanceStatus') AS status,
	       coalesce(c ->> '$.dBClusterIdentifier', c ->> '$.dbClusterIdentifier',
			c ->> '$.dbclusterIdentifier') AS cluster_id,
	       CASE WHEN json_type(c, '$.enabledCloudwatchLogsExports') = 'array'
		    THEN c -> '$.enabledCloudwatchLogsExports' ELSE '[]' END AS own_exports
	FROM d
), vc AS (
	SELECT v.*,
	       (SELECT min(k.cluster_exports) FROM clusters k
		WHERE k.account_id = v.account_id AND k.region = v.region
		  AND k.cluster_id = v.cluster_id) AS cluster_exports
	FROM v
), ve AS (
	SELECT vc.*,
	       (SELECT json_group_array(x) FROM
		  (SELECT lower(e.value) AS x FROM json_each(vc.own_exports) e
		   UNION SELECT lower(e.value) FROM json_each(coalesce(vc.cluster_exports, '[]')) e))
	       AS enabled
	FROM vc
), req AS (
	SELECT DISTINCT v.resource_id, v.account_id, v.region, r.log
	FROM ve v JOIN (SELECT eng_glob, log FROM defaults
		     UNION ALL
		     SELECT eng, log FROM extra WHERE log IS NOT NULL AND log <> ''
		     UNION ALL
		     SELECT eng || '-*', log FROM extra WHERE log IS NOT NULL AND log <> '') r
	  ON v.engine GLOB r.eng_glob
), w AS (
	SELECT v.*,
	       (SELECT count(*) FROM req q WHERE q.resource_id = v.resource_id
		  AND q.account_id = v.account_id AND q.region = v.region) AS n_req,
	       (SELECT group_concat(log, ', ') FROM
		  (SELECT q.log FROM req q
		   WHERE q.resource_id = v.resource_id AND q.account_id = v.account_id
		     AND q.region = v.region
		     AND q.log NOT IN (SELECT e.value FROM json_each(v.enabled) e)
		   ORDER BY q.log)) AS missing_logs
	FROM ve v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN status IS NOT NULL
	      AND status NOT IN ('available', 'backing-up', 'storage-optimization', 'storage-full')
	   THEN 'NOT_APPLICABLE'
	 WHEN n_req = 0 THEN 'NOT_APPLICABLE'
	 WHEN missing_logs IS NOT NULL THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'DB instance configuration not recorded in the configuration item'
	 WHEN status IS NOT NULL
	      AND status NOT IN ('available', 'backing-up', 'storage-optimization', 'storage-full')
	   THEN 'dBInstanceStatus is ' || status
	 WHEN n_req = 0 THEN 'no required log types are known for engine '
		|| coalesce(nullif(engine, ''), '(none)')
	 WHEN missing_logs IS NOT NULL THEN 'engine ' || engine
		|| ': log types not exported to CloudWatch Logs: ' || missing_logs
	 ELSE 'engine ' || engine || ': all ' || n_req || ' required log types are exported'
	      || CASE WHEN cluster_exports IS NOT NULL
		      THEN ' (with DB cluster ' || cluster_id || ')' ELSE '' END
       END AS annotation
FROM w;
