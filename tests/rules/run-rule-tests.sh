#!/bin/sh
# run-rule-tests.sh: every rule fixture under tests/rules/ as one TAP test.
#
# A directory tests/rules/IDENTIFIER/ (or IDENTIFIER/CASE/) that holds a
# file `expected` is one case: its *.json files are ingested into a fresh
# database, `cfgaudit eval --rule IDENTIFIER` runs with the case's
# `params` (KEY=VALUE lines) and `as-of`, and the results of the run
# (account, region, type, id, compliance, TAB-separated, sorted) must equal
# `expected`. An `annotations` file (resource_id TAB text) requires each
# listed resource's annotation to contain the text. Evidence files go in
# an AWSLogs/<account>/Evidence/<region>/<service>/<operation>/ tree of
# the case directory, as cfgaudit-collect writes them.
#
# Usage: run through make check, or by hand:
#   TOP_SRCDIR=. CFGAUDIT_BIN=build/cfgaudit tests/rules/run-rule-tests.sh [IDENTIFIER...]
. "$TOP_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "sqlite3 command not found"
rules_root="$TOP_SRCDIR/tests/rules"

cases=$(find "$rules_root" -name expected -type f | sed 's|/expected$||' | LC_ALL=C sort)
[ -n "$cases" ] || skip_all "no rule fixtures"

only=" $* "
for dir in $cases; do
	rel=${dir#"$rules_root"/}
	id=${rel%%/*}
	case "$only" in
	"  ") ;;
	*" $id "*) ;;
	*) continue ;;
	esac
	db="$T/$(echo "$rel" | tr / _).db"
	set --
	if [ -f "$dir/params" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -n "$line" ] && set -- "$@" --param "$line"
		done <"$dir/params"
	fi
	if [ -f "$dir/as-of" ]; then
		set -- "$@" --as-of "$(head -n 1 "$dir/as-of")"
	fi
	# The case's items, and its evidence files as the AWSLogs/<account>/
	# Evidence/... tree they are collected in (cfgaudit-ingest(1)).
	inputs=
	for f in "$dir"/*.json "$dir/AWSLogs"; do
		[ -e "$f" ] && inputs="$inputs$f
"
	done
	if [ -z "$inputs" ]; then
		not_ok "$rel: no input files"
		continue
	fi
	# shellcheck disable=SC2086 # one path per line
	if ! (IFS='
'
		set -f
		cfgaudit --db "$db" --quiet ingest $inputs) >"$T/ingest.out" 2>&1; then
		not_ok "$rel: ingest failed"
		sed 's/^/#   /' "$T/ingest.out" | head -10
		continue
	fi
	cfgaudit --db "$db" --quiet eval --rule "$id" "$@" >"$T/eval.out" 2>"$T/eval.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		not_ok "$rel: eval exited $rc"
		sed 's/^/#   /' "$T/eval.err" | head -10
		continue
	fi
	if [ -s "$T/eval.err" ]; then
		not_ok "$rel: eval printed diagnostics"
		sed 's/^/#   /' "$T/eval.err" | head -10
		continue
	fi
	sqlite3 -separator '	' "$db" "SELECT account_id, aws_region, resource_type,
		resource_id, compliance_type FROM results
		WHERE run_id = (SELECT max(run_id) FROM runs)" | LC_ALL=C sort >"$T/actual"
	LC_ALL=C sort "$dir/expected" | sed '/^$/d' >"$T/expected"
	if ! diff -u "$T/expected" "$T/actual" >"$T/diff"; then
		not_ok "$rel: results differ from expected"
		sed 's/^/#   /' "$T/diff" | head -40
		continue
	fi
	# Exit 1 exactly when a result is NON_COMPLIANT.
	if grep -q 'NON_COMPLIANT$' "$T/expected"; then want_rc=1; else want_rc=0; fi
	if [ $rc -ne $want_rc ]; then
		not_ok "$rel: eval exited $rc, expected $want_rc"
		continue
	fi
	if [ -f "$dir/annotations" ]; then
		bad=0
		while IFS='	' read -r rid text || [ -n "$rid" ]; do
			[ -n "$rid" ] || continue
			ann=$(sqlite3 "$db" "SELECT annotation FROM results WHERE run_id =
				(SELECT max(run_id) FROM runs) AND resource_id = '$(echo "$rid" |
				sed "s/'/''/g")'")
			case "$ann" in
			*"$text"*) ;;
			*)
				bad=1
				echo "#   $rid: annotation '$ann' lacks '$text'"
				;;
			esac
		done <"$dir/annotations"
		if [ $bad = 1 ]; then
			not_ok "$rel: annotations"
			continue
		fi
	fi
	ok "$rel"
done
done_testing
