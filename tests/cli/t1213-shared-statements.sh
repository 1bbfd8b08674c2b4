#!/bin/sh
# t1213-shared-statements: rule files that run a shared statement
# (rules/shared/NAME.sql, header key "statement:") with constants
# ("constant: NAME = VALUE") -- shown by 'rules show', never listed as
# rules, bound per rule, recorded with the run and shipped in bundles, and
# their errors reported with file and line.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found"

# The built-in backup-plan rules share one statement.
check "rules show a built-in rule with a shared statement" \
	cfgaudit rules show EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN
check_grep "the header names the statement" \
	'^-- statement: RESOURCES_PROTECTED_BY_BACKUP_PLAN$' "$T/out"
check_grep "then the shared file is printed with its path" \
	'^# .*/rules/shared/RESOURCES_PROTECTED_BY_BACKUP_PLAN\.sql \(shared statement RESOURCES_PROTECTED_BY_BACKUP_PLAN\)$' \
	"$T/out"
check_grep "and its SQL" '^WITH opts AS \($' "$T/out"
check "rules list" cfgaudit rules list
if grep -q '^RESOURCES_PROTECTED_BY_BACKUP_PLAN ' "$T/out" || grep -q '^DOMAIN_LOGS' "$T/out"; then
	not_ok "shared statements are not listed as rules"
else
	ok "shared statements are not listed as rules"
fi
check "rules show --format json" cfgaudit rules --format json show EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN
cp "$T/out" "$T/show.json"
check "json has the statement, constants and shared SQL" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["statement"] == "RESOURCES_PROTECTED_BY_BACKUP_PLAN", r["statement"]
assert r["constants"]["resourceType"] == "AWS::EC2::Instance"
assert r["constants"]["scopeMatch"] == "running"
assert r["sqlPath"].endswith("/shared/RESOURCES_PROTECTED_BY_BACKUP_PLAN.sql")
assert ":resourceType" in r["sql"]' "$T/show.json"

# A user rule directory with its own shared statement.
U="$T/user"
mkdir -p "$U/shared"
cat >"$U/shared/SG_LABEL.sql" <<'SQL'
-- Label security groups; :pattern, :verdict and :label are constants.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN resource_id GLOB :pattern THEN :verdict ELSE 'NOT_APPLICABLE' END
	   AS compliance_type,
       :label || ' ' || resource_id || :suffix AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
