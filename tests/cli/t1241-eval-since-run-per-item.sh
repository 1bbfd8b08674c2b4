#!/bin/sh
# t1241: eval --since-run re-evaluates the rules reviewed as per-resource
# (eval/incremental.c) on the changed resources only -- the security-group
# rules with security_group_sources built from the changed groups, the IAM
# policy rules with iam_policy_default_documents built from the changed
# policies, the IAM inline-policy rules -- and gives the same results as a
# full evaluation, resource by resource: over three days of churn, a group
# opened to SSH from anywhere and closed again, a group deleted, one
# vanished from the snapshots; with --jobs 1 and 2. A rule file edited
# since it was reviewed runs in full.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/since-churn.sh"
since_start 1241

rules="--rule INCOMING_SSH_DISABLED --rule RESTRICTED_INCOMING_TRAFFIC"
rules="$rules --rule VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
kms=kms:Decrypt,kms:ReEncryptFrom
iam="--rule IAM_NO_INLINE_POLICY_CHECK --rule IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS"
iam="$iam --rule IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS"
iam="$iam --rule IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"
iam="$iam --rule IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS"
iam="$iam --param IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS.blockedActionsPatterns=$kms"
iam="$iam --param IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS.blockedActionsPatterns=$kms"

# shellcheck disable=SC2086
since_first_day $rules
n=$(q "SELECT count(*) FROM run_rules WHERE run_id = $prev AND evaluated = 1")
check "day 1: every rule evaluated ($n)" test "$n" = 3
# shellcheck disable=SC2086
cfgaudit eval --jobs 1 $iam >"$T/out" 2>"$T/err"
iprev=$(since_run_of)
n=$(q "SELECT count(*) FROM run_rules WHERE run_id = $iprev AND evaluated = 1")
check "day 1: every IAM rule evaluated ($n)" test "$n" = 5

# Security group items: day, status, configuration SQL, which group.
sg_item() { since_item_of AWS::EC2::SecurityGroup "$@"; }
open22="json_set(c, '\$.ipPermissions', json('[{\"ipProtocol\": \"tcp\", \"fromPort\": 22, \"toPort\": 22, \"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}], \"ipv6Ranges\": [], \"ipRanges\": [\"0.0.0.0/0\"]}]'))"
closed="json_set(c, '\$.ipPermissions', json('[]'))"
mkdir -p "$T/day2/extra" "$T/day3/extra"
{ echo '['; sg_item 2 OK "$open22" 0; echo ','; sg_item 2 ResourceDeleted NULL 1; echo ']'; } \
	>"$T/day2/extra/sg-events.json"
{ echo '['; sg_item 3 OK "$closed" 0; echo ']'; } >"$T/day3/extra/sg-events.json"
# A customer managed policy whose default version becomes Action * on
# Resource * on day 2.
q "SELECT json_object('version', '1.3', 'accountId', account_id,
	'configurationItemCaptureTime', '2026-11-02T23:59:00.000Z',
	'configurationItemStatus', 'OK', 'configurationStateId', '1762127940000',
	'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
	'configuration', json_set(json(configuration), '\$.defaultVersionId', 'v9',
		'\$.policyVersionList', json('[{\"versionId\": \"v9\", \"isDefaultVersion\": true,
		\"document\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",
		\"Action\": \"*\", \"Resource\": \"*\"}]}}]')),
	'supplementaryConfiguration', json('{}'), 'tags', json('{}'), 'relationships', json('[]'))
	FROM items WHERE resource_type = 'AWS::IAM::Policy'
	AND configuration LIKE '%policyVersionList%' AND configuration NOT LIKE '%arn:aws:iam::aws:%'
	ORDER BY resource_id LIMIT 1" | sed 's/^/[/; s/$/]/' >"$T/day2/extra/policy.json"
policy=$(q "SELECT resource_id FROM items WHERE resource_type = 'AWS::IAM::Policy'
	AND configuration LIKE '%policyVersionList%' AND configuration NOT LIKE '%arn:aws:iam::aws:%'
	ORDER BY resource_id LIMIT 1")
opened=$(since_id_of AWS::EC2::SecurityGroup 0)

for day in 2 3; do
	# shellcheck disable=SC2086
	since_next_day $day \
		'^since-run [0-9]+: [1-9][0-9]* resources re-evaluated on 3 rules, 0 rules in full' $rules
	# shellcheck disable=SC2086
	since_vs_full "day $day (IAM)" "$iprev" 2 \
		'^since-run [0-9]+: [0-9]+ resources re-evaluated on 5 rules, 0 rules in full' $iam
	iprev=$full
	if [ $day = 2 ]; then
		v=$(since_verdict "$inc" iam-policy-no-statements-with-admin-access "$policy")
		check "day 2 (IAM): the policy made admin is NON_COMPLIANT ($v)" test "$v" = NON_COMPLIANT
	fi
	verdict=$(since_verdict "$prev" restricted-ssh "$opened")
	if [ $day = 2 ]; then want=NON_COMPLIANT; else want=COMPLIANT; fi
	check "day $day: the group opened on day 2 and closed on day 3 is $want ($verdict)" \
		test "$verdict" = "$want"
done
check "the group deleted on day 2 has no result" test "$(since_deleted_results "$prev")" = 0

# A rule file edited since it was reviewed runs in full (and still agrees).
mkdir -p "$T/edited"
sed 's/^WITH sg AS (/WITH sg AS ( -- edited/' "$TOP_SRCDIR/rules/INCOMING_SSH_DISABLED.sql" \
	>"$T/edited/INCOMING_SSH_DISABLED.sql"
cfgaudit eval --rules-dir "$T/edited" --rule INCOMING_SSH_DISABLED >"$T/out" 2>&1
base=$(since_run_of)
mkdir -p "$T/day4/extra"
{ echo '['; sg_item 4 OK "$open22" 2; echo ']'; } >"$T/day4/extra/sg-events.json"
check "day 4: ingest" cfgaudit --quiet ingest "$T/day4"
cfgaudit eval --rules-dir "$T/edited" --rule INCOMING_SSH_DISABLED --since-run "$base" \
	>"$T/out" 2>"$T/err"
inc=$(since_run_of)
check_grep "an edited rule file: in full" '^since-run [0-9]+: .* on 0 rules, 1 rules in full' \
	"$T/out"
cfgaudit eval --rules-dir "$T/edited" --rule INCOMING_SSH_DISABLED >"$T/out" 2>&1
since_results "$inc" "$T/inc"
since_results "$(since_run_of)" "$T/full"
check_same "... the same as a full run" "$T/full" "$T/inc"

done_testing
