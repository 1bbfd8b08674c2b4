#!/bin/sh
# t1270-s3-facts: the S3 derived tables (s3_bucket_facts,
# s3_policy_statements) row for row over both item shapes and odd
# supplementary values; and eval --jobs runs every S3 rule beside the
# rules that read the KMS keys (a rule needing two derived tables that two
# workers build would be left out).
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/s3facts"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest odd buckets" cfgaudit --quiet ingest "$D/buckets.json" "$D/api-buckets.json"
check "a rule that dumps the S3 derived tables" cfgaudit eval --rules-dir "$D/rules" \
	--rule DUMP_S3_TABLES
sqlite3 "$CFGAUDIT_DB" "SELECT resource_id, annotation FROM results ORDER BY 1" >"$T/got"
check_same "every column and statement, as -> and json_each give them" \
	"$D/s3facts.expected" "$T/got"

CFGAUDIT_DB="$T/org.db"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"
check_exit "S3 and KMS-key rules on two connections" 1 cfgaudit eval --jobs 2 \
	--rule CLOUDWATCH_LOG_GROUP_ENCRYPTED --rule S3_BUCKET_ACL_PROHIBITED \
	--rule S3_DEFAULT_ENCRYPTION_KMS --rule SNS_ENCRYPTED_KMS \
	--rule S3_BUCKET_PUBLIC_READ_PROHIBITED --rule S3_BUCKET_VERSIONING_ENABLED
check_grep "all of them are evaluated" '^rules 6 evaluated' "$T/out"
done_testing
