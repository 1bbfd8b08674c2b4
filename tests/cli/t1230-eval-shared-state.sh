#!/bin/sh
# t1230-eval-shared-state: the connections of one evaluation read one
# point-in-time state, built once into a scratch file under TMPDIR; the
# file is gone after the run, and where it cannot be made the evaluation
# builds the state in memory on one connection: the results are the same
# every way.
. "$TOP_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"

dump() {
	sqlite3 "$CFGAUDIT_DB" "SELECT r.rule_no, r.account_id, r.aws_region, s.resource_type, s.resource_id,
		r.verdict, a.annotation, hex(s.item_key) FROM run_results r JOIN run_resources s USING (resource_no) LEFT JOIN run_annotations a USING (annotation_no) WHERE r.run_id = $1
		ORDER BY r.rowid; SELECT account_id, aws_region FROM run_scope WHERE run_id = $1 ORDER BY 1, 2"
}

pack=Operational-Best-Practices-for-Security-Identity-and-Compliance-Services
mkdir "$T/tmp"
for jobs in 1 2; do
	TMPDIR=$T/tmp check_exit "--jobs $jobs with a scratch directory" 1 cfgaudit eval \
		--jobs "$jobs" --pack "$pack" --timings
	eval "run$jobs=\$(sed -n 's/^run //p' \"\$T/out\")"
	cp "$T/err" "$T/err$jobs"
	check "--jobs $jobs leaves no scratch file" test -z "$(ls "$T/tmp")"
done
check_grep "two connections ran" 'point-in-time state, connection 2' "$T/err2"
dump "$run1" >"$T/one"
dump "$run2" >"$T/two"
check "results were stored" test -s "$T/one"
check_same "one and two connections: the same results and scope" "$T/one" "$T/two"

# No scratch file can be made: the state is built in memory, on one
# connection, with the same results.
TMPDIR=$T/missing check_exit "--jobs 2 without a usable TMPDIR" 1 cfgaudit eval --jobs 2 \
	--pack "$pack" --timings
check_grep "ran on one connection" '\(point-in-time state\)$' "$T/err"
dump "$(sed -n 's/^run //p' "$T/out")" >"$T/mem"
check_same "the same results as from the shared state" "$T/one" "$T/mem"
done_testing
