#!/bin/sh
# t1208-eval-jobs: evaluating on several connections gives exactly the
# run one connection gives: the same results in the same order, the same
# scope and summary, whatever thread ran which rule.
. "$TOP_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"

dump() {
	sqlite3 "$CFGAUDIT_DB" "SELECT r.rule_no, r.account_id, r.aws_region, s.resource_type, s.resource_id,
		r.verdict, a.annotation, hex(s.item_key) FROM run_results r JOIN run_resources s USING (resource_no) LEFT JOIN run_annotations a USING (annotation_no) WHERE r.run_id = $1
		ORDER BY r.rowid; SELECT account_id, aws_region FROM run_scope WHERE run_id = $1 ORDER BY 1, 2;
		SELECT config_rule_name, evaluated, reason FROM run_rules WHERE run_id = $1
		ORDER BY rule_no"
}

for pack in Operational-Best-Practices-for-Security-Identity-and-Compliance-Services \
	Landing-Zone-Baseline-Checks; do
	check_exit "$pack on one connection" 1 cfgaudit eval --jobs 1 --pack "$pack" \
		--timings --rules-dir "$TOP_SRCDIR/tests/data/eval/rules-bad" --rule ECHO_PARAM
	one=$(sed -n 's/^run //p' "$T/out")
	grep -v '^run \|^seconds ' "$T/out" >"$T/summary1"
	check_exit "$pack on four connections" 1 cfgaudit eval --jobs 4 --pack "$pack" \
		--timings --rules-dir "$TOP_SRCDIR/tests/data/eval/rules-bad" --rule ECHO_PARAM
	four=$(sed -n 's/^run //p' "$T/out")
	grep -v '^run \|^seconds ' "$T/out" >"$T/summary4"
	check_same "$pack: the same summary" "$T/summary1" "$T/summary4"
	check_grep "$pack: timings name each connection's state" \
		'point-in-time state, connection 2' "$T/err"
	dump "$one" >"$T/one"
	dump "$four" >"$T/four"
	check_same "$pack: the same results, scope and rules, in the same order" "$T/one" "$T/four"
	check "$pack: results were stored" test -s "$T/one"
done

check_exit "a rule that fails on a worker connection" 3 cfgaudit eval --jobs 3 \
	--rules-dir "$TOP_SRCDIR/tests/data/eval/rules-bad" --rule BAD_VERDICT \
	--rule INCOMING_SSH_DISABLED --rule ECHO_PARAM
check_grep "is reported with its file" "BAD_VERDICT.sql:.*compliance_type 'MAYBE'" "$T/err"
check_grep "and the others still ran" '^rules 2 evaluated' "$T/out"

# Another process holds the write lock (an ingest writing a large
# file): the connections cannot be lined up on one state, and the
# evaluation runs on one connection instead of waiting; it stores its run
# once the lock is free.
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(3)
c.execute("ROLLBACK")' "$CFGAUDIT_DB" >"$T/lock.out" &
	lock_pid=$!
	n=0
	while ! grep -q locked "$T/lock.out" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	check_exit "eval while another process writes" 1 cfgaudit eval --jobs 2 --timings \
		--pack Landing-Zone-Baseline-Checks
	check_grep "ran on one connection" '\(point-in-time state\)$' "$T/err"
	check_grep "and stored its run" '^run [0-9]+$' "$T/out"
	wait $lock_pid
fi

check_exit "--jobs 0 is refused" 2 cfgaudit eval --jobs 0
check_grep "with a message" "jobs" "$T/err"
check_exit "--jobs must be a number" 2 cfgaudit eval --jobs many
done_testing
