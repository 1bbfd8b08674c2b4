#!/bin/sh
# t1002: damaged input. Each bad file is recorded as failed with its
# path, byte offset and reason, nothing of it is kept, the other files
# still load, and the command exits 2; fixing a file and ingesting again
# loads it; non-Config files found in a walk are only counted.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }

cp -R "$TOP_SRCDIR/tests/data/ingest/archive" "$T/archive"
find "$T/archive" -path '*/Config/*' -name '*.json' -exec gzip -n {} \;
D="$T/archive/AWSLogs/333333333333/Config/us-east-1/2026/9/7/ConfigHistory"
mkdir -p "$D"
src="$TOP_SRCDIR/tests/data/ingest/archive/o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::EC2::Instance_20260907T130000Z_20260907T180000Z_1.json"
name() { echo "$D/333333333333_Config_us-east-1_ConfigHistory_$1_20260907T130000Z_20260907T180000Z_1.json.gz"; }
# Two items, of other accounts' ids, so that "nothing kept" is visible.
sed 's/111111111111/333333333333/g; s/"i-/"x-/g' "$src" >"$T/two.json"
gzip -nc "$T/two.json" >"$T/two.json.gz"
size=$(wc -c <"$T/two.json.gz")
head -c $((size / 2)) "$T/two.json.gz" >"$(name AWS::EC2::Instance)"           # truncated gzip
head -c $(($(wc -c <"$T/two.json") - 200)) "$T/two.json" | gzip -n >"$(name AWS::EC2::Volume)" # truncated JSON
: >"$(name AWS::S3::Bucket)"                                                  # empty
printf 'junk\001\002\003\377\376 not gzip, not json' >"$(name AWS::IAM::Role)"  # binary junk
mkdir -p "$T/archive/stray"
: >"$T/archive/stray/empty.json"
echo '{"some": "other json"}' >"$T/archive/stray/other.json.gz"

check_exit "ingest with damaged files exits 2" 2 cfgaudit ingest --jobs 2 "$T/archive"
cp "$T/err" "$T/err1"
check_grep "summary: good files loaded, bad ones failed" \
	' 11 files loaded, 19 items read, 13 new item versions, 0 files skipped \(already loaded\), 10 objects ignored \(not Config\), 4 files failed' "$T/err1"
check_grep "truncated gzip: path and byte offset" \
	"^cfgaudit: .*/AWSLogs/333333333333/.*AWS::EC2::Instance_.*\.json\.gz: byte [0-9]+: error: .*gzip" "$T/err1"
check_grep "truncated json: path and byte offset" \
	"^cfgaudit: .*AWS::EC2::Volume_.*: byte [0-9]+: error: .*truncated" "$T/err1"
check_grep "empty file" "^cfgaudit: .*AWS::S3::Bucket_.*: byte 0: error: empty file" "$T/err1"
check_grep "binary junk" "^cfgaudit: .*AWS::IAM::Role_.*: error: " "$T/err1"
check "four failed rows with reason and offset" \
	test "$(q "SELECT count(*) FROM files WHERE status = 'failed' AND error <> '' AND error_offset IS NOT NULL
		AND account_id = '333333333333' AND kind = 'ConfigHistory'")" -eq 4
check "the truncated json file's first item is not kept" \
	test "$(q "SELECT count(*) FROM items WHERE account_id = '333333333333'")" -eq 0
check "the truncated json file left no provenance" \
	test "$(q "SELECT count(*) FROM item_sources s LEFT JOIN items i USING (item_key) WHERE i.item_key IS NULL")" -eq 0

check_exit "a retry fails again" 2 cfgaudit ingest "$T/archive"
check_grep "failed files are retried, loaded ones skipped" \
	' 0 files loaded, .* 11 files skipped \(already loaded\), 10 objects ignored \(not Config\), 4 files failed' "$T/err"
check "a retried failure replaces its row" \
	test "$(q "SELECT count(*) FROM files WHERE status = 'failed'")" -eq 4

