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
--   configuration is not part of the web ACL item: INSUFFICIENT_DATA for
--   every web ACL.
-- missing: the web ACL logging configuration (aws wafv2
--   get-logging-configuration --resource-arn ACL-ARN)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       'logging configuration of web ACL '
       || coalesce(json_unstring(configuration) ->> '$.Name',
		   json_unstring(configuration) ->> '$.name', resource_name, resource_id)
       || ' is not in AWS Config data (aws wafv2 get-logging-configuration)' AS annotation
FROM current_items
WHERE resource_type = 'AWS::WAFv2::WebACL';
