#!/bin/sh
# t1244: eval --since-run re-evaluates iam-user-group-membership-check,
# reviewed as per-resource (eval/incremental.c: a user's groups are its own
# groupList and relationships), on the changed users only, and gives the
# same results as a full evaluation, resource by resource: a user taken out
# of its groups (day 2) and put back (day 3), a user deleted (day 2), with
# and without groupNames, --jobs 1 and 2, over the churn of a landing zone.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1244

rule="--rule IAM_USER_GROUP_MEMBERSHIP_CHECK"
param="$rule --param IAM_USER_GROUP_MEMBERSHIP_CHECK.groupNames=Administrators,Developers"

since_day1

# The users in a group, in resource id order.
in_group="FROM items WHERE resource_type = 'AWS::IAM::User' AND configuration IS NOT NULL
	AND json_array_length(json_extract(configuration, '\$.groupList')) > 0
	GROUP BY resource_id ORDER BY resource_id"
# A user item in the API shape captured late on day N, from a stored one:
# $1 day, $2 status, $3 the SQL of its configuration (from c, the stored
# one) and $4 of its relationships (from r), $5 which user (an offset).
user_item() {
	q "SELECT json_object('version', '1.3', 'accountId', account_id,
		'configurationItemCaptureTime', '2026-11-0$1T23:59:00.000Z',
		'configurationItemStatus', '$2', 'configurationStateId', '176400000000$1',
		'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
		'resourceName', resource_name, 'arn', arn,
		'configuration', CASE WHEN '$2' = 'OK' THEN json_quote($3) END,
		'supplementaryConfiguration', json('{}'), 'tags', json('{}'),
		'relationships', CASE WHEN '$2' = 'OK' THEN $4 ELSE json('[]') END)
		FROM (SELECT account_id, region, resource_type, resource_id, resource_name, arn,
		      json(configuration) AS c, json(relationships) AS r $in_group
		      LIMIT 1 OFFSET $5)"
}
out="json_set(c, '\$.groupList', json('[]'))"
mkdir -p "$T/day2/extra" "$T/day3/extra"
{ echo '['; user_item 2 OK "$out" "json('[]')" 0; echo ','; user_item 2 ResourceDeleted NULL NULL 1
  echo ']'; } >"$T/day2/extra/users.json"
{ echo '['; user_item 3 OK c r 0; echo ']'; } >"$T/day3/extra/users.json"
moved=$(q "SELECT resource_id $in_group LIMIT 1")
deleted=$(q "SELECT resource_id $in_group LIMIT 1 OFFSET 1")
check "two users in a group" test -n "$deleted"

since_days '^since-run [0-9]+: [1-9][0-9]* resources re-evaluated on 1 rules, 0 rules in full' \
	"$moved" NON_COMPLIANT COMPLIANT "the user out of its groups on day 2, back on day 3,"
check "the user deleted on day 2 has no result" \
	test "$(q "SELECT count(*) FROM results WHERE run_id = $prev
		AND resource_id = '$deleted'")" = 0

done_testing
