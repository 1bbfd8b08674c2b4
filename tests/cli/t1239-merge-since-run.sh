#!/bin/sh
# shellcheck disable=SC2086
# t1239: cfgaudit merge of shards whose latest run is stored by reference
# to a base (eval --since-run, schema version 4) merges that run's results
# as it shows them: the same as merging the shards' full runs of the same
# time, and the merged run is stored in full (no chain of the shards').
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
MGMT=111111111111
# run times from the clock would differ between the two ways
export SOURCE_DATE_EPOCH=1796000000
rules=$since_ref_rules
results() {
	sqlite3 "$1" "SELECT pack_name, config_rule_name, account_id, aws_region,
		resource_type, resource_id, compliance_type, annotation, hex(item_key)
		FROM results WHERE run_id = (SELECT max(run_id) FROM runs) ORDER BY 1, 2, 3, 4, 5, 6"
}
refs=0
for k in 0 1 2; do
	check "shard $k: ingest" cfgaudit --db "$T/s$k.db" --quiet ingest --shard "$k/3" \
		--context-account $MGMT "$TESTDATA"
	cfgaudit --db "$T/s$k.db" --quiet eval $rules --as-of 2026-11-03T12:00:00Z >/dev/null 2>&1
	cp "$T/s$k.db" "$T/f$k.db"
	cfgaudit --db "$T/s$k.db" --quiet eval $rules --as-of 2026-11-07T12:00:00Z \
		--since-run latest >"$T/out" 2>"$T/err"
	check_grep "shard $k: a run since the first" '^since-run [0-9]+: ' "$T/out"
	refs=$((refs + $(sqlite3 "$T/s$k.db" "SELECT count(*) FROM run_ref")))
	cfgaudit --db "$T/f$k.db" --quiet eval $rules --as-of 2026-11-07T12:00:00Z >/dev/null 2>&1
done
check "some shard's run is stored by reference ($refs)" test "$refs" -gt 0
check "merge the runs since" cfgaudit merge -o "$T/org.db" "$T/s0.db" "$T/s1.db" "$T/s2.db"
check "merge the full runs" cfgaudit merge -o "$T/orgf.db" "$T/f0.db" "$T/f1.db" "$T/f2.db"
results "$T/org.db" >"$T/org.txt"
results "$T/orgf.db" >"$T/orgf.txt"
check "results exist ($(wc -l <"$T/orgf.txt"))" test -s "$T/orgf.txt"
check_same "the same merged results" "$T/orgf.txt" "$T/org.txt"
check "the merged run is stored in full" test "$(sqlite3 "$T/org.db" "SELECT
	(SELECT count(*) FROM run_chain) + (SELECT count(*) FROM run_ref)
	+ (SELECT count(*) FROM run_reach)")" = 0
check "every row its own" test "$(sqlite3 "$T/org.db" "SELECT count(*) FROM run_results")" = \
	"$(wc -l <"$T/org.txt")"
done_testing
