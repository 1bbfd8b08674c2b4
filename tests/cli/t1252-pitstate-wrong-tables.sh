#!/bin/sh
# t1252: the kept point-in-time state (STORE-pitstate) a valid SQLite
# file that is not the prior run's state: a table missing or of other
# columns, a pit_meta that says another as-of time, digest, item or file
# extent, count, boot or an unclean state, none or two meta rows, rows
# that are not what pit_meta says, NULLs in it, a trigger, the
# kept state of another store (other data; the same data, whose state is
# the same). Each nightly eval --since-run gives the full run's results
# resource by resource (or fails loudly), and keeps a state of its own;
# the next nightly run from that one is right too.
#
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/pitstate-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
pit_setup 1252

# edited DESC SQL [JOBS]: the full run's kept state edited with SQL, then
# a nightly run.
edited() {
	pit_restore
	cp "$T/good.pit" "$kept"
	sqlite3 "$kept" "$2" >/dev/null || bail_out "$1: the edit failed"
	pit_nightly "$1" "${3:-1}"
	pit_kept_ok "$1"
}
# unused DESC SQL: edited, with --jobs 1 and 2; the state is built whole.
unused() {
	for j in 1 2; do
		edited "$1 (--jobs $j)" "$2" $j
		check "$1 (--jobs $j): not built from it" test "$prior" = 0
	done
}

edited "unedited (the control)" "SELECT 1"
check "  built from the kept state" test "$prior" = 1

# Tables missing, or not a state's.
for t in pit_meta pit_items pit_snap pit_marks accounts; do
	unused "no table $t" "DROP TABLE $t"
done
unused "pit_items a view" "ALTER TABLE pit_items RENAME TO x;
	CREATE VIEW pit_items AS SELECT * FROM x WHERE resource_type <> 'AWS::IAM::User'"
unused "pit_items of other columns" "ALTER TABLE pit_items RENAME TO x;
	CREATE TABLE pit_items(a, b, c, d, e, f, g); INSERT INTO pit_items SELECT * FROM x;
	DROP TABLE x"
unused "pit_meta of other columns" "ALTER TABLE pit_meta RENAME TO x;
	CREATE TABLE pit_meta(as_of, items_mark); INSERT INTO pit_meta SELECT as_of, items_mark FROM x"
# A pit_meta that is not the prior run's.
unused "pit_meta: an earlier as-of time" \
	"UPDATE pit_meta SET as_of = '2026-11-01T00:00:00.000Z'"
unused "pit_meta: a later as-of time" \
	"UPDATE pit_meta SET as_of = '2026-11-02T00:00:00.000Z'"
unused "pit_meta: another digest" "UPDATE pit_meta SET rid_hash = rid_hash + 1"
unused "pit_meta: a smaller item extent" "UPDATE pit_meta SET items_mark = items_mark - 1"
unused "pit_meta: a larger item extent" "UPDATE pit_meta SET items_mark = items_mark + 5"
unused "pit_meta: another file extent" "UPDATE pit_meta SET files_mark = files_mark + 1"
unused "pit_meta: another count" "UPDATE pit_meta SET n_items = n_items - 1"
unused "pit_meta: not clean" "UPDATE pit_meta SET clean = 0"
unused "pit_meta: kept before the system started" "UPDATE pit_meta SET boot = 'x'"
unused "pit_meta: no row" "DELETE FROM pit_meta"
# What the run rebuilds or reads beside pit_items: an edited file is not
# used either (its bytes are not those its run wrote: pit_delta.c,
# digest_ok).
unused "pit_meta: the row twice" "INSERT INTO pit_meta SELECT * FROM pit_meta"
unused "pit_snap emptied" "DELETE FROM pit_snap"
unused "accounts emptied" "DELETE FROM accounts"
unused "pit_marks emptied" "DELETE FROM pit_marks"
unused "no statistics" "DROP TABLE sqlite_stat1"
unused "its user version set" "PRAGMA user_version = 7"

