#!/bin/sh
# t1302-pack-upstream: every AWS sample template in $SHARED_DIR/packs-upstream
# loads through 'pack check', and cfgaudit's own Security, Identity and
# Compliance pack resolves to exactly the rules of the AWS one. With the
# shipped rules (not an empty data directory): every wave-1 identifier
# resolves wherever a sample pack names it, and the median sample pack has
# at least 85% of its rules evaluated.
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

command -v python3 >/dev/null 2>&1 || { done_testing; exit; }
CFGAUDIT_DATADIR=$TOP_SRCDIR cfgaudit pack check --format json "$UP"/*.yaml "$UP"/*.yml \
	>"$T/shipped.json" 2>"$T/err"
[ $? -le 1 ] && ok "every upstream template checks against the shipped rules" ||
	{ not_ok "pack check with the shipped rules"; sed 's/^/#   /' "$T/err" | head -5; }
python3 - "$T/shipped.json" "$TOP_SRCDIR/tests/data/packs/wave1-identifiers.txt" \
	>"$T/coverage" <<'PY'
import json, statistics, sys
packs = json.load(open(sys.argv[1]))
wave = {l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith('#')}
unresolved, fractions, full = set(), [], 0
for p in packs:
    rules = p['rules']
    if not rules:
        continue
    done = sum(1 for r in rules if r['evaluation']['evaluated'])
    fractions.append(done / len(rules))
    full += done == len(rules)
    for r in rules:
        ident = r['Source'].get('SourceIdentifier')
        if ident in wave and not r['evaluation']['evaluated']:
            unresolved.add(ident)
print('unresolved', ' '.join(sorted(unresolved)) or '-')
print('median %.1f' % (100 * statistics.median(fractions)))
print('full %d of %d' % (full, len(fractions)))
PY
got=$(sed -n 's/^unresolved //p' "$T/coverage")
[ "$got" = "-" ] && ok "every wave-1 identifier is evaluated in every sample pack" ||
	not_ok "wave-1 identifiers not evaluated: $got"
median=$(sed -n 's/^median //p' "$T/coverage")
echo "# median share of a sample pack's rules evaluated: $median%;" \
	"fully evaluated packs: $(sed -n 's/^full //p' "$T/coverage")"
python3 -c "import sys; sys.exit(0 if float('$median') >= 85 else 1)" &&
	ok "the median sample pack has >= 85% of its rules evaluated ($median%)" ||
	not_ok "median sample pack coverage $median% < 85%"

done_testing
