#!/bin/sh
# t1060: a first load (an empty store) runs in one transaction with the
# rollback journal (writer_bulk) and writes the presence runs of a new
# series in key order. Its store equals one loaded the usual way (WAL, a
# commit per file), with one thread and with workers; it is back in WAL
# mode afterwards; a streamed file that fails half-way goes back to its
# savepoint while the files around it stay; and a first load killed while
# its journal is hot leaves an empty, sound store that the next ingest
# fills.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

# One snapshot per account-Region (the bulk case with workers too).
"$GEN" --out "$T/org" --seed 61 --accounts 3 --regions us-east-1,eu-west-1 --days 1 \
	--resources 60 --no-junk --quiet || bail_out "gen-archive failed"
# One snapshot big enough to be streamed (more than 4 MiB of items), and to
# take long enough (since ingest got faster) for the kill below to land.
"$GEN" --out "$T/big" --seed 62 --big-snapshot 40M --no-junk --quiet ||
	bail_out "gen-archive failed"

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status FROM files ORDER BY path;
	SELECT 'item', hex(item_key), account_id, region, resource_type, resource_id,
	       capture_time, state_id, status, configuration, supplementary, tags,
	       relationships, extra FROM items ORDER BY item_key;
	SELECT 'src', hex(s.item_key), f.path FROM item_sources s JOIN files f USING (file_key)
	       ORDER BY 2, 3;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;"
}

# The usual way: the store holds one file already (under the same relative
# path), so loading the rest is not a first load.
first=$(cd "$T/org" && find . -name '*ConfigSnapshot_*' | sort | head -1)
mkdir -p "$T/one/$(dirname "$first")"
cp "$T/org/$first" "$T/one/$first"
check_exit "reference: one file" 0 cfgaudit --db "$T/ref.db" ingest --quiet "$T/one"
check_exit "reference: the rest" 0 cfgaudit --db "$T/ref.db" ingest --quiet --jobs 1 "$T/org"
dump "$T/ref.db" >"$T/ref.dump"
check "the reference holds items" test "$(grep -c '^item' "$T/ref.dump")" -gt 100

for j in 1 2; do
	check_exit "first load, --jobs $j" 0 cfgaudit --db "$T/j$j.db" ingest --quiet --jobs $j "$T/org"
	dump "$T/j$j.db" >"$T/j$j.dump"
	check_same "first load, --jobs $j: the same store" "$T/ref.dump" "$T/j$j.dump"
	check "first load, --jobs $j: back in WAL mode" \
		test "$(sqlite3 "$T/j$j.db" 'PRAGMA journal_mode')" = wal
	check "first load, --jobs $j: no journal left" test ! -e "$T/j$j.db-journal"
done

# A streamed file cut short fails after some of its batches were written:
# they go, the files loaded before and after it stay.
big=$(find "$T/big" -name '*.json.gz')
mkdir -p "$T/mixed/a" "$T/mixed/c"
cp -R "$T/org/." "$T/mixed/a/"
cp -R "$T/org/." "$T/mixed/c/"
sz=$(wc -c <"$big" | tr -d ' ')
mkdir -p "$T/mixed/b"
head -c $((sz * 3 / 4)) "$big" >"$T/mixed/b/$(basename "$big")"
check_exit "first load with a broken big file (exit 2)" 2 \
	cfgaudit --db "$T/mix.db" ingest --quiet --jobs 1 "$T/mixed"
check "the broken file is recorded as failed" test \
	"$(sqlite3 "$T/mix.db" "SELECT status FROM files WHERE path LIKE 'b/%'")" = failed
check "nothing of it is stored" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) FROM items WHERE account_id NOT IN
		(SELECT account_id FROM files WHERE path LIKE 'a/%')")" = 0
check "the files around it are loaded" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) FROM files WHERE status = 'loaded'")" = \
	"$(($(grep -c '^file' "$T/ref.dump") * 2))"
check "the same items as the good files alone" test \
	"$(sqlite3 "$T/mix.db" 'SELECT count(*) FROM items')" = "$(grep -c '^item' "$T/ref.dump")"
check "integrity_check" test "$(sqlite3 "$T/mix.db" 'PRAGMA integrity_check')" = ok

# Killed while the first load's journal is hot (the store exists first, so
# that the journal is the load's).
mkdir -p "$T/empty"
cfgaudit --db "$T/kill.db" ingest --quiet "$T/empty" >/dev/null 2>&1
check "an empty store" test "$(sqlite3 "$T/kill.db" 'SELECT count(*) FROM files')" = 0
"$CFGAUDIT_BIN" --db "$T/kill.db" --quiet ingest --jobs 1 "$T/big" >/dev/null 2>&1 &
pid=$!
n=0
while [ ! -e "$T/kill.db-journal" ] && [ $n -lt 3000 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.01
	n=$((n + 1))
done
if [ -e "$T/kill.db-journal" ] && kill -KILL $pid 2>/dev/null; then
	wait $pid 2>/dev/null
	check "killed: integrity_check" test "$(sqlite3 "$T/kill.db" 'PRAGMA integrity_check')" = ok
	nf=$(sqlite3 "$T/kill.db" "SELECT count(*) FROM files")
	ni=$(sqlite3 "$T/kill.db" "SELECT count(*) FROM items")
	nl=$(sqlite3 "$T/kill.db" "SELECT count(*) FROM files WHERE status = 'loaded'")
	# Empty again, or (killed while it built the deferred indexes, after
	# its commit) the whole file.
	check "killed: the store is empty again ($nf files, $ni items), or whole" \
		test "$nf/$ni" = 0/0 -o "$nl" = 1
else
	wait $pid 2>/dev/null
	ok "killed: # SKIP the load ended before it could be killed"
	ok "killed: # SKIP"
fi
check_exit "the next ingest" 0 cfgaudit --db "$T/kill.db" ingest --quiet --jobs 1 "$T/big"
check_exit "an uninterrupted load" 0 cfgaudit --db "$T/whole.db" ingest --quiet --jobs 1 "$T/big"
dump "$T/kill.db" >"$T/kill.dump"
dump "$T/whole.db" >"$T/whole.dump"
check_same "after the kill: the same store as an uninterrupted load" "$T/whole.dump" "$T/kill.dump"
done_testing
