#!/bin/sh
# t1256: eval --since-run re-evaluates iam-group-has-users-check, reviewed
# per account (eval/incremental.c, eval/since_accounts.c: a group's members
# are its own relationships and the users of its account, in any Region,
# listing its name), on the accounts where an IAM group or user is new,
# changed or gone, and gives the same results as a full evaluation,
# resource by resource: a group whose own item does not change loses its
# only member (day 2: the user leaves it) and gets one back from a user
# recorded in a Region, not "global" (day 3); a group of another account
# keeps its prior result; a group deleted on day 3. With --jobs 1 and 2,
# over the churn of a landing zone.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/since-churn.sh"
since_start 1256

# An item captured late on day N: $1 day, $2 status, $3 account, $4
# Region, $5 type, $6 id, $7 name, $8 configuration (JSON, or null).
item() {
	since_item "2026-11-0$1T23:59:00.000Z" "$2" "$3" "$4" "$5" "$6" "arn:aws:iam::$3:$7" "$8" "$7"
}
a1=111122223333 a2=444455556666
group() { # day, status, account, id, name
	if [ "$2" = ResourceDeleted ]; then c=null; else c="{\"groupName\": \"$5\"}"; fi
	item "$1" "$2" "$3" global AWS::IAM::Group "$4" "$5" "$c"
}
user() { # day, status, account, Region, id, name, groups (JSON array)
	item "$1" "$2" "$3" "$4" AWS::IAM::User "$5" "$6" \
		"{\"userName\": \"$6\", \"groupList\": $7}"
}
{
	echo '['
	group 1 ResourceDiscovered $a1 AGPAFULLRULES0000001 Auditors; echo ,
	group 1 ResourceDiscovered $a1 AGPAFULLRULES0000002 Builders; echo ,
	group 1 ResourceDiscovered $a2 AGPAFULLRULES0000003 Auditors; echo ,
	user 1 ResourceDiscovered $a1 global AIDAFULLRULES0000001 ana '["Auditors", "Builders"]'
	echo ,
	user 1 ResourceDiscovered $a2 global AIDAFULLRULES0000002 ben '[]'
	echo ']'
} >"$T/day1/extra/iam.json"
{
	echo '['
	user 2 OK $a1 global AIDAFULLRULES0000001 ana '["Builders"]'
	echo ']'
} >"$T/day2/extra/iam.json"
{
	echo '['
	user 3 ResourceDiscovered $a1 us-east-1 AIDAFULLRULES0000003 carl '["Auditors"]'; echo ,
	group 3 ResourceDeleted $a1 AGPAFULLRULES0000002 Builders
	echo ']'
} >"$T/day3/extra/iam.json"

rules="--rule IAM_GROUP_HAS_USERS_CHECK"
verdict() { since_verdict "$1" iam-group-has-users-check "$3" "$2"; } # run, account, group id

# shellcheck disable=SC2086
since_first_day $rules
check "day 1: Auditors of $a1 has a user" \
	test "$(verdict "$prev" $a1 AGPAFULLRULES0000001)" = COMPLIANT
check "day 1: Auditors of $a2 has none" \
	test "$(verdict "$prev" $a2 AGPAFULLRULES0000003)" = NON_COMPLIANT

for day in 2 3; do
	# shellcheck disable=SC2086
	since_next_day $day \
		'^since-run [0-9]+: [0-9]+ resources re-evaluated on 1 rules, 0 rules in full' $rules
	if [ $day = 2 ]; then want=NON_COMPLIANT; else want=COMPLIANT; fi
	check "day $day: the unchanged group Auditors of $a1 is $want" \
		test "$(verdict "$inc" $a1 AGPAFULLRULES0000001)" = $want
	check "day $day: Auditors of $a2 is NON_COMPLIANT" \
		test "$(verdict "$inc" $a2 AGPAFULLRULES0000003)" = NON_COMPLIANT
done
check "day 3: the deleted group has no result" \
	test "$(q "SELECT count(*) FROM results WHERE run_id = $inc
		AND resource_id = 'AGPAFULLRULES0000002'")" = 0

done_testing
