#!/bin/sh
# t1066: the end of a first load with threads. A bulk first load builds
# the secondary indexes of items inside its one transaction (one commit
# and sync, one rollback journal) unless evidence files follow, whose
# tables must come before those indexes in the schema as ever; with two
# jobs its index sorts write small runs that the sorter threads sort.
# The store is the one --jobs 1 writes, schema order included, with and
# without evidence, and it is sound.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

# Some 14k items: each index's keys fill more than one 1 MiB sorter run.
"$GEN" --out "$T/tree" --seed 1066 --accounts 6 --regions us-east-1,eu-west-1 --days 1 \
	--resources 1200 --no-junk --quiet || bail_out "gen-archive failed"
cp -R "$T/tree" "$T/ev"
E="$T/ev/AWSLogs/111122223333/Evidence/us-east-1/guardduty/list-detectors"
mkdir -p "$E"
echo '{"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]}' >"$E/20261201T060000Z.json"

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status, error FROM files ORDER BY path;
	SELECT 'item', rowid, hex(item_key), resource_type, resource_id, account_id, region,
	       capture_time, state_id, status, resource_name, configuration FROM items ORDER BY rowid;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;
	SELECT 'schema', type, name, sql FROM sqlite_master ORDER BY rowid;
	PRAGMA integrity_check;"
}
# load TREE NAME JOBS
load() {
	cfgaudit --db "$T/$2.db" ingest --quiet --jobs "$3" "$T/$1" >"$T/$2.out" 2>"$T/$2.err"
	echo "exit $?" >>"$T/$2.out"
	dump "$T/$2.db" >"$T/$2.dump"
}

for tree in tree ev; do
	load $tree $tree-1 1
	load $tree $tree-2 2
	check "$tree: the first load stores its items" test "$(grep -c '^item' "$T/$tree-1.dump")" -gt 10000
	check_grep "$tree: its store is sound" "^ok$" "$T/$tree-2.dump"
	check_same "$tree: --jobs 2 writes the store --jobs 1 writes" "$T/$tree-1.dump" "$T/$tree-2.dump"
	check_same "$tree: the same exit" "$T/$tree-1.out" "$T/$tree-2.out"
done
sqlite3 "$T/ev-2.db" "SELECT name FROM sqlite_master WHERE name IN
	('evidence_calls', 'items_by_resource', 'items_by_id') ORDER BY rowid" >"$T/order"
printf 'evidence_calls\nitems_by_resource\nitems_by_id\n' >"$T/want"
check_same "with evidence: its table comes before the indexes, as ever" "$T/want" "$T/order"

if command -v strace >/dev/null 2>&1 && [ -z "${CFGAUDIT_WRAPPER:-}" ]; then
	# journals TREE JOBS: how many rollback journals a first load opens
	journals() {
		rm -f "$T/s.db"
		strace -f -o "$T/s.strace" -e trace=openat \
			"$CFGAUDIT_BIN" --db "$T/s.db" ingest --quiet --jobs "$2" "$T/$1" 2>/dev/null
		grep -c 's\.db-journal", O_RDWR|O_CREAT' "$T/s.strace"
	}
	ev=$(journals ev 2)
	for jobs in 1 2; do
		# the evidence file commits in one of its own, and the indexes
		# after it in another
		check "--jobs $jobs: without evidence, two journals fewer (one commit for items and indexes)" \
			test "$(journals tree $jobs)" -eq $((ev - 2))
	done
fi
done_testing
