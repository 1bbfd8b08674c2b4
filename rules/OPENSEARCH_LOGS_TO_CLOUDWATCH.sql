-- identifier: OPENSEARCH_LOGS_TO_CLOUDWATCH
-- name: opensearch-logs-to-cloudwatch
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters:
--   logTypes: csv, optional
-- description: OpenSearch Service domains must send logs to CloudWatch
--   Logs: NON_COMPLIANT when logging is not configured, COMPLIANT
--   otherwise. The log types are AWS's parameter values: search
--   (LogPublishingOptions.SEARCH_SLOW_LOGS), index (INDEX_SLOW_LOGS) and
--   error (ES_APPLICATION_LOGS), each enabled when its Enabled is true
--   (PascalCase, as AWS Config records AWS::OpenSearch::Domain). Without
--   logTypes one enabled type suffices; with logTypes every listed type
--   must be enabled (any case, elements trimmed). Not stated by AWS:
--   AUDIT_LOGS is not one of the types (opensearch-audit-logging-enabled
--   checks it), elements other than the three are ignored, and a logTypes
--   that names none of them cannot be evaluated: INSUFFICIENT_DATA, as is
--   an item recorded without its configuration.
WITH t(word, opt) AS (
	VALUES ('search', 'SEARCH_SLOW_LOGS'), ('index', 'INDEX_SLOW_LOGS'),
	       ('error', 'ES_APPLICATION_LOGS')
), x AS (
	-- One row per domain and log type: is it published, is it required.
	SELECT c.item_key, t.word,
	       coalesce(json_extract(c.configuration, '$.LogPublishingOptions.' || t.opt || '.Enabled')
			IN (1, 'true'), 0) AS pub,
	       coalesce(csv_contains(lower(:logTypes), t.word), 0) AS want
	FROM current_items AS c, t
	WHERE c.resource_type = 'AWS::OpenSearch::Domain' AND c.configuration IS NOT NULL
), g AS (
	SELECT item_key, max(want) AS any_want,
	       group_concat(CASE WHEN pub THEN word END, ' ') AS enabled,
	       group_concat(CASE WHEN want AND NOT pub THEN word END, ' ') AS missing
	FROM x GROUP BY item_key
)
SELECT c.resource_type, c.resource_id, c.account_id, c.region AS aws_region,
       CASE WHEN g.item_key IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN :logTypes IS NULL AND enabled IS NULL THEN 'NON_COMPLIANT'
	    WHEN :logTypes IS NULL THEN 'COMPLIANT'
	    WHEN NOT any_want THEN 'INSUFFICIENT_DATA'
	    WHEN missing IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN g.item_key IS NULL
	      THEN 'domain configuration not recorded (status ' || c.status || ')'
	    WHEN :logTypes IS NULL AND enabled IS NULL
	      THEN 'no search, index or error log is published to CloudWatch Logs'
	    WHEN :logTypes IS NULL THEN 'logs published to CloudWatch Logs: ' || enabled
	    WHEN NOT any_want THEN 'logTypes names none of search, index, error: ' || :logTypes
	    WHEN missing IS NOT NULL THEN 'log types not published to CloudWatch Logs: ' || missing
	    ELSE 'every log type in logTypes is published: ' || enabled
       END AS annotation
FROM current_items AS c LEFT JOIN g ON g.item_key = c.item_key
WHERE c.resource_type = 'AWS::OpenSearch::Domain';
