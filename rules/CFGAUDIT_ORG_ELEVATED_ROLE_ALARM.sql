-- identifier: CFGAUDIT_ORG_ELEVATED_ROLE_ALARM
-- name: cfgaudit-org-elevated-role-alarm
-- resource-types: AWS::Logs::LogGroup
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Add a metric filter for switches into the elevated role on the trail's
--   log group and an alarm on it that notifies a subscribed SNS topic
--   (PutMetricFilter, PutMetricAlarm).
-- parameters:
--   elevatedRoleName: string = AWSControlTowerExecution
--   metricNamespace: string = CloudTrailMetrics
--   metricName: string = ElevatedRoleAssumed
--   maxAlarmPeriodSeconds: int = 300
--   retentionDays: int = 365
-- description: cfgaudit's own rule: a switch into the elevated role must
--   raise an alarm that reaches a person. One result per log group that an
--   organization trail (isOrganizationTrail) delivers to
--   (cloudWatchLogsLogGroupArn), from the AWS::Logs::LogGroup item of the
--   trail's account and Region. Checked from AWS Config items:
--   RetentionInDays at least retentionDays (absent = never expire); an
--   AWS::CloudWatch::Alarm there on metricNamespace/metricName that fires
--   on one event (GreaterThanOrEqualToThreshold with threshold <= 1, or
--   GreaterThanThreshold with threshold < 1), with period at most
--   maxAlarmPeriodSeconds, treatMissingData notBreaching, actions enabled
--   and an SNS alarm action whose topic item has SubscriptionsConfirmed >= 1
--   (get-topic-attributes' attribute, read when present). NON_COMPLIANT
--   naming the first failed check (no such alarm only where the inventory
--   is complete); otherwise INSUFFICIENT_DATA: the metric filter that turns
--   the log group's events into that metric, and its pattern, are not in
--   AWS Config data, so whether the alarm counts role switches into
--   elevatedRoleName cannot be told (with the filter, logfilter_matches
--   tests its pattern against sample AssumeRole and SwitchRole events).
-- missing: the metric filter and its pattern (aws logs
--   describe-metric-filters --log-group-name NAME); confirmed
--   subscriptions when the topic item lacks them (aws sns
--   list-subscriptions-by-topic)
WITH lg_ref AS (
	SELECT DISTINCT t.account_id, t.region,
	       replace(replace(t.c ->> '$.cloudWatchLogsLogGroupArn', ':*', ''),
		       'arn:aws:logs:' || t.region || ':' || t.account_id || ':log-group:', '')
	       AS lg_name
	FROM (SELECT account_id, region, json_unstring(configuration) AS c FROM current_items
	      WHERE resource_type = 'AWS::CloudTrail::Trail') t
	WHERE t.c ->> '$.isOrganizationTrail' IN (1, 'true')
	  AND coalesce(t.c ->> '$.cloudWatchLogsLogGroupArn', '') <> ''
), lg AS (
	SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,
	       c.configuration AS cfg, json_unstring(c.configuration) AS g
	FROM current_items c JOIN lg_ref r
	  ON c.account_id = r.account_id AND c.region = r.region
	 AND coalesce(json_unstring(c.configuration) ->> '$.LogGroupName', c.resource_id) = r.lg_name
	WHERE c.resource_type = 'AWS::Logs::LogGroup'
), al AS (
	SELECT account_id, region, j.c ->> '$.alarmName' AS name, j.c AS c,
	       (SELECT max(json_unstring(tp.configuration) ->> '$.SubscriptionsConfirmed')
		FROM json_each(j.c, '$.alarmActions') a
		JOIN current_items tp ON tp.resource_type = 'AWS::SNS::Topic'
		 AND tp.resource_id = a.value) AS confirmed,
	       (SELECT count(*) FROM json_each(j.c, '$.alarmActions') a
		WHERE a.value LIKE 'arn:aws%:sns:%') AS n_sns
	FROM (SELECT account_id, region, json_unstring(configuration) AS c FROM current_items
	      WHERE resource_type = 'AWS::CloudWatch::Alarm' AND configuration IS NOT NULL) j
	WHERE j.c ->> '$.namespace' = :metricNamespace AND j.c ->> '$.metricName' = :metricName
), al_v AS (
	SELECT al.*,
	       CASE WHEN NOT ((c ->> '$.comparisonOperator' = 'GreaterThanOrEqualToThreshold'
			       AND c ->> '$.threshold' <= 1)
			      OR (c ->> '$.comparisonOperator' = 'GreaterThanThreshold'
				  AND c ->> '$.threshold' < 1))
		      THEN 'does not fire on one event (' || coalesce(c ->> '$.comparisonOperator', '?')
			   || ' ' || coalesce(c ->> '$.threshold', '?') || ')'
		    WHEN coalesce(c ->> '$.period', 0) > :maxAlarmPeriodSeconds
		      THEN 'has a period of ' || (c ->> '$.period') || ' s'
		    WHEN coalesce(c ->> '$.treatMissingData', '') <> 'notBreaching'
		      THEN 'treats missing data as ' || coalesce(c ->> '$.treatMissingData', 'missing')
		    WHEN c ->> '$.actionsEnabled' IN (0, 'false') THEN 'has its actions disabled'
		    WHEN n_sns = 0 THEN 'has no SNS alarm action'
		    WHEN confirmed = 0 THEN 'notifies a topic with no confirmed subscription'
	       END AS fault
	FROM al
), per AS (
	SELECT lg.*,
	       (SELECT min(name) FROM al_v WHERE al_v.account_id = lg.account_id
		  AND al_v.region = lg.region AND fault IS NULL) AS good,
	       (SELECT min(name || ' ' || fault) FROM al_v WHERE al_v.account_id = lg.account_id
		  AND al_v.region = lg.region AND fault IS NOT NULL) AS bad,
	       (SELECT min(confirmed IS NULL) FROM al_v WHERE al_v.account_id = lg.account_id
		  AND al_v.region = lg.region AND fault IS NULL) AS subs_unknown,
	       EXISTS (SELECT 1 FROM inventory_coverage ic WHERE ic.account_id = lg.account_id
		       AND ic.region = lg.region) AS covered
	FROM lg
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN cfg IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN g ->> '$.RetentionInDays' < :retentionDays THEN 'NON_COMPLIANT'
	    WHEN good IS NULL AND (bad IS NOT NULL OR covered) THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN cfg IS NULL THEN 'configuration not recorded (status ' || status || ')'
	    WHEN g ->> '$.RetentionInDays' < :retentionDays
	      THEN 'the trail''s log group keeps events ' || (g ->> '$.RetentionInDays')
		   || ' days, less than ' || :retentionDays
	    WHEN good IS NULL AND bad IS NOT NULL THEN 'alarm ' || bad
	    WHEN good IS NULL AND covered
	      THEN 'no CloudWatch alarm on ' || :metricNamespace || '/' || :metricName
		   || ' in this account and Region'
	    WHEN good IS NULL
	      THEN 'no CloudWatch alarm on ' || :metricNamespace || '/' || :metricName
		   || ' in the data, and no configuration snapshot of ' || account_id || '/'
		   || region || ' at or before ' || as_of()
	    ELSE 'the metric filter for switches into ' || :elevatedRoleName || ' is not in AWS '
		 || 'Config data (aws logs describe-metric-filters); alarm ' || good
		 || ' fires on one event, notifies SNS'
		 || CASE WHEN subs_unknown THEN ' (subscriptions unknown: aws sns '
					      || 'list-subscriptions-by-topic)'
			 ELSE ' with a confirmed subscription' END
       END AS annotation
FROM per
