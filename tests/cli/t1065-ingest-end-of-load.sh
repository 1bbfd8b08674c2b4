#!/bin/sh
# t1065: the end of a first load in one transaction. Where strace is
# found: only a first load has the system write the database file as it
# grows (sync_file_range), and its store is sound.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
[ -z "${CFGAUDIT_WRAPPER:-}" ] || skip_all "strace under a wrapper"

"$GEN" --out "$T/one" --seed 1065 --accounts 3 --regions us-east-1,eu-west-1 --days 1 \
	--resources 60 --no-junk --quiet || bail_out "gen-archive failed"
"$GEN" --out "$T/two" --seed 1065 --accounts 2 --regions us-east-1 --days 2 \
	--resources 60 --no-junk --quiet || bail_out "gen-archive failed"

strace -f -o "$T/first.strace" -e trace=sync_file_range \
	"$CFGAUDIT_BIN" --db "$T/s.db" ingest --quiet --jobs 1 "$T/one" 2>/dev/null
check_grep "a first load starts the disk's writes" "sync_file_range" "$T/first.strace"
sqlite3 "$T/s.db" "PRAGMA integrity_check" >"$T/ic"
check_grep "its store is sound" "^ok$" "$T/ic"
strace -f -o "$T/again.strace" -e trace=sync_file_range \
	"$CFGAUDIT_BIN" --db "$T/s.db" ingest --quiet --jobs 1 "$T/two" 2>/dev/null
check "a later load does not" test "$(grep -c 'sync_file_range' "$T/again.strace")" -eq 0
done_testing
