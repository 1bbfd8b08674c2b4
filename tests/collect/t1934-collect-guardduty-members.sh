#!/bin/sh
# t1934-collect-guardduty-members: cfgaudit-collect asks guardduty
# list-members --detector-id D for each detector list-detectors answered,
# in each region, with the CLI's own pagination (all pages in one answer)
# and AWS's default for --only-associated; the answer (or an AWS error
# answer) is named by the detector id, and a region without a detector
# gets no call. The files load with cfgaudit ingest as the call
# CFGAUDIT_ORG_GUARDDUTY_DETECTORS reads (table guardduty_organization).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
FAKE_AWS_FIXTURES="$CD/fixtures/members:$CD/fixtures/base"
D=6ec4a1e2b9f8d7c6a5b4e3d2c1f0a9b8
E="$T/ev/AWSLogs/111122223333/Evidence"

check_exit "members in eu-west-1, an error answer in us-east-1, no detector in ap-southeast-2: exit 0" 0 \
	collect --output "$T/ev" --regions eu-west-1,us-east-1,ap-southeast-2

grep ' guardduty list-members ' "$FAKE_AWS_LOG" | LC_ALL=C sort >"$T/calls"
cat >"$T/want" <<CALLS
111122223333 eu-west-1 guardduty list-members [own] --detector-id $D --region eu-west-1 --output json
111122223333 us-east-1 guardduty list-members [own] --detector-id $D --region us-east-1 --output json
CALLS
check_same "one call per region and detector, its detector id, no paging or filter options" \
	"$T/want" "$T/calls"
check "no call where list-detectors lists none" \
	test -z "$(grep '^111122223333 ap-southeast-2 guardduty list-members ' "$FAKE_AWS_LOG")"

tree "$T/ev" | grep '/guardduty/list-members/' >"$T/tree"
cat >"$T/want" <<TREE
AWSLogs/111122223333/Evidence/eu-west-1/guardduty/list-members/T_$D.json
AWSLogs/111122223333/Evidence/us-east-1/guardduty/list-members/T_$D.json
TREE
check_same "the files are named by the detector id" "$T/want" "$T/tree"
expand "$CD/fixtures/base/any/any/guardduty.list-members.$D.json" 111122223333 eu-west-1 >"$T/want"
check_same "the answer is the CLI's output, byte for byte" "$T/want" \
	"$(echo "$E"/eu-west-1/guardduty/list-members/*.json)"
check_grep "the error answer is kept as evidence" '"Code":"BadRequestException"' \
	"$(echo "$E"/us-east-1/guardduty/list-members/*.json)"
check_readonly "list-members"
check_grep "cfgaudit-collect(1) lists the call" '^guardduty list-members$' "$T/man-calls"

check_exit "the tree loads" 0 cfgaudit --quiet ingest "$T/ev"
check "as the known call guardduty list-members, argument the detector id" \
	test "$(sqlite3 "$CFGAUDIT_DB" "SELECT group_concat(region || ' ' || qualifier || ' ' ||
		known || ' ' || coalesce(error_code, '-'), ',') FROM (SELECT * FROM evidence_calls
		WHERE service = 'guardduty' AND operation = 'list-members' ORDER BY region)")" = \
	"eu-west-1 $D 1 -,us-east-1 $D 1 BadRequestException"
done_testing
