#!/bin/sh
# t1062: a bulk first load writes its random-keyed B-trees in order: the
# item_key index (items_by_key) and the series index of snapshot_presence
# are dropped inside the load's transaction and built from a sort before
# it commits (the item keys kept in memory meanwhile), and the presence
# runs of new series are held across files and written in key order at
# the end (ingest/newruns.h). The store equals
# one loaded the usual way (WAL, a commit per file): items, presence runs,
# conflicts and the conflict warnings naming the first file, with one
# thread and with workers. A streamed file that fails half-way takes its
# keys along (its items load from a later file), a store made before
# items_by_key (the key unique by the column's constraint) loads the same
# rows the old way, and a first load killed while its journal is hot still
# leaves the index in place.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

A=111122223333
"$GEN" --out "$T/org" --seed 1062 --accounts 2 --regions us-east-1,eu-west-1 --days 1 \
	--resources 40 --no-junk --quiet || bail_out "gen-archive failed"

# One IAM role (a global item: the same version in both Regions'
# snapshots) with another text in eu-west-1: a conflict in a first load.
snap() { # snap REGION POLICY EXTRA-ITEM-ID
	d="$T/org/AWSLogs/$A/Config/$1/2026/11/1/ConfigSnapshot"
	mkdir -p "$d"
	cat >"$d/${A}_Config_$1_ConfigSnapshot_20261101T120000Z_0000000$3-aaaa-bbbb-cccc-123456789012.json" <<EOF
{"fileVersion":"1.0","configSnapshotId":"0000000$3-aaaa-bbbb-cccc-123456789012","configurationItems":[
{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-10-30T10:00:00.000Z","configurationStateId":11,"awsAccountId":"$A","configurationItemStatus":"OK","resourceType":"AWS::IAM::Role","resourceId":"AROAEXAMPLE1","resourceName":"app","ARN":"arn:aws:iam::$A:role/app","awsRegion":"global","availabilityZone":"Not Applicable","tags":{},"relationships":[],"configuration":{"roleName":"app","path":"/","assumeRolePolicyDocument":"$2"},"supplementaryConfiguration":{}},
{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-10-30T11:00:00.000Z","configurationStateId":12,"awsAccountId":"$A","configurationItemStatus":"OK","resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-0$3","resourceName":"web","ARN":"arn:aws:ec2:$1:$A:security-group/sg-0$3","awsRegion":"$1","availabilityZone":"Not Applicable","tags":{"Name":"web"},"relationships":[],"configuration":{"groupId":"sg-0$3","ipPermissions":[]},"supplementaryConfiguration":{}}]}
EOF
}
snap us-east-1 "%7B%22Version%22%3A%222012-10-17%22%7D" 1
snap eu-west-1 "%7B%22Version%22%3A%222008-10-17%22%7D" 2

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status FROM files ORDER BY path;
	SELECT 'item', hex(item_key), account_id, region, resource_type, resource_id,
	       capture_time, state_id, status, configuration, supplementary, tags,
	       relationships, extra FROM items ORDER BY item_key;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;
	SELECT 'conflict', hex(c.item_key), f.path, c.member, c.sha256, c.text
	       FROM item_conflicts c JOIN files f USING (file_key) ORDER BY 2, 3;"
}
schema_of() {
	sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' ORDER BY name"
}

# The usual way: the store holds one unrelated file already.
mkdir -p "$T/one"
cp "$TOP_SRCDIR/tests/data/ingest/conflicts/get-resource-config-history.json" "$T/one/"
check_exit "reference: one file" 0 cfgaudit --db "$T/ref.db" ingest --quiet "$T/one"
cfgaudit --db "$T/ref.db" ingest --jobs 1 "$T/org" >/dev/null 2>"$T/ref.err"
sqlite3 "$T/ref.db" "DELETE FROM files WHERE path = 'get-resource-config-history.json';
	DELETE FROM items WHERE item_key IN (SELECT item_key FROM item_sources);
	DELETE FROM item_sources"
dump "$T/ref.db" >"$T/ref.dump"
grep warning "$T/ref.err" >"$T/ref.warn"
check "the reference holds a conflict" test "$(grep -c '^conflict' "$T/ref.dump")" -eq 1
check_grep "its warning names the first file" "eu-west-1_ConfigSnapshot_.*us-east-1_ConfigSnapshot|us-east-1_ConfigSnapshot_.*eu-west-1_ConfigSnapshot" "$T/ref.warn"

for j in 1 2; do
	cfgaudit --db "$T/j$j.db" ingest --jobs $j "$T/org" >/dev/null 2>"$T/j$j.err"
	dump "$T/j$j.db" >"$T/j$j.dump"
	grep warning "$T/j$j.err" >"$T/j$j.warn"
	check_same "first load, --jobs $j: the same store" "$T/ref.dump" "$T/j$j.dump"
	check_same "first load, --jobs $j: the same warning" "$T/ref.warn" "$T/j$j.warn"
	check "first load, --jobs $j: the key index is there" \
		test "$(sqlite3 "$T/j$j.db" "SELECT sql FROM sqlite_master WHERE name = 'items_by_key'")" = \
		"CREATE UNIQUE INDEX items_by_key ON items(item_key)"
	check "first load, --jobs $j: the series index is there" \
		test "$(sqlite3 "$T/j$j.db" "SELECT sql FROM sqlite_master WHERE name = 'snapshot_presence_by_series'")" = \
		"CREATE INDEX snapshot_presence_by_series ON snapshot_presence(account_id, region, last_time)"
	check "first load, --jobs $j: integrity_check" \
		test "$(sqlite3 "$T/j$j.db" 'PRAGMA integrity_check')" = ok
done

# A store made before items_by_key: its key is unique by the column's
# UNIQUE constraint, whose index cannot be dropped. An empty one of that
# shape loads the same rows.
cfgaudit --db "$T/old.db" ingest --quiet "$T/one" >/dev/null 2>&1
sqlite3 "$T/old.db" "DELETE FROM files; DELETE FROM item_sources; DROP TABLE items;
	CREATE TABLE items(item_key BLOB NOT NULL UNIQUE, account_id TEXT NOT NULL,
	  region TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
	  resource_name TEXT, arn TEXT, availability_zone TEXT, status TEXT NOT NULL,
	  capture_time TEXT NOT NULL, state_id INTEGER, item_version TEXT,
	  resource_creation_time TEXT, configuration TEXT,
	  supplementary TEXT NOT NULL DEFAULT '{}', tags TEXT NOT NULL DEFAULT '{}',
	  relationships TEXT NOT NULL DEFAULT '[]', extra TEXT);
	CREATE INDEX items_by_resource ON items(resource_type, resource_id, account_id,
	  region, capture_time, state_id, status, item_key, resource_name);
	CREATE INDEX items_by_id ON items(resource_id);"
cfgaudit --db "$T/old.db" ingest --jobs 1 "$T/org" >/dev/null 2>"$T/old.err"
dump "$T/old.db" >"$T/old.dump"
check_same "a store of the old shape: the same store" "$T/ref.dump" "$T/old.dump"
printf '%s\n' items_by_id items_by_resource sqlite_autoindex_items_1 >"$T/want"
schema_of "$T/old.db" >"$T/got"
check_same "a store of the old shape keeps its indexes" "$T/want" "$T/got"
check "a store of the old shape: a version met again is known" \
	test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM items WHERE resource_id = 'AROAEXAMPLE1'")" = 1

# A streamed file that fails half-way, then the whole file: the items of
# the broken one load from the whole one (their keys went with the
# rollback), the files around stay.
"$GEN" --out "$T/big" --seed 1063 --big-snapshot 12M --no-junk --quiet ||
	bail_out "gen-archive failed"
big=$(find "$T/big" -name '*.json.gz')
mkdir -p "$T/mixed/a" "$T/mixed/b" "$T/mixed/c"
cp -R "$T/org/." "$T/mixed/a/"
sz=$(wc -c <"$big" | tr -d ' ')
head -c $((sz * 3 / 4)) "$big" >"$T/mixed/b/$(basename "$big")"
cp "$big" "$T/mixed/c/"
check_exit "whole load of the big file" 0 cfgaudit --db "$T/big.db" ingest --quiet --jobs 1 "$T/big"
check_exit "first load with the big file broken, then whole (exit 2)" 2 \
	cfgaudit --db "$T/mix.db" ingest --quiet --jobs 1 "$T/mixed"
nbig=$(sqlite3 "$T/big.db" "SELECT count(*) FROM items")
check "the big file has items" test "$nbig" -gt 3000
check "every item of the big file is stored" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) FROM items WHERE account_id NOT IN
		(SELECT account_id FROM files WHERE path LIKE 'a/%' AND account_id IS NOT NULL)")" = "$nbig"
check "and its presence runs" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) FROM snapshot_presence p JOIN files f
		ON f.account_id = p.account_id AND f.path LIKE 'c/%'")" = \
	"$(sqlite3 "$T/big.db" "SELECT count(*) FROM snapshot_presence")"
check "the files around it are loaded" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) FROM files WHERE status = 'loaded'")" = \
	"$(($(grep -c '^file' "$T/ref.dump") + 1))"
