-- identifier: REDSHIFT_REQUIRE_TLS_SSL
-- name: redshift-require-tls-ssl
-- resource-types: AWS::Redshift::Cluster, AWS::Redshift::ClusterParameterGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: Evaluates each Amazon Redshift cluster: NON_COMPLIANT when
--   the require_ssl parameter of its parameter group is not true, COMPLIANT
--   when it is true. The cluster names its group in
--   configuration.clusterParameterGroups[].parameterGroupName (else in its
--   relationship to AWS::Redshift::ClusterParameterGroup); Config records
--   the group's parameters in the AWS::Redshift::ClusterParameterGroup
--   item of the same account and region (resource id = group name), as
--   supplementaryConfiguration.Parameters [{parameterName,
--   parameterValue, ...}]. The value is read as it stands in the group,
--   even while the cluster's parameterApplyStatus is pending-reboot. When
--   the group's item, or its require_ssl entry, is not in the data, the
--   verdict is INSUFFICIENT_DATA, also for default groups
--   (default.redshift-*): Config may not record them, and the value of a
--   default group is not fixed (Redshift changed the default of require_ssl
--   for new clusters in 2025), so absence is never read as false.
-- missing: the cluster parameter group's parameters when its
--   AWS::Redshift::ClusterParameterGroup item is not recorded
--   (aws redshift describe-cluster-parameters)
WITH cl AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::Redshift::Cluster'
), cl_groups AS (
	-- One row per parameter group a cluster names.
	SELECT cl.item_key, json_extract(cl.c, g.fullkey || '.parameterGroupName') AS grp
	FROM cl, json_each(cl.c, '$.clusterParameterGroups') AS g
	WHERE cl.c IS NOT NULL AND g.type = 'object'
	  AND json_extract(cl.c, g.fullkey || '.parameterGroupName') IS NOT NULL
	UNION
	SELECT cl.item_key, coalesce(r.related_id, r.related_name)
	FROM cl JOIN relationships AS r
	  ON r.account_id = cl.account_id AND r.region = cl.region
	 AND r.resource_type = cl.resource_type AND r.resource_id = cl.resource_id
	WHERE r.related_type = 'AWS::Redshift::ClusterParameterGroup'
	  AND json_array_length(cl.c, '$.clusterParameterGroups') IS NOT 1
), pg AS (
	SELECT account_id, region, resource_id AS grp, status AS pg_status,
	       configuration IS NULL AS pg_no_conf,
	       json_unstring(supplementary -> '$.Parameters') AS params
	FROM current_items
	WHERE resource_type = 'AWS::Redshift::ClusterParameterGroup'
), ssl AS (
	SELECT pg.account_id, pg.region, pg.grp,
	       lower(trim(json_extract(pg.params, p.fullkey || '.parameterValue'))) AS val
	FROM pg, json_each(pg.params) AS p
	WHERE json_valid(pg.params) AND p.type = 'object'
	  AND lower(json_extract(pg.params, p.fullkey || '.parameterName')) = 'require_ssl'
), per_group AS (
	SELECT cl.item_key, g.grp,
	       CASE
		 WHEN pg.grp IS NULL THEN 'unknown'
		 WHEN pg.pg_no_conf OR s.grp IS NULL THEN 'unknown'
		 WHEN s.val = 'true' THEN 'ok'
		 ELSE 'bad'
	       END AS verdict,
	       CASE
		 WHEN pg.grp IS NULL
		   THEN 'parameter group ' || g.grp || ' is not recorded'
			|| ' (aws redshift describe-cluster-parameters)'
		 WHEN pg.pg_no_conf
		   THEN 'parameter group ' || g.grp || ' not recorded (status ' || pg.pg_status || ')'
		 WHEN s.grp IS NULL
		   THEN 'parameter group ' || g.grp || ' has no recorded require_ssl'
		 ELSE 'require_ssl is ' || coalesce(s.val, 'null') || ' in parameter group ' || g.grp
	       END AS why
	FROM cl
	JOIN cl_groups AS g ON g.item_key = cl.item_key
	LEFT JOIN pg ON pg.account_id = cl.account_id AND pg.region = cl.region AND pg.grp = g.grp
	LEFT JOIN ssl AS s ON s.account_id = cl.account_id AND s.region = cl.region AND s.grp = g.grp
), agg AS (
	SELECT item_key,
	       max(verdict = 'bad') AS any_bad, max(verdict = 'unknown') AS any_unknown,
	       coalesce(min(CASE WHEN verdict = 'bad' THEN why END),
			min(CASE WHEN verdict = 'unknown' THEN why END),
			group_concat(why, '; ')) AS why
	FROM per_group
	GROUP BY item_key
)
SELECT cl.resource_type, cl.resource_id, cl.account_id, cl.region AS aws_region,
       CASE
	 WHEN cl.c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN a.item_key IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN a.any_bad THEN 'NON_COMPLIANT'
	 WHEN a.any_unknown THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN cl.c IS NULL THEN 'configuration not recorded (status ' || cl.status || ')'
	 WHEN a.item_key IS NULL
	   THEN 'the configuration item of cluster ' || cl.resource_id
		|| ' names no parameter group'
	 ELSE 'cluster ' || cl.resource_id || ': ' || a.why
       END AS annotation
FROM cl LEFT JOIN agg AS a ON a.item_key = cl.item_key;
