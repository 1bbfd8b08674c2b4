#!/bin/sh
# t1203-rules: 'cfgaudit rules' lists and shows rule files; every built-in
# rule file parses.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"

check "rules list" cfgaudit rules list
check_grep "lists restricted-ssh" '^INCOMING_SSH_DISABLED +restricted-ssh +high +AWS::EC2::SecurityGroup$' "$T/out"
n_files=$(ls "$TOP_SRCDIR"/rules/*.sql | wc -l)
n_listed=$(wc -l <"$T/out")
if [ "$n_files" -eq "$n_listed" ] && [ ! -s "$T/err" ]; then
	ok "every built-in rule file parses ($n_files)"
else
	not_ok "every built-in rule file parses ($n_files files, $n_listed listed)"
	sed 's/^/#   /' "$T/err" | head
fi
check "rules list --format json" cfgaudit rules --format json list
cp "$T/out" "$T/list.json"
check "json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all("identifier" in r and "sha256" in r for r in d)' "$T/list.json"
check "rules show" cfgaudit rules show INCOMING_SSH_DISABLED
check_grep "show prints the header" '^-- identifier: INCOMING_SSH_DISABLED$' "$T/out"
check "rules show --format json" cfgaudit rules --format json show INCOMING_SSH_DISABLED
check_grep "json carries the SQL" '"sql": "' "$T/out"
check_exit "unknown rule" 2 cfgaudit rules show NOPE
check_exit "path-like identifier" 2 cfgaudit rules show ../rules/INCOMING_SSH_DISABLED
mkdir -p "$T/bad"
printf -- '-- identifier: BAD\n-- name: bad\n-- resource-types: AWS::A::B\n-- colour: blue\nSELECT 1\n' >"$T/bad/BAD.sql"
check_exit "invalid user rule" 3 cfgaudit rules --rules-dir "$T/bad" show BAD
check_grep "bad header key with file and line" 'BAD.sql:4: error: unknown header key' "$T/err"
check_exit "list reports the invalid rule and goes on" 3 cfgaudit rules --rules-dir "$T/bad" list
check_grep "the others are still listed" '^INCOMING_SSH_DISABLED ' "$T/out"
check_exit "unknown subcommand" 2 cfgaudit rules frob
check "rules --help" cfgaudit rules --help
done_testing
