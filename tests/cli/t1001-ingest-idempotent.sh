#!/bin/sh
# t1001: re-ingesting is free and changes nothing; the same item through
# two files is stored once with two provenance rows; the number of jobs
# and the order of snapshots do not change the result.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
export SOURCE_DATE_EPOCH=1788000000

cp -R "$TOP_SRCDIR/tests/data/ingest/archive" "$T/archive"
find "$T/archive" -path '*/Config/*' -name '*.json' -exec gzip -n {} \;
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }

check_exit "first ingest" 0 cfgaudit ingest --jobs 3 "$T/archive"
sqlite3 "$CFGAUDIT_DB" .dump >"$T/dump1"
check_exit "second ingest" 0 cfgaudit ingest "$T/archive"
check_grep "second run: everything skipped" \
	' 0 files loaded, 0 items read, 0 new item versions, 11 files skipped \(already loaded\)' "$T/err"
sqlite3 "$CFGAUDIT_DB" .dump >"$T/dump2"
check_same "second run leaves the database unchanged" "$T/dump1" "$T/dump2"

# Unchanged files are known by how they look on disk (stat key). A copy
# of the tree looks different: each file is read and hashed once, found
# loaded by its contents, and its new look remembered.
cp -Rp "$T/archive" "$T/copy"
keys_before=$(q "SELECT group_concat(hex(stat_key)) FROM files ORDER BY path")
check_exit "ingest a copy of the tree" 0 cfgaudit ingest "$T/copy"
check_grep "the copy is found loaded by its contents" \
	' 0 files loaded, 0 items read, 0 new item versions, 11 files skipped \(already loaded\)' "$T/err"
check "the copy's look is remembered" \
	test "$(q "SELECT group_concat(hex(stat_key)) FROM files ORDER BY path")" != "$keys_before"
check "every loaded file has a stat key" \
	test "$(q "SELECT count(*) FROM files WHERE status = 'loaded' AND length(stat_key) = 16")" -eq 11
check_exit "ingest the copy again" 0 cfgaudit ingest "$T/copy"
check_grep "skipped again" ' 11 files skipped \(already loaded\)' "$T/err"

# The same tree with one job, and with snapshots given newest first.
CFGAUDIT_DB="$T/one.db" cfgaudit ingest --jobs 1 --quiet "$T/archive" 2>"$T/err"
check "--quiet prints no summary" test ! -s "$T/err"
sqlite3 "$T/one.db" .dump >"$T/dump3"
check_same "--jobs 1 gives the same database as --jobs 3" "$T/dump1" "$T/dump3"

presence() {
	sqlite3 "$1" "SELECT hex(p.item_key), p.account_id, p.region, p.first_time, p.last_time
		FROM snapshot_presence p ORDER BY 1, 2, 3, 4"
}
find "$T/archive" -path '*ConfigSnapshot*' -name '*.gz' | sort -r >"$T/snaps"
# shellcheck disable=SC2046
CFGAUDIT_DB="$T/rev.db" cfgaudit ingest --jobs 1 $(cat "$T/snaps") 2>"$T/err"
CFGAUDIT_DB="$T/rev.db" cfgaudit ingest --jobs 1 "$T/archive" 2>>"$T/err"
presence "$CFGAUDIT_DB" >"$T/p1"
presence "$T/rev.db" >"$T/p2"
check_same "snapshots loaded newest first give the same presence runs" "$T/p1" "$T/p2"
check "presence runs span both days for unchanged items" \
	test "$(sqlite3 "$T/rev.db" "SELECT count(*) FROM snapshot_presence
		WHERE first_time < '2026-09-08' AND last_time > '2026-09-08'")" -eq 2
for t in 2026-09-07T12:30:00Z 2026-09-08T12:30:00Z; do
	cfgaudit resources --as-of $t >"$T/a"
	CFGAUDIT_DB="$T/rev.db" cfgaudit resources --as-of $t >"$T/b"
	check_same "same inventory at $t" "$T/a" "$T/b"
done

# The same version through a second file (an export outside the layout).
check_exit "ingest an export holding sg-1's second version" 0 \
	cfgaudit ingest "$TOP_SRCDIR/tests/data/ingest/extra/sg-1-export.json"
