-- identifier: WAFV2_LOGGING_ENABLED
-- name: wafv2-logging-enabled
-- severity: low (Security Hub WAF.11)
-- remediation: Enable logging for the web ACL to a Firehose stream, log group
--   or bucket (wafv2 PutLoggingConfiguration).
-- resource-types: AWS::WAFv2::WebACL
-- trigger: periodic
-- parameters:
--   KinesisFirehoseDeliveryStreamArns: csv, optional
-- description: Logging must be enabled on every AWS WAFv2 web ACL (regional
--   and CloudFront); with KinesisFirehoseDeliveryStreamArns the log
--   destination must be one of them. NON_COMPLIANT when logging is off (not
--   stated by AWS in the available text) or goes elsewhere. The logging
--   configuration is not part of the web ACL item; it comes from evidence
--   of aws wafv2 get-logging-configuration --resource-arn ACL-ARN (the
--   ARN, percent-encoded, is the argument in the evidence file name)
--   within --max-age of the as-of time: a LoggingConfiguration with a
--   LogDestinationConfigs entry -> COMPLIANT (with the parameter, every
--   destination must be in the list, else NON_COMPLIANT); the error
--   WAFNonexistentItemException (no logging configuration) ->
--   NON_COMPLIANT. No usable answer for the ACL: INSUFFICIENT_DATA naming
--   the call.
-- missing: the web ACL logging configuration (aws wafv2
--   get-logging-configuration --resource-arn ACL-ARN)
WITH acl AS (
	SELECT resource_type, resource_id, account_id, region,
	       coalesce(json_unstring(configuration) ->> '$.Name',
			json_unstring(configuration) ->> '$.name', resource_name, resource_id) AS name,
	       coalesce(arn, json_unstring(configuration) ->> '$.Arn',
			json_unstring(configuration) ->> '$.ARN') AS acl_arn
	FROM current_items
	WHERE resource_type = 'AWS::WAFv2::WebACL'
), l AS (
	SELECT acl.*, e.captured_at, e.error_code,
	       CASE WHEN e.error_code IS NOT NULL AND e.fresh
			 AND e.error_code <> 'WAFNonexistentItemException'
		    THEN 'aws wafv2 get-logging-configuration answered ' || e.error_code
		    ELSE evidence_missing('wafv2 get-logging-configuration', acl.account_id,
					  e.captured_at) END AS missing,
	       json_array_length(e.body, '$.LoggingConfiguration.LogDestinationConfigs')
		 AS destinations,
	       (SELECT min(d.value) FROM json_each(e.body, '$.LoggingConfiguration.LogDestinationConfigs') d
		WHERE :KinesisFirehoseDeliveryStreamArns IS NOT NULL
		  AND NOT csv_contains(:KinesisFirehoseDeliveryStreamArns, d.value)) AS elsewhere
	FROM acl
	LEFT JOIN evidence e ON e.service = 'wafv2' AND e.operation = 'get-logging-configuration'
	 AND e.account_id = acl.account_id AND e.qualifier = acl.acl_arn
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN error_code IS NOT NULL OR coalesce(destinations, 0) = 0 THEN 'NON_COMPLIANT'
	    WHEN elsewhere IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL
	    THEN 'logging configuration of web ACL ' || name || ': ' || missing
	    WHEN error_code IS NOT NULL OR coalesce(destinations, 0) = 0
	    THEN 'web ACL ' || name || ' has no logging configuration ('
		 || coalesce(error_code, 'no LogDestinationConfigs') || ', captured ' || captured_at
		 || ')'
	    WHEN elsewhere IS NOT NULL
	    THEN 'web ACL ' || name || ' logs to ' || elsewhere
		 || ', not one of KinesisFirehoseDeliveryStreamArns'
	    ELSE 'web ACL ' || name || ' logs (captured ' || captured_at || ')' END AS annotation
FROM l
