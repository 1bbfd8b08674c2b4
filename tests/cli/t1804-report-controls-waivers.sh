#!/bin/sh
# t1804-report-controls-waivers: the control view with the run's waivers
# (tests/data/controls/waivers.sql on run 2 of the report fixture, mapping
# waiver-map.yaml). A waived result keeps its verdict, as in the rule view:
# W.1 (one open, one waived) and W.2 (its one resource waived) are both
# NON_COMPLIANT; every format counts the waived resources apart and names
# the waivers; JUnit skips a rule non-compliant only through waivers; the
# selection decides which waivers apply; the bundle's index carries them.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
R="$TOP_SRCDIR/tests/data/report"
D="$TOP_SRCDIR/tests/data/controls"
"$MKDB" "$CFGAUDIT_DB" "$R/fixture.sql" "$R/bundle.sql" "$D/bundle-sources.sql" "$D/waivers.sql" ||
	bail_out "cannot build the fixture database"
MAP="$D/waiver-map.yaml"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

check_exit "text by control: exit 1 (an open resource)" 1 cfgaudit report --controls "$MAP" --by control
cp "$T/out" "$T/text"
check_grep "summary" '^4 controls: 0 compliant, 3 non-compliant, 1 no data, 0 not evaluated$' "$T/text"
check_grep "summary: non-compliant only through waivers" '^1 non-compliant only through waived resources$' "$T/text"
check_grep "W.1 stays NON_COMPLIANT" '^W\.1 +NON_COMPLIANT +1 +2  Public buckets$' "$T/text"
check_grep "W.2 stays NON_COMPLIANT, all waived" '^W\.2 +NON_COMPLIANT +1 +1  MFA$' "$T/text"
check_grep "held back, with the waived count" '^  held back by iam-user-mfa-enabled: 1 resource NON_COMPLIANT, 1 waived$' "$T/text"
check_grep "the waiver under the control" '^  waived 1 by line 8, approved by security@example.com, expires 2099-06-30$' "$T/text"
check_grep "... and its reason" '^    Break-glass user, key in the safe$' "$T/text"
n=$(grep -c '^  waived 1 by line' "$T/text")
[ "$n" -eq 4 ] && ok "W.1 one waiver, W.2 one, W.3 both (4 lines)" || not_ok "waiver lines: $n"
if grep -q '^ *waived.* line 14' "$T/text"; then not_ok "expired waiver not under a control"; else ok "expired waiver not under a control"; fi
check_grep "under a waived resource" '^      waived by line 2: Public web <assets> & "docs"$' "$T/text"
awk '/^Control W\.1/,/^$/' "$T/text" >"$T/w1"
n=$(grep -c '^      waived by line' "$T/w1")
[ "$n" -eq 1 ] && ok "only the waived resource is marked" || not_ok "waived marks under W.1: $n"

check_exit "the account without waived results" 0 cfgaudit report --controls "$MAP" --by control --account 222222222222
if grep -Eq '^ *waived (by|[0-9])' "$T/out"; then not_ok "no waiver outside the selection"; else ok "no waiver outside the selection"; fi

# A run with every non-compliant result waived: exit 0, still NON_COMPLIANT.
cfgaudit report --controls "$MAP" --by control --region global >"$T/g" 2>"$T/err"
[ $? -eq 0 ] && ok "only waived results in the selection: exit 0" || not_ok "--region global exit"
check_grep "... W.2 still NON_COMPLIANT" '^W\.2 +NON_COMPLIANT ' "$T/g"

if command -v jq >/dev/null 2>&1; then
	check_exit "json" 1 cfgaudit report --controls "$MAP" --format json
	got=$(jq -c '[.Controls.ControlCompliance[] | [.ControlId, .ComplianceType, .NonCompliantResourceCount, .WaivedResourceCount, [.Waivers[] | [.Line, .WaivedResourceCount]]]]' "$T/out")
	[ "$got" = '[["W.1","NON_COMPLIANT",2,1,[[2,1]]],["W.2","NON_COMPLIANT",1,1,[[8,1]]],["W.3","NON_COMPLIANT",3,2,[[2,1],[8,1]]],["W.4","INSUFFICIENT_DATA",0,0,[]]]' ] &&
		ok "json: statuses, counts, waivers per control" || not_ok "json: $got"
	got=$(jq -c '.Controls.ControlCompliance[0].Waivers[0] | [.Rule, .Account, .Resource, .Reason, .ApprovedBy, .Expires]' "$T/out")
	[ "$got" = '["s3-bucket-public-read-prohibited","111111111111","<script>*","Public web <assets> & \"docs\"","web@example.com","2099-12-31"]' ] &&
		ok "json: a waiver's fields" || not_ok "json waiver: $got"
	got=$(jq -c '[.Controls.ControlCompliance[0].Resources[] | select(.Waiver) | [.ResourceId, .Waiver.Line]]' "$T/out")
	[ "$got" = '[["<script>alert(1)</script>",2]]' ] && ok "json: Waiver on the waived resource only" || not_ok "json resources: $got"
	got=$(jq -c '[.AggregateComplianceByConfigRules[] | select(.ConfigRuleName == "iam-user-mfa-enabled" and .AwsRegion == "global") | .Compliance.ComplianceType]' "$T/out")
	[ "$got" = '["NON_COMPLIANT"]' ] && ok "json: the rule view agrees (rule NON_COMPLIANT)" || not_ok "rule view: $got"
fi

