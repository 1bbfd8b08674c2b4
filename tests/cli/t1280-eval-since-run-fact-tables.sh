#!/bin/sh
# t1280: the RDS DB instance rules read rds_db_instances (eval/rds_facts.c),
# the Redshift cluster rules redshift_clusters (eval/redshift_facts.c), the
# OpenSearch domain rules opensearch_domains (eval/opensearch_facts.c);
# eval --since-run re-evaluates them on the changed items only, with those
# tables built from those items (reviewed per-resource rules,
# eval/incremental.c), and gives the same results as a full evaluation,
# resource by resource: over three days of churn, an instance and a cluster
# made public and back, a domain's node-to-node encryption turned off and
# on, one of each deleted; with --jobs 1 and 2. Each rule
# alone builds the table it needs and agrees with the full set.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

since_landing_zone 1280

ids="RDS_INSTANCE_DELETION_PROTECTION_ENABLED RDS_MULTI_AZ_SUPPORT"
ids="$ids RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED DB_INSTANCE_BACKUP_ENABLED"
ids="$ids RDS_STORAGE_ENCRYPTED RDS_INSTANCE_PUBLIC_ACCESS_CHECK"
ids="$ids RDS_ENHANCED_MONITORING_ENABLED RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED"
ids="$ids REDSHIFT_AUDIT_LOGGING_ENABLED REDSHIFT_BACKUP_ENABLED"
ids="$ids REDSHIFT_CLUSTER_CONFIGURATION_CHECK REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK"
ids="$ids REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED"
ids="$ids OPENSEARCH_ACCESS_CONTROL_ENABLED OPENSEARCH_AUDIT_LOGGING_ENABLED"
ids="$ids OPENSEARCH_DATA_NODE_FAULT_TOLERANCE OPENSEARCH_ENCRYPTED_AT_REST"
ids="$ids OPENSEARCH_HTTPS_REQUIRED OPENSEARCH_IN_VPC_ONLY"
ids="$ids OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK"
rules=""
for id in $ids; do rules="$rules --rule $id"; done

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
for type in AWS::RDS::DBInstance AWS::Redshift::Cluster AWS::OpenSearch::Domain; do
	n=$(q "SELECT count(DISTINCT resource_id) FROM items WHERE resource_type = '$type'
		AND configuration IS NOT NULL")
	[ "$n" -ge 2 ] || skip_all "the landing zone has no two $type items"
done
# shellcheck disable=SC2086
cfgaudit eval --jobs 1 $rules >"$T/out" 2>"$T/err"
prev=$(since_run_of)
check "day 1: a full run of the 21 rules" test "$prev" -gt 0
n=$(q "SELECT count(*) FROM run_rules WHERE run_id = $prev AND evaluated = 1")
check "day 1: every rule evaluated ($n)" test "$n" = 21

# Each rule alone: the same results as in the run of all of them.
since_results "$prev" "$T/all"
for id in $ids; do
	cfgaudit eval --jobs 1 --rule "$id" >"$T/out" 2>"$T/err"
	since_results "$(since_run_of)" "$T/one"
	name=$(sed -n 's/^-- name: //p' "$TOP_SRCDIR/rules/$id.sql")
	grep "^|$name|" "$T/all" >"$T/want" || :
	check_same "$id alone = in the full set" "$T/want" "$T/one"
done

# An item of type $5 captured late on day N, from an existing one: $1 day,
# $2 status, $3 the SQL of its configuration (from c, the stored one), $4
# which one (an offset among those with a configuration).
item_of() {
	q "SELECT json_object('version', '1.3', 'accountId', account_id,
		'configurationItemCaptureTime', '2026-11-0$1T23:59:00.000Z',
		'configurationItemStatus', '$2', 'configurationStateId', '176200000000$1',
		'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
		'configuration', $3, 'supplementaryConfiguration', json('{}'),
		'tags', json('{}'), 'relationships', json('[]'))
		FROM (SELECT account_id, region, resource_type, resource_id, json(configuration) AS c
		      FROM items WHERE resource_type = '$5'
		      AND configuration IS NOT NULL GROUP BY resource_id
		      ORDER BY resource_id LIMIT 1 OFFSET $4)"
}
rds_item() { item_of "$@" AWS::RDS::DBInstance; }
rs_item() { item_of "$@" AWS::Redshift::Cluster; }
os_item() { item_of "$@" AWS::OpenSearch::Domain; }
opened="json_set(c, '\$.publiclyAccessible', json('true'), '\$.multiAZ', json('false'),
	'\$.deletionProtection', json('false'), '\$.backupRetentionPeriod', 0)"
closed="json_set(c, '\$.publiclyAccessible', json('false'))"
rs_opened="json_set(c, '\$.publiclyAccessible', json('true'), '\$.encrypted', json('false'))"
{ echo '['; rds_item 2 OK "$opened" 0; echo ','; rds_item 2 ResourceDeleted NULL 1
  echo ','; rs_item 2 OK "$rs_opened" 0; echo ','; rs_item 2 ResourceDeleted NULL 1
  echo ','; os_item 2 OK "json_set(c, '\$.NodeToNodeEncryptionOptions.Enabled', json('false'))" 0
  echo ','; os_item 2 ResourceDeleted NULL 1
  echo ']'; } >"$T/day2/extra/events.json"
{ echo '['; rds_item 3 OK "$closed" 0; echo ','; rs_item 3 OK "$closed" 0
  echo ','; os_item 3 OK "json_set(c, '\$.NodeToNodeEncryptionOptions.Enabled', json('true'))" 0
  echo ']'; } >"$T/day3/extra/events.json"
changed=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::RDS::DBInstance'
	AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id LIMIT 1")
rs_changed=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::Redshift::Cluster'
	AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id LIMIT 1")
os_changed=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::OpenSearch::Domain'
	AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id LIMIT 1")

for day in 2 3; do
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	for jobs in 1 2; do
		# shellcheck disable=SC2086
		since_vs_full "day $day (--jobs $jobs)" "$prev" $jobs \
			'^since-run [0-9]+: [1-9][0-9]* resources re-evaluated on 21 rules, 0 rules in full' \
			$rules
	done
	prev=$full
	verdict=$(q "SELECT compliance_type FROM results WHERE run_id = $prev
		AND config_rule_name = 'rds-instance-public-access-check' AND resource_id = '$changed'")
	if [ $day = 2 ]; then want=NON_COMPLIANT; else want=COMPLIANT; fi
	check "day $day: the instance made public on day 2, private on day 3, is $want ($verdict)" \
		test "$verdict" = "$want"
	verdict=$(q "SELECT compliance_type FROM results WHERE run_id = $prev
		AND config_rule_name = 'redshift-cluster-public-access-check'
		AND resource_id = '$rs_changed'")
	check "day $day: the cluster made public on day 2, private on day 3, is $want ($verdict)" \
		test "$verdict" = "$want"
	verdict=$(q "SELECT compliance_type FROM results WHERE run_id = $prev
		AND config_rule_name = 'opensearch-node-to-node-encryption-check'
		AND resource_id = '$os_changed'")
	check "day $day: the domain without node-to-node encryption on day 2 is $want ($verdict)" \
		test "$verdict" = "$want"
done
check "the instance, cluster and domain deleted on day 2 have no result" \
	test "$(q "SELECT count(*) FROM results r JOIN items i ON i.resource_id = r.resource_id
		WHERE r.run_id = $prev AND i.status = 'ResourceDeleted'")" = 0

done_testing
