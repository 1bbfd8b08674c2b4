#!/bin/sh
# t1011: what real recorded AWS data holds besides items (issue 20).
# AWS Config API answers that hold no items (rules, recorders, AWS's own
# compliance summaries, resource lists and counts) are told for what they
# are: ignored in a walk (exit 0), an error when named (exit 2). Two files
# with different content under one item identity load with a warning
# (exit 0): the text loaded first stays the evaluated one, the other is
# kept and shown by history. boto3 reprs with tzinfo=tzlocal() are read
# as UTC with a warning that says so.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }
D="$TOP_SRCDIR/tests/data/ingest"

# --- item-less answers, named one by one ---
for f in "$D"/answers/*.json; do
	cmd=$(basename "$f" .json)
	check_exit "$cmd named: exit 2" 2 cfgaudit ingest "$f"
	check_grep "$cmd: told as nothing to load, with its command" \
		"error: nothing to load: the output of aws configservice ([a-z-]+ or )?$cmd( or [a-z-]+)? \\(" "$T/err"
done
check_exit "recorder settings named: exit 2" 2 cfgaudit ingest "$D/answers/describe-configuration-recorders.json"
check_grep "a recorder answer says what it holds" \
	'describe-configuration-recorders \(ConfigurationRecorders\): the recorder settings \(what is recorded\), not configuration items' "$T/err"
# --- AWS's verdicts load, as items of their own type (cfgaudit compare) ---
check_exit "aggregate verdicts load: exit 0" 0 \
	cfgaudit ingest "$D/verdicts/get-aggregate-compliance-details-by-config-rule.json"
check "recorded as AWS's verdicts" test "$(q "SELECT kind FROM files WHERE path LIKE '%get-aggregate-compliance-details%'")" = AwsVerdicts
for f in get-compliance-details-by-config-rule get-compliance-details-by-resource; do
	check_exit "$f outside the evidence tree: exit 2" 2 cfgaudit ingest "$D/verdicts/$f.json"
	check_grep "$f: says that the account is unknown and where to keep it" \
		"EvaluationResults\\[0\\] does not name its account, and neither does the file's path" "$T/err"
done
check_exit "a resource list named: exit 2" 2 cfgaudit ingest "$D/answers/list-discovered-resources.json"
check_grep "a resource list points to the commands with items" \
	'resource identifiers only, without configuration \(batch-get-resource-config or get-resource-config-history print the items\)' "$T/err"
check "the failures are recorded with their reason" \
	test "$(q "SELECT count(*) FROM files WHERE status = 'failed' AND error LIKE 'nothing to load:%'")" -eq \
	"$(ls "$D"/answers/*.json | wc -l)"

# --- the same answers found in a walk, next to data ---
mkdir -p "$T/tree/exports"
cp "$D"/answers/*.json "$T/tree/exports/"
cp "$D/conflicts/get-resource-config-history.json" "$T/tree/"
CFGAUDIT_DB="$T/walk.db"
check_exit "a tree of answers and items: exit 0" 0 cfgaudit ingest "$T/tree"
n=$(ls "$D"/answers/*.json | wc -l)
check_grep "the answers are counted as ignored" "1 files loaded, 1 items read, .* $n objects ignored .* 0 files failed" "$T/err"
check "the item loads" test "$(q "SELECT count(*) FROM items")" -eq 1
check "no answer is recorded as a file" test "$(q "SELECT count(*) FROM files")" -eq 1

# --- conflicting texts of one version ---
H1="$D/conflicts/111122223333_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261101T090000Z_20261101T120000Z_1.json"
H2="$D/conflicts/111122223333_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261101T090000Z_20261101T120000Z_2.json"
H3="$D/conflicts/111122223333_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261101T090000Z_20261101T120000Z_3.json"
API="$D/conflicts/get-resource-config-history.json"
for jobs in 1 3; do
	CFGAUDIT_DB="$T/c$jobs.db"
	check_exit "jobs $jobs: two texts of one version: exit 0" 0 cfgaudit ingest --jobs $jobs "$H1" "$H2"
	check_grep "jobs $jobs: the conflict is a warning naming both files, the item and the member" \
		"^cfgaudit: $H2: warning: AWS::S3::Bucket amzn-s3-demo-bucket \\(111122223333/us-east-1, captured 2026-11-01T10:00:00.000Z, configurationStateId 1793527200000\\) is stored already with other content, loaded from $H1; supplementaryConfiguration differs first: the text loaded first is kept for evaluation, this one is kept for history" "$T/err"
	check "jobs $jobs: one warning" test "$(grep -c warning "$T/err")" -eq 1
	check "jobs $jobs: one version per identity" test "$(q "SELECT count(*) FROM items WHERE resource_id = 'amzn-s3-demo-bucket'")" -eq 1
	check "jobs $jobs: the text loaded first is the stored one" \
		test "$(q "SELECT json_extract(supplementary, '$.BucketVersioningConfiguration.status') FROM items WHERE resource_id = 'amzn-s3-demo-bucket'")" = Enabled
	check "jobs $jobs: the other text is kept" \
		test "$(q "SELECT json_extract(text, '$.supplementaryConfiguration.BucketVersioningConfiguration.status') || ' ' || member FROM item_conflicts")" = "Suspended supplementaryConfiguration"
done
CFGAUDIT_DB="$T/c1.db"
check "history shows the conflict" cfgaudit history amzn-s3-demo-bucket
check_grep "history: which file holds the other text" \
	"^    conflict: ConfigHistory: $H2 \\(supplementaryConfiguration differs first; sha256 [0-9a-f]{64}\\)" "$T/out"
check_grep "history: which text is evaluated" "other texts of this version \\(the one evaluated was loaded first\\)" "$T/out"
check "history json" cfgaudit history --format json amzn-s3-demo-bucket
check "history json: the conflict's text and file" test "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/out'), '$.Versions[0].conflicts[0].text.supplementaryConfiguration.BucketVersioningConfiguration.status') || ' ' || json_extract(readfile('$T/out'), '$.Versions[0].conflicts[0].firstDifference')")" = "Suspended supplementaryConfiguration"
check_exit "loading the second file again: skipped, no new warning" 0 cfgaudit ingest "$H2"
check "no warning the second time" test "$(grep -c warning "$T/err")" -eq 0
check_exit "the same content, indented, and in the API shape: exit 0" 0 cfgaudit ingest "$H3" "$API"
check "no conflict for the same content written otherwise" test "$(grep -c warning "$T/err")" -eq 0
check "still one other text" test "$(q "SELECT count(*) FROM item_conflicts")" -eq 1

# The other order: the first loaded wins, whatever it says.
CFGAUDIT_DB="$T/rev.db"
check_exit "the other order: exit 0" 0 cfgaudit ingest "$H2"
check_exit "then the first file: exit 0" 0 cfgaudit ingest "$H1"
check_grep "the warning names the file loaded first" "^cfgaudit: $H1: warning: .* loaded from $H2; supplementaryConfiguration differs first" "$T/err"
check "the text loaded first stays" \
	test "$(q "SELECT json_extract(supplementary, '$.BucketVersioningConfiguration.status') FROM items WHERE resource_id = 'amzn-s3-demo-bucket'")" = Suspended

# Daily snapshots that repeat a version with other content (the quick
# path for repeated items must not hide it).
mkdir -p "$T/snaps"
python3 - "$T/snaps" <<'PY' || not_ok "python3 wrote the snapshots"
import json, sys
def item(i, status):
    return {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-2%dT08:00:00.000Z" % i,
            "configurationStateId": 1792920000000 + i, "awsAccountId": "444455556666",
            "configurationItemStatus": "OK", "resourceType": "AWS::S3::Bucket",
            "resourceId": "reports-%d-444455556666" % i, "resourceName": "reports-%d-444455556666" % i,
            "ARN": "arn:aws:s3:::reports-%d-444455556666" % i, "awsRegion": "eu-west-1",
            "availabilityZone": "Regional", "resourceCreationTime": "2025-03-0%dT12:00:00.000Z" % (i + 1),
            "configuration": {"name": "reports-%d-444455556666" % i},
            "supplementaryConfiguration": {"BucketVersioningConfiguration": {"status": status}},
            "tags": {}, "relationships": [], "relatedEvents": [], "configurationStateMd5Hash": ""}
for day, odd in ((1, "Enabled"), (2, "Enabled"), (3, "Off")):
    sid = "5e1f0c3b-1111-2222-3333-44445555666%d" % day
    items = [item(i, odd if i == 2 else "Enabled") for i in range(4)]
    name = "444455556666_Config_eu-west-1_ConfigSnapshot_2026110%dT013058Z_%s.json" % (day, sid)
    with open(sys.argv[1] + "/" + name, "w") as f:
        json.dump({"fileVersion": "1.0", "configSnapshotId": sid, "configurationItems": items}, f)
PY
for jobs in 1 3; do
	CFGAUDIT_DB="$T/s$jobs.db"
	check_exit "jobs $jobs: snapshots repeating a version with other content: exit 0" 0 \
		cfgaudit ingest --jobs $jobs "$T/snaps"
	check_grep "jobs $jobs: the third snapshot's text is told" \
		"ConfigSnapshot_20261103T013058Z_5e1f0c3b-1111-2222-3333-444455556663.json: warning: AWS::S3::Bucket reports-2-444455556666 .* supplementaryConfiguration differs first" "$T/err"
	check "jobs $jobs: only that one" test "$(grep -c warning "$T/err")" -eq 1
done

# --- boto3 reprs ---
CFGAUDIT_DB="$T/py.db"
check_exit "tzinfo=tzlocal(): exit 0" 0 cfgaudit ingest "$D/python/boto3-repr-tzlocal.json"
check_grep "tzlocal() is read as UTC, and the warning says so" \
	"boto3-repr-tzlocal.json: byte [0-9]+: warning: 2 Python datetime times with tzinfo=tzlocal\\(\\) \\(first in item 0\\) read as UTC: the file does not say which zone tzlocal\\(\\) was" "$T/err"
check "the capture time as written, in UTC" \
	test "$(q "SELECT capture_time FROM items WHERE state_id = 1793527200000")" = 2026-11-01T10:00:00.000Z
check_exit "tzinfo=tzutc(): exit 0" 0 cfgaudit ingest "$D/python/boto3-repr-tzutc.json"
check "tzutc() is exact: no warning" test "$(grep -c warning "$T/err")" -eq 0
check_exit "tzinfo=tzoffset(None, 7200): exit 0" 0 cfgaudit ingest "$D/python/boto3-repr-tzoffset.json"
check "tzoffset() is exact: no warning" test "$(grep -c warning "$T/err")" -eq 0
check "tzoffset() is applied" \
	test "$(q "SELECT capture_time FROM items WHERE state_id = 1793534400000")" = 2026-11-01T12:00:00.000Z

done_testing
