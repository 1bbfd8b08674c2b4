#!/bin/sh
# t1802-report-controls: 'report --controls FILE' and '--by control' on the
# report fixture (run 2) with tests/data/controls/fixture-map.yaml: each
# control's status (NON_COMPLIANT over everything else, then NOT_EVALUATED,
# INSUFFICIENT_DATA, COMPLIANT), the rules holding it back, the resources
# behind it, in every format; the shipped mapping for --by control; errors.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$TOP_SRCDIR/tests/data/report/fixture.sql" || bail_out "cannot build the fixture database"
MAP="$TOP_SRCDIR/tests/data/controls/fixture-map.yaml"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

check_exit "text, --by control" 1 cfgaudit report --controls "$MAP" --by control
cp "$T/out" "$T/text"
check_grep "framework" '^Controls: Test framework <b>&$' "$T/text"
check_grep "summary" '^5 controls: 0 compliant, 2 non-compliant, 1 no data, 2 not evaluated$' "$T/text"
check_grep "NON_COMPLIANT wins over not evaluated" '^A\.1     NON_COMPLIANT +2 +2  Public buckets <script>$' "$T/text"
check_grep "INSUFFICIENT_DATA" '^A\.2     INSUFFICIENT_DATA +1 +0  SSH closed$' "$T/text"
check_grep "... held back by the rule, with why" '^  held back by restricted-ssh: 1 resource INSUFFICIENT_DATA$' "$T/text"
check_grep "NOT_EVALUATED wins over INSUFFICIENT_DATA" '^A\.3     NOT_EVALUATED ' "$T/text"
check_grep "... naming the reason" '^  held back by access-keys-rotated: needs the IAM credential report' "$T/text"
check_grep "a rule not in the run" '^  held back by ROOT_ACCOUNT_MFA_ENABLED: not in this run$' "$T/text"
check_grep "results grouped by control" '^Control A\.1 \(NON_COMPLIANT\) Public buckets <script>$' "$T/text"
check_grep "resources are terminal-safe" 'evil\\x01\\x1b\[31mred' "$T/text"
if grep -q "$(printf '\033')" "$T/text"; then not_ok "no raw escape in text"; else ok "no raw escape in text"; fi

check_exit "the selection changes the status" 0 cfgaudit report --controls "$MAP" --account 222222222222
check_grep "B.1 compliant in account 222222222222" '^B\.1     COMPLIANT ' "$T/out"
check_exit "--account 111111111111" 1 cfgaudit report --controls "$MAP" --account 111111111111
check_grep "A.2 compliant there" '^A\.2     COMPLIANT ' "$T/out"
check_exit "--controls without --by control: the table, results by account" 1 cfgaudit report --controls "$MAP"
check_grep "control table" '^Controls: Test framework' "$T/out"
check_grep "results by account" '^Non-compliant results by account$' "$T/out"

if command -v jq >/dev/null 2>&1; then
	check_exit "json" 1 cfgaudit report --controls "$MAP" --format json
	got=$(jq -c '[.Controls.ControlCompliance[] | [.ControlId, .ComplianceType]]' "$T/out")
	[ "$got" = '[["A.1","NON_COMPLIANT"],["A.2","INSUFFICIENT_DATA"],["A.3","NOT_EVALUATED"],["A.4","NOT_EVALUATED"],["B.1","NON_COMPLIANT"]]' ] &&
		ok "json: control statuses" || not_ok "json statuses: $got"
	got=$(jq -c '[.AggregateComplianceByConfigRules[] | select(.ConfigRuleName == "s3-bucket-public-read-prohibited") | .Controls] | unique' "$T/out")
	[ "$got" = '[["A.1","B.1"]]' ] && ok "json: Controls on each rule result" || not_ok "json Controls: $got"
	got=$(jq -c '.Controls.ControlCompliance[0] | [.HeldBackBy, (.Resources | length), .Waivers]' "$T/out")
	[ "$got" = '[["S3_BUCKET_PUBLIC_READ_PROHIBITED","ACCESS_KEYS_ROTATED"],6,[]]' ] &&
		ok "json: held back by, resources, waivers" || not_ok "json control A.1: $got"
	got=$(jq -r '.Controls.ControlCompliance[3].Rules[0] | "\(.ConfigRuleName) \(.ComplianceType) \(.Reason)"' "$T/out")
	[ "$got" = 'null NOT_EVALUATED not in this run' ] && ok "json: a rule not in the run" || not_ok "json A.4: $got"
	check_exit "json without a mapping has no Controls" 1 cfgaudit report --format json
	got=$(jq -c '[has("Controls"), ([.AggregateComplianceByConfigRules[] | has("Controls")] | any)]' "$T/out")
	[ "$got" = '[false,false]' ] && ok "json: unchanged without a mapping" || not_ok "json: $got"
