#!/bin/sh
# t1243: eval --since-run re-evaluates s3-bucket-logging-enabled, reviewed
# as per-resource (eval/incremental.c), on the changed buckets only, with
# s3_bucket_facts built from those buckets alone, and gives the same
# results as a full evaluation, resource by resource: a bucket whose
# server access logging is turned on (day 2) and off again (day 3), a
# bucket deleted (day 2), with and without targetBucket, --jobs 1 and 2,
# over the churn of a landing zone.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1243

rule="--rule S3_BUCKET_LOGGING_ENABLED"
param="$rule --param S3_BUCKET_LOGGING_ENABLED.targetBucket=central-access-logs"

since_day1

# A bucket item in the API shape captured late on day N (after that day's
# snapshot), from a stored one: $1 day, $2 status, $3 the SQL of its
# supplementary configuration (from s, the stored one), $4 which bucket
# (an offset among the buckets with a configuration).
bucket_item() {
	q "SELECT json_object('version', '1.3', 'accountId', account_id,
		'configurationItemCaptureTime', '2026-11-0$1T23:59:00.000Z',
		'configurationItemStatus', '$2', 'configurationStateId', '176300000000$1',
		'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
		'arn', arn, 'configuration', CASE WHEN '$2' = 'OK' THEN configuration END,
		'supplementaryConfiguration', CASE WHEN '$2' = 'OK' THEN $3 ELSE json('{}') END,
		'tags', json('{}'), 'relationships', json('[]'))
		FROM (SELECT account_id, region, resource_type, resource_id, arn, configuration,
		      json(supplementary) AS s FROM items WHERE resource_type = 'AWS::S3::Bucket'
		      AND configuration IS NOT NULL GROUP BY resource_id
		      ORDER BY resource_id LIMIT 1 OFFSET $4)"
}
on="json_set(s, '\$.BucketLoggingConfiguration',
	json('{\"destinationBucketName\": \"central-access-logs\", \"logFilePrefix\": \"s3/\"}'))"
off="json_set(s, '\$.BucketLoggingConfiguration', json('{\"destinationBucketName\": null}'))"
mkdir -p "$T/day2/extra" "$T/day3/extra"
{ echo '['; bucket_item 2 OK "$on" 0; echo ','; bucket_item 2 ResourceDeleted NULL 1; echo ']'; } \
	>"$T/day2/extra/buckets.json"
{ echo '['; bucket_item 3 OK "$off" 0; echo ']'; } >"$T/day3/extra/buckets.json"
flipped=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::S3::Bucket'
	AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id LIMIT 1")
deleted=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::S3::Bucket'
	AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id LIMIT 1 OFFSET 1")

since_days '^since-run [0-9]+: [1-9][0-9]* resources re-evaluated on 1 rules, 0 rules in full' \
	"$flipped" COMPLIANT NON_COMPLIANT "the bucket logging from day 2 to day 3"
check "the bucket deleted on day 2 has no result" \
	test "$(q "SELECT count(*) FROM results WHERE run_id = $prev
		AND resource_id = '$deleted'")" = 0
check "the bucket deleted on day 2 had one on day 1" \
	test "$(q "SELECT count(*) FROM results WHERE resource_id = '$deleted'")" -gt 0

done_testing
