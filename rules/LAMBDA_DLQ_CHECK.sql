-- identifier: LAMBDA_DLQ_CHECK
-- name: lambda-dlq-check
-- severity: low (default: hygiene)
-- remediation: Configure a dead-letter queue or topic for the function
--   (UpdateFunctionConfiguration DeadLetterConfig.TargetArn).
-- resource-types: AWS::Lambda::Function
-- trigger: configuration-changes
-- parameters:
--   dlqArns: csv, optional
-- description: Lambda functions must have a dead-letter queue. A function
--   is NON_COMPLIANT when configuration.deadLetterConfig.targetArn is
--   absent, null or empty, or, with dlqArns (SQS queue and SNS topic ARNs),
--   when its target is not one of those listed (compared exactly);
--   COMPLIANT otherwise. Not stated by AWS (natural reading): on-failure
--   destinations of asynchronous invocation (a separate Lambda setting
--   that AWS Config does not record on the function) do not count as a
--   dead-letter queue. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH f AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       nullif(trim(configuration ->> '$.deadLetterConfig.targetArn'), '') AS dlq
	FROM current_items
	WHERE resource_type = 'AWS::Lambda::Function'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN dlq IS NULL THEN 'NON_COMPLIANT'
            WHEN :dlqArns IS NOT NULL AND NOT csv_contains(:dlqArns, dlq) THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN dlq IS NULL THEN 'no dead-letter queue is configured (deadLetterConfig.targetArn)'
            WHEN :dlqArns IS NOT NULL AND NOT csv_contains(:dlqArns, dlq)
                 THEN 'dead-letter queue ' || dlq || ' is not listed in dlqArns'
            ELSE 'dead-letter queue is ' || dlq END AS annotation
FROM f
