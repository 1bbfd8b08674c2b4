#!/bin/sh
# t1421-empty-selection: a selection that matches nothing is an error with
# the nearest valid values, exit 2, never an empty run or report; account
# ids are exactly 12 digits on every option that takes one.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"

check "ingest" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"
runs() { sqlite3 "$CFGAUDIT_DB" 'SELECT count(*) FROM runs'; }

check_exit "eval --as-of before any item: exit 2" 2 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED --as-of 1999-01-01
check_grep "  names the earliest time held" \
	'no configuration item at or before 1999-01-01T00:00:00.000Z; the earliest the database holds is 2026-' "$T/err"
check_exit "eval --account not in the store: exit 2" 2 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED --account 999999999999
check_grep "  lists the accounts held" "account '999999999999' is not in the database; it holds 111111111111, 222222222222" "$T/err"
check_exit "eval --region not in the store: exit 2" 2 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED --region eu-west-3
check_grep "  lists the nearest regions first" "region 'eu-west-3' is not in the database; it holds eu-west-1, " "$T/err"
[ "$(runs)" = 0 ] && ok "no run was stored" || not_ok "runs stored: $(runs)"
check_exit "audit --as-of before any item: exit 2" 2 cfgaudit audit --as-of 1999-01-01 "$D/day1.json"
check_grep "  names the earliest time held" 'the earliest the database holds is 2026-' "$T/err"
check_exit "audit --account not in the store: exit 2" 2 cfgaudit audit --account 123456789012 "$D/day1.json"
[ "$(runs)" = 0 ] && ok "still no run" || not_ok "runs stored: $(runs)"

# An account that had items and deleted them all is a fact, not a typo.
check_exit "a good run" 0 cfgaudit eval --rule S3_BUCKET_VERSIONING_ENABLED --account 111111111111
check_exit "report --account not in the run: exit 2" 2 cfgaudit report --account 999999999999
check_grep "  lists the run's accounts" "account '999999999999' is not in run 1; it has 111111111111" "$T/err"
check_exit "report --region not in the run: exit 2" 2 cfgaudit report --region ap-south-1 --format json
check_grep "  lists the run's regions" "region 'ap-south-1' is not in run 1; it has " "$T/err"

for cmd in "eval --rule S3_BUCKET_VERSIONING_ENABLED" "audit $D/day1.json" report resources coverage \
	"history i-0123" "diff --from 2026-11-01 --to 2026-11-02"; do
	# shellcheck disable=SC2086
	check_exit "$cmd --account with 11 digits: exit 2" 2 cfgaudit $cmd --account 11111111111
	check_grep "  '11111111111' is not a 12-digit account id" "'11111111111' is not a 12-digit account id" "$T/err"
done
done_testing