# The kept state of another store.
other() { # DESC SEED-OR-DIR: $T/other.db made from it, its state kept
	rm -rf "$T/other.db"*
	if [ -d "$2" ]; then
		cfgaudit --db "$T/other.db" --quiet ingest "$2" >/dev/null 2>&1
	else
		"$GEN" --landing-zone --seed "$2" --days 1 --churn 0.05 --out "$T/other" --quiet &&
			cfgaudit --db "$T/other.db" --quiet ingest "$T/other" >/dev/null 2>&1
	fi
	cfgaudit --db "$T/other.db" eval --jobs 1 >/dev/null 2>&1
	[ -s "$T/other.db-pitstate" ] || bail_out "$1: no state kept"
	for j in 1 2; do
		pit_restore
		cp "$T/other.db-pitstate" "$kept"
		pit_nightly "$1 (--jobs $j)" $j
		pit_kept_ok "$1 (--jobs $j)"
	done
}
other "another store's state (other data)" 77
check "  not built from it" test "$prior" = 0
other "another store's state (the same data)" "$T/day1"
check "  built from it (it is the same state)" test "$prior" = 1

# The state a nightly run kept after a damaged one is right for the next.
edited "a chain: a later as-of time" "UPDATE pit_meta SET as_of = '2026-11-02T00:00:00.000Z'"
base=$inc
cfgaudit --quiet ingest "$T/lz" >/dev/null 2>&1 # the evidence files beside the days
pit_reference
pit_nightly "  the next nightly run, from run $base" 2
check "  built from the state run $base kept" test "$prior" = 1

# A pit_meta that matches while the rows do not (as one flipped bit of the
# file does), a pit_meta of NULLs, a trigger: the file's bytes must be
# those its run wrote (pit_delta.c, digest_ok), its pit_meta the prior
# run's, and the delta writes into the file, so no trigger or view may be
# in it.
pit_restore
pit_reference
base=$(q "SELECT min(run_id) FROM runs")
unused "pit_items rows deleted, pit_meta unchanged" \
	"DELETE FROM pit_items WHERE resource_type = 'AWS::IAM::User'"
unused "a rid changed, pit_meta unchanged" \
	"UPDATE pit_items SET rid = rid - 1 WHERE resource_type = 'AWS::CloudTrail::Trail'"
unused "rows added, pit_meta unchanged" \
	"INSERT INTO pit_items SELECT resource_type, resource_id || '-x', account_id, region,
	 rid, item_key, resource_name FROM pit_items WHERE resource_type = 'AWS::S3::Bucket'"
unused "a resource's name changed, pit_meta unchanged" \
	"UPDATE pit_items SET resource_name = resource_name || 'x'
	 WHERE resource_type = 'AWS::S3::Bucket'"
unused "a region changed, pit_meta unchanged" \
	"UPDATE pit_items SET region = 'eu-west-2' WHERE resource_type = 'AWS::EC2::SecurityGroup'"
unused "pit_meta NULLs" "ALTER TABLE pit_meta RENAME TO x;
	CREATE TABLE pit_meta(as_of, items_mark, files_mark, clean, n_items, rid_hash,
	d_type, d_ti, d_tia, d_id, boot); INSERT INTO pit_meta VALUES (NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
unused "pit_meta's boot NULL" "ALTER TABLE pit_meta RENAME TO x;
	CREATE TABLE pit_meta AS SELECT * FROM x; UPDATE pit_meta SET boot = NULL"
unused "pit_meta's rowid digest NULL" "ALTER TABLE pit_meta RENAME TO x;
	CREATE TABLE pit_meta AS SELECT * FROM x; UPDATE pit_meta SET rid_hash = NULL"
unused "a trigger" "CREATE TRIGGER t AFTER INSERT ON pit_items BEGIN
	DELETE FROM pit_items WHERE resource_type = 'AWS::IAM::User'; END"
done_testing
