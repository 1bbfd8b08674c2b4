#!/bin/sh
# t1803-bundle-controls: the evidence bundle's per-control index,
# controls/index.json: present when a shipped mapping names the run's pack,
# with each control's status, rules, verdicts, the item keys of
# items/items.jsonl and the source files behind them; absent otherwise;
# the bundle stays reproducible and verifies.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
R="$TOP_SRCDIR/tests/data/report"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
"$MKDB" "$CFGAUDIT_DB" "$R/fixture.sql" "$R/bundle.sql" "$TOP_SRCDIR/tests/data/controls/bundle-sources.sql" ||
	bail_out "cannot build the database"
mkdir -p "$T/data/packs/controls"
cp "$TOP_SRCDIR/tests/data/controls/fixture-map.yaml" "$T/data/packs/controls/test.yaml"

export CFGAUDIT_DATADIR="$T/nothing"
check "bundle without a mapping" cfgaudit bundle -o "$T/none.tar.gz"
if tar tzf "$T/none.tar.gz" | grep -q controls/; then not_ok "no index without a mapping"; else ok "no index without a mapping"; fi

export CFGAUDIT_DATADIR="$T/data"
check "bundle with a mapping naming the pack" cfgaudit bundle -o "$T/a.tar.gz"
check "again" cfgaudit bundle -o "$T/b.tar.gz"
if cmp -s "$T/a.tar.gz" "$T/b.tar.gz"; then ok "same bytes"; else not_ok "same bytes"; fi
check "it verifies" cfgaudit verify "$T/a.tar.gz"
tar xzf "$T/a.tar.gz" -C "$T" || bail_out "cannot unpack"
I="$T/cfgaudit-run-2/controls/index.json"
[ -f "$I" ] && ok "controls/index.json present" || bail_out "no controls/index.json"
grep -q ' controls/index.json$' "$T/cfgaudit-run-2/SHA256SUMS" && ok "listed in SHA256SUMS" || not_ok "listed in SHA256SUMS"
got=$(jq -c '[.Framework, .ItemsMember, [.Controls[] | [.ControlId, .ComplianceType]]]' "$I")
[ "$got" = '["Test framework <b>&","items/items.jsonl",[["A.1","NON_COMPLIANT"],["A.2","INSUFFICIENT_DATA"],["A.3","NOT_EVALUATED"],["A.4","NOT_EVALUATED"],["B.1","NON_COMPLIANT"]]]' ] &&
	ok "every control with its status" || not_ok "controls: $got"
got=$(jq -c '.Controls[0].Rules[0] | [.ConfigRuleName, .ComplianceType, .Reason, .RuleFile, (.Results | length)]' "$I")
[ "$got" = '["s3-bucket-public-read-prohibited","NON_COMPLIANT","2 resources NON_COMPLIANT","rules/S3_BUCKET_PUBLIC_READ_PROHIBITED.sql",6]' ] &&
	ok "a rule: verdict, reason, rule file, its results" || not_ok "rule: $got"
got=$(jq -c '[.Controls[0].Rules[0].Results[] | select(.ItemKey == "00000000000000000000000000000001") | .SourceFiles][0]' "$I")
[ "$got" = '["AWSLogs/111111111111/Config/us-east-1/2026/11/1/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261101T000000Z_a.json.gz"]' ] &&
	ok "an item's snapshot file" || not_ok "snapshot evidence: $got"
got=$(jq -c '[.Controls[0].Rules[0].Results[] | select(.ItemKey == "00000000000000000000000000000002") | .SourceFiles][0] | length' "$I")
[ "$got" = '1' ] && ok "an item's non-snapshot source file" || not_ok "item_sources evidence: $got"
# Every item key of the index is an item of items/items.jsonl.
jq -r '.Controls[].Rules[].Results[].ItemKey // empty' "$I" | sort -u >"$T/keys"
jq -r '.ItemKey' "$T/cfgaudit-run-2/items/items.jsonl" | sort -u >"$T/items"
missing=$(comm -23 "$T/keys" "$T/items" | wc -l)
[ "$missing" -eq 0 ] && [ -s "$T/keys" ] && ok "item keys lead to items/items.jsonl" || not_ok "item keys not in items.jsonl: $missing"
got=$(jq -c '[.Controls[3].Rules[0] | .ConfigRuleName, .Reason, .Results]' "$I")
[ "$got" = '[null,"not in this run",[]]' ] && ok "a rule not in the run" || not_ok "A.4: $got"
done_testing
