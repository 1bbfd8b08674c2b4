#!/bin/sh
# t1254: a nightly eval --since-run over a store edited by hand: a
# resource loaded since the prior run whose configuration is not JSON
# (a security group: security_group_sources, built in C, and a rule's own
# statement; a log group: log_groups, built by SQL). The nightly run fails
# the same rules as a full run, with the same errors stored in run_errors,
# exits 2, is incomplete, and gives the full run's results for every other
# rule; the next nightly run cannot start from it (its results are not
# all). (The security group's per-item table, since_sg_sources, fails to
# build: the rules that read it run in full, as in a full run.)
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
since_start 1254 2
rules="--rule CW_LOGGROUP_RETENTION_PERIOD_CHECK --rule CLOUDWATCH_LOG_GROUP_ENCRYPTED"
rules="$rules --rule RESTRICTED_INCOMING_TRAFFIC --rule VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
rules="$rules --rule INCOMING_SSH_DISABLED --rule S3_BUCKET_VERSIONING_ENABLED"
rules="$rules --rule S3_BUCKET_LOGGING_ENABLED --rule ROOT_ACCOUNT_MFA_ENABLED"

# Day 2 brings a new security group and a new log group (API shape), in
# an account without a snapshot (current as captured).
python3 - "$T" <<'EOF' || bail_out "cannot make the new resources"
import json, sys
t = sys.argv[1]
base = {"version": "1.3", "accountId": "999988887777", "awsRegion": "us-east-1",
        "configurationItemCaptureTime": "2026-11-02T01:00:00.000Z",
        "configurationItemStatus": "ResourceDiscovered", "configurationStateId": "1762045200000",
        "supplementaryConfiguration": {}, "tags": {}, "relationships": [], "relatedEvents": []}
sg = dict(base, resourceType="AWS::EC2::SecurityGroup", resourceId="sg-0badjs0n00000001",
          resourceName="bad-json", arn="arn:aws:ec2:us-east-1:999988887777:security-group/sg-0badjs0n00000001",
          configuration=json.dumps({"groupId": "sg-0badjs0n00000001", "groupName": "bad-json",
                                    "vpcId": "vpc-0a1b2c3d", "ipPermissions": [], "ipPermissionsEgress": []}))
lg = dict(base, resourceType="AWS::Logs::LogGroup", resourceId="bad-json-logs",
          resourceName="bad-json-logs", arn="arn:aws:logs:us-east-1:999988887777:log-group:bad-json-logs",
          configuration=json.dumps({"logGroupName": "bad-json-logs", "retentionInDays": 30}))
with open(f"{t}/day2/extra/new.json", "w") as f:
    json.dump([sg, lg], f)
EOF

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
# shellcheck disable=SC2086
cfgaudit eval --jobs 1 $rules >"$T/out" 2>"$T/err"
base=$(since_run_of)
check "day 1: a full run ($base)" test "${base:-0}" -gt 0
cp "$CFGAUDIT_DB-pitstate" "$T/base.pit"
check "day 2: ingest" cfgaudit --quiet ingest "$T/day2"
sqlite3 "$CFGAUDIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$CFGAUDIT_DB" "$T/day2.db"

# errors_of RUN: its stored errors, without the order they came in.
errors_of() {
	q "SELECT kind, rule, path, line, message FROM run_errors WHERE run_id = $1 ORDER BY 3, 5"
}
for what in AWS::EC2::SecurityGroup AWS::Logs::LogGroup; do
	for j in 1 2; do
		rm -f "$CFGAUDIT_DB"*
		cp "$T/day2.db" "$CFGAUDIT_DB"
		cp "$T/base.pit" "$CFGAUDIT_DB-pitstate"
		q "UPDATE items SET configuration = '{\"groupId\": ' WHERE resource_type = '$what'
		   AND resource_id LIKE '%bad-json%' OR (resource_type = '$what'
		   AND resource_id = 'sg-0badjs0n00000001')"
		check "$what: one item edited" test "$(q "SELECT count(*) FROM items
			WHERE configuration = '{\"groupId\": '")" = 1
		# shellcheck disable=SC2086
		check_exit "$what (--jobs $j): the nightly run exits 2" 2 \
			cfgaudit eval --since-run "$base" --jobs $j $rules
		cp "$T/out" "$T/inc.out"
		check_grep "$what (--jobs $j): ... from run $base" "^since-run $base: " "$T/inc.out"
		check_grep "$what (--jobs $j): ... incomplete" '^status incomplete: ' "$T/inc.out"
		inc=$(since_run_of)
		# shellcheck disable=SC2086
		check_exit "$what (--jobs $j): a full run exits 2" 2 cfgaudit eval --jobs 1 $rules
		full=$(since_run_of)
		errors_of "$inc" >"$T/inc.err"
		errors_of "$full" >"$T/full.err"
		check "$what (--jobs $j): errors stored ($(wc -l <"$T/full.err"))" test -s "$T/full.err"
		check_same "$what (--jobs $j): the nightly run's errors = the full run's" \
			"$T/full.err" "$T/inc.err"
		since_results "$inc" "$T/inc"
		since_results "$full" "$T/full"
		check_same "$what (--jobs $j): results of run $inc = of full run $full" \
			"$T/full" "$T/inc"
		# shellcheck disable=SC2086
		check_exit "$what (--jobs $j): no nightly run from run $inc" 2 \
			cfgaudit eval --since-run "$inc" --jobs 1 $rules
		check_grep "  says why" "run $inc cannot be reused: it has [0-9]+ errors?" "$T/err"
	done
done

done_testing
