#!/bin/sh
# t1911-report-org: account names and OU paths from Organizations evidence
# in every report format, and report --by ou. The fixture
# (tests/data/orgreport) is five accounts under a management account whose
# list-accounts, list-parents and list-organizational-units-for-parent
# answers give Root, Root/Workloads/Prod (two accounts), an account without
# a parent chain, and an account that only a 40-day-old list-accounts of
# another organization names: that one has no Organizations evidence (too
# old for --max-age), never a guessed name or OU. Goldens for text and CSV
# --by ou, checks of the rest; then the same run with --max-age 1h (no
# evidence used), and a store without Organizations evidence.
. "$TOP_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"

R="$TOP_SRCDIR/tests/data/orgreport"
CHECK="$TOP_SRCDIR/tests/data/report/check_report.py"
SOURCE_DATE_EPOCH=1800000000
export SOURCE_DATE_EPOCH
A=111122223333 B=444455556666 C=555566667777 D=777788889999 E=888899990000

check "ingest the fixture" cfgaudit ingest "$R"
# the pack by a relative path, so that the run does not name this tree
check_exit "eval the pack as of 2026-12-01T12:00Z: non-compliant (exit 1)" 1 \
	sh -c 'cd "$1" && shift && exec "$@"' sh "$R" $CFGAUDIT_WRAPPER "$CFGAUDIT_BIN" \
	--db "$CFGAUDIT_DB" --quiet eval --pack Org-Report-Pack.yaml --as-of 2026-12-01T12:00:00Z

report() {	# NAME ARGS...: the report in $T/NAME, exit 1 expected
	name=$1
	shift
	cfgaudit report "$@" >"$T/$name" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] || { not_ok "report $* (exit $rc, expected 1)"; sed 's/^/#   /' "$T/err"; }
}
structural() {	# FORMAT FILE DESC
	if python3 "$CHECK" "$1" "$2" >"$T/check" 2>&1; then
		ok "$3 passes the structural checks"
	else
		not_ok "$3 passes the structural checks"
		sed 's/^/#   /' "$T/check" | head -20
	fi
}

# --- text ------------------------------------------------------------------
report text
check_grep "the sources: the fresh list-accounts answer" \
	"^  aws organizations list-accounts of $A captured 2026-12-01T06:00:00Z\$" "$T/text"
check_grep "and the old one, named as not used" \
	"^  aws organizations list-accounts of 999900001111 captured 2026-10-22T06:00:00Z:\$" "$T/text"
check_grep "each account's name and OU path" "^$B payments-prod +Root/Workloads/Prod\$" "$T/text"
check_grep "the management account under Root" "^$A management +Root\$" "$T/text"
check_grep "listed without parents: no OU path, never guessed" \
	"^$D legacy-sandbox +\\(OU path not in Organizations evidence\\)\$" "$T/text"
check_grep "named only by a too old answer: no Organizations evidence" \
	"^$E - +\\(no Organizations evidence\\)\$" "$T/text"
check_grep "names in the accounts table" "^$C \\(web-prod\\) +3 +0 +0 +1 +0\$" "$T/text"
check_grep "results by account name the account" "^Account $D \\(legacy-sandbox\\)\$" "$T/text"
check "no OU table without --by ou" sh -c '! grep -q "^Organizational units" "$1"' sh "$T/text"

report text-by-ou --by ou
check_same "text --by ou, byte for byte" "$R/expected.text-by-ou" "$T/text-by-ou"

# --- CSV -------------------------------------------------------------------
report csv-by-ou --format csv --by ou
check_same "csv --by ou, byte for byte" "$R/expected.csv-by-ou" "$T/csv-by-ou"
structural csv "$T/csv-by-ou" "csv --by ou"
report csv --format csv
structural csv "$T/csv" "csv"
check "csv: every result row has the account's name and OU path" python3 - "$T/csv" <<'PY'
import csv, sys
want = {"111122223333": ("management", "Root"), "444455556666": ("payments-prod", "Root/Workloads/Prod"),
        "555566667777": ("web-prod", "Root/Workloads/Prod"),
        "777788889999": ("legacy-sandbox", "(OU path not in Organizations evidence)"),
        "888899990000": ("", "(no Organizations evidence)")}
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
res = [r for r in rows if r["compliance_type"] != "RULE_COVERAGE"]
assert len(res) == 15, len(res)
for r in res:
    assert (r["account_name"], r["ou_path"]) == want[r["account_id"]], r
PY
check "csv --by ou: rows ordered by OU path, then account" python3 - "$T/csv-by-ou" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["account_id"]]
seq = [r["account_id"] for r in rows]
assert seq == sorted(seq, key=["111122223333", "444455556666", "555566667777", "777788889999",
                              "888899990000"].index), seq
PY

# --- JSON ------------------------------------------------------------------
report json --format json
structural json "$T/json" "json"
report json-by-ou --format json --by ou
structural json "$T/json-by-ou" "json --by ou"
check "json: Accounts and OrganizationsEvidence say what the evidence says" python3 - "$T/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
acc = {a["AccountId"]: a for a in d["Accounts"]}
assert acc["444455556666"]["AccountName"] == "payments-prod"
assert acc["444455556666"]["OrganizationalUnitPath"] == "Root/Workloads/Prod"
assert acc["444455556666"]["ManagementAccountId"] == "111122223333"
assert acc["444455556666"]["OrganizationsEvidenceCapturedAt"] == "2026-12-01T06:00:00Z"
assert acc["777788889999"]["OrganizationalUnitPath"] is None
assert acc["777788889999"]["OrganizationalUnitGroup"] == "(OU path not in Organizations evidence)"
e = acc["888899990000"]
assert e["AccountName"] is None and e["ManagementAccountId"] is None, e
assert e["OrganizationalUnitGroup"] == "(no Organizations evidence)"
src = [(s["ManagementAccountId"], s["CapturedAt"], s["Used"]) for s in d["OrganizationsEvidence"]]
assert src == [("111122223333", "2026-12-01T06:00:00Z", True),
               ("999900001111", "2026-10-22T06:00:00Z", False)], src
