-- identifier: EC2_STOPPED_INSTANCE
-- name: ec2-stopped-instance
-- severity: medium (Security Hub EC2.4)
-- remediation: Terminate the instance if it is no longer needed, or start it
--   (TerminateInstances).
-- resource-types: AWS::EC2::Instance
-- trigger: periodic
-- parameters:
--   AllowedDays: int = 30
-- description: An instance must not stay stopped for more than AllowedDays
--   days: NON_COMPLIANT when configuration.state.name is stopped and the
--   stop was more than AllowedDays days before the evaluation time;
--   COMPLIANT when it is stopped for at most that long, or is in any other
--   state except terminated (running, pending, stopping, shutting-down);
--   NOT_APPLICABLE when terminated. The stop time is, in this order:
--   (1) the time in configuration.stateTransitionReason, which EC2 writes
--   as "User initiated (YYYY-MM-DD HH:MM:SS GMT)"; (2) from the recorded
--   history of the instance (every stored version captured at or before
--   the current one, read from item_history, as AWS's rule
--   reads Config's history): the capture time of the first version of the
--   current unbroken run of stopped versions, when the version before that
--   run is recorded with another state (the stop happened between the two
--   captures; AWS Config records the change when it happens). When no such
--   earlier version exists (the history starts with the instance already
--   stopped, or an unrecorded or deleted version precedes the run), the
--   stop happened at or before the first stopped capture: NON_COMPLIANT if
--   that capture alone is older than AllowedDays, otherwise the time
--   cannot be established. AWS makes "cannot be determined" NON_COMPLIANT
--   because its history covers the retention period; an archive may
--   simply start later, so cfgaudit answers INSUFFICIENT_DATA there (and
--   for an item without a configuration or a state).
-- missing: the stop time when neither stateTransitionReason nor the
--   recorded history gives it: aws ec2 describe-instances
--   (StateTransitionReason), or CloudTrail StopInstances events.
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, capture_time, recorded,
	       state AS st, state_reason AS why
	FROM ec2_instances
), s AS (
	-- One row per instance (no join back, which cost a pass over every
	-- instance per stopped one); for stopped ones the time that
	-- stateTransitionReason gives.
	SELECT i.*,
	       CASE WHEN st = 'stopped' AND instr(why, ' GMT)') > 19
			 AND regexp('^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$',
				    substr(why, instr(why, ' GMT)') - 19, 19))
		    THEN replace(substr(why, instr(why, ' GMT)') - 19, 19), ' ', 'T') || 'Z'
	       END AS why_time
	FROM i
), h AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	-- For a stopped instance without that time: the latest earlier
	-- version that does not show it recorded as stopped, the end of the
	-- current run of stopped versions.
	SELECT s.*,
	       CASE WHEN st = 'stopped' AND why_time IS NULL THEN
	       (SELECT p.capture_time || '|' || (p.configuration IS NOT NULL
						  AND p.status NOT LIKE 'ResourceDeleted%')
		FROM item_history AS p
		WHERE p.resource_type = s.resource_type AND p.resource_id = s.resource_id
		  AND p.account_id = s.account_id AND p.region = s.region
		  AND p.capture_time <= s.capture_time
		  AND (p.configuration IS NULL
		       OR lower(json_extract(p.configuration, '$.state.name')) IS NOT 'stopped')
		ORDER BY p.capture_time DESC, p.state_id DESC LIMIT 1) END AS prev
	FROM s
), r AS (
	SELECT h.*,
	       substr(prev, 1, instr(prev, '|') - 1) AS prev_time,
	       substr(prev, instr(prev, '|') + 1) = '1' AS prev_known
	FROM h
), f AS (
	SELECT r.*,
	       CASE WHEN st = 'stopped' AND why_time IS NULL THEN
	       (SELECT min(q.capture_time) FROM item_history AS q
		WHERE q.resource_type = r.resource_type AND q.resource_id = r.resource_id
		  AND q.account_id = r.account_id AND q.region = r.region
		  AND q.capture_time <= r.capture_time
		  AND q.capture_time > coalesce(r.prev_time, '')) END AS first_stopped
	FROM r
), v AS (
	SELECT f.*, coalesce(why_time, first_stopped) AS stop_time,
	       CASE WHEN why_time IS NOT NULL THEN 'stateTransitionReason'
		    WHEN prev_known THEN 'history: first stopped version after a '
					 || 'version in another state captured ' || prev_time
		    ELSE 'history: no earlier version records another state' END AS source,
	       CASE WHEN why_time IS NOT NULL THEN 1 ELSE coalesce(prev_known, 0) END AS exact
	FROM f
)
SELECT i.resource_type, i.resource_id, i.account_id, i.region AS aws_region,
       CASE WHEN NOT i.recorded OR i.st IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN i.st = 'terminated' THEN 'NOT_APPLICABLE'
	    WHEN i.st <> 'stopped' THEN 'COMPLIANT'
	    WHEN age_days(i.stop_time) > :AllowedDays THEN 'NON_COMPLIANT'
	    WHEN i.exact THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN NOT i.recorded
		 THEN 'configuration not recorded (status ' || i.status || ')'
	    WHEN i.st IS NULL THEN 'state.name is not in the item (aws ec2 describe-instances)'
	    WHEN i.st <> 'stopped' THEN 'instance is ' || i.st
	    WHEN age_days(i.stop_time) > :AllowedDays
		 THEN 'stopped ' || CASE WHEN i.exact THEN 'since ' ELSE 'since at least ' END
		      || i.stop_time || ' (' || CAST(age_days(i.stop_time) AS INTEGER)
		      || ' days, more than AllowedDays ' || :AllowedDays || '; ' || i.source || ')'
	    WHEN i.exact
		 THEN 'stopped since ' || i.stop_time || ' (' || CAST(age_days(i.stop_time) AS INTEGER)
		      || ' days, within AllowedDays ' || :AllowedDays || '; ' || i.source || ')'
	    ELSE 'stopped at or before ' || i.stop_time || ' (no earlier version records another state); '
		 || 'the stop time cannot be established from AWS Config data (aws ec2 '
		 || 'describe-instances StateTransitionReason, or CloudTrail StopInstances)'
       END AS annotation
FROM v AS i
