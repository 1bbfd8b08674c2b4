#!/bin/sh
# shellcheck disable=SC2086
# t1236: a run that others are stored by reference to (eval --since-run,
# schema version 4) can be deleted: cfgaudit deletes no run, but a store
# pruned by hand stays whole, as the delete of the base's results or of
# its runs row first stores every run whose chain holds it in full (the
# triggers of schema.c). Their results are unchanged, and they serve as
# bases again.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1236
rules=$since_ref_rules

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run" $rules
a=$run
check "day 2: ingest" cfgaudit --quiet ingest "$T/day2"
cfgaudit eval --since-run "$a" $rules >"$T/out" 2>"$T/err"
b=$(since_run_of)
check "day 2: run $b by reference to run $a" test "$(q "SELECT base_run FROM run_ref WHERE run_id = $b")" = "$a"
check "day 3: ingest" cfgaudit --quiet ingest "$T/day3"
cfgaudit eval --since-run "$b" $rules >"$T/out" 2>"$T/err"
c=$(since_run_of)
check "day 3: run $c by reference to run $b, depth 2" test "$(q "SELECT depth FROM run_ref WHERE run_id = $c")" = 2
since_results "$b" "$T/b"
since_results "$c" "$T/c"
check "run $b shows its base's results" test "$(wc -l <"$T/b")" -gt "$(q "SELECT count(*) FROM run_results WHERE run_id = $b")"
cp "$CFGAUDIT_DB" "$T/orig.db"

# Deleting the first run's results: runs b and c are stored in full first.
q "DELETE FROM run_results WHERE run_id = $a"
check "run $a's results are gone" test "$(q "SELECT count(*) FROM run_results WHERE run_id = $a")" = 0
check "no run references run $a" test "$(q "SELECT count(*) FROM run_chain WHERE ancestor = $a")" = 0
check "runs $b and $c are stored in full" test "$(q "SELECT count(*) FROM run_ref WHERE run_id IN ($b, $c)")" = 0
check "... every row of theirs" test "$(q "SELECT count(*) FROM run_results WHERE run_id = $c")" = "$(wc -l <"$T/c")"
since_results "$b" "$T/b2"
since_results "$c" "$T/c2"
check_same "run $b's results unchanged" "$T/b" "$T/b2"
check_same "run $c's results unchanged" "$T/c" "$T/c2"
check "nothing left of their records" test "$(q "SELECT (SELECT count(*) FROM run_reach WHERE run_id IN ($b, $c))
	+ (SELECT count(*) FROM run_stale WHERE run_id IN ($b, $c))
	+ (SELECT count(*) FROM run_places WHERE run_id IN ($b, $c))")" = 0
q "DELETE FROM runs WHERE run_id = $a"
cfgaudit eval --since-run "$c" $rules >"$T/out" 2>"$T/err"
d=$(since_run_of)
check "run $c is a base again (run $d)" test "$(q "SELECT base_run FROM run_ref WHERE run_id = $d")" = "$c"
since_results "$d" "$T/d"
check_same "... with its results" "$T/c" "$T/d"

# Deleting the middle run's runs row first: run c is stored in full.
cp "$T/orig.db" "$CFGAUDIT_DB"
q "DELETE FROM runs WHERE run_id = $b"
check "run $c stored in full when run $b goes" test "$(q "SELECT count(*) FROM run_chain WHERE run_id = $c")" = 0
q "DELETE FROM run_results WHERE run_id = $b"
since_results "$c" "$T/c3"
check_same "run $c's results unchanged" "$T/c" "$T/c3"
check "run $a untouched" test "$(q "SELECT count(*) FROM run_results WHERE run_id = $a")" -gt 0
check_exit "report of run $c" 1 cfgaudit report --run "$c" --format csv

# A run nobody references goes without a copy.
cp "$T/orig.db" "$CFGAUDIT_DB"
n=$(q "SELECT count(*) FROM run_results")
own=$(q "SELECT count(*) FROM run_results WHERE run_id = $c")
q "DELETE FROM run_results WHERE run_id = $c"
check "the last run's rows go alone" test "$(q "SELECT count(*) FROM run_results")" = $((n - own))
done_testing
