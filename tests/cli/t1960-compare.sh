#!/bin/sh
# t1960-compare: AWS's own verdicts (ResourceCompliance items in both
# shapes, the CLI's aggregate and one-account answers, Security Hub's and
# conformance packs' rule names) loaded by ingest and set beside a run by
# 'cfgaudit compare': agreement, a real disagreement, a disagreement whose
# AWS verdict judged an older version, cfgaudit lacking data, a verdict
# recorded after the as-of time, a rule not in the run; bad answers.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/compare"

check_exit "compare without a run is an error" 2 cfgaudit compare
check "ingest the archive and AWS's verdicts" cfgaudit --quiet ingest "$D/AWSLogs" \
	"$D/aws-verdicts"
check_exit "compare without a run is still an error" 2 cfgaudit compare
check_grep "it says so" 'holds no run' "$T/err"

# AWS's verdicts do not move the default as-of time (the Security Hub
# answer is two days newer than every configuration item).
check "resources at the default as-of" cfgaudit resources
check "the latest inventory, not verdicts" test "$(wc -l <"$T/out")" -eq 5
check "coverage ignores AWS's verdicts" cfgaudit coverage --as-of 2026-11-20T12:00:00Z
check "as-of line, header, one account-region and global" test "$(wc -l <"$T/out")" -eq 4

check_exit "eval the pack at the snapshot's time" 1 cfgaudit --quiet eval \
	--pack "$D/pack.yaml" --as-of 2026-11-20T12:00:00Z
check_exit "compare: a verdict both decided differs (exit 1)" 1 cfgaudit compare
cp "$T/out" "$T/text"
check_grep "the header names the run and the count of AWS verdicts" \
	'^cfgaudit run 1 \(as of 2026-11-20T12:00:00.000Z\) beside 6 verdicts of AWS$' "$T/text"
check_grep "the summary" \
	'^matched 4: 1 agree, 2 disagree, 1 cfgaudit lacked data, 0 AWS lacked data, 0 applicability differs, 0 without a cfgaudit result$' \
	"$T/text"
check_grep "a rule the run lacks is named" \
	'^AWS rules that match no rule of the run \(1\): ec2-ebs-encryption-by-default-conformance-pack-k3j4h5g6$' \
	"$T/text"
check_grep "the bucket: matched through the managed rule's name" \
	'^disagree  bucket-versioning \(S3_BUCKET_VERSIONING_ENABLED\)  111122223333 us-east-1  AWS::S3::Bucket acme-logs$' \
	"$T/text"
check_grep "both annotations" \
	'AWS:      NON_COMPLIANT "Versioning is not enabled on the bucket."; recorded 2026-11-20T11:45:00.412Z' \
	"$T/text"
check_grep "the security group AWS judged before it was fixed" \
	'judged the version captured 2026-11-19T08:00:00.000Z, older than the one cfgaudit judged$' \
	"$T/text"
check_grep "cfgaudit lacked data on the IAM user (global vs the rule's region)" \
	'^cfgaudit_insufficient_data  iam-user-mfa-enabled \(IAM_USER_MFA_ENABLED\)  111122223333 us-east-1  AWS::IAM::User AIDAEXAMPLEALICE00001$' \
	"$T/text"
check "agreements are not listed by default" test "$(grep -c '^agree ' "$T/text")" -eq 0

