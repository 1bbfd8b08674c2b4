#!/bin/sh
# t1250: eval --since-run builds its point-in-time state from the prior
# run's (kept beside the store as STORE-pitstate, store/pit_delta.c), and
# that state is the one a whole build gives, row for row: pit_items,
# pit_snap, accounts, the statistics the planner reads, the marks kept for
# the next run; the run's scope, coverage and results are a full run's.
# Five days of a landing zone's churn (new, changed, deleted and vanished
# resources), and beside it: late history (delivered after the prior
# as-of, captured before it), a snapshot that drops a resource that the
# next one holds again, a new account-region without a snapshot and then
# with one, a new account. Each nightly run starts from the one before
# (a chain of states never rebuilt whole); then the guards: no kept
# state, another base run, the kept state of another time.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
since_start 1250 5
kept="$CFGAUDIT_DB-pitstate"

# The changes beside the generator's, made from the archive itself.
python3 - "$T" <<'EOF' || bail_out "cannot make the test's changes"
import glob, gzip, json, os, sys
t = sys.argv[1]
def load(p):
    with gzip.open(p, "rt") as f:
        return json.load(f)
def save(p, doc):
    with gzip.open(p, "wt") as f:
        json.dump(doc, f)
def snaps(day):
    return sorted(glob.glob(f"{t}/day{day}/**/*_ConfigSnapshot_*.json.gz", recursive=True))
# A snapshot of day 3 drops a security group that the snapshots of days 2
# and 4 hold unchanged: gone on day 3, back on day 4 without a new version.
def ids(p, kind):
    return {(i["resourceType"], i["resourceId"], i.get("configurationStateId"))
            for i in load(p)["configurationItems"] if i["resourceType"] == kind}
done = False
for p3 in snaps(3):
    folder = p3.split("/AWSLogs/")[1].split("/2026/")[0]
    p2 = [p for p in snaps(2) if folder + "/" in p]
    p4 = [p for p in snaps(4) if folder + "/" in p]
    if not p2 or not p4:
        continue
    both = ids(p2[0], "AWS::EC2::SecurityGroup") & ids(p3, "AWS::EC2::SecurityGroup") & \
        ids(p4[0], "AWS::EC2::SecurityGroup")
    if not both:
        continue
    drop = sorted(both)[0]
    doc = load(p3)
    doc["configurationItems"] = [i for i in doc["configurationItems"]
                                 if (i["resourceType"], i["resourceId"]) != drop[:2]]
    save(p3, doc)
    with open(f"{t}/dropped", "w") as f:
        f.write(drop[1] + "\n")
    done = True
    break
if not done:
    sys.exit("no security group held by the snapshots of days 2, 3 and 4")
# Late history: delivered early on day 3 (after day 2's as-of time),
# holding a bucket version captured on day 2.
# (a bucket that no history of days 2 and 3 changes)
changed = set()
for day in (2, 3):
    for h in glob.glob(f"{t}/day{day}/**/*_ConfigHistory_*.json.gz", recursive=True):
        changed |= {i["resourceId"] for i in load(h)["configurationItems"]}
p = snaps(2)[0]
acct = p.split("/AWSLogs/")[1].split("/")[0]
region = p.split("/Config/")[1].split("/")[0]
item = next(i for i in load(p)["configurationItems"]
            if i["resourceType"] == "AWS::S3::Bucket" and i["resourceId"] not in changed)
item = dict(item)
item["configurationItemCaptureTime"] = "2026-11-02T12:00:00.000Z"
item["configurationStateId"] = "1762084800000"
item["tags"] = {"late": "history"}
d = f"{t}/day3/extra/AWSLogs/{acct}/Config/{region}/2026/11/3/ConfigHistory"
os.makedirs(d)
save(f"{d}/{acct}_Config_{region}_ConfigHistory_AWS::S3::Bucket_20261103T001500Z_20261103T001500Z_1.json.gz",
     {"fileVersion": "1.0", "configurationItems": [item]})
with open(f"{t}/late", "w") as f:
    f.write(item["resourceId"] + "\n")
# A new account-region: a bucket without a snapshot on day 3; on day 4 a
# snapshot of it, and of a new account; on day 5 that account's next
# snapshot drops its bucket.
def bucket(account, reg, name, when, sid):
    return {"version": "1.3", "accountId": account, "configurationItemCaptureTime": when,
            "configurationItemStatus": "ResourceDiscovered", "configurationStateId": sid,
            "resourceType": "AWS::S3::Bucket", "resourceId": name, "resourceName": name,
            "awsRegion": reg, "arn": "arn:aws:s3:::" + name,
            "configuration": {"name": name}, "supplementaryConfiguration": {}, "tags": {},
            "relationships": [], "relatedEvents": []}