# Fix the truncated JSON file: it loads, the rest still fails.
gzip -nc "$T/two.json" >"$(name AWS::EC2::Volume)"
check_exit "after fixing one file" 2 cfgaudit ingest "$T/archive"
check_grep "the fixed file loads" ' 1 files loaded, 2 items read, 2 new item versions' "$T/err"
check "its items are there" test "$(q "SELECT count(*) FROM items WHERE account_id = '333333333333'")" -eq 2
check "loaded row for the fixed path" test "$(q "SELECT count(*) FROM files WHERE status = 'loaded'
	AND path LIKE '%AWS::EC2::Volume_%'")" -eq 1

# A file too big to be checked before writing starts (streamed in a
# transaction of its own) that breaks near its end: nothing kept either.
big="$T/big/AWSLogs/555555555555/Config/us-east-1/2026/9/7/ConfigHistory"
mkdir -p "$big"
awk 'BEGIN {
	printf "{\"fileVersion\":\"1.0\",\"configurationItems\":["
	for (i = 0; i < 5000; i++)
		printf "%s{\"configurationItemCaptureTime\":\"2026-09-07T10:00:00.000Z\",\"configurationStateId\":%d,\"awsAccountId\":\"555555555555\",\"configurationItemStatus\":\"OK\",\"resourceType\":\"AWS::EC2::Volume\",\"resourceId\":\"vol-%d\",\"awsRegion\":\"us-east-1\",\"configuration\":{\"size\":%d}}", (i ? "," : ""), i, i, i
	printf "]}\n"
}' >"$T/bigh.json"
bigname="$big/555555555555_Config_us-east-1_ConfigHistory_AWS::EC2::Volume_20260907T130000Z_20260907T180000Z_1.json.gz"
head -c $(($(wc -c <"$T/bigh.json") - 50)) "$T/bigh.json" | gzip -n >"$bigname"
for j in 1 2; do
	check_exit "big file broken at its end (--jobs $j)" 2 cfgaudit ingest --jobs $j "$T/big"
	check_grep "big file: error near the end" "byte [0-9]{6,}: error: " "$T/err"
	check "big file: none of its items kept (--jobs $j)" \
		test "$(q "SELECT count(*) FROM items WHERE account_id = '555555555555'")" -eq 0
done
gzip -nc "$T/bigh.json" >"$bigname"
check_exit "big file fixed" 0 cfgaudit ingest --jobs 2 "$T/big"
check "big file: all items" test "$(q "SELECT count(*) FROM items WHERE account_id = '555555555555'")" -eq 5000

# Named on the command line, a non-Config or empty file is an error.
echo '{"some": "other json"}' >"$T/other.json"
check_exit "explicit non-Config file" 2 cfgaudit ingest "$T/other.json"
check_grep "explicit non-Config file: says why" "other.json: byte 0: error: not an AWS Config file" "$T/err"
: >"$T/empty.json"
check_exit "explicit empty file" 2 cfgaudit ingest "$T/empty.json"
check_exit "missing path" 2 cfgaudit ingest "$T/no-such-file.json"
check_grep "missing path: says why" "no-such-file.json: error: cannot read" "$T/err"

# A directory whose only content is junk: nothing to do, not an error.
mkdir -p "$T/junk/AWSLogs/444444444444/CloudTrail"
echo x >"$T/junk/AWSLogs/444444444444/CloudTrail/a.json.gz"
: >"$T/junk/AWSLogs/444444444444/Config/ConfigWritabilityCheckFile" 2>/dev/null ||
	{ mkdir -p "$T/junk/AWSLogs/444444444444/Config" && : >"$T/junk/AWSLogs/444444444444/Config/ConfigWritabilityCheckFile"; }
mkfifo "$T/junk/pipe.json" 2>/dev/null || echo x >"$T/junk/pipe.json.txt"
check_exit "only junk" 0 cfgaudit ingest "$T/junk"
check_grep "only junk (a FIFO is not opened): counted" ' 0 files loaded, .* 3 objects ignored \(not Config\), 0 files failed' "$T/err"

# A symbolic link loop does not hang the walk.
mkdir -p "$T/loop/a"
ln -s .. "$T/loop/a/up"
check_exit "symlink loop" 0 cfgaudit ingest "$T/loop"

done_testing
