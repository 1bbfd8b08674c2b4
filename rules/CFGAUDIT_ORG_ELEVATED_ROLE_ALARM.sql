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
--   trail's account and Region. Checks: RetentionInDays at least
--   retentionDays (absent = never expire); a metric filter on the log
--   group, from the newest aws logs describe-metric-filters answer of that
--   account and Region captured within --max-age of the as-of time
--   (logs_metric_filters), whose JSON filter pattern matches a sample
--   CloudTrail AssumeRole or console SwitchRole event into
--   elevatedRoleName and neither sample for another role
--   (logfilter_matches: a filter that counts every role switch alarms on
--   noise); an AWS::CloudWatch::Alarm there on that filter's metric (on
--   metricNamespace/metricName while the filters are unknown) that fires
--   on one event (GreaterThanOrEqualToThreshold with threshold <= 1, or
--   GreaterThanThreshold with threshold < 1), with period at most
--   maxAlarmPeriodSeconds, treatMissingData notBreaching, actions enabled
--   and an SNS alarm action whose topic has a confirmed subscription (the
--   newest fresh sns list-subscriptions-by-topic answer, where
--   "PendingConfirmation" is not confirmed; else the topic item's
--   SubscriptionsConfirmed). NON_COMPLIANT naming the first failed check
--   (no filter from a fresh answer; no alarm only where the inventory is
--   complete); INSUFFICIENT_DATA naming what is unknown (the filters'
--   answer, a pattern that is not a JSON filter pattern, the
--   subscriptions, a missing snapshot); COMPLIANT when every check holds.
-- missing: the metric filters and their patterns (aws logs
--   describe-metric-filters in the log group's account and Region);
--   confirmed subscriptions when the topic item lacks them (aws sns
--   list-subscriptions-by-topic --topic-arn ARN)
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
	       c.configuration AS cfg, json_unstring(c.configuration) AS g, r.lg_name
	-- The trails' log groups looked up from the (few) trails: CROSS JOIN
	-- keeps that order (the planner read and parsed every log group).
	FROM lg_ref r CROSS JOIN current_items c
	  ON c.account_id = r.account_id AND c.region = r.region
	 AND coalesce(json_unstring(c.configuration) ->> '$.LogGroupName', c.resource_id) = r.lg_name
	WHERE c.resource_type = 'AWS::Logs::LogGroup'
), roles AS (
	SELECT 'elevated' AS who, :elevatedRoleName AS role
	UNION ALL SELECT 'other', 'cfgaudit-sample-OtherRole'
), samples AS (
	-- what CloudTrail logs for a role switch, through the API and the console
	SELECT who, json_object(
		'eventVersion', '1.08', 'eventSource', 'sts.amazonaws.com',
		'eventName', 'AssumeRole', 'eventType', 'AwsApiCall', 'awsRegion', 'us-east-1',
		'userIdentity', json_object('type', 'AssumedRole', 'accountId', '123456789012',
			'arn', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b/jane'),
		'requestParameters', json_object('roleSessionName', 'jane',
			'roleArn', 'arn:aws:iam::123456789012:role/' || role),
		'responseElements', json_object('assumedRoleUser', json_object(
			'assumedRoleId', 'AROAEXAMPLE0123456789:jane',
			'arn', 'arn:aws:sts::123456789012:assumed-role/' || role || '/jane')),
		'recipientAccountId', '123456789012') AS event
	FROM roles
	UNION ALL
	SELECT who, json_object(
		'eventVersion', '1.08', 'eventSource', 'signin.amazonaws.com',
		'eventName', 'SwitchRole', 'eventType', 'AwsConsoleSignIn', 'awsRegion', 'us-east-1',
		'userIdentity', json_object('type', 'AssumedRole', 'accountId', '123456789012',
			'arn', 'arn:aws:sts::123456789012:assumed-role/' || role || '/jane',
			'principalId', 'AROAEXAMPLE0123456789:jane'),
		'additionalEventData', json_object('SwitchFrom', 'arn:aws:iam::123456789012:user/jane',
			'RedirectTo', 'https://console.aws.amazon.com/'),
		'responseElements', json_object('SwitchRole', 'Success'),
		'recipientAccountId', '123456789012')
	FROM roles
), filt AS (
	SELECT lg.item_key, f.filter_name, f.metric_namespace, f.metric_name,
	       (SELECT max(logfilter_matches(f.filter_pattern, s.event)) FROM samples s
		WHERE s.who = 'elevated') AS m_elev,
	       (SELECT max(logfilter_matches(f.filter_pattern, s.event)) FROM samples s
		WHERE s.who = 'other') AS m_other
	FROM lg JOIN logs_metric_filters f
	  ON f.account_id = lg.account_id AND f.region = lg.region AND f.missing IS NULL
	 AND f.log_group_name = lg.lg_name AND f.filter_name IS NOT NULL
), fstate AS (
	SELECT lg.item_key,
	       EXISTS (SELECT 1 FROM logs_metric_filters f WHERE f.account_id = lg.account_id
		       AND f.region = lg.region AND f.missing IS NULL) AS known,
	       coalesce((SELECT min(f.missing) FROM logs_metric_filters f
			 WHERE f.account_id = lg.account_id AND f.region = lg.region),
			evidence_missing('logs describe-metric-filters',
					 lg.account_id || '/' || lg.region, NULL)) AS why,
	       (SELECT min(filter_name) FROM filt WHERE filt.item_key = lg.item_key
		  AND m_elev = 1 AND m_other = 0) AS good,
	       (SELECT min(filter_name) FROM filt WHERE filt.item_key = lg.item_key
		  AND m_elev = 1 AND m_other = 1) AS noisy,
	       (SELECT min(filter_name) FROM filt WHERE filt.item_key = lg.item_key
		  AND m_elev IS NULL) AS unparsed
	FROM lg
), metrics AS (
	-- the metrics whose alarms count: the good filters', else the parameter's
	SELECT fs.item_key, f.metric_namespace AS ns, f.metric_name AS mn
	FROM fstate fs JOIN filt f ON f.item_key = fs.item_key AND f.m_elev = 1 AND f.m_other = 0
	WHERE fs.known
	UNION
	SELECT fs.item_key, :metricNamespace, :metricName FROM fstate fs WHERE NOT fs.known
), al AS (
	SELECT m.item_key, j.c ->> '$.alarmName' AS name, j.c AS c,
	       (SELECT max(coalesce(
			 (SELECT ss.confirmed FROM sns_topic_subscriptions ss
			  WHERE ss.topic_arn = a.value AND ss.missing IS NULL),
			 (SELECT json_unstring(tp.configuration) ->> '$.SubscriptionsConfirmed'
			  FROM current_items tp WHERE tp.resource_type = 'AWS::SNS::Topic'
			    AND tp.resource_id = a.value)))
		FROM json_each(j.c, '$.alarmActions') a WHERE a.value LIKE 'arn:aws%:sns:%')
	       AS confirmed,
	       (SELECT min(coalesce((SELECT min(ss.missing) FROM sns_topic_subscriptions ss
				     WHERE ss.topic_arn = a.value),
				    evidence_missing('sns list-subscriptions-by-topic',
						     'topic ' || a.value, NULL)))
		FROM json_each(j.c, '$.alarmActions') a WHERE a.value LIKE 'arn:aws%:sns:%')
	       AS subs_why,
	       (SELECT count(*) FROM json_each(j.c, '$.alarmActions') a
		WHERE a.value LIKE 'arn:aws%:sns:%') AS n_sns
	FROM lg CROSS JOIN metrics m ON m.item_key = lg.item_key
	CROSS JOIN (SELECT account_id, region, json_unstring(configuration) AS c FROM current_items
	      WHERE resource_type = 'AWS::CloudWatch::Alarm' AND configuration IS NOT NULL) j
	  ON j.account_id = lg.account_id AND j.region = lg.region
	 AND j.c ->> '$.namespace' = m.ns AND j.c ->> '$.metricName' = m.mn
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
), per AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT lg.*, fs.known AS f_known, fs.why AS f_why, fs.good AS f_good, fs.noisy AS f_noisy,
	       fs.unparsed AS f_unparsed,
	       (SELECT min(name) FROM al_v WHERE al_v.item_key = lg.item_key AND fault IS NULL)
	       AS good,
	       (SELECT min(name || ' ' || fault) FROM al_v WHERE al_v.item_key = lg.item_key
		  AND fault IS NOT NULL) AS bad,
	       (SELECT min(name || ': ' || subs_why) FROM al_v WHERE al_v.item_key = lg.item_key
		  AND fault IS NULL AND confirmed IS NULL) AS subs_unknown,
	       (SELECT min(name) FROM al_v WHERE al_v.item_key = lg.item_key AND fault IS NULL
		  AND confirmed >= 1) AS reached,
	       EXISTS (SELECT 1 FROM inventory_coverage ic WHERE ic.account_id = lg.account_id
		       AND ic.region = lg.region) AS covered
	FROM lg JOIN fstate fs ON fs.item_key = lg.item_key
), v AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT per.*,
	       CASE WHEN cfg IS NULL THEN 'configuration not recorded (status ' || status || ')'
		    WHEN g ->> '$.RetentionInDays' < :retentionDays
		      THEN 'the trail''s log group keeps events ' || (g ->> '$.RetentionInDays')
			   || ' days, less than ' || :retentionDays
		    WHEN f_known AND f_good IS NULL AND f_unparsed IS NULL
		      THEN CASE WHEN f_noisy IS NOT NULL
				  THEN 'metric filter ' || f_noisy || ' matches switches into any role, '
				       || 'not only ' || :elevatedRoleName
				ELSE 'no metric filter on ' || lg_name || ' matches a switch into '
				     || :elevatedRoleName END
		    WHEN good IS NULL AND bad IS NOT NULL THEN 'alarm ' || bad
		    WHEN good IS NULL AND covered AND (f_known AND f_good IS NOT NULL OR NOT f_known)
		      THEN 'no CloudWatch alarm on the metric of '
			   || coalesce('metric filter ' || f_good,
				       :metricNamespace || '/' || :metricName)
			   || ' in this account and Region'
	       END AS fault,
	       CASE WHEN f_known AND f_good IS NULL
		      THEN 'metric filter ' || f_unparsed || ' has a pattern cfgaudit cannot evaluate '
			   || '(not a JSON filter pattern)'
		    WHEN NOT f_known THEN 'metric filters unknown: ' || f_why
		    WHEN good IS NULL
		      THEN 'no CloudWatch alarm on the metric of metric filter ' || f_good
			   || ' in the data, and no configuration snapshot of ' || account_id || '/'
			   || region || ' at or before ' || as_of()
		    WHEN reached IS NULL THEN 'subscriptions unknown: alarm ' || subs_unknown
	       END AS unknown
	FROM per
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN cfg IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN fault IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN fault IS NOT NULL THEN fault
	    WHEN unknown IS NOT NULL THEN unknown
	    ELSE 'metric filter ' || f_good || ' counts switches into ' || :elevatedRoleName
		 || ' only; alarm ' || reached || ' fires on one event and notifies a topic with a '
		 || 'confirmed subscription'
       END AS annotation
FROM v