with open(f"{t}/day3/extra/new-region.json", "w") as f:
    json.dump([bucket(acct, "ap-south-1", "pitdelta-new-region", "2026-11-03T03:00:00.000Z",
                      "1762138800000")], f)
def snapshot(day, account, reg, items, stamp):
    d = f"{t}/day{day}/extra/AWSLogs/{account}/Config/{reg}/2026/11/{day}/ConfigSnapshot"
    os.makedirs(d)
    save(f"{d}/{account}_Config_{reg}_ConfigSnapshot_{stamp}_5e1d{day}c2a-aaaa-bbbb-cccc-123456789012.json.gz",
         {"fileVersion": "1.0", "configSnapshotId": f"5e1d{day}c2a-aaaa-bbbb-cccc-123456789012",
          "configurationItems": items})
nb = bucket(acct, "ap-south-1", "pitdelta-new-region", "2026-11-03T03:00:00.000Z", "1762138800000")
snapshot(4, acct, "ap-south-1", [nb], "20261104T040000Z")
na = bucket("999988887777", "us-east-1", "pitdelta-new-account", "2026-11-04T03:00:00.000Z",
            "1762225200000")
nk = bucket("999988887777", "us-east-1", "pitdelta-new-account-kept", "2026-11-04T03:00:00.000Z",
            "1762225200001")
snapshot(4, "999988887777", "us-east-1", [na, nk], "20261104T040100Z")
snapshot(5, "999988887777", "us-east-1", [nk], "20261105T040100Z")
EOF
dropped=$(cat "$T/dropped")
late=$(cat "$T/late")

