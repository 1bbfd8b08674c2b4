#!/bin/sh
# t1800-controls-upstream: every rule identifier a shipped control mapping
# (packs/controls/*.yaml) names exists in the AWS sample pack(s) the
# mapping says it describes, in $SHARED_DIR/packs-upstream; and, per
# framework, how many of the mapped rules cfgaudit evaluates (printed as
# TAP comments, so that 'make check' logs show the coverage).
. "$TOP_SRCDIR/tests/lib.sh"

UP="${SHARED_DIR:-}/packs-upstream"
[ -n "${SHARED_DIR:-}" ] && [ -d "$UP" ] || skip_all "SHARED_DIR/packs-upstream not present"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

n=0
for m in "$TOP_SRCDIR"/packs/controls/*.yaml; do
	base=${m##*/}
	# The packs the mapping names, as the loader reads its 'packs:' list
	# (any YAML style), through 'pack check' of any pack.
	cfgaudit pack check --format json --controls "$m" "$TOP_SRCDIR/packs/Landing-Zone-Baseline-Checks.yaml" \
		>"$T/names.json" 2>"$T/err"
	[ $? -le 1 ] || { not_ok "$base: does not load"; sed 's/^/#   /' "$T/err" | head -5; continue; }
	packs=$(jq -r '.[0].controls.packs[]' "$T/names.json")
	files=""
	for p in $packs; do
		if [ -f "$UP/$p.yaml" ]; then
			files="$files $UP/$p.yaml"
		elif [ -f "$UP/$p.yml" ]; then
			files="$files $UP/$p.yml"
		elif [ -f "$TOP_SRCDIR/packs/$p.yaml" ]; then
			files="$files $TOP_SRCDIR/packs/$p.yaml"
		fi
	done
	if [ -z "$files" ]; then
		not_ok "$base: none of its packs is in packs-upstream or packs/"
		continue
	fi
	n=$((n + 1))
	# shellcheck disable=SC2086
	cfgaudit pack check --format json --controls "$m" $files >"$T/check.json" 2>"$T/err"
	[ $? -le 1 ] || { not_ok "$base: pack check"; sed 's/^/#   /' "$T/err" | head -5; continue; }
	# A mapped rule missing from one pack may be in another of its packs
	# (CIS Level 1 and Level 2): only one missing from all of them counts.
	missing=$(jq -r --argjson n "$(jq length "$T/check.json")" \
		'[.[] | .controls.notInPack[]] | group_by(.) | map(select(length == $n) | .[0]) | .[]' \
		"$T/check.json")
	if [ -z "$missing" ]; then
		ok "$base: every mapped rule is in its sample pack(s)"
	else
		not_ok "$base: mapped rules in none of its packs: $(echo $missing)"
	fi
	# Coverage: distinct mapped identifiers, and how cfgaudit handles them.
	jq -r '[.[] | .rules[] | select((.Controls | length) > 0)] | unique_by(.Source.SourceIdentifier) |
		"\(length) \([.[] | select(.evaluation.status == "evaluated")] | length) \([.[] | select(.evaluation.status == "insufficient-data")] | length)"' \
		"$T/check.json" >"$T/cov"
	read -r mapped evald insuff <"$T/cov"
	fw=$(jq -r '.[0].controls.framework' "$T/check.json")
	nctl=$(jq -r '.[0].controls.controls' "$T/check.json")
	echo "# $fw: $nctl controls, $mapped rules mapped; cfgaudit evaluates $((evald + insuff)) ($evald fully, $insuff with INSUFFICIENT_DATA where Config lacks the data)"
done
[ "$n" -ge 5 ] && ok "five shipped mappings checked ($n)" || not_ok "shipped mappings checked: $n"
done_testing
