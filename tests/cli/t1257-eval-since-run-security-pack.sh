#!/bin/sh
# t1257: eval --since-run of the Security, Identity and Compliance pack
# gives the same results as a full evaluation, resource by resource, when
# the account-level facts that its rules still run in full for change
# beside the per-account and time rules (eval/incremental.c): a GuardDuty
# detector added (day 2) and deleted (day 3) in a Region without
# snapshots, a multi-Region trail added (day 3), the password policy evidence added (weak, day 2) and changed
# (strong, day 3), an account summary (root account) added on day 3; and
# with them a secret crossing its rotation limit with no new version and
# an IAM group losing its only user. With --jobs 1 and 2, over the churn
# of a landing zone.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1257

acct=$(cd "$T/lz" && find . -path '*/AWSLogs/*/Config' -type d |
	sed 's|.*/AWSLogs/\([0-9]*\)/Config|\1|' | sort | head -1)
region=$(cd "$T/lz" && find . -path "*/AWSLogs/$acct/Config/*" -type d |
	sed -n "s|.*/AWSLogs/$acct/Config/\([a-z0-9-]*\)\$|\1|p" | grep -v global | sort | head -1)
check "an account and Region in the landing zone ($acct $region)" test -n "$region"

# An item captured late on day N, of acct in a Region without snapshots
# (so that no later snapshot outweighs it) or of an account without any:
# $1 day, $2 status, $3 Region, $4 type, $5 id, $6 configuration (JSON,
# or null), $7 the account (default acct).
item() {
	printf '{"version": "1.3", "accountId": "%s", "configurationItemCaptureTime": "2026-11-0%sT23:00:00.000Z",
  "configurationItemStatus": "%s", "configurationStateId": "176500000000%s",
  "resourceType": "%s", "resourceId": "%s", "resourceName": "%s", "awsRegion": "%s",
  "configuration": %s, "supplementaryConfiguration": {}, "tags": {}, "relationships": [],
  "relatedEvents": []}' "${7:-$acct}" "$1" "$2" "$1" "$4" "$5" "$5" "$3" "$6"
}
other=999988887777 own=ap-south-1
# Evidence of acct: $1 day, $2 Region, $3 service/operation, $4 body.
evidence() {
	d="$T/day$1/ev/AWSLogs/$acct/Evidence/$2/$3"
	mkdir -p "$d"
	printf '%s\n' "$4" >"$d/2026110${1}T220000Z.json"
}
detector='{"Id": "4cb2d7e0f1a2b3c4d5e6f7a8b9c0d1e2", "Enable": true, "FindingPublishingFrequency": "SIX_HOURS"}'
trail='{"name": "fullrules-org-wide", "isMultiRegionTrail": true, "isLogging": true, "includeGlobalServiceEvents": true, "s3BucketName": "fullrules-trail-logs", "logFileValidationEnabled": true}'
secret='{"Name": "fullrules/rotated", "RotationEnabled": true, "LastRotatedDate": "2026-08-04T11:59:59.000Z"}'
weak='{"PasswordPolicy": {"MinimumPasswordLength": 8, "RequireSymbols": false, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "ExpirePasswords": false}}'
strong='{"PasswordPolicy": {"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "ExpirePasswords": true, "MaxPasswordAge": 90, "PasswordReusePrevention": 24}}'
summary='{"SummaryMap": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "Users": 3}}'
{
	echo '['
	item 1 ResourceDiscovered $own AWS::SecretsManager::Secret fullrules-rotated "$secret"
	echo ,
	item 1 ResourceDiscovered global AWS::IAM::Group AGPAFULLRULES0000009 \
		'{"groupName": "FullrulesOnly"}' $other
	echo ,
	item 1 ResourceDiscovered global AWS::IAM::User AIDAFULLRULES0000009 \
		'{"userName": "fullrules-only", "groupList": ["FullrulesOnly"]}' $other
	echo ']'
} >"$T/day1/extra/items.json"
{
	echo '['
	item 2 ResourceDiscovered $own AWS::GuardDuty::Detector \
		4cb2d7e0f1a2b3c4d5e6f7a8b9c0d1e2 "$detector"
	echo ,
	item 2 OK global AWS::IAM::User AIDAFULLRULES0000009 \
		'{"userName": "fullrules-only", "groupList": []}' $other
	echo ']'
} >"$T/day2/extra/items.json"
evidence 2 global iam/get-account-password-policy "$weak"
{
	echo '['
	item 3 ResourceDeleted $own AWS::GuardDuty::Detector 4cb2d7e0f1a2b3c4d5e6f7a8b9c0d1e2 null
	echo ,
	item 3 ResourceDiscovered $own AWS::CloudTrail::Trail fullrules-org-wide "$trail"
	echo ']'
} >"$T/day3/extra/items.json"
evidence 3 global iam/get-account-password-policy "$strong"
evidence 3 global iam/get-account-summary "$summary"

pack="--pack Operational-Best-Practices-for-Security-Identity-and-Compliance-Services"
verdict() { # run, rule, resource id, Region
	q "SELECT compliance_type FROM results WHERE run_id = $1 AND config_rule_name = '$2'
	   AND resource_id = '$3' AND aws_region = '$4'"
}

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
# shellcheck disable=SC2086
cfgaudit eval --jobs 1 --as-of 2026-11-01T23:59:59Z $pack >"$T/out" 2>"$T/err"
prev=$(since_run_of)
check "day 1: a full run" test "${prev:-0}" -gt 0
for day in 2 3; do
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	for jobs in 1 2; do
		# shellcheck disable=SC2086
		since_vs_full "day $day (--jobs $jobs)" "$prev" $jobs \
			'^since-run [0-9]+: [0-9]+ resources re-evaluated on [0-9]+ rules, [0-9]+ rules in full' \
			--as-of 2026-11-0${day}T23:59:59Z $pack
	done
	prev=$full
	# day 3: no detector, and no snapshot of the Region to say so
	case $day in
	2) det=COMPLIANT pw=NON_COMPLIANT ;;
	3) det=INSUFFICIENT_DATA pw=COMPLIANT ;;
	esac
	check "day $day: the detector's Region is $det" \
		test "$(verdict "$inc" guardduty-enabled-centralized "$acct" $own)" = $det
	check "day $day: the password policy is $pw" \
		test "$(verdict "$inc" iam-password-policy "$acct" "$region")" = $pw
	check "day $day: the rotated secret is NON_COMPLIANT" \
		test "$(verdict "$inc" secretsmanager-secret-periodic-rotation fullrules-rotated \
			$own)" = NON_COMPLIANT
	check "day $day: the group without its user is NON_COMPLIANT" \
		test "$(verdict "$inc" iam-group-has-users-check AGPAFULLRULES0000009 global)" = \
		NON_COMPLIANT
done
check "day 3: the new trail is judged" \
	test "$(verdict "$inc" cloud-trail-log-file-validation-enabled fullrules-org-wide $own)" = \
	COMPLIANT

done_testing
