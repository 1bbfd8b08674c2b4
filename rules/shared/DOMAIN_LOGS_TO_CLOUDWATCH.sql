-- Shared statement of ELASTICSEARCH_LOGS_TO_CLOUDWATCH and
-- OPENSEARCH_LOGS_TO_CLOUDWATCH: the same check over two resource types
-- that AWS Config records in different letter cases. Each rule sets the
-- constants (cfgaudit-rules(5), "constant:"):
--   :resourceType  AWS::Elasticsearch::Domain or AWS::OpenSearch::Domain
--   :optionsKey    the configuration member holding the log publishing
--                  options (logPublishingOptions, LogPublishingOptions)
--   :enabledKey    the flag inside each option (enabled, Enabled)
-- and declares the parameter logTypes (csv, optional).
WITH d AS (
	-- Each domain read once: the three types as columns (a row per type,
	-- grouped and joined back, read and sorted every domain again).
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NOT NULL AS recorded,
	       coalesce(csv_contains(lower(:logTypes), 'search'), 0) AS w_s,
	       coalesce(csv_contains(lower(:logTypes), 'index'), 0) AS w_i,
	       coalesce(csv_contains(lower(:logTypes), 'error'), 0) AS w_e,
	       coalesce(json_extract(configuration, '$.' || :optionsKey || '.SEARCH_SLOW_LOGS.'
				     || :enabledKey) IN (1, 'true'), 0) AS p_s,
	       coalesce(json_extract(configuration, '$.' || :optionsKey || '.INDEX_SLOW_LOGS.'
				     || :enabledKey) IN (1, 'true'), 0) AS p_i,
	       coalesce(json_extract(configuration, '$.' || :optionsKey || '.ES_APPLICATION_LOGS.'
				     || :enabledKey) IN (1, 'true'), 0) AS p_e
	FROM current_items
	WHERE resource_type = :resourceType
), g AS MATERIALIZED (
	-- enabled and missing list the types in the order search, index,
	-- error; ok: 1 or 0, NULL when logTypes names none of the three types
	-- (or the domain is not recorded).
	SELECT d.*,
	       nullif(rtrim(CASE WHEN p_s THEN 'search ' ELSE '' END
			    || CASE WHEN p_i THEN 'index ' ELSE '' END
			    || CASE WHEN p_e THEN 'error ' ELSE '' END), '') AS enabled,
	       nullif(rtrim(CASE WHEN w_s AND NOT p_s THEN 'search ' ELSE '' END
			    || CASE WHEN w_i AND NOT p_i THEN 'index ' ELSE '' END
			    || CASE WHEN w_e AND NOT p_e THEN 'error ' ELSE '' END), '') AS missing,
	       CASE WHEN NOT recorded THEN NULL
		    WHEN :logTypes IS NULL THEN max(p_s, p_i, p_e)
		    WHEN max(w_s, w_i, w_e)
		      THEN min(p_s OR NOT w_s, p_i OR NOT w_i, p_e OR NOT w_e) END AS ok
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN ok THEN 'COMPLIANT' WHEN NOT ok THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN NOT recorded THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN ok IS NULL THEN 'logTypes names none of search, index, error: ' || :logTypes
	    ELSE 'logs published to CloudWatch Logs: ' || coalesce(enabled, 'none of search, index, error')
		 || coalesce('; required by logTypes but not published: ' || missing, '') END AS annotation
FROM g;
