#!/bin/sh
# t1402-report-checks: structural checks of every format on the hostile
# fixture (tests/data/report/check_report.py): JSON members and enums as
# the AWS API has them, CSV that parses and round-trips, well-formed
# JUnit, HTML with every value escaped and nothing loaded from outside.
# The checker itself is shown to fail on broken input.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
D="$TOP_SRCDIR/tests/data/report"
CHECK="$D/check_report.py"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$D/fixture.sql" || bail_out "cannot build the fixture database"

for f in json csv junit html; do
	cfgaudit report --format "$f" >"$T/r.$f"
	check "$f passes the structural checks" python3 "$CHECK" "$f" "$T/r.$f"
done
for by in region rule resource; do
	cfgaudit report --format csv --by "$by" >"$T/by.csv"
	check "csv --by $by passes" python3 "$CHECK" csv "$T/by.csv"
done
cfgaudit report --format json --compliance NON_COMPLIANT >"$T/nc.json"
check "json with --compliance passes" python3 "$CHECK" json "$T/nc.json"

# The hostile values are present, escaped, in each format.
check_grep "html shows the script bucket as text" \
	'&lt;script&gt;alert\(1\)&lt;/script&gt;' "$T/r.html"
check_grep "junit shows the script bucket as text" \
	'AWS::S3::Bucket/&lt;script&gt;alert\(1\)&lt;/script&gt;' "$T/r.junit"
check_grep "json keeps the script bucket verbatim" \
	'"ResourceId": "<script>alert\(1\)</script>"' "$T/r.json"
check_grep "json escapes control characters" '"ResourceId": "evil\\u0001\\u001B\[31mred"' \
	"$T/r.json"
check_grep "json replaces invalid UTF-8" "badf$(printf '\357\277\275')o" "$T/r.json"
check_grep "csv neutralises a formula resource id" ",'=cmd\|' /C calc'!A0," "$T/r.csv"
check_grep "csv neutralises a formula annotation" "\"'\\+SUM\(1,2\)" "$T/r.csv"
if grep -q "$(printf '\033')" "$T/r.junit" "$T/r.html"; then
	not_ok "no ESC in junit or html"
else
	ok "no ESC in junit or html"
fi
cfgaudit report >"$T/r.text"
if grep -q "$(printf '\033')" "$T/r.text"; then not_ok "no ESC in text"; else ok "no ESC in text"; fi
check_grep "text shows controls as escapes" 'evil\\x01\\x1b\[31mred' "$T/r.text"
if python3 -c 'import sys
for l in open(sys.argv[1], encoding="utf-8"):
    if len(l.rstrip("\n")) > 80: sys.exit(1)' "$T/r.text"; then
	ok "text fits 80 columns"
else
	not_ok "text fits 80 columns"
fi

# A hostile --account value never reaches a page: it is not an account id
# (12 digits), and the error escapes it.
check_exit "a hostile --account value is refused" 2 cfgaudit report --format html --account '<b>x'
check_grep "  and named in the error" "'<b>x' is not a 12-digit account id" "$T/err"
check_exit "a control character in --account is refused" 2 \
	cfgaudit report --account "$(printf 'a\033[2J')"
check_grep "  and escaped in the error" "'a\\\\x1b\\[2J' is not" "$T/err"
# A real selection is stated on the page and in the text.
cfgaudit report --format html --account 111111111111 >"$T/sel.html"
check "a selected page stays valid" python3 "$CHECK" html "$T/sel.html"
check_grep "  and states the selection" 'Selection:</strong> account 111111111111' "$T/sel.html"

# Roll-ups on the fixture: rule per pair, pack, score, counts.
python3 - "$T/r.json" >"$T/rollup" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["AggregateComplianceByConfigRules"]:
    c = e["Compliance"]
    print("rule", e["AccountId"], e["AwsRegion"], e["ConfigRuleName"], c["ComplianceType"],
          c["ComplianceContributorCount"]["CappedCount"])
for e in d["AggregateComplianceByConformancePacks"]:
    c = e["Compliance"]
    print("pack", e["AccountId"], e["AwsRegion"], c["ComplianceType"], c["CompliantRuleCount"],
          c["NonCompliantRuleCount"], c["TotalRuleCount"])
