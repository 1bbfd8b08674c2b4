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
--   delivery, which Config does not record; it comes from evidence of aws
--   cloudtrail get-trail-status within --max-age of the as-of time (table
--   cloudtrail_trail_status): LatestCloudWatchLogsDeliveryTime within
--   expectedDeliveryWindowAge hours before the as-of time -> COMPLIANT,
--   older or absent (never delivered) -> NON_COMPLIANT; without a usable
--   answer: INSUFFICIENT_DATA naming the call.
-- missing: only with expectedDeliveryWindowAge: the latest CloudWatch Logs
--   delivery time (aws cloudtrail get-trail-status,
--   LatestCloudWatchLogsDeliveryTime)
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudTrail::Trail'
), v AS (
	SELECT t.*, trim(coalesce(c ->> '$.cloudWatchLogsLogGroupArn', '')) AS lg,
	       ts.missing, ts.latest_cloudwatch_delivery AS latest,
	       age_days(ts.latest_cloudwatch_delivery) * 24 AS age_hours
	FROM t
	LEFT JOIN cloudtrail_trail_status ts ON ts.account_id = t.account_id
	 AND ts.region = t.region AND ts.resource_id = t.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN lg = '' THEN 'NON_COMPLIANT'
	 WHEN :expectedDeliveryWindowAge IS NULL THEN 'COMPLIANT'
	 WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 WHEN age_hours <= :expectedDeliveryWindowAge THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'trail configuration not recorded in the configuration item'
	 WHEN lg = ''
	   THEN 'cloudWatchLogsLogGroupArn is empty: trail does not deliver to CloudWatch Logs'
	 WHEN :expectedDeliveryWindowAge IS NULL
	   THEN 'trail delivers to CloudWatch Logs log group ' || lg
	 WHEN missing IS NOT NULL
	   THEN 'latest CloudWatch Logs delivery time (log group ' || lg || '): ' || missing
	 WHEN age_hours <= :expectedDeliveryWindowAge
	   THEN 'latest CloudWatch Logs delivery ' || latest || ' is within '
		|| :expectedDeliveryWindowAge || ' hours (log group ' || lg || ')'
	 ELSE 'latest CloudWatch Logs delivery ' || coalesce(latest, 'never') || ' is more than '
	      || :expectedDeliveryWindowAge || ' hours before the as-of time (log group ' || lg
	      || ')'
       END AS annotation
FROM v;