SQL
for r in A:sg-open*:NON_COMPLIANT B:sg-closed*:COMPLIANT; do
	id=${r%%:*}
	rest=${r#*:}
	cat >"$U/SG_$id.sql" <<RULE
-- identifier: SG_$id
-- name: sg-$id
-- resource-types: AWS::EC2::SecurityGroup
-- parameters:
--   suffix: string = .
-- description: test rule $id.
-- statement: SG_LABEL
-- constant: pattern = ${rest%%:*}
-- constant: verdict = ${rest#*:}
-- constant: label = rule $id:
RULE
done
check "rules list with the user directory" cfgaudit rules --rules-dir "$U" list
check_grep "user rules are listed" '^SG_A ' "$T/out"
if grep -q '^SG_LABEL' "$T/out"; then
	not_ok "the user shared statement is not listed"
else
	ok "the user shared statement is not listed"
fi
check "rules show a user rule" cfgaudit rules --rules-dir "$U" show SG_B
check_grep "shows the user shared file" "^# $U/shared/SG_LABEL.sql \\(shared statement SG_LABEL\\)\$" "$T/out"
check_grep "and its statement" "^FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'\$" "$T/out"

check "ingest" cfgaudit --quiet ingest "$D/day1.json"
check_exit "eval two rules of one shared statement" 1 cfgaudit eval --rules-dir "$U" \
	--rule SG_A --rule SG_B --param SG_B.suffix=! --as-of 2026-11-01T23:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT config_rule_name, resource_id, compliance_type, annotation FROM results
   WHERE run_id = $run AND compliance_type <> 'NOT_APPLICABLE' ORDER BY 1, 2" >"$T/got"
cat >"$T/want" <<'W'
sg-A|sg-open1|NON_COMPLIANT|rule A: sg-open1.
sg-A|sg-open2|NON_COMPLIANT|rule A: sg-open2.
sg-B|sg-closed1|COMPLIANT|rule B: sg-closed1!
W
check_same "each rule binds its own constants and parameters" "$T/want" "$T/got"
q "SELECT role, name, path FROM run_files WHERE run_id = $run ORDER BY 2" >"$T/got"
printf 'rule|SG_A|%s\nrule|SG_B|%s\nrule|shared/SG_LABEL|%s\n' "$U/SG_A.sql" "$U/SG_B.sql" \
	"$U/shared/SG_LABEL.sql" >"$T/want"
check_same "the run records the shared statement once" "$T/want" "$T/got"
want_sha=$(cat "$U/SG_A.sql" "$U/shared/SG_LABEL.sql" | sha256sum | cut -d' ' -f1)
got_sha=$(q "SELECT rule_sha256 FROM run_rules WHERE run_id = $run AND identifier = 'SG_A'")
if [ "$want_sha" = "$got_sha" ]; then
	ok "the rule's sha256 covers the rule file followed by the shared statement"
else
	not_ok "the rule's sha256 covers the rule file followed by the shared statement ($got_sha)"
fi
q "SELECT sha256 = '$want_sha' FROM run_files WHERE run_id = $run AND name = 'SG_A'" >"$T/got"
echo 0 >"$T/want"
check_same "the rule file's own digest is the file's" "$T/want" "$T/got"

check "bundle the run" cfgaudit bundle --run "$run" -o "$T/b.tar.gz"
mkdir "$T/x"
tar xzf "$T/b.tar.gz" -C "$T/x" || not_ok "tar extracts the bundle"
check_same "the bundle ships the shared statement as rules/shared/SG_LABEL.sql" \
	"$U/shared/SG_LABEL.sql" "$T/x/cfgaudit-run-$run/rules/shared/SG_LABEL.sql"
check_same "and the rule file" "$U/SG_A.sql" "$T/x/cfgaudit-run-$run/rules/SG_A.sql"
bsha=$(cat "$T/x/cfgaudit-run-$run/rules/SG_A.sql" "$T/x/cfgaudit-run-$run/rules/shared/SG_LABEL.sql" |
	sha256sum | cut -d' ' -f1)
check_grep "run.json's Sha256 is the digest of the two bundled files" "\"$bsha\"" \
	"$T/x/cfgaudit-run-$run/run.json"
check "the bundle verifies" cfgaudit verify "$T/b.tar.gz"

# Constants are fixed by the rule: a pack or --param cannot set them.
check_exit "--param naming a constant" 3 cfgaudit eval --rules-dir "$U" --rule SG_A \
	--param SG_A.label=x --as-of 2026-11-01T23:00:00Z
check_grep "is refused as an undeclared parameter" "parameter 'label' is not declared" "$T/err"

# Errors, each with file and line.
B="$T/bad"
mkdir -p "$B/shared"
cp "$U/shared/SG_LABEL.sql" "$B/shared/"
hdr='-- identifier: %s\n-- name: n\n-- resource-types: AWS::EC2::SecurityGroup\n-- description: d\n'
printf -- "$hdr-- statement: NOPE\n" UNKNOWN >"$B/UNKNOWN.sql"
printf -- "$hdr-- statement: SG_LABEL\nSELECT 1\n" BOTH >"$B/BOTH.sql"
printf -- "$hdr-- constant: suffix = x\n-- parameters:\n--   suffix: string\n-- statement: SG_LABEL\n" \
	CLASH >"$B/CLASH.sql"
printf -- "$hdr-- statement: SG_LABEL\n-- constant: pattern = *\n-- constant: verdict = COMPLIANT\n" \
	UNDECLARED >"$B/UNDECLARED.sql"
printf 'SELECT nope FROM\n  current_items\n' >"$B/shared/BROKEN.sql"
printf -- "$hdr-- statement: BROKEN\n" BROKEN >"$B/BROKEN.sql"
printf -- '-- identifier: X\nSELECT 1\n' >"$B/shared/HEADER.sql"
printf -- "$hdr-- statement: HEADER\n" HEADER >"$B/HEADER.sql"
printf -- "$hdr-- statement: SG_LABEL\n-- constant: pattern = *\n-- constant: verdict = BOGUS\n-- constant: label = x\n-- constant: suffix =\n" \
	BADVERDICT >"$B/BADVERDICT.sql"
check_exit "unknown shared statement" 3 cfgaudit rules --rules-dir "$B" show UNKNOWN
check_grep "named with file and line" \
	"UNKNOWN.sql:5: error: unknown shared statement 'NOPE' \\(no file $B/shared/NOPE.sql\\)" "$T/err"
check_exit "SQL and a shared statement" 3 cfgaudit rules --rules-dir "$B" show BOTH
check_grep "named at the SQL's line" "BOTH.sql:6: error: SQL after a header that names shared statement 'SG_LABEL' \\(line 5\\)" "$T/err"
check_exit "a constant that is also a parameter" 3 cfgaudit rules --rules-dir "$B" show CLASH
check_grep "named at the constant's line" "CLASH.sql:5: error: constant 'suffix' is also declared as a parameter" "$T/err"
check_exit "a shared file with a rule header" 3 cfgaudit rules --rules-dir "$B" show HEADER
check_grep "named in the shared file" "shared/HEADER.sql:1: error: a shared statement file has no rule header" "$T/err"
check_exit "a constant the statement needs is not declared" 3 cfgaudit eval --rules-dir "$B" \
	--rule UNDECLARED --as-of 2026-11-01T23:00:00Z
check_grep "named at the rule's statement line" \
	"UNDECLARED.sql:5: error: parameter ':label' is not declared in the header" "$T/err"
check_exit "a shared statement that does not compile" 3 cfgaudit eval --rules-dir "$B" \
	--rule BROKEN --as-of 2026-11-01T23:00:00Z
check_grep "named in the shared file" "shared/BROKEN.sql:[12]: error: " "$T/err"
check_exit "a constant that makes the shared statement return a bad row" 3 cfgaudit eval \
	--rules-dir "$B" --rule BADVERDICT --as-of 2026-11-01T23:00:00Z
check_grep "named at the rule's statement line" \
	"BADVERDICT.sql:5: error: result row 1: compliance_type 'BOGUS'" "$T/err"
done_testing
