#!/bin/sh
# t1240: eval --since-run gives, day after day, the same results as a full
# evaluation, resource by resource: over several days of churn (new,
# changed, deleted and vanished resources from tools/gen-archive's landing
# zone), a password policy that flips with evidence, a trail deleted, and
# a new account-region that changes coverage; with the default pack and
# with every rule.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

"$GEN" --landing-zone --seed 1240 --days 4 --churn 0.05 --out "$T/lz" --quiet ||
	bail_out "gen-archive failed"
# One directory per delivery day, with the same paths below it.
for day in 1 2 3 4; do
	(cd "$T/lz" && find . -type f -path "*/2026/11/$day/*") | while read -r f; do
		mkdir -p "$T/day$day/$(dirname "$f")"
		cp "$T/lz/$f" "$T/day$day/$f"
	done
done
acct=$(cd "$T/lz" && find . -path '*/AWSLogs/*/Config' -type d | sed 's|.*/AWSLogs/\([0-9]*\)/Config|\1|' |
	sort | head -1)
[ -n "$acct" ] || bail_out "no account in the generated archive"

# Account-level changes beside the generator's: the password policy
# (evidence) missing, then strong, then weak; a trail deleted on day 3;
# an account-region without a snapshot appearing on day 3.
policy() {
	d="$T/day$1/ev/AWSLogs/$acct/Evidence/global/iam/get-account-password-policy"
	mkdir -p "$d"
	printf '%s\n' "$3" >"$d/$2.json"
}
policy 2 20261102T010000Z '{"Error": {"Code": "NoSuchEntity", "Message": "no policy"}}'
policy 3 20261103T010000Z '{"PasswordPolicy": {"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true, "ExpirePasswords": true, "MaxPasswordAge": 90, "PasswordReusePrevention": 24, "HardExpiry": false}}'
policy 4 20261104T010000Z '{"PasswordPolicy": {"MinimumPasswordLength": 6, "RequireSymbols": false, "RequireNumbers": false, "RequireUppercaseCharacters": false, "RequireLowercaseCharacters": false, "AllowUsersToChangePassword": true, "ExpirePasswords": false}}'
trail=$(cd "$T/lz" && zcat $(find . -type f -name '*ConfigSnapshot*' -path "*/$acct/*" | head -1) |
	python3 -c 'import json,sys
for i in json.load(sys.stdin)["configurationItems"]:
    if i["resourceType"] == "AWS::CloudTrail::Trail":
        print(i["resourceId"], i["awsRegion"]); break')
mkdir -p "$T/day3/extra"
if [ -n "$trail" ]; then
	set -- $trail
	cat >"$T/day3/extra/trail-deleted.json" <<EOF
[{"version": "1.3", "accountId": "$acct", "configurationItemCaptureTime": "2026-11-03T02:00:00.000Z",
  "configurationItemStatus": "ResourceDeleted", "configurationStateId": "1762135200000",
  "resourceType": "AWS::CloudTrail::Trail", "resourceId": "$1", "awsRegion": "$2",
  "relatedEvents": [], "relationships": [], "supplementaryConfiguration": {}, "tags": {}}]
EOF
fi
cat >"$T/day3/extra/new-region.json" <<EOF
[{"version": "1.3", "accountId": "$acct", "configurationItemCaptureTime": "2026-11-03T03:00:00.000Z",
  "configurationItemStatus": "ResourceDiscovered", "configurationStateId": "1762138800000",
  "resourceType": "AWS::S3::Bucket", "resourceId": "nightly-new-region-bucket",
  "resourceName": "nightly-new-region-bucket", "awsRegion": "ap-south-1",
  "arn": "arn:aws:s3:::nightly-new-region-bucket",
  "configuration": "{\"name\":\"nightly-new-region-bucket\"}",
  "supplementaryConfiguration": {}, "tags": {}, "relationships": [], "relatedEvents": []}]
EOF

# Every result of a run, normalized (order, item keys as hex).
results() {
	q "SELECT pack_name, config_rule_name, account_id, aws_region, resource_type, resource_id,
	   compliance_type, coalesce(annotation, ''), hex(item_key) FROM results WHERE run_id = $1
	   ORDER BY 1, 2, 3, 4, 5, 6" >"$2"
}
run_of() { sed -n 's/^run //p' "$T/out"; }

all_rules=$(cfgaudit rules list | awk '$1 ~ /^[A-Z0-9_]+$/ { printf " --rule %s", $1 }')
[ -n "$all_rules" ] || bail_out "no rules listed"

for day in 1 2 3 4; do
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	for set in pack rules; do
		# shellcheck disable=SC2086
		if [ $set = pack ]; then opts=; else opts=$all_rules; fi
		if [ $day = 1 ] && [ $set = rules ]; then
			# every rule that needs no parameter value (a run with
			# errors cannot be reused)
			cfgaudit eval --jobs 1 $opts >"$T/out" 2>"$T/err"
			all_rules=$(q "SELECT ' --rule ' || identifier FROM run_rules
				WHERE run_id = $(run_of) AND evaluated = 1 ORDER BY rule_no" | tr -d '\n')
			opts=$all_rules
		fi
		if [ $day = 1 ]; then
			cfgaudit eval --jobs 1 $opts >"$T/out" 2>"$T/err"
			check "day 1 ($set): a full run" test "$(run_of)" -gt 0
			continue
		fi
		cfgaudit eval --since-run latest --jobs 2 $opts >"$T/out" 2>"$T/err"
		inc=$(run_of)
		check_grep "day $day ($set): incremental" '^since-run [0-9]+: [0-9]+ resources re-evaluated' "$T/out"
		cfgaudit eval --jobs 1 $opts >"$T/out" 2>"$T/err"
		full=$(run_of)
		results "$inc" "$T/inc"
		results "$full" "$T/full"
		check "day $day ($set): results exist ($(wc -l <"$T/full"))" test -s "$T/full"
		check_same "day $day ($set): run $inc since the prior run = full run $full" "$T/full" "$T/inc"
		check "day $day ($set): the record says from which run" \
			test "$(q "SELECT since_run > 0 FROM run_state WHERE run_id = $inc")" = 1
	done
done
check "the password policy rule changed over the days" \
	test "$(q "SELECT count(DISTINCT compliance_type) FROM results WHERE config_rule_name = 'iam-password-policy' AND account_id = '$acct'")" -ge 2

# ---- refusals (exit 2, with the reason) ----
base=$(q "SELECT max(run_id) FROM run_state WHERE run_id IN (SELECT run_id FROM run_rules WHERE pack_name <> '')")
refused() {
	desc=$1
	pattern=$2
	shift 2
	check_exit "refused: $desc" 2 cfgaudit eval --since-run "$@"
	check_grep "refused: $desc: says why" "cannot be reused: .*$pattern" "$T/err"
}
refused "another rule set" "does not|evaluated" "$base" --rule INCOMING_SSH_DISABLED
refused "another scope" "other accounts or regions" "$base" --account "$acct"
refused "an earlier as-of time" "later than this run" "$base" --as-of 2026-11-02
pk=Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml
mkdir -p "$T/pk"
sed 's/Default: .90./Default: "60"/' "$TOP_SRCDIR/packs/$pk" >"$T/pk/$pk"
refused "another pack file" "has changed|other parameters" "$base" --pack "$T/pk/$pk"
cfgaudit eval --rule ACCESS_KEYS_ROTATED >"$T/out" 2>&1
one=$(run_of)
refused "other parameters" "other parameters" "$one" --rule ACCESS_KEYS_ROTATED --param maxAccessKeyAge=30
cat >"$T/w.yaml" <<'YAML'
- rule: restricted-ssh
  account: "*"
  resource: "sg-*"
  reason: Bastion hosts
  approved_by: security@example.com
  expires: 2099-12-31
YAML
refused "waivers" "waivers" "$base" --waivers "$T/w.yaml"
refused "another --max-age" "max-age" "$base" --max-age 3d
mkdir -p "$T/bad"
printf -- '-- identifier: BAD_RULE\n-- name: bad-rule\n-- resource-types: AWS::S3::Bucket\n-- description: x\nSELECT nonsense FROM nowhere\n' >"$T/bad/BAD_RULE.sql"
cfgaudit eval --rules-dir "$T/bad" --rule BAD_RULE >"$T/out" 2>&1
bad=$(run_of)
refused "a prior run with errors" "error" "$bad" --rules-dir "$T/bad" --rule BAD_RULE
refused "no such run" "no such run" 99999
db=$CFGAUDIT_DB
cp "$db" "$T/copy.db"
export CFGAUDIT_DB="$T/copy.db"
sqlite3 "$T/copy.db" "UPDATE runs SET tool_version = '0.0.1' WHERE run_id = $base"
refused "another cfgaudit version" "cfgaudit 0.0.1" "$base"
cp "$db" "$T/copy.db"
sqlite3 "$T/copy.db" "UPDATE run_state SET schema_version = 1 WHERE run_id = $base"
refused "another schema" "schema 1" "$base"
export CFGAUDIT_DB="$db"
# A rule that reads current_items once but judges another resource is not
# local after all: eval says so and evaluates everything.
mkdir -p "$T/odd"
cat >"$T/odd/ODD_RULE.sql" <<'SQL'
-- identifier: ODD_RULE
-- name: odd-rule
-- resource-types: AWS::S3::Bucket
-- description: Judges one bucket by the security groups (a test of --since-run).
SELECT 'AWS::S3::Bucket' AS resource_type, 'odd-bucket-' || resource_id AS resource_id,
       account_id, region AS aws_region, 'COMPLIANT' AS compliance_type,
       'from ' || resource_id AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
SQL
cfgaudit eval --rules-dir "$T/odd" --rule ODD_RULE >"$T/out" 2>&1
odd=$(run_of)
sg=$(q "SELECT resource_id || '|' || account_id || '|' || region FROM items
	WHERE resource_type = 'AWS::EC2::SecurityGroup' AND configuration IS NOT NULL LIMIT 1")
mkdir -p "$T/sg"
sg_version_json 2026-11-05T01:00:00.000Z 1762304400000 >"$T/sg/sg-changed.json"
check "ingest a changed security group ($sg)" cfgaudit --quiet ingest "$T/sg"
cfgaudit eval --rules-dir "$T/odd" --rule ODD_RULE --since-run "$odd" >"$T/out" 2>"$T/odd.err"
rc=$?
oddfull=$(run_of)
check "a rule that is not local after all: a run (exit $rc)" test $rc -le 1
check_grep "... with a warning" "warning: a rule read as local gave [0-9]+ results? for resources that did not change" "$T/odd.err"
check "... a full run" test "$(q "SELECT coalesce(since_run, 0) FROM run_state WHERE run_id = $oddfull")" = 0
cfgaudit eval --rules-dir "$T/odd" --rule ODD_RULE >"$T/out" 2>&1
results "$oddfull" "$T/inc"
results "$(run_of)" "$T/full"
check_same "... the same as a full run" "$T/full" "$T/inc"

# A late file: a version captured before the prior as-of, loaded after.
mkdir -p "$T/late"
sed -e 's/2026-11-03T03:00:00.000Z/2026-11-01T03:00:00.000Z/' -e 's/nightly-new-region-bucket/nightly-late-bucket/g' \
	"$T/day3/extra/new-region.json" >"$T/late/late.json"
check "ingest a late file" cfgaudit --quiet ingest "$T/late"
refused "data loaded since, older than its as-of" "older than its as-of" "$base"
cfgaudit eval --since-run latest --rule ACCESS_KEYS_ROTATED --param maxAccessKeyAge=7 >"$T/out" 2>"$T/warn"
check "--since-run latest without a run to reuse: a full run (exit $?)" test $? -le 1
check_grep "... with a warning" "since-run latest: evaluating everything" "$T/warn"
check_exit "--since-run takes a run id or latest" 2 cfgaudit eval --since-run yesterday
cfgaudit eval --help >"$T/help"
check_grep "--help documents --since-run" "--since-run ID" "$T/help"

done_testing
