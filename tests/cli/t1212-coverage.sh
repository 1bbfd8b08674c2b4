#!/bin/sh
# t1212-coverage: 'cfgaudit coverage' (complete, stale, missing, before
# any snapshot, an account known only from an API answer, --max-age), and
# the coverage every run records and every report format shows.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/coverage"

check_exit "coverage of an empty store is an error" 2 cfgaudit coverage
check "ingest the sample archive" cfgaudit --quiet ingest "$TOP_SRCDIR/testdata"
check "ingest an API answer of an account without snapshots" cfgaudit --quiet ingest \
	"$D/api-history.json"

# --- the command ---------------------------------------------------------
check_exit "as of 2026-11-03: the API-only account is incomplete (exit 1)" 1 \
	cfgaudit coverage --as-of 2026-11-03
cp "$T/out" "$T/c3"
check_grep "header names the as-of time and max age" \
	'^as of 2026-11-03T00:00:00Z; stale when the latest delivery is more than 26h older$' "$T/c3"
check_grep "a complete, fresh regional series" \
	'^111111111111  eu-west-1       2026-11-02T04:5[0-9]:[0-9][0-9]Z  2026-11-02T[0-9:]*Z  fresh$' "$T/c3"
check_grep "the global series from the snapshot with IAM items" \
	'^111111111111  global          2026-11-0[12]T[0-9:]*Z  2026-11-0[12]T[0-9:]*Z  fresh$' "$T/c3"
check_grep "history only (API answer): no snapshot, its capture time as delivery" \
	'^999999999999  eu-west-1       none                  2026-11-02T10:00:00Z  incomplete$' "$T/c3"
check "header + five accounts x (two regions + global) + the API-only one" \
	test "$(wc -l <"$T/c3")" -eq 18

check_exit "one account, all complete and fresh (exit 0)" 0 \
	cfgaudit coverage --as-of 2026-11-03 --account 111111111111
check "three lines for it" test "$(grep -c '^111111111111 ' "$T/out")" -eq 3

check_exit "before any delivery: missing (exit 1)" 1 \
	cfgaudit coverage --as-of 2026-11-01T00:30:00Z --account 111111111111 --region eu-west-1
check_grep "missing: no snapshot, no delivery" \
	'^111111111111  eu-west-1       none                  none                  missing$' "$T/out"
check_grep "--region keeps the global row" '^111111111111  global ' "$T/out"
check "and only those two rows" test "$(grep -c '^111111111111 ' "$T/out")" -eq 2

check_exit "between the first snapshot and the first history file (exit 0)" 0 \
	cfgaudit coverage --as-of 2026-11-01T05:00:00Z --account 111111111111 --region eu-west-1
check_grep "the eu-west-1 snapshot decides" \
	'^111111111111  eu-west-1       2026-11-01T04:54:53Z  2026-11-01T04:54:53Z  fresh$' "$T/out"

check_exit "two weeks after the last delivery: stale (exit 1)" 1 \
	cfgaudit coverage --as-of 2026-11-20 --account 111111111111
check_grep "complete but stale" '^111111111111  us-east-1       2026-11-0[67]T[0-9:]*Z  2026-11-0[67]T[0-9:]*Z  stale$' "$T/out"
check_exit "--max-age 30d makes it fresh (exit 0)" 0 \
	cfgaudit coverage --as-of 2026-11-20 --account 111111111111 --max-age 30d
check_grep "the header says 30d" 'more than 30d older$' "$T/out"
check_exit "API-only account three days later: stale (exit 1)" 1 \
	cfgaudit coverage --as-of 2026-11-05 --account 999999999999
check_grep "stale and incomplete shows stale" '^999999999999  eu-west-1       none  .*  stale$' "$T/out"
check_exit "with --max-age 72h it is incomplete only" 1 \
	cfgaudit coverage --as-of 2026-11-05 --account 999999999999 --max-age 72h
check_grep "incomplete" '  incomplete$' "$T/out"

check_exit "json" 1 cfgaudit coverage --as-of 2026-11-03 --format json
cp "$T/out" "$T/c3.json"
if command -v python3 >/dev/null 2>&1; then
	check "json lists every account-region with the documented members" python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["AsOf"] == "2026-11-03T00:00:00Z" and doc["MaxAge"] == "26h"
rows = doc["DataCoverage"]
assert len(rows) == 16, len(rows)
for r in rows:
    assert list(r) == ["AccountId", "AwsRegion", "SnapshotTime", "LatestDeliveryTime",
                       "Complete", "Stale", "Status"], list(r)
api = [r for r in rows if r["AccountId"] == "999999999999"]
assert api == [{"AccountId": "999999999999", "AwsRegion": "eu-west-1", "SnapshotTime": None,
                "LatestDeliveryTime": "2026-11-02T10:00:00Z", "Complete": False,
                "Stale": False, "Status": "incomplete"}], api
' "$T/c3.json"
else
	ok "json members # SKIP python3 not found"
fi

# --- --max-age parsing ---------------------------------------------------
for bad in 26 h 0h -1d 2w 26hours 1.5d '' 3651d 87625h 99999999999999999999h; do
	check_exit "--max-age '$bad' is a usage error" 2 cfgaudit coverage --max-age "$bad"
	check_grep "and says so" "--max-age: '.*' is not a duration like 26h or 2d" "$T/err"
done
for good in 1h 26h 2d 3650d 87600h; do
	check_exit "--max-age $good is accepted" 1 cfgaudit coverage --as-of 2026-11-05 --max-age "$good"
done
check_exit "--format csv is not offered" 2 cfgaudit coverage --format csv
check_exit "eval rejects a bad --max-age" 2 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED \
	--max-age 1w
