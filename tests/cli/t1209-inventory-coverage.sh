#!/bin/sh
# t1209-inventory-coverage: inventory_coverage lists exactly the account-
# regions with a snapshot at or before the as-of time (the global row from
# the snapshot that carried IAM items), and never one known only from
# API answers.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/coverage"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest the sample archive" cfgaudit --quiet ingest "$TOP_SRCDIR/testdata"
check "ingest an API answer of an account without snapshots" cfgaudit --quiet ingest \
	"$D/api-history.json"
dump() {
	cfgaudit --quiet eval --rules-dir "$D/rules" --rule DUMP_INVENTORY_COVERAGE "$@" \
		>/dev/null 2>"$T/err" || { cat "$T/err"; return 1; }
	sqlite3 "$CFGAUDIT_DB" "SELECT account_id || ' ' || aws_region FROM results
		WHERE run_id = (SELECT max(run_id) FROM runs) ORDER BY 1" >"$T/got"
}
check "before the first snapshot nothing is covered" dump --as-of 2026-11-01T00:30:00Z
check "empty" test ! -s "$T/got"
check "after the second day's snapshots" dump --as-of 2026-11-03
check_grep "a regional series" '^111111111111 eu-west-1$' "$T/got"
check_grep "the global series" '^111111111111 global$' "$T/got"
check "five accounts x (two regions + global)" test "$(wc -l <"$T/got")" -eq 15
check "an account known only from an API answer is not covered" sh -c \
	"! grep -q 999999999999 '$T/got'"
done_testing
