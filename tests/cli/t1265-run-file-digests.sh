#!/bin/sh
# t1265: the digests a run records of its files (run_files.sha256) are
# each file's own SHA-256: a rule file's from its parse (eval.c's
# gather_run passes it on), a shared statement's and the pack's computed
# when stored; a rule with a shared statement records its file's digest,
# not rule_sha256 (the file followed by the statement). A run with such
# files is then taken as a nightly run's base (its files the same).
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found"
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum not found"

U="$T/user"
mkdir -p "$U/shared"
cat >"$U/shared/SG_LABEL.sql" <<'SQL'
-- Label security groups; :verdict is a constant.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       :verdict AS compliance_type, 'group ' || resource_id AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
SQL
cat >"$U/SG_SHARED.sql" <<'RULE'
-- identifier: SG_SHARED
-- name: sg-shared
-- resource-types: AWS::EC2::SecurityGroup
-- description: a rule of a shared statement.
-- statement: SG_LABEL
-- constant: verdict = COMPLIANT
RULE
cat >"$U/SG_OWN.sql" <<'RULE'
-- identifier: SG_OWN
-- name: sg-own
-- resource-types: AWS::EC2::SecurityGroup
-- description: a rule with its own statement.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'NON_COMPLIANT' AS compliance_type, 'own ' || resource_id AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
RULE
cat >"$T/pack.yaml" <<'PACK'
Resources:
  SgShared:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: sg-shared
      Source:
        Owner: AWS
        SourceIdentifier: SG_SHARED
  SgOwn:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: sg-own
      Source:
        Owner: AWS
        SourceIdentifier: SG_OWN
PACK

check "ingest" cfgaudit --quiet ingest "$D/day1.json"
check_exit "eval the pack" 1 cfgaudit eval --jobs 1 --rules-dir "$U" --pack "$T/pack.yaml"
run=$(sed -n 's/^run //p' "$T/out")
sum() { sha256sum "$1" | cut -d' ' -f1; }
q "SELECT role, name, sha256 FROM run_files WHERE run_id = $run ORDER BY 1, 2" >"$T/got"
{
	echo "pack|pack|$(sum "$T/pack.yaml")"
	echo "rule|SG_OWN|$(sum "$U/SG_OWN.sql")"
	echo "rule|SG_SHARED|$(sum "$U/SG_SHARED.sql")"
	echo "rule|shared/SG_LABEL|$(sum "$U/shared/SG_LABEL.sql")"
} >"$T/want"
check_same "each file's digest is its own SHA-256" "$T/want" "$T/got"
q "SELECT identifier, rule_sha256 FROM run_rules WHERE run_id = $run ORDER BY 1" >"$T/got"
{
	echo "SG_OWN|$(sum "$U/SG_OWN.sql")"
	echo "SG_SHARED|$(cat "$U/SG_SHARED.sql" "$U/shared/SG_LABEL.sql" | sha256sum | cut -d' ' -f1)"
} >"$T/want"
check_same "the rules' digests: the file, or the file followed by the statement" \
	"$T/want" "$T/got"

check "ingest day 2" cfgaudit --quiet ingest "$D/day2.json"
cfgaudit eval --jobs 1 --rules-dir "$U" --pack "$T/pack.yaml" --since-run "$run" \
	>"$T/out" 2>"$T/err"
rc=$?
check_grep "the run is taken as a base" "^since-run $run: " "$T/out"
check "... exit $rc (0 or 1)" test "$rc" -le 1

done_testing
