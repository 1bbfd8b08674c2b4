#!/bin/sh
# t1410-report-testdata: reports of runs over the sample organization in
# testdata/. A fixed set of rules at a fixed time is compared byte for byte
# with tests/data/report/testdata/expected.* (run times pinned with
# SOURCE_DATE_EPOCH); the full default audit is checked structurally in
# every format; and two databases built independently from the same
# archive give byte-identical evidence bundles.
. "$TOP_SRCDIR/tests/lib.sh"

D="$TOP_SRCDIR/tests/data/report"
G="$D/testdata"
CHECK="$D/check_report.py"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
SOURCE_DATE_EPOCH=1800000000
export SOURCE_DATE_EPOCH

RULES="--rule INCOMING_SSH_DISABLED --rule S3_BUCKET_VERSIONING_ENABLED --rule IAM_USER_MFA_ENABLED
 --rule ROOT_ACCOUNT_MFA_ENABLED --rule IAM_PASSWORD_POLICY"
check "ingest testdata" cfgaudit ingest "$TESTDATA"
# shellcheck disable=SC2086
check_exit "eval five rules as of 2026-11-05 (non-compliant: 1)" 1 \
	cfgaudit eval $RULES --as-of 2026-11-05

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
	check "$f of the five rules passes the structural checks" python3 "$CHECK" "$f" "$T/$f"
done

# The default audit (the built-in pack) over the whole archive.
check_exit "audit testdata exits 1" 1 cfgaudit --db "$T/audit.db" audit --format json \
	-o "$T/audit.json" "$TESTDATA"
check "audit JSON passes the structural checks" python3 "$CHECK" json "$T/audit.json"
for f in csv html junit; do
	cfgaudit --db "$T/audit.db" report --format "$f" >"$T/audit.$f"
	check "audit $f passes the structural checks" python3 "$CHECK" "$f" "$T/audit.$f"
done
python3 - "$T/audit.json" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
packs = d["AggregateComplianceByConformancePacks"]
assert packs, "no pack roll-up"
accounts = {e["AccountId"] for e in packs}
assert len(accounts) == 5, accounts
assert {e["AwsRegion"] for e in packs} >= {"us-east-1", "eu-west-1"}
for e in d["ConformancePackComplianceScores"]:
    float(e["Score"])
total = {e["Compliance"]["TotalRuleCount"] for e in packs if e["AwsRegion"] != "global"}
assert len(total) == 1, total  # every regional pair counts every rule of the pack
print("ok")
PY
check_grep "audit roll-ups cover five accounts and both regions" '^ok$' "$T/py"

# Same archive, two databases, same bundle bytes.
cfgaudit --db "$T/one.db" ingest "$TESTDATA" >/dev/null 2>&1
cfgaudit --db "$T/two.db" ingest "$TESTDATA" >/dev/null 2>&1
# shellcheck disable=SC2086
cfgaudit --db "$T/one.db" eval $RULES --as-of 2026-11-05 >/dev/null 2>&1
# shellcheck disable=SC2086
cfgaudit --db "$T/two.db" eval $RULES --as-of 2026-11-05 >/dev/null 2>&1
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

done_testing
