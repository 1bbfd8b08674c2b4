#!/bin/sh
# t1285: what a whole build of the shared point-in-time state writes from
# its own scan instead of reading pit_items again (store/pit.c,
# build_items and pit_kept_stats): sqlite_stat1 is what ANALYZE gives,
# accounts is what its definition (the account-Regions of pit_items and
# of pit_snap) gives, pit_meta's distinct ids are the table's; on a
# landing zone whose regional and global series are decided by one
# snapshot (its presence read once), with one resource id naming
# resources of two types (fewer distinct ids than (type, id) pairs).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
since_start 1285 2
T="$T" python3 - <<'PY' || bail_out "cannot write the extra items"
import json, os
t = os.environ["T"]
def item(rtype, rid, reg):
    return {"version": "1.3", "accountId": "111122223333",
            "configurationItemCaptureTime": "2026-11-01T03:00:00.000Z",
            "configurationItemStatus": "ResourceDiscovered", "configurationStateId": "1",
            "resourceType": rtype, "resourceId": rid, "resourceName": rid, "awsRegion": reg,
            "configuration": {}, "supplementaryConfiguration": {}, "tags": {},
            "relationships": [], "relatedEvents": []}
with open(f"{t}/day1/extra/shared-id.json", "w") as f:
    json.dump([item("AWS::S3::Bucket", "shared-1285", "eu-west-3"),
               item("AWS::SNS::Topic", "shared-1285", "eu-west-3")], f)
PY
kept="$CFGAUDIT_DB-pitstate"

# state QUERY: one query on the kept state
state() { sqlite3 -separator '|' "$kept" "$1"; }

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run"
check "its state is kept" test -s "$kept"
check_shared=$(state "SELECT count(*) FROM pit_snap a JOIN pit_snap b
	ON a.account_id = b.account_id AND a.series_region = b.series_region
	AND a.snap_time = b.snap_time AND a.item_region <> b.item_region")
check "a snapshot decides two series ($check_shared)" test "${check_shared:-0}" -gt 0
check "the shared id is in the state twice" \
	test "$(state "SELECT count(*) FROM pit_items WHERE resource_id = 'shared-1285'")" = 2

stat1="SELECT tbl, idx, stat FROM sqlite_stat1
	WHERE tbl IN ('pit_items', 'pit_snap', 'accounts') ORDER BY 1, 2"
state "$stat1" >"$T/own"
cp "$kept" "$T/analyzed.db"
sqlite3 "$T/analyzed.db" "DELETE FROM sqlite_stat1; ANALYZE"
sqlite3 -separator '|' "$T/analyzed.db" "$stat1" >"$T/analyze"
check_grep "sqlite_stat1 has pit_items' rows" '^pit_items|pit_items_by_id|' "$T/own"
check_same "sqlite_stat1 = ANALYZE's" "$T/analyze" "$T/own"

state "SELECT account_id, aws_region FROM accounts ORDER BY 1, 2" >"$T/own"
state "SELECT account_id, region FROM pit_items WHERE region <> 'global'
	UNION SELECT account_id, item_region FROM pit_snap WHERE item_region <> 'global'
	ORDER BY 1, 2" >"$T/defined"
check_grep "accounts holds the shared id's account-Region" '^111122223333|eu-west-3$' "$T/own"
check_same "accounts = its definition" "$T/defined" "$T/own"

counts=$(state "SELECT d_ti - d_id, d_id = (SELECT count(DISTINCT resource_id) FROM pit_items),
	n_items = (SELECT count(*) FROM pit_items) FROM pit_meta")
check "pit_meta: one id of two types, distinct ids and rows the table's ($counts)" \
	test "$counts" = "1|1|1"
done_testing
