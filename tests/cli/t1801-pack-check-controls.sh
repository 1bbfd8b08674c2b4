#!/bin/sh
# t1801-pack-check-controls: 'pack check' shows each rule's controls, from
# --controls FILE or from the shipped mapping that names the pack; a bad
# mapping is exit 3 with file:line:column, an unreadable one exit 2.
. "$TOP_SRCDIR/tests/lib.sh"

D="$TOP_SRCDIR/tests/data/controls"
SIC="$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml"
LZ="$TOP_SRCDIR/packs/Landing-Zone-Baseline-Checks.yaml"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

check_exit "the shipped mapping that names the pack" 0 cfgaudit pack check "$SIC"
check_grep "mapping header" '^controls: Security, Identity and Compliance Services \(by service\) \(.*/packs/controls/Security-Identity-and-Compliance-Services\.yaml\): 13 controls, 48 of 48 rules mapped$' "$T/out"
check_grep "a rule's controls" '^    controls: CloudTrail$' "$T/out"
n=$(grep -c '^    controls: ' "$T/out")
[ "$n" -eq 48 ] && ok "every rule has a controls line" || not_ok "controls lines: $n"

check_exit "a pack no mapping names" 0 cfgaudit pack check "$LZ"
n=$(grep -c '^ *controls:' "$T/out")
[ "$n" -eq 0 ] && ok "no controls lines without a mapping" || not_ok "controls lines: $n"

check_exit "--controls FILE" 0 cfgaudit pack check --controls "$D/good.yaml" "$SIC"
check_grep "user mapping header" '^controls: SOC 2 \(2017 Trust Services Criteria\) .*: 2 controls, 3 of 48 rules mapped$' "$T/out"
check_grep "a rule in two controls" '^    controls: CC6\.1, CC7\.2$' "$T/out"
check_grep "a rule in none" '^    controls: none$' "$T/out"
check_grep "mapped rules all in the pack" '^mapped rules not in this pack: 0$' "$T/out"
check_exit "--controls with a pack that lacks its rules" 0 cfgaudit pack check --controls "$D/good.yaml" "$LZ"
check_grep "rules not in the pack are listed" '^mapped rules not in this pack: 3$' "$T/out"
check_grep "... by identifier" '^  IAM_ROOT_ACCESS_KEY_CHECK$' "$T/out"

if command -v jq >/dev/null 2>&1; then
	check_exit "json" 0 cfgaudit pack check --format json --controls "$D/good.yaml" "$SIC"
	got=$(jq -c '[.[0].rules[] | select(.Source.SourceIdentifier == "ROOT_ACCOUNT_MFA_ENABLED") | .Controls][0]' "$T/out")
	[ "$got" = '["CC6.1","CC7.2"]' ] && ok "json: Controls as a list of ids" || not_ok "json Controls: $got"
	got=$(jq -c '.[0].controls | [.framework, .packs, .controls, .mappedRules, .notInPack]' "$T/out")
	[ "$got" = '["SOC 2 (2017 Trust Services Criteria)",["my-pack"],2,3,[]]' ] && ok "json: controls summary" || not_ok "json controls: $got"
	check_exit "json without a mapping" 0 cfgaudit pack check --format json "$LZ"
	got=$(jq -c '[.[0].controls, ([.[0].rules[] | has("Controls")] | any)]' "$T/out")
	[ "$got" = '[null,false]' ] && ok "json: controls null, no Controls" || not_ok "json: $got"
fi

check_exit "duplicate control: exit 3" 3 cfgaudit pack check --controls "$D/dup.yaml" "$SIC"
check_grep "... with file:line:column" "^cfgaudit: .*/dup\\.yaml:7:9: error: duplicate control 'A-1' \\(first at line 3\\)$" "$T/err"
check_exit "unknown rule identifier: exit 3" 3 cfgaudit pack check --controls "$D/unknown.yaml" "$SIC"
check_grep "... names it" "unknown\\.yaml:6:9: error: control 'A-1': unknown rule identifier 'NO_SUCH_RULE_AT_ALL'" "$T/err"
check_exit "bad syntax: exit 3" 3 cfgaudit pack check --controls "$D/syntax.yaml" "$SIC"
check_grep "... with its position" 'syntax\.yaml:5:7: error: invalid yaml' "$T/err"
check_exit "a rule name: exit 3" 3 cfgaudit pack check --controls "$D/kebab.yaml" "$SIC"
check_grep "... and the identifier to write" "write 'S3_BUCKET_SSL_REQUESTS_ONLY'" "$T/err"
check_exit "a missing mapping: exit 2" 2 cfgaudit pack check --controls "$T/none.yaml" "$SIC"
check_grep "... says so" "none\\.yaml: error: cannot open" "$T/err"

# Without the catalogue (an empty data directory) only rule files are known.
mkdir -p "$T/data/rules"
cp "$TOP_SRCDIR/rules/CLOUD_TRAIL_ENABLED.sql" "$T/data/rules/"
printf 'framework: x\ncontrols:\n  - id: A\n    rules: [CLOUD_TRAIL_ENABLED]\n' >"$T/one.yaml"
printf 'framework: x\ncontrols:\n  - id: A\n    rules: [ROOT_ACCOUNT_MFA_ENABLED]\n' >"$T/two.yaml"
CFGAUDIT_DATADIR="$T/data" check_exit "a rule file is known" 0 cfgaudit pack check --controls "$T/one.yaml" "$LZ"
CFGAUDIT_DATADIR="$T/data" check_exit "without catalogue or rule file: unknown" 3 cfgaudit pack check --controls "$T/two.yaml" "$LZ"
check_exit "--rules-dir identifiers are known" 0 env CFGAUDIT_DATADIR="$T/nothing" "$CFGAUDIT_BIN" pack check --rules-dir "$T/data/rules" --controls "$T/one.yaml" "$LZ"
done_testing
