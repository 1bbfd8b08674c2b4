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
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
rules=$since_ref_rules
days="1 2 3 4 5"

"$GEN" --landing-zone --seed 1262 --days 5 --churn 0.05 --out "$T/lz" --quiet ||
	bail_out "gen-archive failed"
for day in $days; do
	(cd "$T/lz" && find . -type f -path "*/2026/11/$day/*") | while read -r f; do
		mkdir -p "$T/day$day/$(dirname "$f")"
		cp "$T/lz/$f" "$T/day$day/$f"
	done
done
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
since_full "day 5: a full run (deleted from)" $rules
b=$run
q "DELETE FROM run_results WHERE rowid IN (SELECT rowid FROM run_results
	WHERE run_id = $b AND verdict = 1 LIMIT 3)"
check "day 5: a delete drops the digest" test "$(q "SELECT count(*) FROM run_digest
	WHERE run_id = $b")" = 0
cfgaudit eval --since-run "$b" --jobs 1 $rules >"$T/inc.out" 2>"$T/err"
inc=$(sed -n 's/^run //p' "$T/inc.out")
counts "$T/inc.out" >"$T/inc.counts"
view_counts "$inc" >"$T/view.counts"
check_same "day 5: counted from the rows left" "$T/view.counts" "$T/inc.counts"

since_full "day 5: a full run (updated)" $rules
b=$run
q "UPDATE run_results SET verdict = 3 WHERE rowid IN (SELECT rowid FROM run_results
	WHERE run_id = $b AND verdict = 0 LIMIT 2)"
check "day 5: an update drops the digest" test "$(q "SELECT count(*) FROM run_digest
	WHERE run_id = $b")" = 0
cfgaudit eval --since-run "$b" --jobs 1 $rules >"$T/inc.out" 2>"$T/err"
inc=$(sed -n 's/^run //p' "$T/inc.out")
counts "$T/inc.out" >"$T/inc.counts"
view_counts "$inc" >"$T/view.counts"
check_same "day 5: counted from the rows as updated" "$T/view.counts" "$T/inc.counts"

since_full "day 5: a full run (added to)" $rules
b=$run
q "INSERT INTO run_results(run_id, rule_no, account_id, aws_region, resource_no, verdict,
	annotation_no) SELECT run_id, rule_no, account_id, aws_region, resource_no, 1,
	annotation_no FROM run_results WHERE run_id = $b AND verdict = 0 LIMIT 2"
check "day 5: the digest stays" test "$(q "SELECT count(*) FROM run_digest
	WHERE run_id = $b")" = 1
cfgaudit eval --since-run "$b" --jobs 1 $rules >"$T/inc.out" 2>"$T/err"
inc=$(sed -n 's/^run //p' "$T/inc.out")
counts "$T/inc.out" >"$T/inc.counts"
view_counts "$inc" >"$T/view.counts"
check_same "day 5: counted with the rows added (outside the digest's range)" \
	"$T/view.counts" "$T/inc.counts"
done_testing
