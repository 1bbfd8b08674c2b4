#!/bin/sh
# t1300-pack-check: 'cfgaudit pack check' prints each template's rules with
# their evaluation status, reports template errors as file:line:column,
# and exits 0 / 2 / 3 as cfgaudit-pack(1) documents.
. "$TOP_SRCDIR/tests/lib.sh"

# Only the test rule directory: no built-in rules, so the output does not
# change as rules are added to rules/.
mkdir "$T/nodata"
export CFGAUDIT_DATADIR="$T/nodata"
cd "$TOP_SRCDIR/tests/data/packs" || exit 1

check_exit "--help exits 0" 0 cfgaudit pack --help
check_grep "--help names --param" '--param' "$T/out"
check_grep "--help names --rules-dir" '--rules-dir' "$T/out"
check_grep "--help names --format" '--format' "$T/out"

check_exit "a rule file that does not parse: exit 3" 3 cfgaudit pack check --rules-dir rules reasons.yaml
check_same "text output: every evaluation status" reasons.expected "$T/out"
check_grep "the invalid rule file is reported on stderr" \
	'^cfgaudit: rules/S3_BUCKET_LOGGING_ENABLED\.sql:4: error: ' "$T/err"
check_grep "a parameter the rule does not accept: pack file and line" \
	"^cfgaudit: reasons\.yaml:43: error: rule 'password-bad-int': parameter 'MaxPasswordAge' is not a whole number: 'ninety'$" "$T/err"
n=$(grep -c '^cfgaudit: reasons\.yaml:[0-9]*: error: ' "$T/err")
[ "$n" -eq 4 ] && ok "four parameter errors" || not_ok "parameter errors: $n"

check_exit "valid template and rules: exit 0" 0 cfgaudit pack check --rules-dir rules short-tags-crlf.yml
check_grep "rule count" '^rules: 2 \(1 evaluated, 0 insufficient data, 1 not evaluated\)$' "$T/out"
check_grep "skipped rule listed with its condition" '^  ProdOnly \(condition ProdWithKey, line 39\)$' "$T/out"

check_exit "options after the subcommand" 0 cfgaudit pack check short-tags-crlf.yml --param KmsKey=k1 --rules-dir rules
check_grep "NAME=VALUE reaches the rule" 'input parameters: kmsId=k1$' "$T/out"
check_grep "condition true now: nothing skipped" '^skipped \(condition false\): 0$' "$T/out"
check_exit "RULE.KEY=VALUE" 0 cfgaudit pack check --rules-dir rules \
	--param 'encrypted-volumes.kmsId=arn:aws:kms:x' short-tags-crlf.yml
check_grep "RULE.KEY=VALUE adds the key" 'input parameters: kmsId=arn:aws:kms:x$' "$T/out"

# Invalid templates: exact file:line:column, the other files still checked.
check_exit "invalid template: exit 3" 3 cfgaudit pack check bad-tab.yaml short-tags-crlf.yml
check_grep "tab: file:line:column" \
	'^cfgaudit: bad-tab\.yaml:3:1: error: invalid yaml: found character that cannot start any token' "$T/err"
check_grep "the valid file after it is still printed" '^pack: short-tags-crlf ' "$T/out"
check_exit "unknown Ref: exit 3" 3 cfgaudit pack check bad-unknown-ref.yaml
check_grep "unknown Ref position" "^cfgaudit: bad-unknown-ref\.yaml:12:12: error: unknown reference 'Unknown'$" "$T/err"
check_exit "duplicate key: exit 3" 3 cfgaudit pack check bad-dupkey.yaml
check_grep "duplicate key position" "^cfgaudit: bad-dupkey\.yaml:9:7: error: duplicate key 'ConfigRuleName'" "$T/err"
check_exit "unclosed flow: exit 3" 3 cfgaudit pack check bad-flow.yaml
check_grep "unclosed flow position" "^cfgaudit: bad-flow\.yaml:8:5: error: " "$T/err"
check_exit "Fn::If arity: exit 3" 3 cfgaudit pack check bad-if-arity.yaml
check_grep "Fn::If position" "^cfgaudit: bad-if-arity\.yaml:10:19: error: 'Fn::If' needs a list of 3" "$T/err"
check_exit "alias bomb: exit 3, quickly" 3 cfgaudit pack check bad-alias.yaml
check_grep "alias rejected" "^cfgaudit: bad-alias\.yaml:2:8: error: yaml alias '\*a' is not supported$" "$T/err"
check_exit "every bad file reported in one run" 3 cfgaudit pack check bad-tab.yaml bad-dupkey.yaml bad-sub.yaml
n=$(grep -c '^cfgaudit: bad-.*: error: ' "$T/err")
[ "$n" -eq 3 ] && ok "three diagnostics" || not_ok "three diagnostics (got $n)"

