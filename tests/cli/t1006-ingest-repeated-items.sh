#!/bin/sh
# t1006: items a later snapshot repeats are recognized from their text
# (quickid) without being built; a repeated item that is damaged -- bad
# JSON, or a member normalization refuses -- still fails its file, with
# the byte offset, exactly as a new item would.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }

src=$(find "$TESTDATA" -path '*/444444444444/Config/us-east-1/2026/11/3/ConfigSnapshot/*' \
	-name '*.json.gz' | head -1)
[ -n "$src" ] || skip_all "no testdata snapshot"
S="$T/a/AWSLogs/444444444444/Config/us-east-1/2026/11"
mkdir -p "$S/3/ConfigSnapshot" "$S/4/ConfigSnapshot"
cp "$src" "$S/3/ConfigSnapshot/"
day2() { echo "$S/4/ConfigSnapshot/444444444444_Config_us-east-1_ConfigSnapshot_20261104T051201Z_$1.json.gz"; }
n=$(gzip -dc "$src" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["configurationItems"]))')

# Day 2: the same items, damaged in one of them (the fourth) in two ways.
gzip -dc "$src" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
doc["configurationItems"][3]["supplementaryConfiguration"] = 5
json.dump(doc, sys.stdout)' | gzip -n >"$(day2 00000000-0000-0000-0000-00000000000a)"
gzip -dc "$src" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
text = json.dumps(doc)
item = json.dumps(doc["configurationItems"][3])
# a raw control byte inside a string of the repeated item: invalid JSON
bad = item.replace("Contains NetworkInterface", "Contains\001NetworkInterface", 1)
assert bad != item
sys.stdout.write(text.replace(item, bad, 1))' | gzip -n >"$(day2 00000000-0000-0000-0000-00000000000b)"

check "day 1 loads" cfgaudit --quiet ingest "$S/3"
check_exit "day 2 with damaged repeats fails" 2 cfgaudit ingest "$S/4"
check_grep "a member normalization refuses, in a repeated item" \
	"0000000000a\.json\.gz: byte [0-9]+: error: item 3: supplementaryConfiguration is not an object" "$T/err"
check_grep "bad json in a repeated item" \
	"0000000000b\.json\.gz: byte [0-9]+: error: .*invalid json" "$T/err"
check "both day-2 files are recorded as failed, none as loaded" \
	test "$(q "SELECT group_concat(status) FROM files WHERE path LIKE '%_20261104T%'")" = "failed,failed"

rm -f "$S"/4/ConfigSnapshot/*
gzip -dc "$src" | python3 -c 'import json, sys; json.dump(json.load(sys.stdin), sys.stdout, indent=1)' |
	gzip -n >"$(day2 00000000-0000-0000-0000-00000000000c)"
check "day 2, the same items re-indented, loads" cfgaudit ingest "$S/4"
check_grep "every item read, none new" " 1 files loaded, $n items read, 0 new item versions" "$T/err"
check "every version is now in both snapshots" \
	test "$(q "SELECT count(*) FROM snapshot_presence WHERE first_time LIKE '2026-11-03%' AND last_time LIKE '9999%'")" -eq "$n"
check "inventory on day 1" cfgaudit resources --as-of 2026-11-03T23:00:00Z --format csv
cp "$T/out" "$T/d1"
check "inventory on day 2" cfgaudit resources --as-of 2026-11-04T23:00:00Z --format csv
check_same "the same on both days" "$T/d1" "$T/out"
done_testing
