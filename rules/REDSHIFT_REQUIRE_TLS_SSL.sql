-- identifier: REDSHIFT_REQUIRE_TLS_SSL
-- name: redshift-require-tls-ssl
-- severity: medium (Security Hub Redshift.2)
-- remediation: Set require_ssl to true in the cluster's parameter group and
--   reboot the cluster (ModifyClusterParameterGroup, RebootCluster).
-- resource-types: AWS::Redshift::Cluster, AWS::Redshift::ClusterParameterGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: Evaluates each Amazon Redshift cluster: NON_COMPLIANT when
--   the require_ssl parameter of its parameter group is not true, COMPLIANT
--   when it is true. The cluster names its group in
--   configuration.clusterParameterGroups[0].parameterGroupName (a cluster has
--   one parameter group; else the group is taken from its
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
	SELECT resource_type, resource_id, account_id, region, status, unrec,
	       -- A cluster has one parameter group; the relationship is the
	       -- fallback for an item whose configuration does not name it.
	       coalesce(parameter_group_name,
			(SELECT coalesce(r.related_id, r.related_name) FROM relationships AS r
			 WHERE r.account_id = x.account_id AND r.region = x.region
			   AND r.resource_type = x.resource_type AND r.resource_id = x.resource_id
			   AND r.related_type = 'AWS::Redshift::ClusterParameterGroup'
			 LIMIT 1)) AS grp
	FROM (
		-- The clusters' properties, parsed once per run
		-- (redshift_clusters, cfgaudit-rules(5)).
		SELECT resource_type, resource_id, account_id, region, status,
		       NOT recorded AS unrec, parameter_group_name
		FROM redshift_clusters) AS x
), pg AS MATERIALIZED (
	-- Each recorded parameter group with its require_ssl entry, read from
	-- its own Parameters list (NULL when it has none).
	-- One pass over the list: the entries counted, and the value of the
	-- first (the row of min(p.id), in list order), as a JSON array.
	SELECT account_id, region, resource_id AS grp, status AS pg_status,
	       configuration IS NULL AS pg_no_conf,
	       (SELECT json_array(count(*), min(p.id),
				  lower(trim(json_extract(y.params, p.fullkey || '.parameterValue'))))
		FROM json_each(y.params) AS p
		WHERE p.type = 'object'
		  AND lower(json_extract(y.params, p.fullkey || '.parameterName')) = 'require_ssl')
	       AS entry
	FROM (SELECT account_id, region, resource_id, status, configuration,
		     json_unstring(supplementary -> '$.Parameters') AS params
	      FROM current_items
	      WHERE resource_type = 'AWS::Redshift::ClusterParameterGroup') AS y
), v AS (
	SELECT cl.*, pg.grp AS pg_grp, pg.pg_status, pg.pg_no_conf,
	       pg.entry ->> '$[2]' AS val, pg.entry ->> '$[0]' AS has_entry
	FROM cl LEFT JOIN pg
	  ON pg.account_id = cl.account_id AND pg.region = cl.region AND pg.grp = cl.grp
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec OR grp IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN pg_grp IS NULL OR pg_no_conf OR NOT has_entry THEN 'INSUFFICIENT_DATA'
	 WHEN val = 'true' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 WHEN grp IS NULL
	   THEN 'the configuration item of cluster ' || resource_id || ' names no parameter group'
	 ELSE 'cluster ' || resource_id || ': '
	      || CASE
		   WHEN pg_grp IS NULL
		     THEN 'parameter group ' || grp || ' is not recorded'
			  || ' (aws redshift describe-cluster-parameters)'
		   WHEN pg_no_conf
		     THEN 'parameter group ' || grp || ' not recorded (status ' || pg_status || ')'
		   WHEN NOT has_entry
		     THEN 'parameter group ' || grp || ' has no recorded require_ssl'
		   ELSE 'require_ssl is ' || coalesce(val, 'null') || ' in parameter group ' || grp
		 END
       END AS annotation
FROM v;