fi

check_exit "csv by control" 1 cfgaudit report --controls "$MAP" --by control --format csv
check_grep "csv header" '^run_id,as_of,framework,control_id,control_title,control_status,source_identifier,pack_name,config_rule_name,rule_status,rule_reason,account_id,aws_region,resource_type,resource_id,compliance_type,annotation' "$T/out"
check_grep "csv: a rule without resources still has a row" ',A\.4,Root MFA,NOT_EVALUATED,ROOT_ACCOUNT_MFA_ENABLED,,,NOT_EVALUATED,not in this run,,,,,,' "$T/out"
n=$(grep -c ',B\.1,' "$T/out")
[ "$n" -eq 6 ] && ok "csv: B.1 has a row per resource (6)" || not_ok "csv B.1 rows: $n"

check_exit "html" 1 cfgaudit report --controls "$MAP" --format html
check_grep "html: the control table" '<section id="controls"><h2>Controls: Test framework &lt;b&gt;&amp;</h2>' "$T/out"
c=$(grep -n 'id="controls"' "$T/out" | cut -d: -f1)
d=$(grep -n 'id="data"' "$T/out" | head -1 | cut -d: -f1)
[ -n "$c" ] && [ -n "$d" ] && [ "$c" -lt "$d" ] && ok "html: the control table comes first" || not_ok "html order: $c $d"
if grep -q '<script>alert' "$T/out"; then not_ok "html escapes"; else ok "html escapes"; fi

check_exit "junit by control" 1 cfgaudit report --controls "$MAP" --by control --format junit
if command -v python3 >/dev/null 2>&1; then
	python3 - "$T/out" >"$T/junit" <<'PY'
import sys, xml.etree.ElementTree as E
t = E.parse(sys.argv[1]).getroot()
print(t.get('tests'), t.get('failures'), t.get('skipped'))
for s in t:
    print(s.get('name'), s.get('tests'), s.get('failures'), s.get('skipped'),
          s.find('properties/property[@name="control_status"]').get('value'))
PY
	cat >"$T/want" <<'EOF2'
7 2 5
Test framework <b>& A.1 2 1 1 NON_COMPLIANT
Test framework <b>& A.2 1 0 1 INSUFFICIENT_DATA
Test framework <b>& A.3 2 0 2 NOT_EVALUATED
Test framework <b>& A.4 1 0 1 NOT_EVALUATED
Test framework <b>& B.1 1 1 0 NON_COMPLIANT
EOF2
	check_same "junit: a testsuite per control" "$T/want" "$T/junit"
fi

# --by control without --controls: the shipped mapping that names the pack.
mkdir -p "$T/data/packs/controls"
cp "$MAP" "$T/data/packs/controls/test.yaml"
CFGAUDIT_DATADIR="$T/data" check_exit "--by control finds the mapping naming the pack" 1 cfgaudit report --by control
check_grep "... and uses it" '^Controls: Test framework <b>&$' "$T/out"
check_exit "--by control with no mapping for the pack" 2 cfgaudit report --by control
check_grep "... says so" "no shipped control mapping names the run's pack" "$T/err"
check_exit "--controls with a bad mapping: exit 3" 3 cfgaudit report --controls "$TOP_SRCDIR/tests/data/controls/dup.yaml"
check_grep "... file:line:column" 'dup\.yaml:7:9: error: duplicate control' "$T/err"
check_exit "--controls with a missing file: exit 2" 2 cfgaudit report --controls "$T/none.yaml"
check_exit "--by control in --help" 0 cfgaudit report --help
check_grep "help names --controls" '--controls FILE' "$T/out"
done_testing
