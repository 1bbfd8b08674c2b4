#!/bin/sh
# t1004: 30 daily snapshots of an unchanged inventory leave the database
# at most 1.2 times its size after the first one (each version stored
# once, presence as runs), and the inventory is the same on every day.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
gen="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$gen" ] || skip_all "tools/gen-archive not built"

"$gen" --out "$T/a" --resources 300 --days 30 --unchanged --no-junk --quiet ||
	bail_out "gen-archive failed"
first=$(find "$T/a" -name '*ConfigSnapshot_*' | awk -F/ '{ print $NF " " $0 }' | sort | head -1 | cut -d' ' -f2-)
size() {
	sqlite3 "$CFGAUDIT_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	wc -c <"$CFGAUDIT_DB" | tr -d ' '
}
check_exit "first snapshot" 0 cfgaudit ingest --quiet "$first"
s1=$(size)
check_exit "all 30 snapshots" 0 cfgaudit ingest "$T/a"
check_grep "30 files, no new versions" ' 30 files loaded, [0-9]+ items read, 0 new item versions' "$T/err"
s30=$(size)
check "size after 30 snapshots ($s30) <= 1.2 x after one ($s1)" test $((s30 * 10)) -le $((s1 * 12))
check "one presence run per version" \
	test "$(sqlite3 "$CFGAUDIT_DB" "SELECT count(*) FROM snapshot_presence")" = \
	"$(sqlite3 "$CFGAUDIT_DB" "SELECT count(*) FROM items")"
cfgaudit resources --as-of 2026-11-02 >"$T/d2"
cfgaudit resources >"$T/d30"
check_same "same inventory on day 2 and day 30" "$T/d2" "$T/d30"
check "inventory is not empty" test "$(wc -l <"$T/d30")" -gt 100

done_testing
