#!/bin/sh
# t1065: the end of a first load in one transaction (writer_end) sorts the
# held snapshot runs of new series in a thread of their own while the
# item key index is built, and has the system write the database file
# as it grows (sync_file_range). CFGAUDIT_INGEST_SORT_AHEAD=1 sorts even
# a few runs ahead: the store is the one the usual sort writes, with one
# or two jobs, with a file of a new series that fails last (its runs
# undone before the end), and with a second snapshot of each series
# (its runs written before the end, with one job). Where strace is
# found: the variable starts one thread more, and only a first load
# calls sync_file_range.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

"$GEN" --out "$T/one" --seed 1065 --accounts 3 --regions us-east-1,eu-west-1 --days 1 \
	--resources 60 --no-junk --quiet || bail_out "gen-archive failed"
"$GEN" --out "$T/two" --seed 1065 --accounts 2 --regions us-east-1 --days 2 \
	--resources 60 --no-junk --quiet || bail_out "gen-archive failed"
# A snapshot of a new series, cut short: it sorts after the others.
d="$T/one/AWSLogs/999999999999/Config/us-west-2/2026/11/1/ConfigSnapshot"
mkdir -p "$d"
f=$(find "$T/one" -name '*ConfigSnapshot*.json.gz' | head -1)
gzip -dc "$f" | head -c 20000 | gzip -c >"$d/999999999999_Config_us-west-2_ConfigSnapshot_20261101T030000Z_cut.json.gz"

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status, error FROM files ORDER BY path;
	SELECT 'item', rowid, hex(item_key), resource_type, resource_id, capture_time,
	       configuration FROM items ORDER BY rowid;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;
	SELECT 'schema', type, name, sql FROM sqlite_master ORDER BY rowid;
	PRAGMA integrity_check;"
}
# load TREE NAME JOBS [SORT_AHEAD]
load() {
	CFGAUDIT_INGEST_SORT_AHEAD=${4:-} cfgaudit --db "$T/$2.db" ingest --quiet --jobs "$3" \
		"$T/$1" >"$T/$2.out" 2>"$T/$2.err"
	echo "exit $?" >>"$T/$2.out"
	dump "$T/$2.db" >"$T/$2.dump"
}

load one one-plain 1
check "the first load stores presence runs" test "$(grep -c '^pres' "$T/one-plain.dump")" -gt 300
check_grep "the cut file fails" "exit 2" "$T/one-plain.out"
check_grep "its store is sound" "^ok$" "$T/one-plain.dump"
for jobs in 1 2; do
	load one "one-ahead-$jobs" "$jobs" 1
	check_same "sorted ahead, --jobs $jobs: the same store" "$T/one-plain.dump" "$T/one-ahead-$jobs.dump"
	check_same "sorted ahead, --jobs $jobs: the same exit and messages" \
		"$T/one-plain.out" "$T/one-ahead-$jobs.out"
done
load two two-plain 1
load two two-ahead 1 1
check "two snapshots of a series: runs the second keeps open" \
	test "$(grep -c '^pres|.*|2026-11-01T[^|]*|9999-' "$T/two-plain.dump")" -gt 10
check_same "runs written before the end, sorted ahead: the same store" \
	"$T/two-plain.dump" "$T/two-ahead.dump"

if command -v strace >/dev/null 2>&1 && [ -z "${CFGAUDIT_WRAPPER:-}" ]; then
	# trace NAME [SORT_AHEAD]: a first load of tree one with one job
	trace() {
		rm -f "$T/$1.db"
		CFGAUDIT_INGEST_SORT_AHEAD=${2:-} strace -f -o "$T/$1.strace" \
			-e trace=clone,clone3,sync_file_range \
			"$CFGAUDIT_BIN" --db "$T/$1.db" ingest --quiet --jobs 1 "$T/one" 2>/dev/null
	}
	trace plain
	trace ahead 1
	# (a sanitizer's own threads are in both)
	check "one job, runs sorted ahead: one thread more" \
		test "$(grep -c 'clone' "$T/ahead.strace")" -eq "$(($(grep -c 'clone' "$T/plain.strace") + 1))"
	check_grep "a first load starts the disk's writes" "sync_file_range" "$T/plain.strace"
	sqlite3 "$T/plain.db" "PRAGMA integrity_check" >"$T/ic"
	check_grep "its store is sound" "^ok$" "$T/ic"
	strace -f -o "$T/again.strace" -e trace=sync_file_range \
		"$CFGAUDIT_BIN" --db "$T/plain.db" ingest --quiet --jobs 1 "$T/two" 2>/dev/null
	check "a later load does not" test "$(grep -c 'sync_file_range' "$T/again.strace")" -eq 0
fi
done_testing