check_exit "csv by control" 1 cfgaudit report --controls "$MAP" --by control --format csv
check_grep "csv: waiver columns" ',annotation,waiver_reason,waiver_approved_by,waiver_expires' "$T/out"
cp "$T/out" "$T/c.csv"
if command -v python3 >/dev/null 2>&1; then
	check "csv: waiver fields on the waived rows only" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
w = sorted((r["control_id"], r["config_rule_name"], r["waiver_reason"], r["waiver_approved_by"],
            r["waiver_expires"]) for r in rows if r["waiver_reason"])
a = ("s3-bucket-public-read-prohibited", "Public web <assets> & \"docs\"", "web@example.com", "2099-12-31")
b = ("iam-user-mfa-enabled", "Break-glass user, key in the safe", "security@example.com", "2099-06-30")
assert w == [("W.1",) + a, ("W.2",) + b, ("W.3",) + b, ("W.3",) + a], w
assert all(r["compliance_type"] == "NON_COMPLIANT" for r in rows if r["waiver_reason"])' "$T/c.csv"
fi

check_exit "html" 1 cfgaudit report --controls "$MAP" --format html
check_grep "html: a Waived column" '<th>Held back by</th><th>Waived</th></tr>' "$T/out"
check_grep "html: W.2 non-compliant only through waivers" '<td class="waived">NON_COMPLIANT, waived</td>' "$T/out"
check_grep "html: the resources behind a control, a waived one marked" '<td class="n">2<details><summary>resources</summary>111111111111 us-east-1 AWS::S3::Bucket &lt;script&gt;alert\(1\)&lt;/script&gt; <span class="waived">\(waived, line 2\)</span><br>111111111111 us-east-1 AWS::S3::Bucket evil' "$T/out"
check_grep "html: the waiver, escaped" '<span class="waived">1 by line 2: Public web &lt;assets&gt; &amp; &quot;docs&quot; \(approved by web@example.com, expires 2099-12-31\)</span>' "$T/out"
"$MKDB" "$T/plain.db" "$R/fixture.sql" || bail_out "cannot build the plain database"
cfgaudit --db "$T/plain.db" report --controls "$MAP" --format html >"$T/plain.html" 2>/dev/null
if grep -q '<th>Waived</th>' "$T/plain.html"; then not_ok "no Waived column without waivers"; else ok "no Waived column without waivers"; fi

check_exit "junit by control" 1 cfgaudit report --controls "$MAP" --by control --format junit
if command -v python3 >/dev/null 2>&1; then
	python3 - "$T/out" >"$T/junit" <<'PY'
import sys, xml.etree.ElementTree as E
t = E.parse(sys.argv[1]).getroot()
print(t.get('tests'), t.get('failures'), t.get('skipped'))
for s in t:
    print(s.get('name'), s.get('tests'), s.get('failures'), s.get('skipped'),
          s.find('properties/property[@name="waived"]').get('value'))
    for c in s.findall('testcase'):
        f, k = c.find('failure'), c.find('skipped')
        print(' ', c.get('name'), 'failure' if f is not None else 'skipped' if k is not None else 'passed',
              (k.get('message') if k is not None else f.get('message') if f is not None else ''))
PY
	cat >"$T/want" <<'EOF'
5 2 3
Waiver test W.1 1 1 0 1
  s3-bucket-public-read-prohibited failure 2 resources NON_COMPLIANT, 1 waived
Waiver test W.2 1 0 1 1
  iam-user-mfa-enabled skipped NON_COMPLIANT, 1 waived: Break-glass user, key in the safe (approved by security@example.com, expires 2099-06-30)
Waiver test W.3 2 1 1 2
  s3-bucket-public-read-prohibited failure 2 resources NON_COMPLIANT, 1 waived
  iam-user-mfa-enabled skipped NON_COMPLIANT, 1 waived: Break-glass user, key in the safe (approved by security@example.com, expires 2099-06-30)
Waiver test W.4 1 0 1 0
  restricted-ssh skipped INSUFFICIENT_DATA: 1 resource INSUFFICIENT_DATA
EOF
	check_same "junit: waived-only rules skipped with the waiver" "$T/want" "$T/junit"
	check_grep "junit: a waived resource in the failure body says so" '&lt;script&gt;alert\(1\)&lt;/script&gt;: .* \(waived: Public web' "$T/out"
fi

# The bundle's index carries the waivers (with the shipped-mapping lookup
# pointed at a directory holding the map).
if command -v jq >/dev/null 2>&1; then
	mkdir -p "$T/data/packs/controls"
	cp "$MAP" "$T/data/packs/controls/w.yaml"
	CFGAUDIT_DATADIR="$T/data" check "bundle" cfgaudit bundle -o "$T/b.tar.gz"
	tar xzf "$T/b.tar.gz" -C "$T" || bail_out "cannot unpack"
	I="$T/cfgaudit-run-2/controls/index.json"
	got=$(jq -c '[.Controls[] | [.ControlId, .WaivedResourceCount, [.Waivers[] | .Line]]]' "$I")
	[ "$got" = '[["W.1",1,[2]],["W.2",1,[8]],["W.3",2,[2,8]],["W.4",0,[]]]' ] && ok "index: waivers per control" || not_ok "index: $got"
	got=$(jq -c '[.Controls[1].Rules[0].Results[] | select(.Waiver) | [.ResourceId, .Waiver.Reason]]' "$I")
	[ "$got" = '[["=cmd|'"'"' /C calc'"'"'!A0","Break-glass user, key in the safe"]]' ] && ok "index: Waiver on the result" ||
		not_ok "index result: $got"
fi
done_testing
