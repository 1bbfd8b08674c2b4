#!/bin/sh
# shellcheck disable=SC2086
# t1262: a run's results keep a digest (run_digest, store/run.h) from
# which a later nightly run stored by reference counts its base's
# results without reading them. Over days of churn (new, changed and
# deleted resources, a chain of nightly runs), the nightly run's summary
# counts equal those of its results as the results view resolves them
# and those of a full run; a base whose results were deleted, added to
# or updated by hand after its digest was written is counted from its
# rows (the triggers drop the digest, rows outside its range are seen).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1262 5
rules=$since_ref_rules

# the summary's counts, and those of the run's results in the view
counts() { grep -E '^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA) ' "$1"; }
view_counts() {
	for v in COMPLIANT NON_COMPLIANT NOT_APPLICABLE INSUFFICIENT_DATA; do
		echo "$v $(q "SELECT count(*) FROM results WHERE run_id = $1
			AND compliance_type = '$v'")"
	done
}
# nightly DESC BASE: eval --since-run BASE, whose counts must be its
# results' and a full run's (sets inc)
nightly() {
	cfgaudit eval --since-run "$2" --jobs 1 $rules >"$T/inc.out" 2>"$T/err"
	inc=$(sed -n 's/^run //p' "$T/inc.out")
	check_grep "$1: run $inc since run $2" '^since-run [0-9]+: ' "$T/inc.out"
	counts "$T/inc.out" >"$T/inc.counts"
	view_counts "$inc" >"$T/view.counts"
	check_same "$1: the summary counts the results the run shows" "$T/view.counts" \
		"$T/inc.counts"
	cfgaudit eval --jobs 1 $rules >"$T/full.out" 2>"$T/err"
	counts "$T/full.out" >"$T/full.counts"
	check_same "$1: the summary counts those of a full run" "$T/full.counts" "$T/inc.counts"
	since_results "$inc" "$T/inc"
	since_results "$(sed -n 's/^run //p' "$T/full.out")" "$T/full"
	check_same "$1: the results of a full run" "$T/full" "$T/inc"
}

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run" $rules
base=$run
check "day 1: the run has a digest" test "$(q "SELECT count(*) FROM run_digest
	WHERE run_id = $base")" = 1
check "day 1: its range holds its rows" test "$(q "SELECT count(*) FROM run_results r
	JOIN run_digest g ON g.run_id = r.run_id WHERE r.run_id = $base
	AND r.rowid BETWEEN g.rowid_lo AND g.rowid_hi")" = "$(q "SELECT count(*)
	FROM run_results WHERE run_id = $base")"

# a chain of nightly runs, each from the one before
prev=$base
for day in 2 3 4; do
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	nightly "day $day" "$prev"
	prev=$inc
done
check "the chain is stored by reference" test "$(q "SELECT count(*) FROM run_ref
	WHERE run_id = $prev")" = 1

# A base edited by hand after its digest was written: each a new full
# base, edited, then a nightly run from it (the same data: nothing
# changed, every result the base's).
check "day 5: ingest" cfgaudit --quiet ingest "$T/day5"
# edited DESC SQL DIGESTS: a full run, SQL on its results (BASE for its
# id), then DIGESTS (0 or 1) digests of it left, and a nightly run from it
# that counts its results as the view shows them.
edited() {
	since_full "day 5: a full run ($1)" $rules
	sqlite3 "$CFGAUDIT_DB" "$(echo "$2" | sed "s/BASE/$run/g")"
	check "day 5 ($1): digests left: $3" test "$(q "SELECT count(*) FROM run_digest
		WHERE run_id = $run")" = "$3"
	cfgaudit eval --since-run "$run" --jobs 1 $rules >"$T/inc.out" 2>"$T/err"
	inc=$(sed -n 's/^run //p' "$T/inc.out")
	counts "$T/inc.out" >"$T/inc.counts"
	view_counts "$inc" >"$T/view.counts"
	check_same "day 5 ($1): counted as the base's rows now are" "$T/view.counts" \
		"$T/inc.counts"
}
edited "deleted from" "DELETE FROM run_results WHERE rowid IN (SELECT rowid FROM run_results
	WHERE run_id = BASE AND verdict = 1 LIMIT 3)" 0
edited "updated" "UPDATE run_results SET verdict = 3 WHERE rowid IN (SELECT rowid
	FROM run_results WHERE run_id = BASE AND verdict = 0 LIMIT 2)" 0
# rows added after the digest lie outside its range
edited "added to" "INSERT INTO run_results(run_id, rule_no, account_id, aws_region,
	resource_no, verdict, annotation_no) SELECT run_id, rule_no, account_id, aws_region,
	resource_no, 1, annotation_no FROM run_results WHERE run_id = BASE AND verdict = 0
	LIMIT 2" 1
done_testing
