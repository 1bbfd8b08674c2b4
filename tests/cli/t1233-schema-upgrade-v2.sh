#!/bin/sh
# t1233-schema-upgrade-v2: a store of schema version 2 (every text of a
# result in its run_results row) is upgraded to version 3 (resources and
# annotations numbered in run_resources and run_annotations, the verdict
# a number), and on to version 4 (results by reference), by the first
# command that writes: every result reads back
# the same through the view results, reports and diffs of the old runs
# are unchanged, a damaged store is left as it was, and read-only
# commands refuse a version 2 store until then.
. "$TOP_SRCDIR/tests/lib.sh"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
pack=Operational-Best-Practices-for-Security-Identity-and-Compliance-Services
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"
check_exit "a first run" 1 cfgaudit eval --pack "$pack"
check_exit "a second run, of other rules" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED \
	--rule S3_BUCKET_VERSIONING_ENABLED --rule IAM_USER_MFA_ENABLED

# Every result as the view gives it, in stored order within each run.
dump() {
	q "SELECT run_id, pack_name, config_rule_name, account_id, aws_region, resource_type,
		resource_id, compliance_type, annotation, hex(item_key) FROM results
	   ORDER BY run_id, pack_name, config_rule_name, account_id, aws_region, resource_type,
		resource_id"
}
dump >"$T/before"
check "the runs have results" test "$(wc -l <"$T/before")" -gt 100
check "some have annotations" test "$(q "SELECT count(*) FROM results WHERE annotation IS NOT NULL")" -gt 10
check_exit "report of run 1 before" 1 cfgaudit report --run 1 --format csv
cp "$T/out" "$T/report1"
check_exit "report of run 2 before" 1 cfgaudit report --run 2 --format json
cp "$T/out" "$T/report2"
cfgaudit diff 1 2 >"$T/diff12" 2>&1
check "the store is version 4" test "$(q "PRAGMA user_version")" = 4

# Version 2 of the same store: run_results with every text, the view
# over it and run_rules alone.
sqlite3 "$CFGAUDIT_DB" <<'EOF' || bail_out "cannot write the version 2 store"
BEGIN;
DROP VIEW results;
DROP VIEW run_results_all;
DROP VIEW run_results_ref;
DROP TABLE run_chain;
DROP TABLE run_reach;
DROP TABLE run_stale;
DROP TABLE run_places;
DROP TABLE run_ref;
DROP TRIGGER run_ref_delete_run;
CREATE TABLE v2 AS SELECT r.run_id, r.rule_no, r.account_id, r.aws_region, s.resource_type,
  s.resource_id, CASE r.verdict WHEN 0 THEN 'COMPLIANT' WHEN 1 THEN 'NON_COMPLIANT'
  WHEN 2 THEN 'NOT_APPLICABLE' WHEN 3 THEN 'INSUFFICIENT_DATA' END AS compliance_type,
  a.annotation, s.item_key
  FROM run_results r JOIN run_resources s USING (resource_no)
  LEFT JOIN run_annotations a USING (annotation_no) ORDER BY r.rowid;
DROP TABLE run_results;
DROP TABLE run_resources;
DROP TABLE run_annotations;
CREATE TABLE run_results(
  run_id INTEGER NOT NULL, rule_no INTEGER NOT NULL, account_id TEXT NOT NULL,
  aws_region TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  compliance_type TEXT NOT NULL, annotation TEXT, item_key BLOB);
INSERT INTO run_results SELECT * FROM v2;
DROP TABLE v2;
CREATE INDEX run_results_by_run ON run_results(run_id, rule_no);
CREATE VIEW results AS
  SELECT r.run_id AS run_id, u.pack_name AS pack_name,
    u.config_rule_name AS config_rule_name, r.account_id AS account_id,
    r.aws_region AS aws_region, r.resource_type AS resource_type,
    r.resource_id AS resource_id, r.compliance_type AS compliance_type,
    r.annotation AS annotation, r.item_key AS item_key
  FROM run_results AS r JOIN run_rules AS u
    ON u.run_id = r.run_id AND u.rule_no = r.rule_no;
PRAGMA user_version = 2;
COMMIT;
EOF
dump >"$T/v2"
check_same "the version 2 store holds the same results" "$T/before" "$T/v2"
cp "$CFGAUDIT_DB" "$T/good.db"

check_exit "a read-only command refuses a version 2 store" 2 cfgaudit report --run 1
check_grep "and says how to upgrade it" \
	"schema version 2 is older than this cfgaudit \(4\).*run 'cfgaudit ingest' or 'cfgaudit eval'" "$T/err"

# A verdict version 3 cannot number: the upgrade fails and changes nothing.
q "UPDATE run_results SET compliance_type = 'BLUE' WHERE rowid = 3"
check_exit "a damaged version 2 store is not upgraded" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED
check_grep "the error says so" \
	"cannot upgrade the database from schema version 2 to 4 \(it is left as it was\): .*verdict" "$T/err"
check "it is left at version 2" test "$(q "PRAGMA user_version")" = 2
check "with its results" test "$(q "SELECT count(*) FROM run_results")" = "$(wc -l <"$T/before")"
check "and no new table" test "$(q "SELECT count(*) FROM sqlite_schema WHERE name = 'run_resources'")" = 0
cp "$T/good.db" "$CFGAUDIT_DB"

check "ingest upgrades it" cfgaudit --quiet ingest "$TESTDATA"
check "schema version is now 4" test "$(q "PRAGMA user_version")" = 4
dump >"$T/after"
check_same "every result reads back the same" "$T/before" "$T/after"
check "each resource stored once" test "$(q "SELECT count(*) FROM run_resources")" = \
	"$(q "SELECT count(*) FROM (SELECT DISTINCT resource_type, resource_id, item_key FROM results)")"
check "each annotation stored once" test "$(q "SELECT count(*) FROM run_annotations")" = \
	"$(q "SELECT count(DISTINCT annotation) FROM results")"
check "verdicts are numbers" test "$(q "SELECT group_concat(DISTINCT typeof(verdict)) FROM run_results")" = integer
check "the results keep their order" test "$(q "SELECT count(*) FROM run_results a
	JOIN run_results b ON b.rowid = a.rowid + 1 WHERE b.run_id < a.run_id
	OR (b.run_id = a.run_id AND b.rule_no < a.rule_no)")" = 0
check_exit "report of run 1 after" 1 cfgaudit report --run 1 --format csv
check_same "the same csv report" "$T/report1" "$T/out"
check_exit "report of run 2 after" 1 cfgaudit report --run 2 --format json
check_same "the same json report" "$T/report2" "$T/out"
cfgaudit diff 1 2 >"$T/diff12b" 2>&1
check_same "the same diff" "$T/diff12" "$T/diff12b"

# A run after the upgrade numbers its rows after the old ones and gives
# the results the first run gave.
check_exit "eval after the upgrade" 1 cfgaudit eval --pack "$pack"
run=$(sed -n 's/^run //p' "$T/out")
check "it is run 3" test "$run" = 3
one() {
	q "SELECT pack_name, config_rule_name, account_id, aws_region, resource_type, resource_id,
		compliance_type, annotation, hex(item_key) FROM results WHERE run_id = $1
	   ORDER BY 1, 2, 3, 4, 5, 6"
}
one 1 >"$T/run1"
one 3 >"$T/run3"
check_same "run 3 gives run 1's results" "$T/run1" "$T/run3"
check "its resources come after the upgraded ones" test "$(q "SELECT min(resource_no) >
	(SELECT max(resource_no) FROM run_results WHERE run_id <= 2) FROM run_results WHERE run_id = 3")" = 1
done_testing
