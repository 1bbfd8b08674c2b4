#!/bin/sh
# t1005: hostile values (escape sequences, quotes, commas, newlines,
# spreadsheet formulas, markup) in resource ids and names come out of
# resources and history inert: escaped on the terminal, valid JSON,
# quoted and formula-guarded CSV.
. "$TOP_SRCDIR/tests/lib.sh"

check_exit "ingest hostile items" 0 cfgaudit ingest "$TOP_SRCDIR/tests/data/ingest/hostile/items.json"

cfgaudit resources >"$T/text"
check "text: no raw ESC byte" test "$(tr -cd '\033' <"$T/text" | wc -c)" -eq 0
check_grep "text: ESC shown as \\x1b" 'evil\\x1b\[2J<script>' "$T/text"
check_grep "text: newline in an id shown as \\x0a" 'line\\x0abreak' "$T/text"
check "text: one line per resource and a header" test "$(wc -l <"$T/text")" -eq 4

cfgaudit resources --format json >"$T/json"
check "json: no raw ESC byte" test "$(tr -cd '\033' <"$T/json" | wc -c)" -eq 0
check_grep "json: ESC escaped, markup defused" 'evil\\u001b\[2J\\u003cscript>' "$T/json"
if command -v python3 >/dev/null; then
	check "json: parses, values round-trip" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["ResourceIdentifiers"]
ids = sorted(r["ResourceId"] for r in d)
assert ids == ["b,\"quoted\"", "b2", "line\nbreak"], ids
names = {r["ResourceId"]: r.get("ResourceName") for r in d}
assert names["b,\"quoted\""] == "evil\x1b[2J<script>alert(1)</script>", names
assert names["line\nbreak"] is None
' "$T/json"
fi

cfgaudit resources --format csv >"$T/csv"
check_grep "csv: quotes doubled, field quoted" '^333333333333,us-east-1,AWS::S3::Bucket,"b,""quoted""",' "$T/csv"
check_grep "csv: formula guarded" "^333333333333,us-east-1,AWS::S3::Bucket,b2,\"'=HYPERLINK\(\"\"http://x\"\"\)\"" "$T/csv"
check_grep "csv: newline kept inside quotes" '^333333333333,us-east-1,AWS::S3::Bucket,"line$' "$T/csv"

cfgaudit history 'b,"quoted"' >"$T/hist"
check "history: found by an id with quotes" test -s "$T/hist"
cfgaudit history "$(printf 'line\nbreak')" >"$T/hist2"
check_grep "history: newline id shown escaped" 'AWS::S3::Bucket' "$T/hist2"
check "history: no raw ESC byte anywhere" test "$(cat "$T/hist" "$T/hist2" | tr -cd '\033' | wc -c)" -eq 0

done_testing
