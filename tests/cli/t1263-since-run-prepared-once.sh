#!/bin/sh
# t1263: eval --since-run checks what each rule run on the changed
# resources reads while preparing its statement once (eval/incremental.c),
# and hands that statement to the runner. A rule whose statement is the
# first of the connection to read json_each (SQLite declares its table,
# reading sqlite_master, on first use) stays on the changed resources
# (0 rules in full), and its results, with two parameter values,
# --jobs 1 and 2, are a full run's, resource by resource.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1263

p=IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS.blockedActionsPatterns
rule="--rule IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS --param $p=kms:Decrypt,kms:ReEncryptFrom"
param="--rule IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS --param $p=kms:*"
pattern='^since-run [0-9]+: [0-9]+ resources re-evaluated on 1 rules, 0 rules in full'

since_day1
# The rule judges IAM users, roles and groups only: a bucket has no result.
bucket=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::S3::Bucket' LIMIT 1")
since_days "$pattern" "$bucket" "" "" "a bucket's verdict (none)"

done_testing
