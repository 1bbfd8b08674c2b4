-- Shared statement of ELASTICSEARCH_LOGS_TO_CLOUDWATCH and
-- OPENSEARCH_LOGS_TO_CLOUDWATCH: the same check over two resource types
-- that AWS Config records in different letter cases. Each rule sets the
-- constants (cfgaudit-rules(5), "constant:"):
--   :resourceType  AWS::Elasticsearch::Domain or AWS::OpenSearch::Domain
--   :optionsKey    the configuration member holding the log publishing
--                  options (logPublishingOptions, LogPublishingOptions)
--   :enabledKey    the flag inside each option (enabled, Enabled)
-- and declares the parameter logTypes (csv, optional).
WITH t(word, opt) AS (
	VALUES ('search', 'SEARCH_SLOW_LOGS'), ('index', 'INDEX_SLOW_LOGS'),
	       ('error', 'ES_APPLICATION_LOGS')
), x AS (
	SELECT c.item_key, t.word, csv_contains(lower(:logTypes), t.word) AS want,
	       coalesce(json_extract(c.configuration, '$.' || :optionsKey || '.' || t.opt || '.' || :enabledKey)
			IN (1, 'true'), 0) AS pub
	FROM current_items AS c, t
	WHERE c.resource_type = :resourceType AND c.configuration IS NOT NULL
), g AS (
	-- ok: 1 or 0, NULL when logTypes names none of the three types.
	SELECT item_key, group_concat(CASE WHEN pub THEN word END, ' ') AS enabled,
	       group_concat(CASE WHEN want AND NOT pub THEN word END, ' ') AS missing,
	       CASE WHEN :logTypes IS NULL THEN max(pub) WHEN max(want) THEN min(pub OR NOT want) END AS ok
	FROM x GROUP BY item_key
)
SELECT c.resource_type, c.resource_id, c.account_id, c.region AS aws_region,
       CASE WHEN g.ok THEN 'COMPLIANT' WHEN NOT g.ok THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN g.item_key IS NULL THEN 'domain configuration not recorded (status ' || c.status || ')'
	    WHEN g.ok IS NULL THEN 'logTypes names none of search, index, error: ' || :logTypes
	    ELSE 'logs published to CloudWatch Logs: ' || coalesce(enabled, 'none of search, index, error')
		 || coalesce('; required by logTypes but not published: ' || missing, '') END AS annotation
FROM current_items AS c LEFT JOIN g ON g.item_key = c.item_key
WHERE c.resource_type = :resourceType;
