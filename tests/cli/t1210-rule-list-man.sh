#!/bin/sh
# t1210-rule-list-man: cfgaudit-rules(5) lists every shipped rule, exactly
# as tools/rule-list-man makes the list from the rule headers.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
check "rules list --format json" sh -c \
	"'$CFGAUDIT_BIN' rules list --format json >'$T/rules.json'"
python3 "$TOP_SRCDIR/tools/rule-list-man" <"$T/rules.json" >"$T/want"
sed -n '/^\.\\" BEGIN RULE LIST/,/^\.\\" END RULE LIST/p' \
	"$TOP_SRCDIR/man/cfgaudit-rules.5" >"$T/got"
check_same "the man page's rule list is current (run tools/rule-list-man --update)" \
	"$T/want" "$T/got"
n_files=$(ls "$TOP_SRCDIR"/rules/*.sql | wc -l)
n_listed=$(grep -c '^\.TP' "$T/got")
check "every rules/*.sql file is listed ($n_files)" test "$n_files" -eq "$n_listed"
done_testing