# Usage and input errors: exit 2.
check_exit "missing file: exit 2" 2 cfgaudit pack check no-such-file.yaml
check_grep "missing file named" '^cfgaudit: no-such-file\.yaml: error: cannot open' "$T/err"
check_exit "missing file wins over an invalid one" 2 cfgaudit pack check no-such-file.yaml bad-tab.yaml
check_exit "no subcommand" 2 cfgaudit pack
check_exit "unknown subcommand" 2 cfgaudit pack lint short-tags-crlf.yml
check_exit "no files" 2 cfgaudit pack check
check_exit "bad format" 2 cfgaudit pack check --format xml short-tags-crlf.yml
check_exit "--param without '='" 2 cfgaudit pack check --param KmsKey short-tags-crlf.yml
check_grep "--param error names it" "'KmsKey'" "$T/err"
check_exit "--param matching nothing" 2 cfgaudit pack check --param NoSuchParam=1 short-tags-crlf.yml
check_grep "--param typo named" "'NoSuchParam=1' matches no parameter or rule" "$T/err"
check_exit "parameter override outside AllowedValues: exit 3" 3 cfgaudit pack check --param Mode=other features.yaml
check_grep "AllowedValues error" "^cfgaudit: features\.yaml:10:3: error: value 'other' of parameter 'Mode'" "$T/err"

# JSON.
if command -v jq >/dev/null 2>&1; then
	check_exit "json: exit 3 with an invalid rule file" 3 cfgaudit pack check --format json --rules-dir rules reasons.yaml bad-tab.yaml
	cp "$T/out" "$T/json"
	check "json parses" jq -e . "$T/json"
	got=$(jq -r '[.[0].rules[] | .ConfigRuleName + "=" + .evaluation.status] | join(",")' "$T/json")
	want="my-lambda-rule=not-evaluated,manual-review=not-evaluated,encrypted-volumes=evaluated,encrypted-volumes-any-key=evaluated,iam-password-policy=insufficient-data,password-bad-int=not-evaluated,password-bad-bool=not-evaluated,password-unknown-param=not-evaluated,password-no-required=not-evaluated,not-yet-implemented=not-evaluated,s3-bucket-logging-enabled=not-evaluated,password-empty-required=insufficient-data"
	[ "$got" = "$want" ] && ok "json statuses" || not_ok "json statuses: $got"
	got=$(jq -r '.[0].rules[0].evaluation.reason' "$T/json")
	[ "$got" = "custom Lambda rule: cannot be evaluated offline" ] && ok "json lambda reason" || not_ok "json lambda reason: $got"
	got=$(jq -r '.[0].rules[4].evaluation.missing' "$T/json")
	[ "$got" = "IAM account password policy (aws iam get-account-password-policy)" ] && ok "json missing" || not_ok "json missing: $got"
	got=$(jq -r '.[0].rules[6].InputParameters.RequireSymbols + "," + .[0].parameters.Symbols' "$T/json")
	[ "$got" = "yes,yes" ] && ok "json parameters" || not_ok "json parameters: $got"
	got=$(jq -r '.[0].rules[3].evaluation.notes[0]' "$T/json")
	[ "$got" = "input parameter 'kmsId' is empty: not set" ] && ok "json notes" || not_ok "json notes: $got"
	got=$(jq -r '.[0].rules[7].evaluation.reason' "$T/json")
	[ "$got" = "parameter 'Unknown' is not declared by IAM_PASSWORD_POLICY" ] && ok "json parameter reason" || not_ok "json parameter reason: $got"
	got=$(jq -r '.[0].ignored[0].type' "$T/json")
	[ "$got" = "AWS::Config::RemediationConfiguration" ] && ok "json ignored" || not_ok "json ignored: $got"
	got=$(jq -r '.[1] | "\(.valid) \(.error.line):\(.error.column)"' "$T/json")
	[ "$got" = "false 3:1" ] && ok "json invalid template entry" || not_ok "json invalid template entry: $got"
	check_exit "json features" 0 cfgaudit pack check --format json features.yaml
	got=$(jq -r '.[0].rules[4].Scope | "\(.ComplianceResourceTypes|join(" ")) \(.ComplianceResourceId)"' "$T/out")
	[ "$got" = "AWS::S3::Bucket my-bucket" ] && ok "json scope" || not_ok "json scope: $got"
	got=$(jq -r '.[0].rules[3].Scope | "\(.TagKey)=\(.TagValue)"' "$T/out")
	[ "$got" = "Environment=prod" ] && ok "json tag scope" || not_ok "json tag scope: $got"
	got=$(jq -r '.[0].skipped[0] | "\(.logicalId) \(.condition) \(.line)"' "$T/out")
	[ "$got" = "ExtraRule Extra 103" ] && ok "json skipped" || not_ok "json skipped: $got"
else
	ok "# SKIP jq not installed"
fi

done_testing
