#!/bin/sh
# t1444-html-org-scale: the HTML report of 10 accounts with 50,000
# resources stays under 2 MB and lists what to fix first: per rule at most
# a few resources per account, with how many more the JSON report has;
# the JSON report keeps every result.
. "$TOP_SRCDIR/tests/lib.sh"

GEN="${TOP_BUILDDIR:-.}/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
"$GEN" --out "$T/org" --accounts 10 --regions us-east-1,eu-west-1 --resources 2500 \
	--no-junk --level 1 --jobs 4 --quiet || bail_out "gen-archive failed"
cfgaudit --quiet audit --format html -o "$T/r.html" "$T/org" 2>"$T/err"
[ $? -le 1 ] || bail_out "audit failed: $(head -3 "$T/err")"
n=$(sqlite3 "$CFGAUDIT_DB" 'SELECT count(DISTINCT resource_id) FROM items' 2>/dev/null || echo 0)
check "at least 50,000 resources in 10 accounts ($n)" test "$n" -ge 50000
size=$(wc -c <"$T/r.html")
check "the HTML report is under 2 MB ($size bytes)" test "$size" -lt 2000000
check "it passes the structural checks" python3 "$TOP_SRCDIR/tests/data/report/check_report.py" html "$T/r.html"
check_grep "long lists say where the rest is" \
	'class="more">[0-9]+ more in the JSON and CSV reports' "$T/r.html"
cfgaudit report --format json >"$T/r.json"
check "the JSON report keeps every non-compliant result" python3 - "$T/r.json" "$T/r.html" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
nc = sum(1 for e in d["AggregateEvaluationResults"] if e["ComplianceType"] == "NON_COMPLIANT")
page = open(sys.argv[2], encoding="utf-8").read()
rows = len(re.findall(r'<tr data-a="', page))
more = sum(int(x) for x in re.findall(r'class="more">([0-9]+) more', page))
assert rows + more == nc, (rows, more, nc)
print("# %d non-compliant results: %d rows in the page, %d in the JSON only" % (nc, rows, more))
PY
done_testing
