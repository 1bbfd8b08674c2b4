#!/bin/sh
# t1606-junk-relationships: relationships elements that are not
# relationships (a string, a number, null, an object of wrong-typed
# fields) beside the real ones change no verdict of any rule: every rule
# fixture's items are evaluated with every shipped rule as they are and
# with junk added to each item's relationships, and the two runs' results
# are the same, with no rule error (the relationships view read each
# element as an object before its type was tested: 'malformed JSON').
. "$TOP_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

G="$TOP_SRCDIR/tests/cli/garble-fixtures.py"
args=$("$CFGAUDIT_BIN" rules list --format json | python3 "$G" --args) || bail_out "rules list"
python3 "$G" "$TOP_SRCDIR/tests/rules" "$T" clean relationships || bail_out "cannot write the fixtures"

for mode in clean relationships; do
	db="$T/$mode.db"
	cfgaudit --db "$db" --quiet ingest "$T/$mode" >/dev/null 2>&1
	[ -s "$db" ] || bail_out "$mode: nothing was stored"
	# shellcheck disable=SC2086 # one argument a word
	cfgaudit --db "$db" --quiet eval $args >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -le 1 ] && ok "$mode: every rule evaluates (exit $rc)" || {
		not_ok "$mode: eval exits $rc"
		sed 's/^/#   /' "$T/err" | head -10
	}
	check_grep "$mode: every rule evaluated" '^rules [0-9]+ evaluated, 0 not evaluated, 0 invalid$' \
		"$T/out"
	sqlite3 -separator ' | ' "$db" "SELECT config_rule_name, account_id, aws_region,
		resource_type, resource_id, compliance_type, annotation FROM results ORDER BY 1, 2, 3, 4, 5" \
		>"$T/$mode.results"
done
[ "$(wc -l <"$T/clean.results")" -gt 3000 ] && ok "the fixtures give results" ||
	not_ok "only $(wc -l <"$T/clean.results") results"
check_same "junk relationships change no result" "$T/clean.results" "$T/relationships.results"
done_testing
