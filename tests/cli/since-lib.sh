# tests/cli/since-lib.sh: what the --since-run tests t1241, t1242 and t1243
# share (sourced after tests/lib.sh).

# q SQL: a query on the test's store.
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

# since_start SEED: skip without sqlite3 or the generator (sets GEN), then
# since_landing_zone SEED.
since_start() {
	command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
	GEN="$TOP_BUILDDIR/tools/gen-archive"
	[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
	since_landing_zone "$1"
}

# Every result of a run, normalized (order, item keys as hex), into $2.
since_results() {
	sqlite3 -separator '|' "$CFGAUDIT_DB" "SELECT pack_name, config_rule_name, account_id,
	   aws_region, resource_type, resource_id, compliance_type, coalesce(annotation, ''),
	   hex(item_key) FROM results WHERE run_id = $1 ORDER BY 1, 2, 3, 4, 5, 6" >"$2"
}

# The run id of the last eval's output ($T/out).
since_run_of() { sed -n 's/^run //p' "$T/out"; }

# since_full DESC EVAL-ARGS...: a full eval with --jobs 1, which must
# store a run (its id in run).
since_full() {
	desc=$1
	shift
	cfgaudit eval --jobs 1 "$@" >"$T/out" 2>"$T/err"
	run=$(since_run_of)
	check "$desc" test "${run:-0}" -gt 0
}

# since_vs_full DESC BASE JOBS PATTERN EVAL-ARGS...: eval --since-run BASE
# with --jobs JOBS, its summary matching PATTERN, then a full eval; the
# two runs' results must be the same. Sets inc and full (the run ids).
since_vs_full() {
	desc=$1 base=$2 jobs=$3 pattern=$4
	shift 4
	cfgaudit eval --since-run "$base" --jobs "$jobs" "$@" >"$T/out" 2>"$T/err"
	inc=$(since_run_of)
	check_grep "$desc: re-evaluated what changed" "$pattern" "$T/out"
	cfgaudit eval --jobs 1 "$@" >"$T/out" 2>"$T/err"
	full=$(since_run_of)
	since_results "$inc" "$T/inc"
	since_results "$full" "$T/full"
	check "$desc: results exist ($(wc -l <"$T/full"))" test -s "$T/full"
	check_same "$desc: run $inc since run $base = full run $full" "$T/full" "$T/inc"
}

# since_landing_zone SEED: a three-day landing zone ($T/lz, churn 5%) split
# into one tree per day ($T/day1 .. $T/day3), each with an empty extra/.
since_landing_zone() {
	"$GEN" --landing-zone --seed "$1" --days 3 --churn 0.05 --out "$T/lz" --quiet ||
		bail_out "gen-archive failed"
	for day in 1 2 3; do
		(cd "$T/lz" && find . -type f -path "*/2026/11/$day/*") | while read -r f; do
			mkdir -p "$T/day$day/$(dirname "$f")"
			cp "$T/lz/$f" "$T/day$day/$f"
		done
		mkdir -p "$T/day$day/extra"
	done
}