check_exit "audit rejects a bad --max-age" 2 cfgaudit audit --max-age 0d "$TOP_SRCDIR/testdata"
check_exit "coverage --help" 0 cfgaudit coverage --help
check_grep "documents --max-age" '--max-age D' "$T/out"
check_exit "eval --help" 0 cfgaudit eval --help
check_grep "eval documents --max-age" '--max-age D' "$T/out"
check_exit "audit --help" 0 cfgaudit audit --help
check_grep "audit documents --max-age" '--max-age D' "$T/out"
check_exit "cfgaudit --help lists coverage" 0 cfgaudit --help
check_grep "in the command list" '^  coverage ' "$T/out"

# --- runs record it, reports show it ------------------------------------
check_exit "eval as of 2026-11-05 with --max-age 2d" 1 cfgaudit eval \
	--rule S3_BUCKET_VERSIONING_ENABLED --as-of 2026-11-05 --max-age 2d
check_grep "the summary counts stale or incomplete account-regions" '^stale-or-incomplete 1$' "$T/out"
RUN=$(sed -n 's/^run //p' "$T/out")

cfgaudit report --run "$RUN" >"$T/r.text"
check_grep "text: Data section with the run's max age" \
	'^Data \(stale: latest delivery more than 2d before the as-of time\)$' "$T/r.text"
check "text: the flagged account-region is in the first lines" sh -c \
	"head -8 '$T/r.text' | grep -q '^stale      999999999999 eu-west-1      none                 2026-11-02T10:00:00Z$'"
check_grep "text: then the count of fresh ones" '^15 account-regions fresh and complete$' "$T/r.text"

cfgaudit report --run "$RUN" --format json >"$T/r.json"
cfgaudit coverage --as-of 2026-11-05 --max-age 2d --format json >"$T/live.json"
if command -v python3 >/dev/null 2>&1; then
	check "json: DataCoverage equals what 'coverage' says at the run's time" python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))
live = json.load(open(sys.argv[2]))
assert run["Run"]["DataMaxAge"] == "2d"
assert run["DataCoverage"] == live["DataCoverage"], (run["DataCoverage"], live["DataCoverage"])
' "$T/r.json" "$T/live.json"
else
	ok "json DataCoverage # SKIP python3 not found"
fi
cfgaudit report --run "$RUN" --format csv >"$T/r.csv"
check_grep "csv: data columns in the header" \
	',annotation,data_snapshot_time,data_latest_delivery,data_status,severity,.*,resource_name,arn,rule_coverage,account_name,ou_path.$' "$T/r.csv"
check_grep "csv: a fresh row carries its snapshot and delivery" \
	',111111111111,eu-west-1,.*,2026-11-0[45]T[0-9:]*Z,2026-11-0[45]T[0-9:]*Z,fresh,' "$T/r.csv"
cfgaudit report --run "$RUN" --format html >"$T/r.html"
check_grep "html: a Data table row for the stale account-region" \
	'<tr><td>stale</td><td class="key">999999999999</td><td class="key">eu-west-1</td><td>none</td><td>2026-11-02T10:00:00Z</td></tr>' \
	"$T/r.html"
cfgaudit report --run "$RUN" --format junit >"$T/r.junit"
check_grep "junit: a failing testcase per stale account-region" \
	'<testcase classname="data-coverage" name="999999999999 eu-west-1">' "$T/r.junit"
check_grep "junit: its failure" '<failure message="stale: snapshot none, latest delivery 2026-11-02T10:00:00Z \(max age 2d\)" type="STALE_DATA">' "$T/r.junit"
check_grep "junit: the suite counts it" '<testsuite name="data-coverage" tests="1" failures="1"' "$T/r.junit"
cfgaudit report --run "$RUN" --account 111111111111 >"$T/r1.text"
check_grep "a selection without flagged data says all are fresh" \
	'^all 3 account-regions fresh and complete$' "$T/r1.text"

# A later delivery for the same time changes what 'coverage' says, not
# what the stored run reports.
sed -e 's/2026-11-02T10:00:00.000000/2026-11-04T10:00:00.000000/' -e 's/1762077600000/1762250400000/' \
	"$D/api-history.json" >"$T/api-later.json"
check "ingest a later API answer" cfgaudit --quiet ingest "$T/api-later.json"
check_exit "coverage now sees it (incomplete only)" 1 \
	cfgaudit coverage --as-of 2026-11-05 --max-age 2d --account 999999999999
check_grep "latest delivery moved" '2026-11-04T10:00:00Z  incomplete$' "$T/out"
cfgaudit report --run "$RUN" >"$T/r.text2"
check_same "the stored run's report is unchanged" "$T/r.text" "$T/r.text2"

# A version 2 store made before run_coverage: reports say "not recorded",
# the next eval creates the table.
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$CFGAUDIT_DB" "DROP TABLE run_coverage"
	check_exit "report without the table" 1 cfgaudit report --run "$RUN"
	check_grep "says not recorded" '^not recorded: the run was made by a cfgaudit without data coverage$' "$T/out"
	check_exit "json without the table" 1 cfgaudit report --run "$RUN" --format json
	check_grep "DataCoverage null" '^  "DataCoverage": null,$' "$T/out"
	check_exit "eval on that store" 1 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED \
		--as-of 2026-11-05
	RUN2=$(sed -n 's/^run //p' "$T/out")
	check "creates run_coverage and records the run" sh -c \
		"test \"\$(sqlite3 '$CFGAUDIT_DB' 'SELECT count(*) FROM run_coverage WHERE run_id = $RUN2')\" -eq 16"
else
	ok "store without run_coverage # SKIP the sqlite3 shell is not installed"
fi
done_testing