# The kept state $1, table by table, into $2 (the distinct ids a whole
# build leaves to the first run built from it: counted here).
dump_state() {
	sqlite3 -separator '|' "$1" "
	SELECT 'items', resource_type, resource_id, account_id, region, rid, hex(item_key),
	  quote(resource_name) FROM pit_items ORDER BY 2, 3, 4, 5;
	SELECT 'snap', * FROM pit_snap ORDER BY 2, 3;
	SELECT 'accounts', * FROM accounts ORDER BY 2, 3;
	SELECT 'stat1', * FROM sqlite_stat1 ORDER BY 2, 3;
	SELECT 'marks', * FROM pit_marks ORDER BY 2, 3, 4, 5;
	SELECT 'meta', as_of, items_mark, files_mark, clean, n_items, rid_hash, d_type, d_ti,
	  d_tia, CASE WHEN d_id < 0 THEN (SELECT count(DISTINCT resource_id) FROM pit_items)
	  ELSE d_id END, boot FROM pit_meta;
	SELECT 'schema', type, name, tbl_name, sql FROM sqlite_master ORDER BY name" >"$2"
}
# What run $1 recorded beside its results, into $2.
run_record() {
	q "SELECT 'scope', account_id, aws_region FROM run_scope WHERE run_id = $1 ORDER BY 2, 3;
	   SELECT 'coverage', account_id, aws_region, snapshot_time, latest_delivery, complete,
	     stale, max_age_ms FROM run_coverage WHERE run_id = $1 ORDER BY 2, 3;
	   SELECT 'state', n_items, items FROM run_state WHERE run_id = $1" >"$2"
}
from_prior='timing: .*\(point-in-time state(, connection 1)?, from the prior run.s\)'

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
cfgaudit eval --jobs 1 >"$T/out" 2>"$T/err"
nightly=$(since_run_of)
check "day 1: a full run ($nightly)" test "${nightly:-0}" -gt 0
check "day 1: its state is kept" test -s "$kept"
cp "$kept" "$T/chain.pit"
for day in 2 3 4 5; do
	check "day $day: ingest" cfgaudit --quiet ingest "$T/day$day"
	jobs=$((day % 2 + 1))
	# the state the prior nightly run kept (a full run replaced it since)
	cp "$T/chain.pit" "$kept"
	cfgaudit eval --since-run "$nightly" --jobs $jobs --timings >"$T/out" 2>"$T/nightly.err"
	inc=$(since_run_of)
	check_grep "day $day (--jobs $jobs): incremental" '^since-run [0-9]+: ' "$T/out"
	check_grep "day $day: the state built from the prior run's" "$from_prior" "$T/nightly.err"
	cp "$kept" "$T/chain.pit"
	dump_state "$kept" "$T/delta"
	cfgaudit eval --jobs 1 --timings >"$T/out" 2>"$T/full.err"
	full=$(since_run_of)
	if grep -Eq "$from_prior" "$T/full.err"; then
		not_ok "day $day: a full run builds the state whole"
	else
		ok "day $day: a full run builds the state whole"
	fi
	dump_state "$kept" "$T/whole"
	check "day $day: the state has rows ($(grep -c '^items' "$T/whole"))" \
		test "$(grep -c '^items' "$T/whole")" -gt 100
	check_same "day $day: the state from the prior run's = the state built whole" \
		"$T/whole" "$T/delta"
	run_record "$inc" "$T/inc.rec"
	run_record "$full" "$T/full.rec"
	check_same "day $day: scope, coverage and state of run $inc = of full run $full" \
		"$T/full.rec" "$T/inc.rec"
	since_results "$inc" "$T/inc"
	since_results "$full" "$T/full"
	check_same "day $day: results of run $inc = of full run $full ($(wc -l <"$T/full"))" \
		"$T/full" "$T/inc"
	case $day in
	3)
		check "day 3: the dropped security group is not in the state" \
			test "$(grep -c "^items|AWS::EC2::SecurityGroup|$dropped|" "$T/delta")" = 0
		check "day 3: ... but marked, for the next snapshot" \
			test "$(grep -c "^marks|AWS::EC2::SecurityGroup|$dropped|.*|3|" "$T/delta")" = 1
		late_rid=$(q "SELECT rowid FROM items WHERE resource_id = '$late'
			AND tags LIKE '%late%'")
		check "day 3: the late bucket version ($late_rid) is the bucket's" grep -Eq \
			"^(items|marks)\|AWS::S3::Bucket\|$late\|[^|]*\|[^|]*\|$late_rid\|" "$T/delta"
		check "day 3: the new region is in the accounts" \
			grep -q '^accounts|.*|ap-south-1$' "$T/delta"
		;;
	4)
		day4=$inc
		check "day 4: the dropped security group is back" \
			test "$(grep -c "^items|AWS::EC2::SecurityGroup|$dropped|" "$T/delta")" = 1
		check "day 4: the new account is in the state" \
			grep -q '^items|AWS::S3::Bucket|pitdelta-new-account|999988887777|' "$T/delta"
		;;
	5)
		check "day 5: the bucket its account's snapshot dropped is not" \
			test "$(grep -c '^items|AWS::S3::Bucket|pitdelta-new-account|' "$T/delta")" = 0
		;;
	esac
	nightly=$inc
done
check "the late bucket version was evaluated" test "$(q "SELECT count(*) FROM items
	WHERE resource_id = '$late' AND tags LIKE '%late%'")" = 1

# ---- the guards: the state built whole, the same results ----
whole_again() { # DESC BASE: a nightly run that builds its state whole
	cfgaudit eval --since-run "$2" --jobs 1 --timings >"$T/out" 2>"$T/nightly.err"
	inc=$(since_run_of)
	check "$1: a run ($inc)" test "${inc:-0}" -gt 0
	if grep -Eq "$from_prior" "$T/nightly.err"; then
		not_ok "$1: the state is built whole"
	else
		ok "$1: the state is built whole"
	fi
	since_results "$inc" "$T/inc"
	check_same "$1: results = of full run $full" "$T/full" "$T/inc"
}
rm -f "$kept"
whole_again "no kept state" "$full"
check "... and it keeps its own" test -s "$kept"
whole_again "the kept state is not the base run's" "$day4"
dump_state "$kept" "$T/before"
cfgaudit eval --jobs 1 --as-of 2026-11-05T02:00:00Z >"$T/out" 2>&1
early=$(since_run_of)
dump_state "$kept" "$T/after"
check_same "a run at an earlier as-of time keeps no state (no base: data after it)" \
	"$T/before" "$T/after"
whole_again "a base at an earlier as-of time" "$early"
dump_state "$kept" "$T/before"
cfgaudit eval --jobs 1 --account 111111111111 >"$T/out" 2>&1
dump_state "$kept" "$T/after"
check_same "a run with a selection keeps no state" "$T/before" "$T/after"
check "... and leaves no scratch file" test "$(ls "$CFGAUDIT_DB"-pitstate.* 2>/dev/null | wc -l)" = 0

done_testing
