#!/bin/sh
# t1935-evidence-config-alias: evidence of AWS Config is kept under the
# CLI's word, configservice; the folder config that earlier versions of
# cfgaudit-collect wrote still loads, as the same service (configservice),
# and the CFGAUDIT_ORG_CONFIG_* rules decide the same from either tree.
# Answers of one call under both folders are answers of one call.
# AWS's own verdicts load as Config data from both folders.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
R="$TOP_SRCDIR/tests/rules"

# results DB: the last run's results, annotations included.
results() {
	sqlite3 -separator '	' "$1" "SELECT account_id, aws_region, resource_id,
		compliance_type, annotation FROM results WHERE run_id = (SELECT max(run_id) FROM runs)" |
		LC_ALL=C sort
}

for case in CFGAUDIT_ORG_CONFIG_RECORDING/evidence CFGAUDIT_ORG_CONFIG_AGGREGATOR/evidence; do
	id=${case%%/*}
	n=$(echo "$case" | tr / _)
	cp -R "$R/$case" "$T/$n.new"
	cp -R "$R/$case" "$T/$n.old"
	for d in $(cd "$T/$n.old" && find AWSLogs -type d -name configservice); do
		mv "$T/$n.old/$d" "$T/$n.old/${d%/configservice}/config"
	done
	check "$id: the old tree has config/ folders only" \
		test -n "$(find "$T/$n.old" -type d -name config)" -a \
		-z "$(find "$T/$n.old" -type d -name configservice)"
	set -- --rule "$id" --as-of "$(head -n 1 "$R/$case/as-of")"
	while IFS= read -r p; do [ -z "$p" ] || set -- "$@" --param "$p"; done <"$R/$case/params"
	for v in new old; do
		# shellcheck disable=SC2046 # the case's files, no blanks
		check "$id: the $v tree loads" cfgaudit --db "$T/$n.$v.db" --quiet ingest \
			$(ls -d "$T/$n.$v"/*.json "$T/$n.$v/AWSLogs")
		check_exit "$id: eval on the $v tree" "$(grep -q NON_COMPLIANT "$R/$case/expected" &&
			echo 1 || echo 0)" cfgaudit --db "$T/$n.$v.db" --quiet eval "$@"
		results "$T/$n.$v.db" >"$T/$n.$v.results"
	done
	check "$id: the old folder is stored as the service configservice" \
		test "$(sqlite3 "$T/$n.old.db" "SELECT group_concat(DISTINCT service) FROM evidence_calls
			WHERE operation LIKE 'describe-%'")" = configservice
	check_same "$id: the same verdicts and annotations from either folder" \
		"$T/$n.new.results" "$T/$n.old.results"
	check "$id: and verdicts were given" test -s "$T/$n.new.results"
done

# One call, an old answer under config/ and a newer one under configservice/.
A="$T/mix/AWSLogs/111122223333/Evidence/us-east-1"
mkdir -p "$A/config/describe-configuration-aggregators" "$A/configservice/describe-configuration-aggregators"
echo '{"ConfigurationAggregators": []}' \
	>"$A/config/describe-configuration-aggregators/20261120T060000Z.json"
echo '{"ConfigurationAggregators": [{"ConfigurationAggregatorName": "org"}]}' \
	>"$A/configservice/describe-configuration-aggregators/20261121T060000Z.json"
check "both load" cfgaudit --db "$T/mix.db" --quiet ingest "$T/mix"
check "as two answers of one call" test "$(sqlite3 "$T/mix.db" "SELECT count(DISTINCT service) || ' ' ||
	count(*) FROM evidence_calls WHERE operation = 'describe-configuration-aggregators'")" = "1 2"
check "the label of the call is known under its canonical name" test "$(sqlite3 "$T/mix.db" \
	"SELECT group_concat(known) FROM evidence_calls")" = "1,1"

# AWS's verdicts in the evidence tree, under either folder, are Config data.
for svc in configservice config; do
	V="$T/v-$svc/AWSLogs/111122223333/Evidence/us-east-1/$svc/get-compliance-details-by-config-rule"
	mkdir -p "$V"
	echo '{"EvaluationResults": [{"EvaluationResultIdentifier": {"EvaluationResultQualifier": {"ConfigRuleName": "s3-bucket-versioning-enabled", "ResourceType": "AWS::S3::Bucket", "ResourceId": "acme-logs", "EvaluationMode": "DETECTIVE"}, "OrderingTimestamp": "2026-11-20T11:44:58.100000+00:00"}, "ComplianceType": "NON_COMPLIANT", "ResultRecordedTime": "2026-11-20T11:45:00.412000+00:00"}]}' \
		>"$V/20261201T060000Z.json"
	check_exit "$svc/get-compliance-details-by-config-rule loads" 0 \
		cfgaudit --db "$T/v-$svc.db" ingest "$T/v-$svc"
	check "as AWS's verdicts of the path's account and region ($svc)" \
		test "$(sqlite3 "$T/v-$svc.db" "SELECT kind || ' ' || account_id || ' ' || region FROM files
			WHERE path LIKE '%get-compliance-details%'")" = "AwsVerdicts 111122223333 us-east-1"
done
done_testing
