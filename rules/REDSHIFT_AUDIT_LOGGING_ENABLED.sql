-- identifier: REDSHIFT_AUDIT_LOGGING_ENABLED
-- name: redshift-audit-logging-enabled
-- severity: medium (default: logging)
-- remediation: Enable audit logging for the cluster (redshift EnableLogging
--   LogDestinationType=s3 or cloudwatch).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters:
--   bucketNames: csv, optional
-- description: NON_COMPLIANT when audit logging is off for the Amazon
--   Redshift cluster, or when bucketNames is given and the logs do not go
--   to one of those S3 buckets; COMPLIANT otherwise. Config records the
--   logging status in supplementaryConfiguration.LoggingStatus
--   {loggingEnabled, bucketName, s3KeyPrefix, logDestinationType, ...}.
--   Not stated by AWS: a cluster that logs to CloudWatch Logs
--   (logDestinationType cloudwatch, no bucket) is COMPLIANT without
--   bucketNames and NON_COMPLIANT with it, since its destination matches
--   no bucket. An item without LoggingStatus (or without its
--   configuration) gives INSUFFICIENT_DATA.
-- missing: cluster audit logging status when the item lacks LoggingStatus
--   (aws redshift describe-logging-status)
WITH d AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf, logging_status AS ls
	FROM redshift_clusters
), v AS (
	SELECT *,
	       CASE WHEN json_valid(ls) AND json_type(ls) = 'object'
		    THEN ls ->> '$.loggingEnabled' END AS logging,
	       CASE WHEN json_valid(ls) AND json_type(ls) = 'object'
		    THEN nullif(ls ->> '$.bucketName', '') END AS bucket,
	       CASE WHEN json_valid(ls) AND json_type(ls) = 'object'
		    THEN ls ->> '$.logDestinationType' END AS dest
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf OR logging IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN logging IN (0, 'false') THEN 'NON_COMPLIANT'
	 WHEN :bucketNames IS NOT NULL
	      AND (bucket IS NULL OR NOT csv_contains(:bucketNames, bucket)) THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN logging IS NULL
	   THEN 'audit logging status (LoggingStatus) not recorded for cluster ' || resource_id
		|| ' (aws redshift describe-logging-status)'
	 WHEN logging IN (0, 'false') THEN 'audit logging is off for cluster ' || resource_id
	 WHEN :bucketNames IS NOT NULL AND bucket IS NULL
	   THEN 'cluster ' || resource_id || ' logs to ' || coalesce(dest, 'no S3 bucket')
		|| ', not to a bucket in bucketNames'
	 WHEN :bucketNames IS NOT NULL AND NOT csv_contains(:bucketNames, bucket)
	   THEN 'cluster ' || resource_id || ' logs to bucket ' || bucket
		|| ', which is not in bucketNames'
	 ELSE 'audit logging is on for cluster ' || resource_id
	      || coalesce(' (bucket ' || bucket || ')', ' (' || dest || ')', '')
       END AS annotation
FROM v;
