# tests/cli/since-churn.sh: what the --since-run tests that add their own
# items to days of landing-zone churn (t1241, t1242, t1255, t1256, t1280)
# share (sourced after tests/lib.sh and since-lib.sh). Each test keeps its
# items, its rules and its checks.

# since_item TIME STATUS ACCOUNT REGION TYPE ID ARN CONFIGURATION [NAME]:
# one configuration item (API shape) captured at TIME, for a JSON list in
# an extra/ tree; CONFIGURATION is JSON text or null, NAME the
# resourceName (none when absent).
since_item() {
	printf '{"version": "1.3", "accountId": "%s", "configurationItemCaptureTime": "%s",
  "configurationItemStatus": "%s", "configurationStateId": "%s",
  "resourceType": "%s", "resourceId": "%s",%s "awsRegion": "%s", "arn": "%s",
  "configuration": %s, "supplementaryConfiguration": {}, "tags": {}, "relationships": [],
  "relatedEvents": []}' "$3" "$1" "$2" "$(echo "$1" | tr -cd 0-9)" "$5" "$6" \
		"${9:+ \"resourceName\": \"$9\",}" "$4" "$7" "$8"
}

# since_item_of TYPE DAY STATUS CONFIG-SQL N: an item of the Nth resource
# of TYPE that has a configuration (by resource id, from 0), captured late
# on day DAY (after that day's snapshot, which would otherwise outweigh
# it); CONFIG-SQL is the SQL of its configuration, from c (the stored one).
since_item_of() {
	q "SELECT json_object('version', '1.3', 'accountId', account_id,
		'configurationItemCaptureTime', '2026-11-0$2T23:59:00.000Z',
		'configurationItemStatus', '$3', 'configurationStateId', '176200000000$2',
		'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
		'configuration', $4, 'supplementaryConfiguration', json('{}'),
		'tags', json('{}'), 'relationships', json('[]'))
		FROM (SELECT account_id, region, resource_type, resource_id, json(configuration) AS c
		      FROM items WHERE resource_type = '$1'
		      AND configuration IS NOT NULL GROUP BY resource_id
		      ORDER BY resource_id LIMIT 1 OFFSET $5)"
}

# since_id_of TYPE N: the resource id since_item_of TYPE ... N takes.
since_id_of() {
	q "SELECT resource_id FROM items WHERE resource_type = '$1'
	   AND configuration IS NOT NULL GROUP BY resource_id ORDER BY resource_id
	   LIMIT 1 OFFSET $2"
}

# since_verdict RUN RULE ID [ACCOUNT]: the compliance of resource ID
# (of ACCOUNT) under rule RULE (its name) in run RUN.
since_verdict() {
	q "SELECT compliance_type FROM results WHERE run_id = $1 AND config_rule_name = '$2'
	   AND resource_id = '$3' ${4:+AND account_id = '$4'}"
}

# since_deleted_results RUN: how many results of RUN are of resources
# with a deleted item (there must be none).
since_deleted_results() {
	q "SELECT count(*) FROM results r JOIN items i ON i.resource_id = r.resource_id
	   WHERE r.run_id = $1 AND i.status = 'ResourceDeleted'"
}

# since_first_day EVAL-ARGS...: ingest day 1's tree, then a full run
# (since_full) whose id is left in prev.
since_first_day() {
	check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
	since_full "day 1: a full run" "$@"
	prev=$run
}

# since_next_day DAY PATTERN EVAL-ARGS...: ingest day DAY's tree, then
# since_vs_full from run prev with --jobs 1 (its run left in inc1) and
# --jobs 2 (in inc), summaries matching PATTERN; leaves prev at the full
# run (full).
since_next_day() {
	day=$1 day_pattern=$2
	shift 2
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	since_vs_full "day $day (--jobs 1)" "$prev" 1 "$day_pattern" "$@"
	inc1=$inc
	since_vs_full "day $day (--jobs 2)" "$prev" 2 "$day_pattern" "$@"
	prev=$full
}
