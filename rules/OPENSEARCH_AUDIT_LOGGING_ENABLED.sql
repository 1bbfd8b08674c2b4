-- identifier: OPENSEARCH_AUDIT_LOGGING_ENABLED
-- name: opensearch-audit-logging-enabled
-- severity: medium (Security Hub Opensearch.5)
-- remediation: Publish audit logs to CloudWatch Logs (UpdateDomainConfig
--   LogPublishingOptions AUDIT_LOGS Enabled=true).
-- resource-types: AWS::OpenSearch::Domain
-- trigger: configuration-changes
-- parameters:
--   cloudWatchLogsLogGroupArnList: csv, optional
-- description: OpenSearch Service domains must have audit logging enabled:
--   NON_COMPLIANT when configuration.LogPublishingOptions.AUDIT_LOGS.Enabled
--   (PascalCase, as AWS Config records AWS::OpenSearch::Domain) is not true
--   or is absent, or, with cloudWatchLogsLogGroupArnList, when the audit
--   log group (AUDIT_LOGS.CloudWatchLogsLogGroupArn) is not one of the
--   listed log group ARNs; COMPLIANT otherwise. AWS accepts list elements
--   with and without the trailing ":*", so an ARN matches a listed one with
--   or without that suffix on either side. An item recorded without its
--   configuration is INSUFFICIENT_DATA.
WITH d AS (
	-- The domains' properties, parsed once per run (opensearch_domains,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       coalesce(audit_logs_enabled IN (1, 'true'), 0) AS audit,
	       audit_logs_group AS lg
	FROM opensearch_domains
), v AS (
	SELECT *,
	       :cloudWatchLogsLogGroupArnList IS NULL
	       OR coalesce(csv_contains(:cloudWatchLogsLogGroupArnList, lg)
			   OR csv_contains(:cloudWatchLogsLogGroupArnList, lg || ':*')
			   OR (lg LIKE '%:*'
			       AND csv_contains(:cloudWatchLogsLogGroupArnList,
						substr(lg, 1, length(lg) - 2))), 0) AS lg_ok
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN audit AND lg_ok THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'domain configuration not recorded (status ' || status || ')'
	    WHEN NOT audit THEN 'LogPublishingOptions.AUDIT_LOGS.Enabled is not true: audit logs '
				|| 'are not published'
	    WHEN NOT lg_ok
	      THEN 'audit logs go to ' || coalesce(lg, '(no log group recorded)')
		   || ', not to a log group in cloudWatchLogsLogGroupArnList'
	    ELSE 'audit logs are published' || coalesce(' to ' || lg, '')
       END AS annotation
FROM v;
