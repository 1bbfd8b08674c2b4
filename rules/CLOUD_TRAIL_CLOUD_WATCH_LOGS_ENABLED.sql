-- identifier: CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED
-- name: cloud-trail-cloud-watch-logs-enabled
-- severity: low (Security Hub CloudTrail.5)
-- remediation: Send the trail to a CloudWatch Logs log group (UpdateTrail
--   CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn).
-- resource-types: AWS::CloudTrail::Trail
-- trigger: periodic
-- parameters:
--   expectedDeliveryWindowAge: int, optional
-- description: A CloudTrail trail must send its events to CloudWatch Logs:
--   NON_COMPLIANT when configuration.cloudWatchLogsLogGroupArn is empty or
--   absent, COMPLIANT otherwise. With expectedDeliveryWindowAge (hours)
--   set, a trail that has a log group needs the time of its latest
--   delivery, which Config does not record: INSUFFICIENT_DATA.
-- missing: only with expectedDeliveryWindowAge: the latest CloudWatch Logs
--   delivery time (aws cloudtrail get-trail-status,
--   LatestCloudWatchLogsDeliveryTime)
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
), v AS (
	SELECT *, trim(coalesce(c ->> '$.cloudWatchLogsLogGroupArn', '')) AS lg FROM t
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN lg = '' THEN 'NON_COMPLIANT'
	 WHEN :expectedDeliveryWindowAge IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'trail configuration not recorded in the configuration item'
	 WHEN lg = ''
	   THEN 'cloudWatchLogsLogGroupArn is empty: trail does not deliver to CloudWatch Logs'
	 WHEN :expectedDeliveryWindowAge IS NOT NULL
	   THEN 'latest CloudWatch Logs delivery time is not in AWS Config data '
		|| '(aws cloudtrail get-trail-status); log group ' || lg
	 ELSE 'trail delivers to CloudWatch Logs log group ' || lg
       END AS annotation
FROM v;
