#!/bin/sh
# shellcheck disable=SC2086
# t1235: nightly runs made each from the one before (eval --since-run
# PREV) are stored by reference to their base: only what they
# re-evaluated, the rest read through a chain of bases (schema version 4,
# run_chain / run_reach / run_ref). Day after day their results, their
# summary counts and what each reader sees equal those of a full run; a
# chain ends at SINCE_REF_MAX_DEPTH (7) runs, where a run is stored in
# full again.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
rules=$since_ref_rules
days="1 2 3 4 5 6 7 8 9 10"

"$GEN" --landing-zone --seed 1235 --days 10 --churn 0.02 --out "$T/lz" --quiet ||
	bail_out "gen-archive failed"
for day in $days; do
	(cd "$T/lz" && find . -type f -path "*/2026/11/$day/*") | while read -r f; do
		mkdir -p "$T/day$day/$(dirname "$f")"
		cp "$T/lz/$f" "$T/day$day/$f"
	done
done
run_of() { sed -n 's/^run //p' "$1"; }
# the summary's counts
counts() { grep -E '^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA) ' "$1"; }
depth_of() { q "SELECT coalesce((SELECT depth FROM run_ref WHERE run_id = $1), 0)"; }

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
cfgaudit eval --jobs 1 $rules >"$T/out" 2>"$T/err"
prev=$(run_of "$T/out")
check "day 1: a full run" test "${prev:-0}" -gt 0
deepest=0 bydepth=0 refs=0
for day in $days; do
	[ "$day" = 1 ] && continue
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	jobs=$((day % 2 + 1))
	cfgaudit eval --since-run "$prev" --jobs $jobs $rules >"$T/inc.out" 2>"$T/err"
	inc=$(run_of "$T/inc.out")
	check_grep "day $day: run $inc since run $prev" '^since-run [0-9]+: ' "$T/inc.out"
	cfgaudit eval --jobs 1 $rules >"$T/full.out" 2>"$T/err"
	full=$(run_of "$T/full.out")
	since_results "$inc" "$T/inc"
	since_results "$full" "$T/full"
	check_same "day $day: run $inc (depth $(depth_of "$inc")) = full run $full" "$T/full" "$T/inc"
	counts "$T/inc.out" >"$T/inc.counts"
	counts "$T/full.out" >"$T/full.counts"
	check_same "day $day: the same counts in the summary" "$T/full.counts" "$T/inc.counts"
	pd=$(depth_of "$prev")
	d=$(depth_of "$inc")
	own=$(q "SELECT count(*) FROM run_results WHERE run_id = $inc")
	all=$(wc -l <"$T/full")
	if [ "$d" -gt 0 ]; then
		refs=$((refs + 1))
		check "day $day: by reference, one deeper than its base ($pd + 1 = $d)" test "$d" = $((pd + 1))
		check "day $day: it stores fewer rows ($own) than it shows ($all)" test "$own" -lt "$all"
		check "day $day: its chain is itself and $d bases" \
			test "$(q "SELECT count(*) FROM run_chain WHERE run_id = $inc")" = $((d + 1))
		check "day $day: no chain past $((7))" test "$d" -le 7
	else
		check "day $day: stored in full: every row" test "$own" = "$all"
		check "day $day: stored in full: no chain" \
			test "$(q "SELECT count(*) FROM run_chain WHERE run_id = $inc")" = 0
	fi
	[ "$d" -gt "$deepest" ] && deepest=$d
	[ "$pd" = 7 ] && [ "$d" = 0 ] && bydepth=1
	prev=$inc
done
check "most runs by reference ($refs of 9)" test "$refs" -ge 7
check "a chain reached depth 7 ($deepest)" test "$deepest" = 7
check "and the run after it was stored in full" test "$bydepth" = 1

# --since-run latest takes the last full run, and is the same as a full
# run too.
cfgaudit eval --since-run latest --jobs 2 $rules >"$T/inc.out" 2>"$T/err"
inc=$(run_of "$T/inc.out")
cfgaudit eval --jobs 1 $rules >"$T/full.out" 2>"$T/err"
since_results "$inc" "$T/inc"
since_results "$(run_of "$T/full.out")" "$T/full"
check_same "--since-run latest (run $inc) = a full run" "$T/full" "$T/inc"

# Reading a result of the chain costs no row of run_results per base:
# the view run_results_all gives each result once.
check "each result once in run_results_all" test "$(q "SELECT count(*) FROM (SELECT rule_no,
	resource_no FROM run_results_all WHERE run_id = $prev GROUP BY 1, 2 HAVING count(*) > 1)")" = 0
done_testing
