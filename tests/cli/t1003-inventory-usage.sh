#!/bin/sh
# t1003: --help and bad usage of ingest, resources and history.
. "$TOP_SRCDIR/tests/lib.sh"

for c in ingest resources history; do
	check_exit "$c --help exits 0" 0 cfgaudit "$c" --help
	check_grep "$c --help prints usage on stdout" "^usage: cfgaudit .*$c" "$T/out"
	check "$c --help prints nothing on stderr" test ! -s "$T/err"
	check_exit "$c with an unknown option exits 2" 2 cfgaudit "$c" --no-such-option
	check_grep "$c: usage on stderr" "^usage: " "$T/err"
	check "$c: nothing on stdout" test ! -s "$T/out"
done
check_exit "ingest without a path" 2 cfgaudit ingest
check_exit "ingest --jobs 0" 2 cfgaudit ingest --jobs 0 .
check_grep "ingest --jobs 0 says why" "jobs" "$T/err"
check_exit "ingest --jobs without a value" 2 cfgaudit ingest --jobs
check_exit "resources --format xml" 2 cfgaudit resources --format xml
check_exit "resources --as-of garbage" 2 cfgaudit resources --as-of yesterday
check_grep "resources --as-of garbage says why" "as-of.*yesterday" "$T/err"
check_exit "resources with an argument" 2 cfgaudit resources extra
check_exit "history without an id" 2 cfgaudit history
check_exit "history with two ids" 2 cfgaudit history a b
check_exit "history --format csv" 2 cfgaudit history --format csv x
check_exit "resources on a missing database" 2 cfgaudit --db "$T/none.db" resources
check "a missing database is not created by resources" test ! -e "$T/none.db"

# An empty database: header only / empty list.
mkdir -p "$T/emptydir"
check_exit "ingest an empty directory" 0 cfgaudit ingest "$T/emptydir"
check_exit "resources on an empty store" 0 cfgaudit resources --format json
check_grep "empty list" '"ResourceIdentifiers": \[\]' "$T/out"

done_testing
