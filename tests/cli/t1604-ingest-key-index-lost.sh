#!/bin/sh
# t1604-ingest-key-index-lost: a store whose item_key index is gone (the
# state a load killed between dropping and rebuilding it once left) never
# keeps an item version twice: ingest makes the index again before it
# loads, with one worker or several, on an empty store or a loaded one;
# and a store that holds a version twice already fails loudly, exit 2,
# and loses nothing.
. "$TOP_SRCDIR/tests/lib.sh"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

# Several snapshots a series: the same version is met again and again.
"$GEN" --out "$T/tree" --seed 11 --accounts 2 --regions us-east-1,eu-west-1 --days 3 \
	--resources 60 --churn 0.1 --quiet || bail_out "generator failed"
mkdir "$T/empty" "$T/day1"
cp -r "$T/tree/AWSLogs" "$T/day1/"
find "$T/day1" -path '*/2026/11/[23]/*' -type f -delete

cfgaudit --db "$T/ref.db" --quiet ingest "$T/tree" >/dev/null 2>&1 || bail_out "reference ingest"
want=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM items")
[ "$want" -gt 0 ] || bail_out "the reference store holds no items"

versions() { sqlite3 "$1" "SELECT count(*) || ' ' || count(DISTINCT item_key) FROM items"; }
has_index() { sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE name = 'items_by_key'"; }

# without_index NAME FIRST-TREE: a store loaded from FIRST-TREE, its
# item_key index then dropped by hand.
without_index() {
	cfgaudit --db "$T/$1.db" --quiet ingest "$2" >/dev/null 2>&1
	sqlite3 "$T/$1.db" "DROP INDEX items_by_key"
}

for jobs in 1 2; do
	db="$T/empty$jobs.db"
	without_index "empty$jobs" "$T/empty"
	check "empty store without the index, --jobs $jobs: ingest" \
		cfgaudit --db "$db" --quiet ingest --jobs $jobs "$T/tree"
	[ "$(versions "$db")" = "$want $want" ] && ok "--jobs $jobs: each version once" ||
		not_ok "--jobs $jobs: each version once (got $(versions "$db"), want $want)"
	[ "$(has_index "$db")" = 1 ] && ok "--jobs $jobs: the index is back" ||
		not_ok "--jobs $jobs: the index is back"

	db="$T/loaded$jobs.db"
	without_index "loaded$jobs" "$T/day1"
	check "loaded store without the index, --jobs $jobs: ingest the rest" \
		cfgaudit --db "$db" --quiet ingest --jobs $jobs "$T/tree"
	[ "$(versions "$db")" = "$want $want" ] && ok "--jobs $jobs: each version once, loaded store" ||
		not_ok "--jobs $jobs: each version once, loaded store (got $(versions "$db"))"
done

# A store that holds a version twice (as the bug left them): a loud
# failure, and the store as it was.
db="$T/twice.db"
without_index twice "$T/day1"
sqlite3 "$db" "INSERT INTO items SELECT * FROM items LIMIT 1"
sqlite3 "$db" "SELECT count(*) FROM items; SELECT count(*) FROM files" >"$T/before"
check_exit "a store holding a version twice: ingest exits 2" 2 \
	cfgaudit --db "$db" --quiet ingest "$T/tree"
check_grep "the error says so" 'holds an item version twice' "$T/err"
sqlite3 "$db" "SELECT count(*) FROM items; SELECT count(*) FROM files" >"$T/after"
check_same "and the store is as it was" "$T/before" "$T/after"
done_testing
