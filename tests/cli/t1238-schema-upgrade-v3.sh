#!/bin/sh
# shellcheck disable=SC2086
# t1238: a store of schema version 3 (every run's results stored in full)
# is upgraded to version 4 (results by reference to a base run: the
# tables run_chain, run_reach, run_stale, run_places and run_ref, the
# views run_results_all and run_results_ref, the view results over
# them) by the first command that writes. Read-only commands refuse it
# until then; a store the upgrade cannot make is left as it was; the old
# runs read back the same, and a version 3 run serves as the base of a
# nightly run stored by reference.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1238
rules=$since_ref_rules

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run" $rules
a=$run
check_exit "report of run $a" 1 cfgaudit report --run "$a" --format csv
cp "$T/out" "$T/report-a"
since_results "$a" "$T/a"
check "the store is version 4" test "$(q "PRAGMA user_version")" = 4

# The same store at version 3: no tables or views of version 4, the view
# results over run_results, the run's state recorded by version 3.
sqlite3 "$CFGAUDIT_DB" <<'EOF2' || bail_out "cannot write the version 3 store"
BEGIN;
DROP VIEW results;
DROP VIEW run_results_all;
DROP VIEW run_results_ref;
DROP TRIGGER run_ref_delete_run;
DROP TRIGGER run_ref_delete_results;
DROP TABLE run_chain;
DROP TABLE run_reach;
DROP TABLE run_stale;
DROP TABLE run_places;
DROP TABLE run_ref;
CREATE VIEW results AS
  SELECT r.run_id AS run_id, u.pack_name AS pack_name,
    u.config_rule_name AS config_rule_name, r.account_id AS account_id,
    r.aws_region AS aws_region, s.resource_type AS resource_type,
    s.resource_id AS resource_id,
    CASE r.verdict WHEN 0 THEN 'COMPLIANT' WHEN 1 THEN 'NON_COMPLIANT'
     WHEN 2 THEN 'NOT_APPLICABLE' WHEN 3 THEN 'INSUFFICIENT_DATA' END AS compliance_type,
    a.annotation AS annotation, s.item_key AS item_key
  FROM run_results AS r JOIN run_rules AS u
    ON u.run_id = r.run_id AND u.rule_no = r.rule_no
  JOIN run_resources AS s ON s.resource_no = r.resource_no
  LEFT JOIN run_annotations AS a ON a.annotation_no = r.annotation_no;
UPDATE run_state SET schema_version = 3;
PRAGMA user_version = 3;
COMMIT;
EOF2
since_results "$a" "$T/a3"
check_same "the version 3 store holds the same results" "$T/a" "$T/a3"
cp "$CFGAUDIT_DB" "$T/v3.db"

check_exit "a read-only command refuses a version 3 store" 2 cfgaudit report --run "$a"
check_grep "and says how to upgrade it" \
	"schema version 3 is older than this cfgaudit \(4\).*run 'cfgaudit ingest' or 'cfgaudit eval'" "$T/err"
check_exit "diff refuses it too" 2 cfgaudit diff "$a" "$a"

# A table of version 4's name already there: the upgrade fails, changes nothing.
q "CREATE TABLE run_chain(x)"
check_exit "a version 3 store with a run_chain table is not upgraded" 2 cfgaudit --quiet ingest "$T/day2"
check_grep "the error says so" \
	"cannot upgrade the database from schema version 3 to 4 \(it is left as it was\): .*run_chain" "$T/err"
check "it is left at version 3" test "$(q "PRAGMA user_version")" = 3
check "and without version 4's views" test "$(q "SELECT count(*) FROM sqlite_schema WHERE name = 'run_results_all'")" = 0
cp "$T/v3.db" "$CFGAUDIT_DB"

check "day 2: ingest upgrades it" cfgaudit --quiet ingest "$T/day2"
check "schema version is now 4" test "$(q "PRAGMA user_version")" = 4
check "results is a view over run_results_all" \
	test "$(q "SELECT count(*) FROM sqlite_schema WHERE name = 'results' AND sql LIKE '%run_results_all%'")" = 1
since_results "$a" "$T/a4"
check_same "run $a reads back the same" "$T/a" "$T/a4"
check_exit "report of run $a after" 1 cfgaudit report --run "$a" --format csv
check_same "the same report" "$T/report-a" "$T/out"

# The version 3 run is the base of a run stored by reference.
cfgaudit eval --since-run "$a" $rules >"$T/out" 2>"$T/err"
b=$(since_run_of)
check_grep "a version 3 run is a base" '^since-run [0-9]+: ' "$T/out"
check "run $b is stored by reference to it" test "$(q "SELECT base_run FROM run_ref WHERE run_id = $b")" = "$a"
since_full "day 2: a full run" $rules
since_results "$b" "$T/b"
since_results "$run" "$T/f"
check_same "run $b = full run $run" "$T/f" "$T/b"
done_testing
