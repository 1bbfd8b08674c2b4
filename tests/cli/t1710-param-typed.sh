#!/bin/sh
# t1710-param-typed: --param is parsed once, the same way for packs and
# --rule; values from --param and from a pack's InputParameters are
# converted to the header's type before anything runs, and a problem with
# a value a --param gave names that option.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

check "ingest" cfgaudit --quiet ingest "$D/day1.json"

check_exit "RULE.KEY with an empty key" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --param 'INCOMING_SSH_DISABLED.=1'
check_grep "the syntax error names the option" "^cfgaudit: error: --param 'INCOMING_SSH_DISABLED.=1': not NAME=VALUE or RULE.KEY=VALUE$" "$T/err"
check_exit "pack check: the same syntax" 2 cfgaudit pack check --param '.x=1' "$D/pack.yaml"
check_grep "pack check names the option the same way" "--param '.x=1': not NAME=VALUE" "$T/err"

check_exit "ill-typed --param value" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule ECHO_PARAM --param count=many
check_grep "the type error names the option" "^cfgaudit: error: --param 'count=many': rule 'echo-param': parameter 'count' is not a whole number: 'many'$" "$T/err"
check_exit "a number out of range is refused, not clamped" 3 cfgaudit eval --rules-dir "$D/rules-bad" --rule ECHO_PARAM --param count=99999999999999999999
check_exit "RULE.KEY by managed-rule name" 0 cfgaudit eval --rules-dir "$D/rules-bad" --rule ECHO_PARAM --param echo-param.count=41 --param ECHO_PARAM.text=t
run=$(sed -n 's/^run //p' "$T/out")
check_grep "the int was bound as a number" '^t\|42$' \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/a"; echo "$T/a")"
check_grep "the run records the values as given" '"count":"41"' \
	"$(q "SELECT parameters FROM run_rules WHERE run_id = $run" >"$T/a"; echo "$T/a")"

# A pack rule: the value the pack gives goes through the same conversion.
cat >"$T/typed.yaml" <<'YAML'
Resources:
  Echo:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: echo
      InputParameters:
        count: lots
      Source:
        Owner: AWS
        SourceIdentifier: ECHO_PARAM
YAML
check_exit "ill-typed pack InputParameter" 3 cfgaudit eval --rules-dir "$D/rules-bad" --pack "$T/typed.yaml"
check_grep "named at its place in the pack" "typed.yaml:2: error: rule 'echo': parameter 'count' is not a whole number: 'lots'" "$T/err"
check_exit "a --param fixes it" 0 cfgaudit eval --rules-dir "$D/rules-bad" --pack "$T/typed.yaml" --param echo.count=6
run=$(sed -n 's/^run //p' "$T/out")
check_grep "the override reached the rule as a number" '^x\|7$' \
	"$(q "SELECT DISTINCT annotation FROM results WHERE run_id = $run" >"$T/a"; echo "$T/a")"
check_exit "an ill-typed --param for a pack rule" 3 cfgaudit eval --rules-dir "$D/rules-bad" --pack "$T/typed.yaml" --param echo.count=six
check_grep "names the option, not the pack" "^cfgaudit: error: --param 'echo.count=six': rule 'echo': parameter 'count' is not a whole number: 'six'$" "$T/err"
check_exit "pack check agrees" 3 cfgaudit pack check --rules-dir "$D/rules-bad" --param echo.count=six "$T/typed.yaml"
check_grep "pack check names the option too" "--param 'echo.count=six': rule 'echo'" "$T/err"

done_testing
