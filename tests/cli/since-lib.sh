# tests/cli/since-lib.sh: what the --since-run tests share (sourced after
# tests/lib.sh by t1235-t1239, t1241-t1244, t1250, t1255-t1257 and t1280):
# since_ref_rules (t1235-t1239); a landing zone of a few days of churn and
# full versus --since-run evals (since_start, since_full, since_vs_full,
# since_results, since_run_of, q); the days of a one-rule test (since_day1,
# since_days: t1243, t1244). tests/cli/since-churn.sh builds on it for
# t1241, t1242, t1255, t1256 and t1280.

# Rules for the tests of runs stored by reference (t1235-t1239): run on
# the changed resources (INCOMING_SSH_DISABLED .. S3_BUCKET_LOGGING_ENABLED),
# on the changed account-Regions (RDS_LOGGING_ENABLED, ALB_WAF_ENABLED) and
# in full (ROOT_ACCOUNT_MFA_ENABLED): few rows of the last kind, so that a
# run is stored by reference (in full when its own rows are more than a
# fifth of all).
since_ref_rules="--rule INCOMING_SSH_DISABLED --rule RESTRICTED_INCOMING_TRAFFIC"
since_ref_rules="$since_ref_rules --rule VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
since_ref_rules="$since_ref_rules --rule S3_BUCKET_LOGGING_ENABLED --rule RDS_LOGGING_ENABLED"
since_ref_rules="$since_ref_rules --rule ALB_WAF_ENABLED --rule ROOT_ACCOUNT_MFA_ENABLED"

# q SQL: a query on the test's store.
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

# since_start SEED [DAYS]: skip without sqlite3 or the generator (sets
# GEN), then since_landing_zone SEED DAYS.
since_start() {
	command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
	GEN="$TOP_BUILDDIR/tools/gen-archive"
	[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
	since_landing_zone "$1" "${2:-3}"
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

# since_landing_zone SEED [DAYS]: a landing zone of DAYS days (default 3;
# $T/lz, churn 5%) split into one tree per day ($T/day1 .. $T/dayDAYS),
# each with an empty extra/.
since_landing_zone() {
	"$GEN" --landing-zone --seed "$1" --days "${2:-3}" --churn 0.05 --out "$T/lz" --quiet ||
		bail_out "gen-archive failed"
	for day in $(seq 1 "${2:-3}"); do
		(cd "$T/lz" && find . -type f -path "*/2026/11/$day/*") | while read -r f; do
			mkdir -p "$T/day$day/$(dirname "$f")"
			cp "$T/lz/$f" "$T/day$day/$f"
		done
		mkdir -p "$T/day$day/extra"
	done
}

# since_day1: ingest day 1, then a full run of $rule (prev) and of $param
# (pprev), for since_days.
since_day1() {
	check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
	# shellcheck disable=SC2086
	since_full "day 1: a full run" $rule
	prev=$run
	# shellcheck disable=SC2086
	since_full "day 1: a full run with parameters" $param
	pprev=$run
}

# since_days PATTERN ID WANT2 WANT3 WHAT: days 2 and 3 of a one-rule test:
# ingest each day's tree, then since_vs_full of $rule (from run $prev,
# --jobs 1 and 2) and of $param (the rule with parameters, from run
# $pprev); resource ID must be WANT2 on day 2, WANT3 on day 3 (WHAT says
# which it is). Leaves prev and pprev at the last full runs.
since_days() {
	pattern=$1 id=$2 want2=$3 want3=$4 what=$5
	for day in 2 3; do
		check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
		for jobs in 1 2; do
			# shellcheck disable=SC2086
			since_vs_full "day $day (--jobs $jobs)" "$prev" $jobs "$pattern" $rule
		done
		prev=$full
		# shellcheck disable=SC2086
		since_vs_full "day $day (parameters)" "$pprev" 1 "$pattern" $param
		pprev=$full
		if [ $day = 2 ]; then want=$want2; else want=$want3; fi
		verdict=$(q "SELECT compliance_type FROM results WHERE run_id = $prev
			AND resource_id = '$id'")
		check "day $day: $what is $want ($verdict)" test "$verdict" = "$want"
	done
}
