#!/bin/sh
# t1232-eval-split-derived: with --jobs 2, a rule reading two derived
# tables that two connections each built one of is still evaluated (the
# connection that runs out of other rules builds its own copies); every
# rule gives the same results as on one connection.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/split-derived"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"
dump() {
	q "SELECT u.identifier, r.account_id, r.compliance_type, r.annotation
	   FROM results r JOIN run_rules u ON u.run_id = r.run_id AND u.pack_name = r.pack_name
	    AND u.config_rule_name = r.config_rule_name
	   WHERE r.run_id = $1 ORDER BY 1, 2"
}
for jobs in 1 2 2 2; do
	check_exit "--jobs $jobs" 1 cfgaudit eval --jobs "$jobs" --timings --rules-dir "$D" \
		--rule SLOW_KMS --rule SLOW_ELB --rule BOTH_TABLES
	check_grep "--jobs $jobs: every rule evaluated" '^rules 3 evaluated, 0 not evaluated' "$T/out"
	check_grep "--jobs $jobs: the rule reading both tables ran" 'rows  both-tables$' "$T/err"
	dump "$(sed -n 's/^run //p' "$T/out")" >"$T/got$jobs"
	check "--jobs $jobs: results stored" test -s "$T/got$jobs"
	check_same "--jobs $jobs: the same results as one connection" "$T/got1" "$T/got$jobs"
done
done_testing
