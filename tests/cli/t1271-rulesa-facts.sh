#!/bin/sh
# t1271-rulesa-facts: the derived tables log_groups and s3_lifecycle_rules
# hold, row for row, what the log group and lifecycle rules computed from
# current_items and s3_bucket_facts themselves (both item shapes, PascalCase
# and camelCase properties, odd values, lifecycle rules as an array, an
# object or a scalar); and eval --jobs runs the rules that read them beside
# the KMS-key rules (a rule needing two derived tables that two workers
# build must not be left out).
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/rulesafacts"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest odd log groups and buckets" cfgaudit --quiet ingest "$D/items.json"
check "a rule that compares the tables with the rules' own expressions" \
	cfgaudit eval --rules-dir "$D/rules" --rule DUMP_RULESA_TABLES
sqlite3 "$CFGAUDIT_DB" "SELECT resource_id, annotation FROM results ORDER BY 1" >"$T/got"
check_same "every column as the rules computed it" "$D/tables.expected" "$T/got"
check "no row differs" sh -c "! grep -q '|DIFF ' '$T/got'"

CFGAUDIT_DB="$T/org.db"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"
check_exit "log group, lifecycle and KMS-key rules on two connections" 1 \
	cfgaudit eval --jobs 2 --rule CLOUDWATCH_LOG_GROUP_ENCRYPTED \
	--rule CW_LOGGROUP_RETENTION_PERIOD_CHECK --rule S3_LIFECYCLE_POLICY_CHECK \
	--rule S3_VERSION_LIFECYCLE_POLICY_CHECK --rule S3_DEFAULT_ENCRYPTION_KMS \
	--rule SNS_ENCRYPTED_KMS
check_grep "all of them are evaluated" '^rules 6 evaluated' "$T/out"
done_testing
