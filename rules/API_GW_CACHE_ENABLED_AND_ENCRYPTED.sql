-- identifier: API_GW_CACHE_ENABLED_AND_ENCRYPTED
-- name: api-gw-cache-enabled-and-encrypted
-- severity: medium (default: encryption)
-- remediation: Enable caching with encrypted cache data on every method of the
--   stage (UpdateStage /*/*/caching/enabled=true,
--   /*/*/caching/dataEncrypted=true).
-- resource-types: AWS::ApiGateway::Stage
-- trigger: configuration-changes
-- parameters: (none)
-- description: Every method of a REST API stage must cache, with the cache
--   encrypted: NON_COMPLIANT when the stage's cache cluster is off
--   (configuration.cacheClusterEnabled not true), when there is no
--   stage-wide method setting (configuration.methodSettings."*/*", which
--   covers the methods without their own entry) or it has cachingEnabled
--   or cacheDataEncrypted not true, or when a per-method entry
--   (methodSettings."/path/VERB") turns either off; COMPLIANT otherwise.
--   Methods without an entry follow "*/*"; the list of methods itself is
--   not recorded, so the stage-wide entry is required (not stated by AWS).
--   An item recorded without its configuration is INSUFFICIENT_DATA.
WITH st AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.cacheClusterEnabled' IN (1, 'true'), 0) AS cluster_on,
	       json_type(configuration, '$.methodSettings."*/*"') = 'object' AS has_default
	FROM current_items
	WHERE resource_type = 'AWS::ApiGateway::Stage'
), v AS (
	SELECT st.*,
	       -- The first method setting (stage-wide first) that does not
	       -- cache, or caches unencrypted.
	       (SELECT CASE WHEN m.key = '*/*' THEN 'stage-wide method settings (*/*)'
			    ELSE 'method settings of ' || m.key END
		       || CASE WHEN NOT coalesce(json_extract(st.configuration, m.fullkey
						 || '.cachingEnabled') IN (1, 'true'), 0)
			       THEN ' do not enable caching'
			       ELSE ' do not encrypt the cache (cacheDataEncrypted is '
				    || CASE json_type(st.configuration, m.fullkey || '.cacheDataEncrypted')
					 WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
					 ELSE coalesce(json_extract(st.configuration, m.fullkey
								    || '.cacheDataEncrypted'), 'not set')
				       END
				    || ')' END
		FROM json_each(st.configuration, '$.methodSettings') AS m
		WHERE m.type = 'object'
		  AND NOT (coalesce(json_extract(st.configuration, m.fullkey || '.cachingEnabled')
				    IN (1, 'true'), 0)
			   AND coalesce(json_extract(st.configuration, m.fullkey
						     || '.cacheDataEncrypted') IN (1, 'true'), 0))
		ORDER BY m.key <> '*/*', m.key LIMIT 1) AS failing
	FROM st
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN NOT cluster_on OR NOT coalesce(has_default, 0) OR failing IS NOT NULL
	   THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN NOT cluster_on
	   THEN 'the stage cache cluster is not enabled (cacheClusterEnabled is '
		|| CASE json_type(configuration, '$.cacheClusterEnabled')
		     WHEN 'false' THEN 'false'
		     ELSE coalesce(configuration ->> '$.cacheClusterEnabled', 'not set') END || ')'
	 WHEN NOT coalesce(has_default, 0)
	   THEN 'no stage-wide method settings (*/*): methods without their own settings '
		|| 'do not cache'
	 WHEN failing IS NOT NULL THEN failing
	 ELSE 'every method setting caches with an encrypted cache'
       END AS annotation
FROM v;
