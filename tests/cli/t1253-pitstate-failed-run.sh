#!/bin/sh
# t1253: a run that fails keeps no point-in-time state: the kept file
# (STORE-pitstate) is never written by a run that is not stored. Storing
# the run fails (a trigger of the store raises an error; the disk fills
# up) for a nightly eval --since-run and for a full run, with --jobs 1
# and 2: exit 2, an error, no run; the kept file is the one before or
# none, never the failed run's, and no scratch file is left. The next
# nightly run, with the store mended, gives the full run's results.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/pitstate-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
pit_setup 1253

# after DESC: after a failed run: the kept file is $T/good.pit or none.
after() {
	if [ ! -e "$kept" ] || cmp -s "$kept" "$T/good.pit"; then
		ok "$1: the kept state is not written ($([ -e "$kept" ] && echo kept || echo none))"
	else
		not_ok "$1: the kept state was written"
		sqlite3 "$kept" 'SELECT * FROM pit_meta' 2>&1 | sed 's/^/#   /'
	fi
	check "$1: no scratch file left" test "$(ls -d "$kept".* 2>/dev/null | wc -l)" = 0
	check "$1: no run stored" test "$(q 'SELECT count(*) FROM runs')" = 1
}

for table in run_state run_scope run_rules; do
	for j in 1 2; do
		for how in "--since-run $base" ""; do
			what="a ${how:+nightly }run (--jobs $j), $table failing"
			pit_restore
			cp "$T/good.pit" "$kept"
			q "CREATE TRIGGER boom BEFORE INSERT ON $table
			   BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END"
			# shellcheck disable=SC2086
			check_exit "$what: exit 2" 2 cfgaudit eval $how --jobs $j
			check_grep "$what: the error" 'error: .*the disk is on fire' "$T/err"
			after "$what"
		done
	done
done
# The store mended: the next nightly run is right.
q "DROP TRIGGER boom"
pit_nightly "mended: a nightly run" 2
pit_kept_ok "mended"

# A full disk: a file-size limit makes writes past it fail (EFBIG, as
# ENOSPC would). Below some limit storing the run fails; each run either
# is right or fails, and a failed one keeps no state.
size_kb=$(($(wc -c <"$T/base.db") / 1024))
# ulimit -f counts 512-byte blocks in some shells, 1024 in others
per_kb=2
(
	trap '' XFSZ
	ulimit -f 2
	head -c 1500 /dev/zero >"$T/unit"
) 2>/dev/null && [ "$(wc -c <"$T/unit")" = 1500 ] && per_kb=1
failed=0
for extra in 0 64 128 256 512 1024 2048; do
	for j in 1 2; do
		pit_restore
		cp "$T/good.pit" "$kept"
		(
			trap '' XFSZ
			ulimit -f $(((size_kb + extra) * per_kb))
			exec "$CFGAUDIT_BIN" eval --since-run "$base" --jobs $j
		) >"$T/out" 2>"$T/err"
		rc=$?
		what="a nightly run (--jobs $j) with room for $extra KiB"
		if [ $rc -ge 2 ]; then
			failed=$((failed + 1))
			check_grep "$what: fails (exit $rc) with an error" 'error: ' "$T/err"
			after "$what"
		else
			since_results "$(since_run_of)" "$T/inc"
			check_same "$what: results = of a full run" "$T/full" "$T/inc"
		fi
	done
done
check "a full disk failed some runs ($failed)" test "$failed" -gt 0

done_testing
