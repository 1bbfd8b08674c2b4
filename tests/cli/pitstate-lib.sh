# tests/cli/pitstate-lib.sh: what the tests of a damaged kept
# point-in-time state (t1251-t1253) share (sourced after tests/lib.sh and
# tests/cli/since-lib.sh).
#
# pit_setup SEED: a landing zone of two days; day 1 ingested and
# evaluated in full (run $base, its kept state copied to $T/good.pit);
# day 2 ingested; the store then copied to $T/base.db (pit_restore puts
# it back); $T/full holds the results of a full run over day 2, the
# results every nightly run from $base must give. Sets kept.
pit_setup() {
	since_start "$1" 2
	kept="$CFGAUDIT_DB-pitstate"
	check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
	cfgaudit eval --jobs 1 >"$T/out" 2>"$T/err"
	base=$(since_run_of)
	[ "${base:-0}" -gt 0 ] && [ -s "$kept" ] || bail_out "day 1: no run or no kept state"
	cp "$kept" "$T/good.pit"
	check "day 2: ingest" cfgaudit --quiet ingest "$T/day2"
	sqlite3 "$CFGAUDIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$CFGAUDIT_DB" "$T/base.db"
	pit_reference
	[ "$(wc -l <"$T/full")" -gt 100 ] || bail_out "day 2: the full run has few results"
	pit_restore
}

# pit_reference: $T/full from a full run on a copy of the store as it is.
pit_reference() {
	sqlite3 "$CFGAUDIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	rm -rf "$T/ref.db"*
	cp "$CFGAUDIT_DB" "$T/ref.db"
	(
		CFGAUDIT_DB=$T/ref.db
		cfgaudit eval --jobs 1 >"$T/ref.out" 2>&1
		since_results "$(sed -n 's/^run //p' "$T/ref.out")" "$T/full"
	)
}

# pit_restore: the store as it was after day 2's ingest, no kept state.
pit_restore() {
	rm -rf "$CFGAUDIT_DB" "$CFGAUDIT_DB"-*
	cp "$T/base.db" "$CFGAUDIT_DB"
}

# pit_nightly DESC [JOBS [RUNNER...]]: eval --since-run $base (with
# --jobs JOBS, default 1; RUNNER a command that runs the binary, such as
# one as another user). Either a stored run whose results are the full
# run's, resource by resource, or a non-zero exit with an error that
# names the state and no run stored: never other results. Sets rc, inc,
# prior (1 when the state was built from the kept one).
pit_nightly() {
	desc=$1
	jobs=${2:-1}
	shift 2 2>/dev/null || shift $#
	nruns=$(q "SELECT count(*) FROM runs")
	# shellcheck disable=SC2086
	${@:-cfgaudit} eval --since-run "$base" --jobs "$jobs" --timings >"$T/out" 2>"$T/nightly.err"
	rc=$?
	inc=$(since_run_of)
	prior=0
	grep -Eq "$from_prior" "$T/nightly.err" && prior=1
	if [ $rc -le 1 ] && [ "${inc:-0}" -gt 0 ]; then
		since_results "$inc" "$T/inc"
		check_same "$desc: results of run $inc = of a full run (state from the kept one: $prior)" \
			"$T/full" "$T/inc"
	elif [ $rc -ge 2 ] && [ "$(q "SELECT count(*) FROM runs")" = "$nruns" ] &&
		grep -Eqi 'error: .*(point-in-time|pitstate)' "$T/nightly.err"; then
		ok "$desc: fails loudly (exit $rc): $(grep -i error "$T/nightly.err" | head -1)"
	else
		not_ok "$desc: exit $rc, run '${inc}'"
		grep -v 'timing:' "$T/nightly.err" | sed 's/^/#   /' | head -10
	fi
}
from_prior='timing: .*\(point-in-time state(, connection 1)?, from the prior run.s\)'

# pit_kept_ok DESC: after a nightly run (run $inc), the kept state is
# absent or a regular file holding that run's state (its as-of time).
pit_kept_ok() {
	if [ ! -e "$kept" ] && [ ! -L "$kept" ]; then
		ok "$1: no state kept"
	elif [ -f "$kept" ] && [ ! -L "$kept" ] &&
		[ "$(sqlite3 "$kept" 'SELECT as_of FROM pit_meta' 2>/dev/null)" = \
			"$(q "SELECT as_of FROM runs WHERE run_id = ${inc:-0}")" ]; then
		ok "$1: the state kept is run $inc's"
	elif [ -d "$kept" ] && [ ! -L "$kept" ]; then
		ok "$1: the directory in its place is left alone"
	else
		not_ok "$1: the kept state is not run ${inc:-?}'s"
		ls -la "$kept" | sed 's/^/#   /'
	fi
	check "$1: no scratch file left" test "$(ls -d "$kept".* 2>/dev/null | wc -l)" = 0
}

# pit_later_version: ingest a new version of a security group captured
# after every delivery (2026-11-20T01:00), in a file without a delivery
# time; the store then copied to $T/base.db again and $T/full made anew
# (t1266, t1267).
pit_later_version() {
	mkdir -p "$T/export"
	sg_version_json 2026-11-20T01:00:00.000Z 1763600400000 >"$T/export/sg-later.json"
	check "ingest a version captured after every delivery" cfgaudit --quiet ingest "$T/export"
	sqlite3 "$CFGAUDIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$CFGAUDIT_DB" "$T/base.db"
	pit_reference
}
