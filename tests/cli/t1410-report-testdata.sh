#!/bin/sh
# t1410-report-testdata: reports of runs over the sample organization in
# testdata/.
# - The test pack and rules of tests/data/report/testdata/ (kept there so
#   that the goldens do not move when the shipped rules change) at a fixed
#   time, run times pinned with SOURCE_DATE_EPOCH: every format byte for
#   byte against expected.*.
# - The roll-ups recomputed from the tables by rollup_oracle.py, for that
#   run and for the default audit (the shipped pack).
# - Every format of the default audit checked structurally.
# - Two databases built independently give byte-identical bundles.
# The goldens move when testdata/ is regenerated or eval's wording for a
# rule it cannot evaluate changes. To renew them, from the build tree
# (then read the diff before committing):
#   export SOURCE_DATE_EPOCH=1800000000 G=$SRC/tests/data/report/testdata
#   ./cfgaudit --db x.db ingest $SRC/testdata
#   (cd $G && $OLDPWD/cfgaudit --db $OLDPWD/x.db eval --rules-dir rules \
#       --pack Report-Test-Pack.yaml --as-of 2026-11-05)
#   ./cfgaudit --db x.db report >$G/expected.text   (and --by rule, each --format)
. "$TOP_SRCDIR/tests/lib.sh"

D="$TOP_SRCDIR/tests/data/report"
G="$D/testdata"
CHECK="$D/check_report.py"
ORACLE="$D/rollup_oracle.py"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
SOURCE_DATE_EPOCH=1800000000
export SOURCE_DATE_EPOCH

# Paths in the run are relative to the test data directory.
run_eval() {
	(cd "$G" && cfgaudit --db "$1" eval --rules-dir rules --pack Report-Test-Pack.yaml \
		--as-of 2026-11-05)
}

check "ingest testdata" cfgaudit ingest "$TESTDATA"
check_exit "eval the test pack as of 2026-11-05 (non-compliant: 1)" 1 run_eval "$CFGAUDIT_DB"

golden() {
	name=$1
	shift
	cfgaudit report "$@" >"$T/$name" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 1 ]; then
		check_same "testdata golden $name" "$G/expected.$name" "$T/$name"
	else
		not_ok "testdata golden $name (exit $rc, expected 1)"
		sed 's/^/#   /' "$T/err"
	fi
}
golden text
golden text-by-rule --by rule
golden json --format json
golden csv --format csv
golden html --format html
golden junit --format junit
for f in json csv html junit; do
	check "$f of the test pack passes the structural checks" python3 "$CHECK" "$f" "$T/$f"
done
check "roll-ups of the test pack agree with the oracle" \
	python3 "$ORACLE" "$CFGAUDIT_DB" 1 "$T/json"
sed 's/"ComplianceType": "COMPLIANT"/"ComplianceType": "NON_COMPLIANT"/' "$T/json" >"$T/bad.json"
check_exit "the oracle notices a changed verdict" 1 python3 "$ORACLE" "$CFGAUDIT_DB" 1 "$T/bad.json"

# The default audit (the shipped pack) over the whole archive.
check_exit "audit testdata exits 1" 1 cfgaudit --db "$T/audit.db" audit --format json \
	-o "$T/audit.json" "$TESTDATA"
check "audit JSON passes the structural checks" python3 "$CHECK" json "$T/audit.json"
check "audit roll-ups agree with the oracle" python3 "$ORACLE" "$T/audit.db" 1 "$T/audit.json"
for f in csv html junit; do
	cfgaudit --db "$T/audit.db" report --format "$f" >"$T/audit.$f"
	check "audit $f passes the structural checks" python3 "$CHECK" "$f" "$T/audit.$f"
done
python3 - "$T/audit.json" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
packs = d["AggregateComplianceByConformancePacks"]
assert {e["AccountId"] for e in packs} == {str(i) * 12 for i in range(1, 6)}, packs[:2]
assert {e["AwsRegion"] for e in packs} >= {"us-east-1", "eu-west-1"}
total = {e["Compliance"]["TotalRuleCount"] for e in packs if e["AwsRegion"] != "global"}
assert len(total) == 1, total  # every regional pair counts every rule of the pack
print("ok")
PY
check_grep "audit roll-ups cover five accounts and both regions" '^ok$' "$T/py"

# Same archive, two databases, same bundle bytes.
cfgaudit --db "$T/one.db" ingest "$TESTDATA" >/dev/null 2>&1
cfgaudit --db "$T/two.db" ingest "$TESTDATA" >/dev/null 2>&1
run_eval "$T/one.db" >/dev/null 2>&1
run_eval "$T/two.db" >/dev/null 2>&1
check "bundle from the first database" cfgaudit --db "$T/one.db" bundle -o "$T/one.tar.gz"
check "bundle from the second database" cfgaudit --db "$T/two.db" bundle -o "$T/two.tar.gz"
if cmp -s "$T/one.tar.gz" "$T/two.tar.gz"; then
	ok "independent databases give identical bundles"
else
	not_ok "independent databases give identical bundles"
fi
check_exit "the testdata bundle verifies" 0 cfgaudit verify "$T/one.tar.gz"
n=$(tar xzOf "$T/one.tar.gz" cfgaudit-run-1/items/items.jsonl | wc -l)
if [ "$n" -gt 20 ]; then ok "bundle holds the items behind the verdicts ($n)"; else not_ok "bundle items ($n)"; fi
m=$(tar xzOf "$T/one.tar.gz" cfgaudit-run-1/manifest/source-files.json | grep -c '"sha256"')
if [ "$m" -ge 100 ]; then ok "manifest lists the source files ($m)"; else not_ok "manifest ($m)"; fi
tar xzOf "$T/one.tar.gz" cfgaudit-run-1/packs/Report-Test-Pack.yaml >"$T/pack.yaml"
check_same "the pack file travels byte for byte" "$G/Report-Test-Pack.yaml" "$T/pack.yaml"

done_testing
