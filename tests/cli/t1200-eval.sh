#!/bin/sh
# t1200-eval: the eval command -- verdicts, runs, parameters bound as
# values, user rules, invalid rules reported with file and line while the
# others still run, packs with scopes and rules that cannot be evaluated.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

check "ingest two days of items" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"

check_exit "eval of a failing rule exits 1" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED --as-of 2026-11-01T23:00:00Z
check_grep "summary names the run" '^run [0-9]+$' "$T/out"
check_grep "summary has the as-of time" '^as-of 2026-11-01T23:00:00.000Z$' "$T/out"
check_grep "two non-compliant groups on day 1" '^NON_COMPLIANT 2$' "$T/out"
run1=$(sed -n 's/^run //p' "$T/out")
q "SELECT resource_id, compliance_type FROM results WHERE run_id = $run1 ORDER BY 1" >"$T/got"
printf 'sg-closed1|COMPLIANT\nsg-open1|NON_COMPLIANT\nsg-open2|NON_COMPLIANT\n' >"$T/want"
check_same "day 1 verdicts" "$T/want" "$T/got"
check_grep "report name is the managed-rule name" '^restricted-ssh$' \
	"$(q "SELECT DISTINCT config_rule_name FROM results WHERE run_id = $run1" >"$T/n"; echo "$T/n")"

check_exit "eval at the end of day 2" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED --as-of 2026-11-03
run2=$(sed -n 's/^run //p' "$T/out")
q "SELECT resource_id, compliance_type FROM results WHERE run_id = $run2 ORDER BY 1" >"$T/got"
printf 'sg-closed1|COMPLIANT\nsg-new3|NON_COMPLIANT\nsg-open1|COMPLIANT\n' >"$T/want"
check_same "day 2: fixed, deleted and new groups" "$T/want" "$T/got"
if [ "$run1" != "$run2" ] && [ "$(q "SELECT count(*) FROM runs")" = 2 ]; then
	ok "runs are never overwritten"
else
	not_ok "runs are never overwritten"
fi
check_exit "account selection" 0 cfgaudit eval --rule INCOMING_SSH_DISABLED --as-of 2026-11-03 --account 222222222222
check_grep "deleted group gives no result" '^COMPLIANT 0$' "$T/out"

# The evidence link: every result points at the item version behind it.
check_grep "results carry their item" '^0$' \
	"$(q "SELECT count(*) FROM results WHERE item_key IS NULL" >"$T/n"; echo "$T/n")"

# Usage errors: exit 2, nothing stored.
before=$(q "SELECT count(*) FROM runs")
check_exit "unknown rule" 2 cfgaudit eval --rule NO_SUCH_RULE
check_grep "unknown rule is named" "no rule file for 'NO_SUCH_RULE'" "$T/err"
check_exit "--param without =" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --param junk
check_exit "--param matching nothing" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --param OTHER_RULE.x=1 --rule ECHO_PARAM --rules-dir "$D/rules-bad"
check_grep "unmatched --param is named" "'OTHER_RULE.x=1' matches no pack parameter" "$T/err"
check_exit "bad --as-of" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --as-of yesterday
check_exit "bad --account" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --account 12
check_exit "missing pack file" 2 cfgaudit eval --pack "$T/none.yaml"
if [ "$(q "SELECT count(*) FROM runs")" = "$before" ]; then ok "usage errors store no run"; else not_ok "usage errors store no run"; fi

# Parameters are bound as values: SQL in a value stays text.
check_exit "hostile parameter value" 0 cfgaudit eval --rules-dir "$D/rules-bad" --rule ECHO_PARAM \
	--param "text=x' OR 1=1; DROP TABLE items; --" --param count=41
run=$(sed -n 's/^run //p' "$T/out")
check_grep "value reached the rule unchanged" "^x' OR 1=1; DROP TABLE items; --\|42$" \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/a"; echo "$T/a")"
check_grep "items table intact" '^[1-9]' "$(q "SELECT count(*) FROM items" >"$T/n"; echo "$T/n")"
check_exit "undeclared rule parameter" 3 cfgaudit eval --rule INCOMING_SSH_DISABLED --param INCOMING_SSH_DISABLED.nope=1
check_grep "undeclared parameter named" "parameter 'nope' is not declared" "$T/err"
check_exit "int parameter is type-checked" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule ECHO_PARAM --param count=many
check_grep "type error names the parameter" "parameter 'count' is not a whole number" "$T/err"

# A user rule directory comes before the built-in rules.
check_exit "user rule overrides the built-in one" 0 cfgaudit eval --rules-dir "$D/rules-user" \
	--rule INCOMING_SSH_DISABLED --as-of 2026-11-03 --param label=mine
run=$(sed -n 's/^run //p' "$T/out")
check_grep "user rule ran with its parameter" '^label=mine$' \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/a"; echo "$T/a")"
check_grep "the run records the user rule file" 'rules-user/INCOMING_SSH_DISABLED.sql' \
	"$(q "SELECT path FROM run_files WHERE run_id = $run AND role = 'rule'" >"$T/a"; echo "$T/a")"

