#!/bin/sh
# t1000: ingest a small log-archive tree (two accounts, two regions, an
# organization prefix, unpadded date folders, CloudTrail/GuardDuty junk,
# ConfigWritabilityCheckFile) and check the point-in-time inventory at
# several times: deletions, re-creation, absence from a later snapshot,
# a time between a snapshot and a history file, global IAM items once.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

# The archive as S3 delivers it: gzip'd Config objects.
cp -R "$TOP_SRCDIR/tests/data/ingest/archive" "$T/archive"
find "$T/archive" -path '*/Config/*' -name '*.json' -exec gzip -n {} \;

check_exit "ingest the archive" 0 cfgaudit ingest --jobs 2 "$T/archive"
check_grep "summary counts loaded and ignored objects" \
	'11 files loaded, 19 items read, 13 new item versions, 0 files skipped \(already loaded\), 8 objects ignored \(not Config\), 0 files failed' "$T/err"

q() { sqlite3 "$CFGAUDIT_DB" "$1"; }
q "SELECT path, kind, account_id, region, delivered_at, snapshot_id, item_count, global_items, status FROM files ORDER BY path" >"$T/files"
cat >"$T/want" <<'EXP'
AWSLogs/222222222222/Config/us-east-1/2026/9/7/ConfigHistory/222222222222_Config_us-east-1_ConfigHistory_AWS::EC2::SecurityGroup_20260907T190000Z_20260907T230000Z_1.json.gz|ConfigHistory|222222222222|us-east-1|2026-09-07T23:00:00.000Z||1|0|loaded
AWSLogs/222222222222/Config/us-east-1/2026/9/7/ConfigSnapshot/222222222222_Config_us-east-1_ConfigSnapshot_20260907T120000Z_22222222-0000-0000-0000-000000000001.json.gz|ConfigSnapshot|222222222222|us-east-1|2026-09-07T12:00:00.000Z|22222222-0000-0000-0000-000000000001|1|0|loaded
AWSLogs/222222222222/Config/us-east-1/2026/9/8/ConfigSnapshot/222222222222_Config_us-east-1_ConfigSnapshot_20260908T120000Z_22222222-0000-0000-0000-000000000002.json.gz|ConfigSnapshot|222222222222|us-east-1|2026-09-08T12:00:00.000Z|22222222-0000-0000-0000-000000000002|1|0|loaded
o-abc123/AWSLogs/111111111111/Config/eu-west-1/2026/9/7/ConfigSnapshot/111111111111_Config_eu-west-1_ConfigSnapshot_20260907T120500Z_11111111-0000-0000-0000-000000000002.json.gz|ConfigSnapshot|111111111111|eu-west-1|2026-09-07T12:05:00.000Z|11111111-0000-0000-0000-000000000002|2|1|loaded
o-abc123/AWSLogs/111111111111/Config/eu-west-1/2026/9/8/ConfigSnapshot/111111111111_Config_eu-west-1_ConfigSnapshot_20260908T120500Z_11111111-0000-0000-0000-000000000004.json.gz|ConfigSnapshot|111111111111|eu-west-1|2026-09-08T12:05:00.000Z|11111111-0000-0000-0000-000000000004|1|0|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::EC2::Instance_20260907T130000Z_20260907T180000Z_1.json.gz|ConfigHistory|111111111111|us-east-1|2026-09-07T18:00:00.000Z||2|0|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::EC2::SecurityGroup_20260907T130000Z_20260907T180000Z_1.json.gz|ConfigHistory|111111111111|us-east-1|2026-09-07T18:00:00.000Z||1|0|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20260907T130000Z_20260907T180000Z_1.json.gz|ConfigHistory|111111111111|us-east-1|2026-09-07T18:00:00.000Z||1|0|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20260907T120000Z_11111111-0000-0000-0000-000000000001.json.gz|ConfigSnapshot|111111111111|us-east-1|2026-09-07T12:00:00.000Z|11111111-0000-0000-0000-000000000001|5|1|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/8/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20260908T130000Z_20260908T180000Z_1.json.gz|ConfigHistory|111111111111|us-east-1|2026-09-08T18:00:00.000Z||1|0|loaded
o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/8/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20260908T120000Z_11111111-0000-0000-0000-000000000003.json.gz|ConfigSnapshot|111111111111|us-east-1|2026-09-08T12:00:00.000Z|11111111-0000-0000-0000-000000000003|3|1|loaded
EXP
check_same "files: one loaded row per Config object, paths relative to the argument" "$T/want" "$T/files"

check "the writability check file and CloudTrail objects are not recorded" \
	test "$(q "SELECT count(*) FROM files WHERE path LIKE '%CloudTrail%' OR path LIKE '%Writability%' OR path LIKE '%notes%'")" = 0
check "the global IAM user is stored once though two regions delivered it" \
	test "$(q "SELECT count(*) FROM items WHERE resource_id = 'AIDA1'")" = 1
check "the file hash is the SHA-256 of the bytes on disk" \
	test "$(q "SELECT sha256 FROM files WHERE path LIKE '%ConfigSnapshot_20260907T120000Z_2222%'")" = \
	"$(sha256sum "$T"/archive/AWSLogs/222222222222/Config/us-east-1/2026/9/7/ConfigSnapshot/*.gz | cut -d' ' -f1)"

