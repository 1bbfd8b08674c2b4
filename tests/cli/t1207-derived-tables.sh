#!/bin/sh
# t1207-derived-tables: security_group_sources row for row over odd but
# valid shapes of security groups (the expected rows are what the
# original SQL definition of the table gave).
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/derived"

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest odd security groups" cfgaudit --quiet ingest "$D/sg-odd-shapes.json"
check "a rule that dumps security_group_sources" cfgaudit eval --rules-dir "$D/rules" \
	--rule DUMP_SG_SOURCES
sqlite3 "$CFGAUDIT_DB" "SELECT resource_id, annotation FROM results ORDER BY 1" >"$T/got"
check_same "every source, with the values ->> gives" "$D/sg-odd-shapes.expected" "$T/got"
check "a group without configuration has no row" sh -c \
	"! grep -q sg-0dd9999999999999 '$T/got'"
done_testing