check_grep "no new version" ' 1 files loaded, 1 items read, 0 new item versions' "$T/err"
check "stored once" test "$(q "SELECT count(*) FROM items WHERE resource_id = 'sg-1'")" -eq 2
check "two provenance rows" test "$(q "SELECT count(*) FROM item_sources s JOIN items i USING (item_key)
	WHERE i.resource_id = 'sg-1' AND i.state_id = 1001")" -eq 2
check "the export is recorded as ItemArray with its path as given" \
	test "$(q "SELECT kind || ' ' || path FROM files WHERE path LIKE '%export%'")" = \
	"ItemArray $TOP_SRCDIR/tests/data/ingest/extra/sg-1-export.json"

# A snapshot outside any key layout: its object name gives account,
# region and delivery time, so it still counts as a snapshot.
mkdir -p "$T/loose"
cp "$T"/archive/AWSLogs/222222222222/Config/us-east-1/2026/9/7/ConfigSnapshot/*.gz "$T/loose/"
check_exit "loose snapshot file" 0 cfgaudit --db "$T/loose.db" ingest "$T/loose"
check "loose snapshot: kind, account, region and time from its name" \
	test "$(sqlite3 "$T/loose.db" "SELECT kind, account_id, region, delivered_at, snapshot_id FROM files")" = \
	"ConfigSnapshot|222222222222|us-east-1|2026-09-07T12:00:00.000Z|22222222-0000-0000-0000-000000000001"
check "loose snapshot: presence recorded" \
	test "$(sqlite3 "$T/loose.db" "SELECT count(*) FROM snapshot_presence")" -eq 1

# Standard input.
gzip -nc "$TOP_SRCDIR/tests/data/ingest/extra/sg-1-export.json" >"$T/sg.json.gz"
check_exit "ingest from standard input" 0 cfgaudit --db "$T/stdin.db" ingest - <"$T/sg.json.gz"
check "stdin file recorded as '-'" test "$(sqlite3 "$T/stdin.db" "SELECT path, size FROM files")" = \
	"-|$(wc -c <"$T/sg.json.gz" | tr -d ' ')"

# A pipe named on the command line is read like standard input.
if mkfifo "$T/fifo" 2>/dev/null; then
	gzip -nc "$TOP_SRCDIR/tests/data/ingest/extra/sg-1-export.json" >"$T/fifo" &
	check_exit "ingest from a named pipe" 0 cfgaudit --db "$T/fifo.db" ingest "$T/fifo"
	wait
	check "pipe recorded under its name" \
		test "$(sqlite3 "$T/fifo.db" "SELECT path, item_count FROM files")" = "$T/fifo|1"
fi

# history: every version, oldest first, with its sources.
cfgaudit history sg-1 >"$T/hist"
check_grep "history: first version from the first snapshot" \
	'^2026-09-06T10:00:00.000Z +OK +111111111111 +us-east-1 +AWS::EC2::SecurityGroup +1000$' "$T/hist"
check "history: two versions, first snapshot, history file, second snapshot, export" \
	test "$(grep -c '^    ' "$T/hist")" -eq 4
check_grep "history: the history file is a source" \
	'^    ConfigHistory: o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7/ConfigHistory/.*SecurityGroup' "$T/hist"
check_grep "history: the second snapshot is a source" \
	'^    ConfigSnapshot: .*ConfigSnapshot_20260908T120000Z' "$T/hist"
cfgaudit history --format json bucket-a >"$T/hj"
if command -v python3 >/dev/null; then
	check "history json" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["Versions"]
assert d["ResourceId"] == "bucket-a"
assert [x["configurationItemStatus"] for x in v] == ["OK", "ResourceDeleted", "ResourceDiscovered"], v
assert [x["configurationStateId"] for x in v] == [3000, 3001, 3002]
assert v[0]["sources"][0]["kind"] == "ConfigSnapshot"
assert v[1]["sources"][0]["kind"] == "ConfigHistory"
' "$T/hj"
fi
check_exit "history of an unknown resource" 2 cfgaudit history no-such-thing
check_grep "says so" "no stored versions of resource 'no-such-thing'" "$T/err"
check_exit "history --type filters" 2 cfgaudit history --type AWS::S3::Bucket sg-1

done_testing
