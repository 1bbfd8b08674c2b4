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
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(configuration ->> '$.LogPublishingOptions.SEARCH_SLOW_LOGS.Enabled'
			IN (1, 'true'), 0) AS search,
	       coalesce(configuration ->> '$.LogPublishingOptions.INDEX_SLOW_LOGS.Enabled'
			IN (1, 'true'), 0) AS "index",
	       coalesce(configuration ->> '$.LogPublishingOptions.ES_APPLICATION_LOGS.Enabled'
			IN (1, 'true'), 0) AS error
	FROM current_items
	WHERE resource_type = 'AWS::OpenSearch::Domain'
), w AS (
	SELECT csv_contains(lower(:logTypes), 'search') AS w_search,
	       csv_contains(lower(:logTypes), 'index') AS w_index,
	       csv_contains(lower(:logTypes), 'error') AS w_error
), v AS (
	SELECT d.*, w.*,
	       trim(CASE WHEN w_search AND NOT search THEN 'search ' ELSE '' END
		    || CASE WHEN w_index AND NOT "index" THEN 'index ' ELSE '' END
		    || CASE WHEN w_error AND NOT error THEN 'error' ELSE '' END) AS missing,
	       trim(CASE WHEN search THEN 'search ' ELSE '' END
		    || CASE WHEN "index" THEN 'index ' ELSE '' END
		    || CASE WHEN error THEN 'error' ELSE '' END) AS enabled
	FROM d, w
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN :logTypes IS NULL THEN CASE WHEN enabled <> '' THEN 'COMPLIANT'
					     ELSE 'NON_COMPLIANT' END
	    WHEN NOT (w_search OR w_index OR w_error) THEN 'INSUFFICIENT_DATA'
	    WHEN missing <> '' THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN :logTypes IS NULL AND enabled = ''
	      THEN 'no search, index or error log is published to CloudWatch Logs'
	    WHEN :logTypes IS NULL THEN 'logs published to CloudWatch Logs: ' || enabled
	    WHEN NOT (w_search OR w_index OR w_error)
	      THEN 'logTypes names none of search, index, error: ' || :logTypes
	    WHEN missing <> '' THEN 'log types not published to CloudWatch Logs: ' || missing
	    ELSE 'every log type in logTypes is published: ' || enabled
       END AS annotation
FROM v;
