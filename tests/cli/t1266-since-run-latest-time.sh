#!/bin/sh
# t1266: the as-of time of a nightly eval --since-run without --as-of is
# the store's latest time, taken from the kept state (STORE-pitstate: every
# item up to its mark was captured at or before its as-of time) and the
# items and files loaded since, not from every item (store/pit.h,
# pit_latest_time_kept). It is the full run's as-of time, and its results
# the full run's: with a new version captured after every delivery (a file
# without a delivery time); with a kept state whose word is wrong (edited:
# the as-of time is then read from every item, the run redone); with a
# kept state of a later run than the base; without a kept state.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/pitstate-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
pit_setup 1266

# A changed security group captured after every delivery, in a file
# without a delivery time: the latest time is its capture time.
pit_later_version
want=$(sed -n 's/^as-of //p' "$T/ref.out")
check "a full run's as-of time is that capture time" test "$want" = "2026-11-20T01:00:00.000Z"

# nightly DESC: pit_nightly, and the run's as-of time is the full run's.
nightly() {
	pit_nightly "$1" 1
	check "$1: as-of $(sed -n 's/^as-of //p' "$T/out") = the full run's" \
		test "$(sed -n 's/^as-of //p' "$T/out")" = "$want"
	pit_kept_ok "$1"
}

pit_restore
cp "$T/good.pit" "$kept"
nightly "the kept state's word"
check "  built from the kept state" test "$prior" = 1

# Its word wrong: every item up to a mark past the new version's rowid at
# or before the prior as-of time (the latest delivery then looks latest).
pit_restore
cp "$T/good.pit" "$kept"
sqlite3 "$kept" "UPDATE pit_meta SET items_mark = items_mark + 100000" ||
	bail_out "the edit failed"
nightly "a kept state whose word is wrong"
check "  not built from it" test "$prior" = 0

# Its as-of time later than anything loaded since: read from every item.
pit_restore
cp "$T/good.pit" "$kept"
sqlite3 "$kept" "UPDATE pit_meta SET as_of = '2027-01-01T00:00:00.000Z'" ||
	bail_out "the edit failed"
nightly "a kept state of a later as-of time"

pit_restore
nightly "no kept state"

# The kept state of a later run than the base: its word holds, its state
# is not the base's.
pit_restore
cp "$T/good.pit" "$kept"
nightly "a nightly run"
cfgaudit eval --since-run "$base" --jobs 1 >"$T/second" 2>"$T/second.err"
inc=$(sed -n 's/^run //p' "$T/second")
check "a second nightly run from run $base, the first's state kept: as-of" \
	test "$(sed -n 's/^as-of //p' "$T/second")" = "$want"
since_results "${inc:-0}" "$T/inc"
check_same "  its results are the full run's" "$T/full" "$T/inc"

done_testing
