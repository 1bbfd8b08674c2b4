#!/bin/sh
# Submit N shard tasks as one AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX
# = 0..N-1 is the shard), then the merge, which starts when every task of
# the array has succeeded. N must equal the job definition's N.
set -eu
queue=${QUEUE:-cfgaudit}
n=8
shards=$(aws batch submit-job --job-name cfgaudit-shards --job-queue "$queue" \
	--job-definition cfgaudit-shard --array-properties "size=$n" \
	--query jobId --output text)
aws batch submit-job --job-name cfgaudit-merge --job-queue "$queue" \
	--job-definition cfgaudit-shard --depends-on "jobId=$shards" \
	--container-overrides '{"command": ["/usr/share/cfgaudit/examples/merge-task.sh"],
	  "environment": [{"name": "OUT", "value": "s3://audit-results-111111111111/2026-11-30/org"}]}'
