-- identifier: S3_BUCKET_LOGGING_ENABLED
-- name: s3-bucket-logging-enabled
-- severity: medium (Security Hub S3.9)
-- remediation: Enable server access logging to a log bucket (PutBucketLogging
--   TargetBucket, TargetPrefix).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   targetBucket: string, optional
--   targetPrefix: string, optional
-- description: Buckets must have server access logging enabled:
--   NON_COMPLIANT when BucketLoggingConfiguration.destinationBucketName is
--   absent or empty, COMPLIANT otherwise. Not stated by AWS (natural
--   reading): with targetBucket, logs delivered to another bucket are
--   NON_COMPLIANT; with targetPrefix, another logFilePrefix is
--   NON_COMPLIANT (exact comparison). An item without a recorded
--   configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       json_extract(logging, '$.destinationBucketName') AS dest,
	       json_extract(logging, '$.logFilePrefix') AS prefix
	FROM s3_bucket_facts
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN coalesce(dest, '') = '' THEN 'NON_COMPLIANT'
            WHEN :targetBucket IS NOT NULL AND dest IS NOT :targetBucket THEN 'NON_COMPLIANT'
            WHEN :targetPrefix IS NOT NULL AND coalesce(prefix, '') IS NOT :targetPrefix
                 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN coalesce(dest, '') = '' THEN 'server access logging is not enabled'
            WHEN :targetBucket IS NOT NULL AND dest IS NOT :targetBucket
                 THEN 'logs go to bucket ' || dest || ', not ' || :targetBucket
            WHEN :targetPrefix IS NOT NULL AND coalesce(prefix, '') IS NOT :targetPrefix
                 THEN 'log prefix is "' || coalesce(prefix, '') || '", not "'
                      || :targetPrefix || '"'
            ELSE 'server access logs go to ' || dest || '/' || coalesce(prefix, '')
            END AS annotation
FROM b