check_exit "--all --format json" 1 cfgaudit compare --all --format json
cp "$T/out" "$T/json"
if command -v jq >/dev/null 2>&1; then
	check "the JSON summary" test "$(jq -c '.Summary' "$T/json")" = \
		'{"AwsVerdicts":6,"Matched":4,"disagree":2,"cfgaudit_insufficient_data":1,"aws_insufficient_data":0,"applicability":0,"no_cfgaudit_result":0,"agree":1,"CfgauditOnly":0}'
	check "the agreement on the open group uses the verdict before the as-of time" \
		test "$(jq -r '.Comparisons[] | select(.Outcome == "agree") |
			[.ResourceId, .Aws.ConfigRuleName, .Aws.Source, .Aws.RecordedAfterAsOf] | @tsv' "$T/json")" = \
		"$(printf 'sg-0aaa0000000000001\trestricted-ssh-conformance-pack-k3j4h5g6\tAWS::Config::ResourceCompliance\tfalse')"
	check "the older-item flag" test "$(jq -r '.Comparisons[] | select(.ResourceId == "sg-0bbb0000000000002") |
		"\(.AwsJudgedOlderItem) \(.Cfgaudit.ItemCaptureTime) \(.Aws.ItemCaptureTime)"' "$T/json")" = \
		"true 2026-11-20T10:00:00.000Z 2026-11-19T08:00:00.000Z"
	check "times of the CLI answer in canonical form" test "$(jq -r '.Comparisons[] |
		select(.ResourceId == "acme-logs") | .Aws.ConfigRuleInvokedTime' "$T/json")" = \
		"2026-11-20T11:44:58.100Z"
else
	ok "# SKIP jq not installed"
fi

# The HTML report and the evidence bundle carry the comparison.
check_exit "the HTML report of run 1" 1 cfgaudit report --run 1 --format html -o "$T/r.html"
check_grep "has a section on AWS's verdicts" '<section id="aws"><h2>AWS.s own verdicts</h2>' "$T/r.html"
check_grep "with its counts" '4 verdicts of AWS matched to this run: 1 agree, 2 disagree' "$T/r.html"
check_grep "and the disagreeing bucket" '<td class="key bad">disagree</td><td>bucket-versioning</td>' "$T/r.html"
check "a bundle of run 1" cfgaudit bundle --run 1 -o "$T/b.tar.gz"
check "it holds compare.json" sh -c "tar -xzOf '$T/b.tar.gz' --wildcards '*compare.json' >'$T/bc.json'"
check_grep "with every pair" '"Matched": 4' "$T/bc.json"
check "and verifies" cfgaudit verify "$T/b.tar.gz"

# As of a later time, the Security Hub verdict (COMPLIANT, recorded
# 2026-11-22) is the nearest: cfgaudit still says NON_COMPLIANT.
check_exit "eval two days later" 1 cfgaudit --quiet eval --pack "$D/pack.yaml" \
	--as-of 2026-11-23T00:00:00Z --max-age 30d
check_exit "compare that run" 1 cfgaudit compare --run 2
check_grep "Security Hub's rule name matched, newest verdict used" \
	'^disagree  restricted-ssh \(INCOMING_SSH_DISABLED\)  111122223333 us-east-1  AWS::EC2::SecurityGroup sg-0aaa0000000000001$' \
	"$T/out"
check_grep "with its annotation and source" \
	'AWS:      COMPLIANT "No open SSH."; recorded 2026-11-22T00:00:00.500Z by securityhub-restricted-ssh-1a2b3c4d' \
	"$T/out"
check_exit "compare the first run by id" 1 cfgaudit compare --run 1
check_exit "an unknown run" 2 cfgaudit compare --run 99
check_grep "is named" 'there is no run 99' "$T/err"

# Bad answers: rejected whole with the file and what is wrong; the rest kept.
check_exit "bad answers fail the ingest (exit 2)" 2 cfgaudit ingest "$D/bad"
check_grep "an unknown compliance type" \
	'bad-type.json: .*AggregateEvaluationResults\[0\]: ComplianceType is not COMPLIANT' "$T/err"
check_grep "a one-account answer outside the evidence tree" \
	'no-account.json: .*EvaluationResults\[0\] does not name its account' "$T/err"
check_exit "the earlier verdicts are kept" 1 cfgaudit compare --run 1

# A store without AWS verdicts.
export CFGAUDIT_DB="$T/plain.db"
check "ingest only the archive" cfgaudit --quiet ingest "$D/AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigSnapshot"
check_exit "eval" 1 cfgaudit --quiet eval --pack "$D/pack.yaml"
check_exit "compare without AWS verdicts is an error" 2 cfgaudit compare
check_grep "naming what to load" 'holds no verdicts of AWS' "$T/err"
check_exit "--help" 0 cfgaudit compare --help
check_exit "a bad option" 2 cfgaudit compare --bogus
done_testing