# Invalid rules: file and line, exit 3, the other rules still run.
check_exit "syntax error" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule BROKEN_SYNTAX --rule INCOMING_SSH_DISABLED --as-of 2026-11-03
check_grep "syntax error with file and line" 'BROKEN_SYNTAX.sql:7: error: .*syntax error' "$T/err"
run=$(sed -n 's/^run //p' "$T/out")
check_grep "the good rule still ran" '^3$' \
	"$(q "SELECT count(*) FROM results WHERE run_id = $run AND config_rule_name = 'restricted-ssh'" >"$T/a"; echo "$T/a")"
check_grep "the broken rule is listed with its reason" 'invalid rule' \
	"$(q "SELECT reason FROM run_rules WHERE run_id = $run AND identifier = 'BROKEN_SYNTAX'" >"$T/a"; echo "$T/a")"
check_exit "unknown column" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule UNKNOWN_COLUMN
check_grep "unknown column with file and line" 'UNKNOWN_COLUMN.sql:6: error: no such column: no_such_column' "$T/err"
check_exit "second statement" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule WRITES
check_grep "second statement refused" 'more than one statement' "$T/err"
check_exit "bad verdict" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule BAD_VERDICT
check_grep "bad verdict named" "compliance_type 'MAYBE'" "$T/err"

# A pack: tag scope, pack parameters, and rules that cannot run offline.
check_exit "pack with a broken rule" 3 cfgaudit eval --rules-dir "$D/rules-bad" --pack "$D/pack.yaml" --as-of 2026-11-01T23:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT resource_id, compliance_type FROM results WHERE run_id = $run AND config_rule_name = 'restricted-ssh-prod'" >"$T/got"
printf 'sg-open1|NON_COMPLIANT\n' >"$T/want"
check_same "TagKey/TagValue scope keeps only the tagged group" "$T/want" "$T/got"
check_grep "pack parameter reached the rule" '^hello\|2$' \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run AND config_rule_name = 'echo'" >"$T/a"; echo "$T/a")"
q "SELECT config_rule_name, evaluated FROM run_rules WHERE run_id = $run ORDER BY 1" >"$T/got"
printf 'broken|0\necho|1\nmanual-check|0\nmy-lambda-rule|0\nnot-a-rule|0\nrestricted-ssh-prod|1\n' >"$T/want"
check_same "every pack rule is listed, evaluated or not" "$T/want" "$T/got"
check_grep "custom Lambda reason" 'custom Lambda' \
	"$(q "SELECT reason FROM run_rules WHERE run_id = $run AND config_rule_name = 'my-lambda-rule'" >"$T/a"; echo "$T/a")"
check_grep "manual check reason" 'manual process check' \
	"$(q "SELECT reason FROM run_rules WHERE run_id = $run AND config_rule_name = 'manual-check'" >"$T/a"; echo "$T/a")"
check_grep "missing rule file reason" 'no rule file for WAF_GLOBAL_WEBACL_NOT_EMPTY' \
	"$(q "SELECT reason FROM run_rules WHERE run_id = $run AND config_rule_name = 'not-a-rule'" >"$T/a"; echo "$T/a")"
check_grep "pack file recorded with its digest" '^pack\|[0-9a-f]{64}$' \
	"$(q "SELECT role, sha256 FROM run_files WHERE run_id = $run AND role = 'pack'" >"$T/a"; echo "$T/a")"
check_exit "pack parameter override" 3 cfgaudit eval --rules-dir "$D/rules-bad" --pack "$D/pack.yaml" --param EchoText=bye
run=$(sed -n 's/^run //p' "$T/out")
check_grep "override reached the rule" '^bye\|2$' \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run AND config_rule_name = 'echo'" >"$T/a"; echo "$T/a")"

# Several rows for one resource: one result, the worst verdict with its
# annotation, and the counts say so. A repeated --rule runs once.
check_exit "several verdicts per resource" 1 cfgaudit eval --rules-dir "$D/rules-verdicts" \
	--rule MANY_VERDICTS --rule MANY_VERDICTS --as-of 2026-11-01T23:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT compliance_type, annotation, count(*) FROM results WHERE run_id = $run
   GROUP BY 1, 2 ORDER BY 1" >"$T/got"
n=$(q "SELECT count(*) - 1 FROM results WHERE run_id = $run")
printf 'INSUFFICIENT_DATA|said INSUFFICIENT_DATA|%s\nNON_COMPLIANT|said NON_COMPLIANT|1\n' "$n" >"$T/want"
check_same "the worst verdict wins, with its annotation" "$T/want" "$T/got"
check_grep "the summary counts one result per resource" "^INSUFFICIENT_DATA $n\$" "$T/out"
check_grep "one NON_COMPLIANT in the summary" '^NON_COMPLIANT 1$' "$T/out"
check_grep "the repeated rule counts once" '^rules 1 evaluated' "$T/out"
check "the repeated rule is recorded once" sh -c \
	"test \"\$(sqlite3 \"\$CFGAUDIT_DB\" 'SELECT count(*) FROM run_rules WHERE run_id = $run')\" = 1"

check_exit "eval on an empty database" 2 cfgaudit --db "$T/empty.db" eval --rule INCOMING_SSH_DISABLED
check_grep "empty database explained" 'holds no configuration items' "$T/err"
check "eval --help" cfgaudit eval --help
check_grep "help shows usage" '^usage: cfgaudit eval' "$T/out"

done_testing
