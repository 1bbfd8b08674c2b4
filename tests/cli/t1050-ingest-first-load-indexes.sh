#!/bin/sh
# t1050: a first load inserts its items without the secondary indexes of
# items and builds them at its end; a later load keeps them; a store an
# interrupted first load left without them gets them back from the next
# ingest or eval, with the same results.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
export SOURCE_DATE_EPOCH=1788000000

cp -R "$TOP_SRCDIR/tests/data/ingest/archive" "$T/archive"
indexes() {
	sqlite3 "$1" "SELECT name || ': ' || sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL ORDER BY name"
}
cat >"$T/want" <<'X'
items_by_id: CREATE INDEX items_by_id ON items(resource_id)
items_by_key: CREATE UNIQUE INDEX items_by_key ON items(item_key)
items_by_resource: CREATE INDEX items_by_resource ON items(resource_type, resource_id, account_id, region, capture_time, state_id, status, item_key, resource_name)
X

check_exit "first load" 0 cfgaudit ingest --jobs 2 "$T/archive"
indexes "$CFGAUDIT_DB" >"$T/got"
check_same "the first load leaves both indexes, as the schema defines them" "$T/want" "$T/got"
check_exit "eval" 0 cfgaudit eval --jobs 1 --rule INCOMING_SSH_DISABLED
cfgaudit report --format csv | cut -d, -f2- >"$T/r1"

# An empty store whose items indexes a killed first load dropped.
check_exit "a new store" 0 cfgaudit --db "$T/k.db" ingest "$T/archive/o-abc123/AWSLogs/111111111111/Config/us-east-1/2026/9/7"
sqlite3 "$T/k.db" "DROP INDEX items_by_resource; DROP INDEX items_by_id"
check_exit "eval of a store without the indexes" 0 \
	cfgaudit --db "$T/k.db" eval --jobs 1 --rule INCOMING_SSH_DISABLED
indexes "$T/k.db" >"$T/got"
check_same "eval builds the missing indexes" "$T/want" "$T/got"
sqlite3 "$T/k.db" "DROP INDEX items_by_resource; DROP INDEX items_by_id"
check_exit "ingest the rest into it" 0 cfgaudit --db "$T/k.db" ingest "$T/archive"
indexes "$T/k.db" >"$T/got"
check_same "a later ingest builds them too" "$T/want" "$T/got"
check_exit "eval" 0 cfgaudit --db "$T/k.db" eval --jobs 1 --rule INCOMING_SSH_DISABLED
cfgaudit --db "$T/k.db" report --format csv | cut -d, -f2- >"$T/r2"
check_same "same results" "$T/r1" "$T/r2"
done_testing
