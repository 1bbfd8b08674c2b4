#!/bin/sh
# t1302-pack-upstream: every AWS sample template in $SHARED_DIR/packs-upstream
# loads through 'pack check', and cfgaudit's own Security, Identity and
# Compliance pack resolves to exactly the rules of the AWS one.
. "$TOP_SRCDIR/tests/lib.sh"

UP="${SHARED_DIR:-}/packs-upstream"
[ -n "${SHARED_DIR:-}" ] && [ -d "$UP" ] || skip_all "SHARED_DIR/packs-upstream not present"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
mkdir "$T/nodata"
export CFGAUDIT_DATADIR="$T/nodata"

check_exit "every upstream template loads" 0 cfgaudit pack check --format json "$UP"/*.yaml "$UP"/*.yml
cp "$T/out" "$T/all.json"
got=$(jq '[.[] | select(.valid)] | length' "$T/all.json")
want=$(ls "$UP"/*.yaml "$UP"/*.yml | wc -l)
[ "$got" -eq "$want" ] && ok "$got valid templates" || not_ok "valid templates: $got of $want"
got=$(jq '[.[] | .rules | length] | add' "$T/all.json")
[ "$got" -gt 8000 ] && ok "over 8000 deployed rules ($got)" || not_ok "deployed rules: $got"
got=$(jq -r '.[] | select(.name == "Operational-Best-Practices-for-NZISM-Extension") | "\(.rules|length) \(.skipped|length)"' "$T/all.json")
[ "$got" = "0 12" ] && ok "NZISM-Extension: toggles default false, 12 skipped" || not_ok "NZISM-Extension: $got"
got=$(jq -r '[.[] | .ignored[]] | length' "$T/all.json")
[ "$got" -eq 5 ] && ok "5 remediation configurations ignored" || not_ok "ignored: $got"
got=$(jq -r '[.[] | .rules[] | select(.evaluation.reason == "custom Lambda rule: cannot be evaluated offline")] | length' "$T/all.json")
[ "$got" -eq 1 ] && ok "one custom Lambda rule" || not_ok "lambda rules: $got"

shape='[.[0].rules[] | [.ConfigRuleName, .logicalId, .Source, .InputParameters, .Scope]] | sort'
cfgaudit pack check --format json \
	"$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml" |
	jq -S "$shape" >"$T/ours"
cfgaudit pack check --format json \
	"$UP/Operational-Best-Practices-For-Security-Identity-and-Compliance-Services.yaml" |
	jq -S "$shape" >"$T/theirs"
check_same "our SIC pack resolves to the AWS pack's rules" "$T/theirs" "$T/ours"

done_testing
