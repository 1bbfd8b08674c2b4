#!/bin/sh
# t1061: items stored from their text (ingest/itemtext.c) give the same
# store as the parsed path (CFGAUDIT_INGEST_PARSED_ONLY=1 takes it for
# every item): items, sources, presence runs and files rows, exit status
# and messages, with one thread and with workers, on a generated
# organization, on testdata/ and on tests/data/ingest/itemtext (each
# file: a plain item, then one odd item: escapes, Unicode, real numbers,
# keys twice, JSON inside strings, API names, odd times and ids, tags as
# a list, relationshipName, IAM and SNS policies, bad bytes, ...), and
# with --accounts on files whose path names no account.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

"$GEN" --out "$T/org" --seed 1061 --accounts 2 --regions us-east-1,eu-west-1 --days 2 \
	--resources 80 --quiet || bail_out "gen-archive failed"
mkdir -p "$T/odd"
cp "$TOP_SRCDIR"/tests/data/ingest/itemtext/one-*.json "$T/odd/"

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status, error, error_offset FROM files
	       ORDER BY path;
	SELECT 'item', hex(item_key), account_id, region, resource_type, resource_id,
	       resource_name, typeof(resource_name), arn, typeof(arn), availability_zone,
	       typeof(availability_zone), status, capture_time, state_id, typeof(state_id),
	       item_version, typeof(item_version), resource_creation_time,
	       typeof(resource_creation_time), configuration, typeof(configuration),
	       supplementary, tags, relationships, extra, typeof(extra) FROM items
	       ORDER BY item_key;
	SELECT 'src', hex(s.item_key), f.path FROM item_sources s JOIN files f USING (file_key)
	       ORDER BY 2, 3;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;"
}

# load NAME JOBS [PARSED]: ingest every tree into a new store, dump it.
load() {
	db="$T/$1.db"
	if [ -n "${3:-}" ]; then
		CFGAUDIT_INGEST_PARSED_ONLY=1 cfgaudit --db "$db" ingest --quiet --jobs "$2" \
			"$T/org" "$TOP_SRCDIR/testdata" "$T/odd" >"$T/$1.out" 2>"$T/$1.err"
	else
		cfgaudit --db "$db" ingest --quiet --jobs "$2" \
			"$T/org" "$TOP_SRCDIR/testdata" "$T/odd" >"$T/$1.out" 2>"$T/$1.err"
	fi
	echo "exit $?" >>"$T/$1.out"
	dump "$db" >"$T/$1.dump"
}

load parsed 1 parsed
check "the parsed path loads items" test "$(grep -c '^item' "$T/parsed.dump")" -gt 500
check_grep "some odd files fail" "exit 2" "$T/parsed.out"
for j in 1 2; do
	load text$j $j
	check_same "--jobs $j: the same rows" "$T/parsed.dump" "$T/text$j.dump"
	check_same "--jobs $j: the same exit status" "$T/parsed.out" "$T/text$j.out"
	check_same "--jobs $j: the same messages" "$T/parsed.err" "$T/text$j.err"
done

# The same on a store that holds the items already (the known test, and
# items stored with other content).
for mode in parsed text; do
	if [ $mode = parsed ]; then
		CFGAUDIT_INGEST_PARSED_ONLY=1 cfgaudit --db "$T/again-$mode.db" ingest --quiet "$T/org"
	else
		cfgaudit --db "$T/again-$mode.db" ingest --quiet "$T/org"
	fi
	cp -R "$T/org" "$T/org2"
	find "$T/org2" -name '*.json.gz' | head -3 | while read -r f; do
		gzip -dc "$f" | sed 's/"configurationItemStatus":"OK"/"configurationItemStatus":"ResourceDiscovered"/' |
			gzip >"$f.new" && mv "$f.new" "$f"
	done
	if [ $mode = parsed ]; then
		CFGAUDIT_INGEST_PARSED_ONLY=1 cfgaudit --db "$T/again-$mode.db" ingest --jobs 1 \
			"$T/org2" >"$T/again-$mode.out" 2>"$T/again-$mode.err"
	else
		cfgaudit --db "$T/again-$mode.db" ingest --jobs 1 "$T/org2" \
			>"$T/again-$mode.out" 2>"$T/again-$mode.err"
	fi
	dump "$T/again-$mode.db" | sed 's/^file|org2/file|org/' >"$T/again-$mode.dump"
	sqlite3 "$T/again-$mode.db" "SELECT hex(item_key), member, sha256, text FROM item_conflicts
		ORDER BY 1, 2, 3" >>"$T/again-$mode.dump" 2>/dev/null
	rm -rf "$T/org2"
done
check_grep "conflicts are met" "stored already with other content" "$T/again-parsed.err"
check_same "a second load: the same rows and conflicts" "$T/again-parsed.dump" "$T/again-text.dump"
check_same "a second load: the same messages" "$T/again-parsed.err" "$T/again-text.err"
# Files whose path names no account, loaded with --accounts: the items of
# other accounts are left out either way (the text path reads the account
# from the text).
mkdir -p "$T/flat"
i=0
for f in $(find "$T/org" -name '*ConfigSnapshot*.json.gz' | sort); do
	i=$((i + 1))
	cp "$f" "$T/flat/export-$i.json.gz"
done
ls "$T/org/AWSLogs" | head -1 >"$T/accounts"
CFGAUDIT_INGEST_PARSED_ONLY=1 cfgaudit --db "$T/sel-parsed.db" ingest --accounts "$T/accounts" \
	"$T/flat" >"$T/sel-parsed.out" 2>&1
cfgaudit --db "$T/sel-text.db" ingest --accounts "$T/accounts" "$T/flat" >"$T/sel-text.out" 2>&1
dump "$T/sel-parsed.db" >"$T/sel-parsed.dump"
dump "$T/sel-text.db" >"$T/sel-text.dump"
check_grep "items of other accounts are left out" "accounts outside the selection" "$T/sel-parsed.out"
check_same "--accounts: the same rows" "$T/sel-parsed.dump" "$T/sel-text.dump"
check_same "--accounts: the same messages" "$T/sel-parsed.out" "$T/sel-text.out"
done_testing
