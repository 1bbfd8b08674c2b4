-- identifier: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK
-- name: backup-plan-min-frequency-and-min-retention-check
-- severity: medium (default: backup)
-- remediation: Raise the plan's rule frequency and its lifecycle
--   DeleteAfterDays to at least the required values (UpdateBackupPlan).
-- resource-types: AWS::Backup::BackupPlan
-- trigger: configuration-changes
-- parameters:
--   requiredFrequencyValue: int = 1
--   requiredRetentionDays: int = 35
--   requiredFrequencyUnit: string = days
-- description: A backup plan must have a backup rule that creates
--   recovery points at least every requiredFrequencyValue
--   requiredFrequencyUnit (hours or days, any case) and keeps them at
--   least requiredRetentionDays days. A rule's frequency is the longest
--   gap between two runs of its cron ScheduleExpression
--   (backup_plan_rules.frequency_hours: daily is 24 hours, weekly 168, the
--   1st of each month 744); its retention is Lifecycle.DeleteAfterDays, and
--   a rule without it keeps recovery points until they are deleted, which
--   satisfies any retention. COMPLIANT when one rule satisfies both, as
--   AWS's page words it ("has a backup rule that satisfies"; AWS leaves
--   open whether every rule must); NON_COMPLIANT when none does (the
--   annotation names a failing rule) or the plan has no rule.
--   INSUFFICIENT_DATA when no rule satisfies both and a schedule cannot be
--   read (W, fixed years), for a plan recorded without configuration, or
--   when requiredFrequencyUnit is neither hours nor days. Continuous
--   backup (EnableContinuousBackup) does not change the frequency: only
--   the schedule is read.
WITH req AS (
	SELECT CASE WHEN lower(trim(:requiredFrequencyUnit)) IN ('hours', 'hour')
		    THEN :requiredFrequencyValue
		    WHEN lower(trim(:requiredFrequencyUnit)) IN ('days', 'day')
		    THEN :requiredFrequencyValue * 24 END AS hours
), plans AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       configuration IS NOT NULL AS recorded
	FROM current_items
	WHERE resource_type = 'AWS::Backup::BackupPlan'
), rules AS (
	SELECT r.plan_key,
	       CASE WHEN r.frequency_hours IS NULL THEN 'unknown'
		    WHEN r.frequency_hours > q.hours THEN 'fail'
		    WHEN r.retention_days < :requiredRetentionDays THEN 'fail'
		    ELSE 'pass' END AS state,
	       'backup rule "' || coalesce(r.rule_name, '') || '" '
	       || CASE WHEN r.frequency_hours IS NULL
			    THEN 'has a schedule that cannot be read: '
				 || coalesce(r.schedule, '(none)')
		       WHEN r.frequency_hours > q.hours
			    THEN 'runs only every ' || printf('%g', r.frequency_hours) || ' hours ('
				 || r.schedule || '), not every ' || q.hours
		       WHEN r.retention_days < :requiredRetentionDays
			    THEN 'keeps recovery points ' || r.retention_days
				 || ' days, fewer than ' || :requiredRetentionDays
		       ELSE 'runs at least every ' || printf('%g', r.frequency_hours) || ' hours ('
			    || r.schedule || ') and keeps recovery points '
			    || coalesce(r.retention_days || ' days', 'until deleted') END AS why
	FROM backup_plan_rules AS r, req AS q
), verdicts AS (
	SELECT plan_key,
	       min(CASE WHEN state = 'pass' THEN why END) AS pass,
	       min(CASE WHEN state = 'unknown' THEN why END) AS unknown,
	       min(CASE WHEN state = 'fail' THEN why END) AS fail
	FROM rules GROUP BY plan_key
)
SELECT p.resource_type AS resource_type, p.resource_id AS resource_id,
       p.account_id AS account_id, p.region AS aws_region,
       CASE WHEN NOT p.recorded OR q.hours IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN v.pass IS NOT NULL THEN 'COMPLIANT'
	    WHEN v.unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT p.recorded THEN 'backup plan configuration not recorded (' || p.status || ')'
	    WHEN q.hours IS NULL
		 THEN 'requiredFrequencyUnit must be hours or days, not '
		      || coalesce(:requiredFrequencyUnit, '(empty)')
	    ELSE coalesce(v.pass, v.unknown, v.fail, 'the backup plan has no backup rule') END
	    AS annotation
FROM plans AS p
CROSS JOIN req AS q
LEFT JOIN verdicts AS v ON v.plan_key = p.item_key