check "mixed: integrity_check" test "$(sqlite3 "$T/mix.db" 'PRAGMA integrity_check')" = ok
check "mixed: no key stored twice" test \
	"$(sqlite3 "$T/mix.db" "SELECT count(*) - count(DISTINCT item_key) FROM items")" = 0

# Killed while the journal is hot: the dropped index comes back with the
# rollback.
mkdir -p "$T/empty"
cfgaudit --db "$T/kill.db" ingest --quiet "$T/empty" >/dev/null 2>&1
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
else
	wait $pid 2>/dev/null
	ok "killed: # SKIP the load ended before it could be killed"
fi
check "killed: the key index is there" test \
	"$(sqlite3 "$T/kill.db" "SELECT count(*) FROM sqlite_master WHERE name = 'items_by_key'")" = 1
check "killed: the series index is there" test \
	"$(sqlite3 "$T/kill.db" "SELECT count(*) FROM sqlite_master WHERE name = 'snapshot_presence_by_series'")" = 1
check_exit "killed: the next ingest" 0 cfgaudit --db "$T/kill.db" ingest --quiet --jobs 1 "$T/big"
check "killed: then the whole file" test \
	"$(sqlite3 "$T/kill.db" "SELECT count(*) FROM items")" = "$nbig"
done_testing