for e in d["ConformancePackComplianceScores"]:
    print("score", e["Score"])
for a, l in sorted(d["ConformancePackComplianceScoresByAccount"].items()):
    print("score", a, l[0]["Score"])
for g in ("ACCOUNT_ID", "AWS_REGION"):
    for e in d["AggregateComplianceCounts"][g]["AggregateComplianceCounts"]:
        s = e["ComplianceSummary"]
        print("count", g, e["GroupName"], s["CompliantResourceCount"]["CappedCount"],
              s["NonCompliantResourceCount"]["CappedCount"])
PY
check_grep "public-read NON_COMPLIANT with 2 resources" \
	'^rule 111111111111 us-east-1 s3-bucket-public-read-prohibited NON_COMPLIANT 2$' "$T/rollup"
check_grep "ssh COMPLIANT with 1 resource" \
	'^rule 111111111111 us-east-1 restricted-ssh COMPLIANT 1$' "$T/rollup"
check_grep "a rule without results in a scope pair is INSUFFICIENT_DATA" \
	'^rule 111111111111 eu-west-1 restricted-ssh INSUFFICIENT_DATA 0$' "$T/rollup"
check_grep "only INSUFFICIENT_DATA results: INSUFFICIENT_DATA" \
	'^rule 222222222222 eu-west-1 restricted-ssh INSUFFICIENT_DATA 0$' "$T/rollup"
check_grep "a rule that was not evaluated is INSUFFICIENT_DATA" \
	'^rule 111111111111 us-east-1 access-keys-rotated INSUFFICIENT_DATA 0$' "$T/rollup"
check_grep "IAM results form the global pair" \
	'^rule 111111111111 global iam-user-mfa-enabled NON_COMPLIANT 1$' "$T/rollup"
if grep -q '^rule 111111111111 global restricted-ssh' "$T/rollup"; then
	not_ok "regional rules are not rolled up in global"
else
	ok "regional rules are not rolled up in global"
fi
check_grep "pack NON_COMPLIANT where a rule is" \
	'^pack 111111111111 us-east-1 NON_COMPLIANT 1 1 4$' "$T/rollup"
check_grep "pack COMPLIANT with a compliant + insufficient mix" \
	'^pack 222222222222 us-east-1 COMPLIANT 2 0 4$' "$T/rollup"
check_grep "pack INSUFFICIENT_DATA when no rule has data" \
	'^pack 222222222222 eu-west-1 INSUFFICIENT_DATA 0 0 4$' "$T/rollup"
check_grep "overall score 6/9" '^score 66.7$' "$T/rollup"
check_grep "account score 4/7" '^score 111111111111 57.1$' "$T/rollup"
check_grep "account score 2/2" '^score 222222222222 100.0$' "$T/rollup"
check_grep "rule counts by account" '^count ACCOUNT_ID 111111111111 1 3$' "$T/rollup"
check_grep "rule counts by region" '^count AWS_REGION global 0 1$' "$T/rollup"

# The checker is not a rubber stamp.
sed 's/"ConfigRuleInvokedTime"/"ConfigRuleInvokeTime"/' "$T/r.json" >"$T/bad.json"
check_exit "checker rejects a wrong member name" 1 python3 "$CHECK" json "$T/bad.json"
sed 's/"DETECTIVE"/"DETECTING"/' "$T/r.json" >"$T/bad.json"
check_exit "checker rejects a wrong enum" 1 python3 "$CHECK" json "$T/bad.json"
sed "s/,'=cmd/,=cmd/" "$T/r.csv" >"$T/bad.csv"
check_exit "checker rejects a formula field" 1 python3 "$CHECK" csv "$T/bad.csv"
sed 's/&lt;script&gt;/<script>/' "$T/r.html" >"$T/bad.html"
check_exit "checker rejects raw <script" 1 python3 "$CHECK" html "$T/bad.html"
sed 's/<\/testsuite>//' "$T/r.junit" >"$T/bad.junit"
check_exit "checker rejects broken XML" 1 python3 "$CHECK" junit "$T/bad.junit"

done_testing