inv() {
	cfgaudit resources --format csv "$@" >"$T/inv.csv" || echo "resources failed: $?" >>"$T/inv.csv"
	tr -d '\r' <"$T/inv.csv" | tail -n +2 | cut -d, -f1-4
}

inv --as-of 2026-09-01 >"$T/got"
check "nothing before the first capture" test ! -s "$T/got"

cat >"$T/want" <<'EXP'
111111111111,eu-west-1,AWS::EC2::SecurityGroup,sg-9
111111111111,global,AWS::IAM::User,AIDA1
111111111111,us-east-1,AWS::EC2::Instance,i-1
111111111111,us-east-1,AWS::EC2::SecurityGroup,sg-1
111111111111,us-east-1,AWS::EC2::Volume,vol-1
111111111111,us-east-1,AWS::S3::Bucket,bucket-a
222222222222,us-east-1,AWS::EC2::SecurityGroup,sg-2
EXP
inv --as-of 2026-09-06T12:00:00Z >"$T/got"
check_same "before any snapshot: the items captured so far" "$T/want" "$T/got"
inv --as-of 2026-09-07T12:30:00Z >"$T/got"
check_same "after the first snapshots" "$T/want" "$T/got"

cat >"$T/want" <<'EXP'
111111111111,eu-west-1,AWS::EC2::SecurityGroup,sg-9
111111111111,global,AWS::IAM::User,AIDA1
111111111111,us-east-1,AWS::EC2::Instance,i-2
111111111111,us-east-1,AWS::EC2::SecurityGroup,sg-1
111111111111,us-east-1,AWS::EC2::Volume,vol-1
222222222222,us-east-1,AWS::EC2::SecurityGroup,sg-2
EXP
inv --as-of 2026-09-07T17:00:00Z >"$T/got"
check_same "between a snapshot and the next history file: deletions applied, new instance kept" "$T/want" "$T/got"

cat >"$T/want" <<'EXP'
111111111111,eu-west-1,AWS::EC2::SecurityGroup,sg-9
111111111111,global,AWS::IAM::User,AIDA1
111111111111,us-east-1,AWS::EC2::Instance,i-2
111111111111,us-east-1,AWS::EC2::SecurityGroup,sg-1
222222222222,us-east-1,AWS::EC2::SecurityGroup,sg-2
EXP
inv --as-of 2026-09-08T12:30:00Z >"$T/got"
check_same "a volume absent from the later snapshot is gone" "$T/want" "$T/got"

cat >"$T/want" <<'EXP'
111111111111,eu-west-1,AWS::EC2::SecurityGroup,sg-9
111111111111,global,AWS::IAM::User,AIDA1
111111111111,us-east-1,AWS::EC2::Instance,i-2
111111111111,us-east-1,AWS::EC2::SecurityGroup,sg-1
111111111111,us-east-1,AWS::S3::Bucket,bucket-a
222222222222,us-east-1,AWS::EC2::SecurityGroup,sg-2
EXP
inv >"$T/got"
check_same "latest: the re-created bucket is back" "$T/want" "$T/got"

cat >"$T/want" <<'EXP'
111111111111,global,AWS::IAM::User,AIDA1
111111111111,us-east-1,AWS::EC2::Instance,i-2
111111111111,us-east-1,AWS::EC2::SecurityGroup,sg-1
111111111111,us-east-1,AWS::S3::Bucket,bucket-a
EXP
inv --account 111111111111 --region us-east-1 >"$T/got"
check_same "account and region filters keep global items" "$T/want" "$T/got"
inv --type AWS::EC2::Instance --as-of 2026-09-07T14:00:00Z >"$T/got"
echo "111111111111,us-east-1,AWS::EC2::Instance,i-1" >"$T/want"
check_same "type filter" "$T/want" "$T/got"

# The renamed security group shows its latest name.
cfgaudit resources --format csv --account 222222222222 >"$T/out"
check_grep "latest version's name" '^222222222222,us-east-1,AWS::EC2::SecurityGroup,sg-2,two-renamed' "$T/out"

# JSON: the list-aggregate-discovered-resources shape.
cfgaudit resources --format json --as-of 2026-09-06T12:00:00Z >"$T/json" 2>"$T/err"
if command -v python3 >/dev/null; then
	check "json shape" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["ResourceIdentifiers"], d.keys()
ids = d["ResourceIdentifiers"]
assert len(ids) == 7, len(ids)
for r in ids:
    assert set(r) <= {"SourceAccountId", "SourceRegion", "ResourceId", "ResourceType", "ResourceName"}, r
    assert {"SourceAccountId", "SourceRegion", "ResourceId", "ResourceType"} <= set(r), r
i1 = [r for r in ids if r["ResourceId"] == "i-1"][0]
assert "ResourceName" not in i1, i1
sg = [r for r in ids if r["ResourceId"] == "sg-1"][0]
assert sg["ResourceName"] == "web" and sg["SourceRegion"] == "us-east-1", sg
' "$T/json"
else
	check_grep "json shape" '"ResourceIdentifiers": \[' "$T/json"
fi

# Text output is aligned and has a header.
cfgaudit resources --as-of 2026-09-06T12:00:00Z >"$T/text"
check_grep "text header" '^ACCOUNT +REGION +TYPE +ID +NAME$' "$T/text"
check_grep "text row" '^111111111111  us-east-1  AWS::EC2::SecurityGroup  sg-1      web$' "$T/text"

done_testing
