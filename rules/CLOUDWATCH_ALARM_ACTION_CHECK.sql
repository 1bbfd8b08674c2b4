-- identifier: CLOUDWATCH_ALARM_ACTION_CHECK
-- name: cloudwatch-alarm-action-check
-- severity: high (Security Hub CloudWatch.15)
-- remediation: Add an action (for example an SNS topic) for the alarm's ALARM
--   state and the other required states (PutMetricAlarm AlarmActions).
-- resource-types: AWS::CloudWatch::Alarm
-- trigger: configuration-changes
-- parameters:
--   alarmActionRequired: string = true
--   insufficientDataActionRequired: string = true
--   okActionRequired: string = false
--   action1: string, optional
--   action2: string, optional
--   action3: string, optional
--   action4: string, optional
--   action5: string, optional
-- description: NON_COMPLIANT when the alarm has no action for a state whose
--   "...Required" parameter is true (alarmActions, insufficientDataActions,
--   okactions), or when action1..action5 are given and none of the alarm's
--   actions (any state; not stated by AWS) is one of them; COMPLIANT
--   otherwise. actionsEnabled is not considered (not stated by AWS).
WITH a AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::CloudWatch::Alarm'
), acts AS MATERIALIZED (
	-- MATERIALIZED: each configuration is read once, not at every use of
	-- the action lists.
	SELECT resource_type, resource_id, account_id, region, c IS NULL AS no_conf,
	       CASE WHEN json_type(c, '$.alarmActions') = 'array'
		    THEN c -> '$.alarmActions' ELSE '[]' END AS alarm_a,
	       CASE WHEN json_type(c, '$.insufficientDataActions') = 'array'
		    THEN c -> '$.insufficientDataActions' ELSE '[]' END AS insuf_a,
	       CASE WHEN json_type(c, '$.okactions') = 'array' THEN c -> '$.okactions'
		    WHEN json_type(c, '$.okActions') = 'array' THEN c -> '$.okActions'
		    ELSE '[]' END AS ok_a
	FROM a
), v AS (
	SELECT *,
	       lower(trim(:alarmActionRequired)) = 'true'
	       AND json_array_length(alarm_a) = 0 AS miss_alarm,
	       lower(trim(:insufficientDataActionRequired)) = 'true'
	       AND json_array_length(insuf_a) = 0 AS miss_insuf,
	       lower(trim(:okActionRequired)) = 'true' AND json_array_length(ok_a) = 0 AS miss_ok,
	       coalesce(:action1, :action2, :action3, :action4, :action5) IS NOT NULL AS want_arn,
	       EXISTS (SELECT 1 FROM (SELECT value FROM json_each(alarm_a)
				      UNION ALL SELECT value FROM json_each(insuf_a)
				      UNION ALL SELECT value FROM json_each(ok_a)) x
		       WHERE x.value IN (:action1, :action2, :action3, :action4, :action5))
	       AS has_arn
	FROM acts
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN miss_alarm OR miss_insuf OR miss_ok THEN 'NON_COMPLIANT'
	 WHEN want_arn AND NOT has_arn THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'alarm configuration not recorded in the configuration item'
	 WHEN miss_alarm OR miss_insuf OR miss_ok
	   THEN 'no action for required state(s): '
		|| substr(CASE WHEN miss_alarm THEN ', ALARM (alarmActions)' ELSE '' END
			  || CASE WHEN miss_insuf
				  THEN ', INSUFFICIENT_DATA (insufficientDataActions)' ELSE '' END
			  || CASE WHEN miss_ok THEN ', OK (okactions)' ELSE '' END, 3)
	 WHEN want_arn AND NOT has_arn
	   THEN 'none of the alarm actions is one of action1..action5'
	 ELSE 'alarm has actions for every required state ('
	      || json_array_length(alarm_a) || ' alarm, ' || json_array_length(insuf_a)
	      || ' insufficient-data, ' || json_array_length(ok_a) || ' OK)'
       END AS annotation
FROM v;
