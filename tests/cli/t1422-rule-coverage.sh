#!/bin/sh
# t1422-rule-coverage: every format says, overall and per account, "N of M
# rules reached a verdict; K rules no data; J not evaluated" next to the
# score; and (account, 'global') rolls up only the rules with results
# there, as cfgaudit-report(1) documents, so NO DATA is not inflated.
. "$TOP_SRCDIR/tests/lib.sh"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
CHECK="$TOP_SRCDIR/tests/data/report/check_report.py"

check "ingest testdata" cfgaudit --quiet ingest "$TESTDATA"
check_exit "eval the default pack" 1 cfgaudit eval
TALLY='[0-9]+ of [0-9]+ rules reached a verdict; [0-9]+ rules? no data; [0-9]+ not evaluated'
check_exit "text" 1 cfgaudit report
check_grep "text: overall" "^\\(all\\) +$TALLY\$" "$T/out"
check_grep "text: per account" "^111111111111 +$TALLY\$" "$T/out"
check_exit "json" 1 cfgaudit report --format json -o "$T/r.json"
check "json: structural checks (RuleCoverage adds up)" python3 "$CHECK" json "$T/r.json"
check_grep "json: per account" '"555555555555": \{' "$T/r.json"
check_exit "csv" 1 cfgaudit report --format csv -o "$T/r.csv"
check "csv: structural checks (rule_coverage on each row)" python3 "$CHECK" csv "$T/r.csv"
check_grep "csv: the overall row" ",RULE_COVERAGE,$TALLY," "$T/r.csv"
check_exit "html" 1 cfgaudit report --format html -o "$T/r.html"
check_grep "html: a table of it" "<td>\\(all\\)</td><td>$TALLY</td>" "$T/r.html"
check_exit "junit" 1 cfgaudit report --format junit -o "$T/r.xml"
check_grep "junit: a property per account suite" "<property name=\"rule_coverage\" value=\"$TALLY\"/>" "$T/r.xml"

# The counts add up and agree with the pairs: a rule is counted once.
python3 - "$T/r.json" >"$T/sum" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = d["RuleCoverage"]["Overall"]
rules = {r["ConfigRuleName"] for r in d["Run"]["Rules"]}
verdict = {e["ConfigRuleName"] for e in d["AggregateComplianceByConfigRules"]
           if e["Compliance"]["ComplianceType"] != "INSUFFICIENT_DATA"}
print(o["Rules"] == len(rules), o["ReachedVerdict"] == len(verdict))
# global: only rules with results there
glob = [e for e in d["AggregateComplianceByConfigRules"] if e["AwsRegion"] == "global"]
res = {(e["AccountId"], e["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ConfigRuleName"])
       for e in d["AggregateEvaluationResults"] if e["AwsRegion"] == "global"}
print(all((e["AccountId"], e["ConfigRuleName"]) in res for e in glob), len(glob) < len(rules) * 5)
PY
check_grep "overall counts match the roll-ups" '^True True$' "$T/sum"
check_grep "global rolls up only rules with results there" '^True True$' "$(sed -n 2p "$T/sum" >"$T/sum2"; echo "$T/sum2")"
done_testing