assert "ComplianceByOrganizationalUnit" not in d
PY
check "json --by ou: one group per OU path, accounts without evidence last, sums as per account" \
	python3 - "$T/json-by-ou" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
g = d["ComplianceByOrganizationalUnit"]
assert [x["Group"] for x in g] == ["Root", "Root/Workloads/Prod",
                                   "(OU path not in Organizations evidence)",
                                   "(no Organizations evidence)"], g
assert [x["OrganizationalUnitPath"] for x in g] == ["Root", "Root/Workloads/Prod", None, None]
assert g[1]["AccountIds"] == ["444455556666", "555566667777"]
assert g[1]["CompliantRuleCount"] == 6 and g[1]["NonCompliantRuleCount"] == 0
assert g[1]["ConformancePackComplianceScores"][0]["Score"] == "100.0"
assert g[3]["ConformancePackComplianceScores"][0]["Score"] == "0.0"
assert g[3]["RuleCoverage"]["Summary"].startswith("3 of 3 rules reached a verdict")
per = d["AggregateComplianceCounts"]["ACCOUNT_ID"]["AggregateComplianceCounts"]
tot = sum(x["ComplianceSummary"]["CompliantResourceCount"]["CappedCount"] for x in per)
assert tot == sum(x["CompliantRuleCount"] for x in g), (tot, g)
PY

# --- HTML and JUnit --------------------------------------------------------
report html-by-ou --format html --by ou
structural html "$T/html-by-ou" "html --by ou"
check_grep "html: the OU section" '<section id="ous"><h2>Organizational units</h2>' "$T/html-by-ou"
check_grep "html: an OU row with its accounts by name" \
	'<td class="key">Root/Workloads/Prod</td><td>444455556666 \(payments-prod\)<br>555566667777 \(web-prod\)</td>' \
	"$T/html-by-ou"
check_grep "html: name and OU path columns in the accounts table" \
	"<td class=\"key\">$B</td><td>payments-prod</td><td>Root/Workloads/Prod</td>" "$T/html-by-ou"
report html --format html
check "html without --by ou: no OU section" sh -c '! grep -q "id=\"ous\"" "$1"' sh "$T/html"
report junit-by-ou --format junit --by ou
structural junit "$T/junit-by-ou" "junit --by ou"
check_grep "junit: the account's name and OU path as properties" \
	'<property name="ou_path" value="Root/Workloads/Prod"/>' "$T/junit-by-ou"
check "junit --by ou: the suites in OU order" test \
	"$(sed -n 's/^  <testsuite name="\([0-9]*\)".*/\1/p' "$T/junit-by-ou" | tr '\n' ' ')" = \
	"$A $B $C $D $E "

# --- evidence older than --max-age is not used ---------------------------
sh -c 'cd "$1" && shift && exec "$@"' sh "$R" $CFGAUDIT_WRAPPER "$CFGAUDIT_BIN" \
	--db "$CFGAUDIT_DB" --quiet eval --pack Org-Report-Pack.yaml --as-of 2026-12-01T12:00:00Z \
	--max-age 1h >"$T/out" 2>"$T/err"
check "eval again with --max-age 1h" test $? -le 1
cfgaudit report --run 2 --by ou >"$T/text-1h" 2>"$T/err"
check_grep "the 6-hour-old answer is listed" \
	"^  aws organizations list-accounts of $A captured 2026-12-01T06:00:00Z:\$" "$T/text-1h"
check "as not used, like the 40-day-old one" test "$(grep -c '^  too old, not used$' "$T/text-1h")" -eq 2
check_grep "every account without Organizations evidence" \
	"^\\(no Organizations evidence\\) +5 " "$T/text-1h"
check "no name shown" sh -c '! grep -Eq "payments-prod|web-prod|management" "$1"' sh "$T/text-1h"

# --- a store without Organizations evidence ------------------------------
mkdir -p "$T/noorg"
cp "$R"/*.json "$T/noorg/"
check "a store of the items only" cfgaudit --db "$T/noorg.db" --quiet ingest "$T/noorg"
cfgaudit --db "$T/noorg.db" --quiet eval --rule CLOUD_TRAIL_ENABLED \
	--as-of 2026-12-01T12:00:00Z >"$T/out" 2>"$T/err"
check "its run" test $? -le 1
cfgaudit --db "$T/noorg.db" report >"$T/noorg-text" 2>&1
check "without evidence: no Organizations section, ids alone" \
	sh -c '! grep -q "^Organizations" "$1" && grep -q "^$2  " "$1"' sh "$T/noorg-text" "$B"
cfgaudit --db "$T/noorg.db" report --by ou >"$T/noorg-ou" 2>&1
check_grep "--by ou without evidence says so" \
	"^  no aws organizations list-accounts evidence at or before the as-of time\$" "$T/noorg-ou"
check_grep "and puts every account under (no Organizations evidence)" \
	"^\\(no Organizations evidence\\) +5 " "$T/noorg-ou"

check_exit "--by with an unknown group names ou among the choices" 2 cfgaudit report --by team
check_grep "the message" "is not one of: account, region, rule, resource, control, ou" "$T/err"

done_testing
