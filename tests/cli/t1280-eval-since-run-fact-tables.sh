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
. "$TOP_SRCDIR/tests/cli/since-churn.sh"
since_start 1280

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
since_full "day 1: a full run of the 21 rules" $rules
prev=$run
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

# Items of each type (since_item_of): day, status, configuration SQL, which one.
rds_item() { since_item_of AWS::RDS::DBInstance "$@"; }
rs_item() { since_item_of AWS::Redshift::Cluster "$@"; }
os_item() { since_item_of AWS::OpenSearch::Domain "$@"; }
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
changed=$(since_id_of AWS::RDS::DBInstance 0)
rs_changed=$(since_id_of AWS::Redshift::Cluster 0)
os_changed=$(since_id_of AWS::OpenSearch::Domain 0)

for day in 2 3; do
	# shellcheck disable=SC2086
	since_next_day $day \
		'^since-run [0-9]+: [1-9][0-9]* resources re-evaluated on 21 rules, 0 rules in full' $rules
	verdict=$(since_verdict "$prev" rds-instance-public-access-check "$changed")
	if [ $day = 2 ]; then want=NON_COMPLIANT; else want=COMPLIANT; fi
	check "day $day: the instance made public on day 2, private on day 3, is $want ($verdict)" \
		test "$verdict" = "$want"
	verdict=$(since_verdict "$prev" redshift-cluster-public-access-check "$rs_changed")
	check "day $day: the cluster made public on day 2, private on day 3, is $want ($verdict)" \
		test "$verdict" = "$want"
	verdict=$(since_verdict "$prev" opensearch-node-to-node-encryption-check "$os_changed")
	check "day $day: the domain without node-to-node encryption on day 2 is $want ($verdict)" \
		test "$verdict" = "$want"
done
check "the instance, cluster and domain deleted on day 2 have no result" \
	test "$(since_deleted_results "$prev")" = 0

done_testing
