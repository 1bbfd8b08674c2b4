#!/bin/sh
# t1264: eval --since-run takes a prior run only when it used the same
# pack file, byte for byte: the check compares the file with the content
# the run stored, and hashes it only when they differ (eval/incremental.c).
# The same file is taken; a byte changed in a comment (the same length,
# the same rules and parameters) or a line added is refused, saying which
# file has changed.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1264 2

pk=Landing-Zone-Baseline-Checks.yaml
cp "$TOP_SRCDIR/packs/$pk" "$T/$pk"
check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run of the pack" --pack "$T/$pk"
base=$run
check "day 2: ingest" cfgaudit --quiet ingest "$T/day2"
cfgaudit eval --jobs 1 --pack "$T/$pk" --since-run "$base" >"$T/out" 2>"$T/err"
rc=$?
check_grep "the same pack file: taken" "^since-run $base: " "$T/out"
check "... exit $rc (0 or 1)" test "$rc" -le 1

# refused_with DESC: the nightly run from the base is refused, naming the file
refused_with() {
	check_exit "$1: refused" 2 cfgaudit eval --jobs 1 --pack "$T/$pk" --since-run "$base"
	check_grep "$1: says which file" "cannot be reused: pack file '.*' has changed since" "$T/err"
}
cp "$T/$pk" "$T/orig.yaml"
sed '1s/# Landing Zone/# Landing zone/' "$T/orig.yaml" >"$T/$pk"
check "one byte changed, same length" test "$(wc -c <"$T/$pk")" = "$(wc -c <"$T/orig.yaml")"
refused_with "one byte of a comment changed"
{ cat "$T/orig.yaml"; echo "# one more line"; } >"$T/$pk"
refused_with "a comment added"

done_testing
