#!/bin/sh
# t1260-backup-matching: the AWS Backup derived tables, whose matching is
# indexed (ARN prefix, tag value) and grouped (resources assigned alike
# share a plan group), give the rows the plain pair-by-pair matching
# gave: backup_selected_resources, backup_resource_plans and
# backup_plan_membership are checked against rows recorded from that
# implementation, over selections of every shape -- ARN wildcards with
# '*' and '?', a lone "*", an exact ARN, NotResources, ListOfTags with and
# without aws:ResourceTag/ and a ConditionType other than STRINGEQUALS,
# Conditions of the four operators, lone values instead of lists, a
# resource without an ARN, tags that need JSON escapes, an RDS DB
# instance assigned through its cluster, and two Regions with the same
# patterns. The group tables agree with the per-resource ones.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/backup-match"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found"

U="$T/rules"
mkdir -p "$U"
# probe NAME EXPR TABLE: a rule giving one result per row of TABLE, the
# row's columns (EXPR) as its resource id (tests/lib.sh's probe_rule).
probe() { probe_rule "$U" "$@"; }
probe PROBE_BSR "hex(item_key) || ',' || quote(account_id) || ',' || quote(region) || ','
	|| quote(resource_type) || ',' || quote(resource_id) || ',' || hex(selection_key) || ','
	|| quote(selection_id) || ',' || quote(selection_name) || ',' || quote(plan_id) || ','
	|| quote(matched_by)" backup_selected_resources
probe PROBE_BRP "hex(item_key) || ',' || quote(plan_id) || ',' || quote(selection) || ','
	|| quote(plan_recorded) || ',' || quote(copy_regions) || ',' || quote(copy_accounts) || ','
	|| quote(vaults) || ',' || quote(lock_known) || ',' || quote(all_locked) || ','
	|| quote(lock_min_days) || ',' || quote(lock_max_days)" backup_resource_plans
probe PROBE_BPM "hex(item_key) || ',' || quote(resource_type) || ',' || quote(resource_id) || ','
	|| quote(account_id) || ',' || quote(region) || ',' || quote(arn) || ',' || quote(status)
	|| ',' || quote(recorded) || ',' || quote(selection) || ',' || quote(complete) || ','
	|| quote(missing) || ',' || quote(verdict) || ',' || quote(reason)" backup_plan_membership
# The direct assignments of each resource's plan group are its rows of
# backup_selected_resources, and no others.
cat >"$U/PROBE_GROUPS.sql" <<'RULE'
-- identifier: PROBE_GROUPS
-- name: probe-groups
-- resource-types: AWS::EC2::Volume
-- description: the group tables agree with the per-resource ones.
WITH g AS (
	SELECT m.item_key, h.selection FROM backup_plan_membership AS m
	JOIN backup_group_hits AS h ON h.plan_group = m.plan_group WHERE h.direct),
s AS (
	SELECT item_key, 'backup selection "' || coalesce(selection_name, selection_id)
	       || '" of plan ' || coalesce(plan_id, '(unknown)') || ': ' || matched_by
	FROM backup_selected_resources),
p AS (
	SELECT m.item_key, p.plan_id, p.selection FROM backup_plan_membership AS m
	JOIN backup_group_plans AS p ON p.plan_group = m.plan_group)
SELECT 'X' AS resource_type, what AS resource_id, '111122223333' AS account_id,
       'us-east-1' AS aws_region,
       CASE WHEN n = 0 THEN 'COMPLIANT' ELSE 'NON_COMPLIANT' END AS compliance_type,
       n || ' rows differ' AS annotation
FROM (SELECT 'direct' AS what,
	     (SELECT count(*) FROM (SELECT * FROM g EXCEPT SELECT * FROM s))
	     + (SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM g)) AS n
      UNION ALL
      SELECT 'plans',
	     (SELECT count(*) FROM (SELECT * FROM p EXCEPT
		SELECT item_key, plan_id, selection FROM backup_resource_plans))
	     + (SELECT count(*) FROM (SELECT item_key, plan_id, selection
		FROM backup_resource_plans EXCEPT SELECT * FROM p)))
RULE

check "ingest" cfgaudit --quiet ingest "$D"
# One connection: PROBE_GROUPS reads tables that two connections would
# each have claimed for another probe (runner.c's claim()).
check "eval the probes" cfgaudit eval --jobs 1 --rules-dir "$U" --rule PROBE_BSR \
	--rule PROBE_BRP --rule PROBE_BPM --rule PROBE_GROUPS --as-of 2026-11-21T00:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT config_rule_name, resource_id FROM results
   WHERE run_id = $run AND config_rule_name <> 'probe-groups' ORDER BY 1, 2" >"$T/got"
check_same "the three tables hold the rows of the pair-by-pair matching" "$D/expected" "$T/got"
q "SELECT resource_id, compliance_type, annotation FROM results
   WHERE run_id = $run AND config_rule_name = 'probe-groups' ORDER BY 1" >"$T/got"
printf 'direct|COMPLIANT|0 rows differ\nplans|COMPLIANT|0 rows differ\n' >"$T/want"
check_same "the group tables give each resource the same assignments" "$T/want" "$T/got"

# The built-in rules, which read the group tables, with parameters.
check_exit "eval the backup rules" 1 cfgaudit eval --rule EBS_IN_BACKUP_PLAN \
	--rule EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN --rule EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN \
	--rule RDS_IN_BACKUP_PLAN --rule RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN \
	--rule DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN \
	--rule AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN \
	--param EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN.crossRegionList=us-west-2 \
	--param RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN.backupVaultLockCheck=TRUE \
	--param EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN.resourceTags='{"env":"prod"}' \
	--as-of 2026-11-21T00:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT config_rule_name, resource_id, compliance_type, annotation FROM results
   WHERE run_id = $run ORDER BY 1, 2" >"$T/got"
check_same "their verdicts and annotations are those of the pair-by-pair matching" \
	"$D/expected-rules" "$T/got"

done_testing
