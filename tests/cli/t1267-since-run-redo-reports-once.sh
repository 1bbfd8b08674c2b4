#!/bin/sh
# t1267: a nightly eval --since-run whose as-of time rested on a kept
# state's word that proved wrong is redone with the as-of time read from
# every item (eval.c, check_derived); what the first attempt reported
# (its timings, its warnings) is dropped, so each is reported once, the
# redo's. The same nightly run without a redo reports as much.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/pitstate-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
pit_setup 1267

# A version captured after every delivery: the latest time is its
# capture time, not the latest delivery.
pit_later_version

# labels FILE: the reports of FILE without their figures, sorted.
labels() {
	sed 's/[0-9][0-9.]*//g' "$1" | sort
}

# Its word wrong (every item up to a mark past the new version's): the
# run is redone.
pit_restore
cp "$T/good.pit" "$kept"
sqlite3 "$kept" "UPDATE pit_meta SET items_mark = items_mark + 100000" ||
	bail_out "the edit failed"
pit_nightly "a kept state whose word is wrong"
labels "$T/nightly.err" >"$T/redo.labels"
check "  each report once" test -z "$(uniq -d "$T/redo.labels")"
check "  the rules' timings once: $(grep -c 'timing:' "$T/nightly.err")" \
	test "$(grep -c 'timing: .*(point-in-time state' "$T/nightly.err")" = 1

# Without a kept state (no word, no redo): the same reports.
pit_restore
pit_nightly "no kept state"
labels "$T/nightly.err" >"$T/plain.labels"
check_same "  the reports of the redone run are those of a run not redone" \
	"$T/plain.labels" "$T/redo.labels"

done_testing
