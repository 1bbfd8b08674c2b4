#!/bin/sh
# t1711-as-of: the as-of time is resolved once (given, or the latest time
# in the store) and reaches SQL one way, as_of(); :as_of is not a
# parameter.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

check "ingest" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"
mkdir -p "$T/rules"
cat >"$T/rules/SHOW_AS_OF.sql" <<'SQL'
-- identifier: SHOW_AS_OF
-- name: show-as-of
-- resource-types: AWS::EC2::SecurityGroup
-- description: Puts the evaluation time into the annotation.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, as_of() AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
SQL
cat >"$T/rules/BOUND_AS_OF.sql" <<'SQL'
-- identifier: BOUND_AS_OF
-- name: bound-as-of
-- resource-types: AWS::EC2::SecurityGroup
-- description: Uses :as_of, which is not a parameter.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, :as_of AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
SQL

check_exit "given as-of" 0 cfgaudit eval --rules-dir "$T/rules" --rule SHOW_AS_OF --as-of 2026-11-02
run=$(sed -n 's/^run //p' "$T/out")
check_grep "the summary shows it" '^as-of 2026-11-02T00:00:00.000Z$' "$T/out"
q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/got"
q "SELECT as_of FROM runs WHERE run_id = $run" >>"$T/got"
printf '2026-11-02T00:00:00.000Z\n2026-11-02T00:00:00.000Z\n' >"$T/want"
check_same "as_of() and the stored run agree" "$T/want" "$T/got"

check_exit "latest as-of" 0 cfgaudit eval --rules-dir "$T/rules" --rule SHOW_AS_OF
run=$(sed -n 's/^run //p' "$T/out")
latest=$(sed -n 's/^as-of //p' "$T/out")
q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/got"
q "SELECT as_of FROM runs WHERE run_id = $run" >>"$T/got"
printf '%s\n%s\n' "$latest" "$latest" >"$T/want"
check_same "resolved once: as_of(), the run and the summary agree" "$T/want" "$T/got"
check_grep "the latest time is a time" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$T/want"

check_exit ":as_of is not a parameter" 3 cfgaudit eval --rules-dir "$T/rules" --rule BOUND_AS_OF --as-of 2026-11-02
check_grep "it is named as undeclared" "parameter ':as_of' is not declared in the header" "$T/err"

done_testing
