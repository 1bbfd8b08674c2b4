#!/bin/sh
# t1214-closed-stdout: a reader that closes the pipe early (cfgaudit ... |
# head) ends the command quietly, with the status it would have had.
. "$TOP_SRCDIR/tests/lib.sh"

[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
check "ingest testdata" cfgaudit --quiet ingest "$TESTDATA"
check_exit "eval the default pack" 1 cfgaudit --quiet eval \
	--pack "$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml"

# The exit status of the left side of a pipe, without bash's PIPESTATUS.
left_status() {
	{ { "$@" 2>"$T/err"; echo $? >"$T/rc"; } | head -c 10 >/dev/null; } 2>/dev/null
	cat "$T/rc"
}
got=$(left_status cfgaudit rules list)
check "rules list | head: exit 0 ($got)" test "$got" = 0
check "rules list | head: nothing on stderr" test ! -s "$T/err"
got=$(left_status cfgaudit resources)
check "resources | head: exit 0 ($got)" test "$got" = 0
check "resources | head: nothing on stderr" test ! -s "$T/err"
got=$(left_status cfgaudit report --format json)
check "report | head keeps the report's status, 1 ($got)" test "$got" = 1
check "report | head: nothing on stderr" test ! -s "$T/err"
done_testing
