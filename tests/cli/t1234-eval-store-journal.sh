#!/bin/sh
# t1234-eval-store-journal: eval writes its run through the rollback
# journal when no other connection has the store open, and in WAL when
# one does (a reader beside it); both ways store the same results and
# leave the store in WAL mode.
. "$TOP_SRCDIR/tests/lib.sh"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"
dump() {
	q "SELECT pack_name, config_rule_name, account_id, aws_region, resource_type,
	   resource_id, compliance_type, annotation, hex(item_key)
	   FROM results WHERE run_id = $1 ORDER BY 1, 2, 3, 4, 5, 6"
}
run_id() { sed -n 's/^run //p' "$T/out"; }

check_exit "eval alone" 1 cfgaudit eval
dump "$(run_id)" >"$T/alone"
check "results stored" test -s "$T/alone"
q 'PRAGMA journal_mode' >"$T/mode"
check_grep "the store is in WAL mode after" '^wal$' "$T/mode"

# A reader holds the store open (in WAL, it keeps the journal mode
# from changing) until eval has ended.
cat >"$T/reader.py" <<'PY'
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM items").fetchone()
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.05)
c.close()
PY
python3 "$T/reader.py" "$CFGAUDIT_DB" "$T/ready" "$T/done" &
reader=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check "the reader has the store open" test -e "$T/ready"
check_exit "eval beside a reader" 1 cfgaudit eval
beside=$(run_id)
: >"$T/done"
wait "$reader"
dump "$beside" >"$T/beside"
check_same "the same results beside a reader" "$T/alone" "$T/beside"
q 'PRAGMA journal_mode' >"$T/mode"
check_grep "still in WAL mode" '^wal$' "$T/mode"
check_exit "eval with two connections" 1 cfgaudit eval --jobs 2
dump "$(run_id)" >"$T/jobs2"
check_same "the same results with --jobs 2" "$T/alone" "$T/jobs2"
done_testing
