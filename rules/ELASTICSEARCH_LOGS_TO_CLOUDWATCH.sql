-- identifier: ELASTICSEARCH_LOGS_TO_CLOUDWATCH
-- name: elasticsearch-logs-to-cloudwatch
-- resource-types: AWS::Elasticsearch::Domain
-- trigger: configuration-changes
-- parameters:
--   logTypes: csv, optional
-- description: Domains recorded as AWS::Elasticsearch::Domain must send
--   logs to CloudWatch Logs: COMPLIANT if a log is enabled, NON_COMPLIANT
--   if logging is not configured. The log types are AWS's parameter values:
--   search (logPublishingOptions.SEARCH_SLOW_LOGS), index (INDEX_SLOW_LOGS)
--   and error (ES_APPLICATION_LOGS), each enabled when its enabled is true
--   (camelCase, as AWS Config records this type). Without logTypes one
--   enabled type suffices; with logTypes every listed type must be enabled
--   (any case, elements trimmed). Not stated by AWS: AUDIT_LOGS is not one
--   of the types, elements other than the three are ignored, and a logTypes
--   that names none of them cannot be evaluated: INSUFFICIENT_DATA, as is
--   an item recorded without its configuration. The same rule for
--   AWS::OpenSearch::Domain is OPENSEARCH_LOGS_TO_CLOUDWATCH.
WITH t(word, opt) AS (
	VALUES ('search', 'SEARCH_SLOW_LOGS'), ('index', 'INDEX_SLOW_LOGS'),
	       ('error', 'ES_APPLICATION_LOGS')
), x AS (
	SELECT c.item_key, t.word, csv_contains(lower(:logTypes), t.word) AS want,
	       coalesce(json_extract(c.configuration, '$.logPublishingOptions.' || t.opt || '.enabled') IN (1, 'true'), 0) AS pub
	FROM current_items AS c, t
	WHERE c.resource_type = 'AWS::Elasticsearch::Domain' AND c.configuration IS NOT NULL
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
WHERE c.resource_type = 'AWS::Elasticsearch::Domain';
