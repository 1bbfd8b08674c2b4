#!/bin/sh
# t1933-collect-organization: cfgaudit-collect --role over an organization
# of three active accounts and a suspended one: organization-wide calls
# once from the management account, every active account through
# sts assume-role with its own temporary credentials (passed by the
# environment, never written or put on a command line), the suspended
# account skipped; a role that cannot be assumed, and --role from an
# account that cannot list the organization.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"
FAKE_AWS_FIXTURES="$CD/fixtures/org:$CD/fixtures/base"
L=$FAKE_AWS_LOG

check_exit "--role over the organization: exit 0" 0 \
	collect --output "$T/ev" --regions eu-west-1,us-east-1 --role Auditor --profile mgmt
cp "$T/err" "$T/msg"
check "the three active accounts are collected" \
	test "$(ls "$T/ev/AWSLogs" | tr '\n' ' ')" = "111122223333 444455556666 777788889999 "
check_grep "the suspended one is skipped, with a note" \
	'^cfgaudit-collect: 222233334444: skipped, its state is SUSPENDED$' "$T/msg"
check "no call for it but its list-parents" \
	test "$(grep -c 222233334444 "$L")" -eq 1
check_grep "the summary" "^cfgaudit-collect: 145 answers written under '$T/ev/AWSLogs' \\(7 of them AWS error answers kept as evidence\\); 0 calls denied, 0 failed\$" "$T/msg"

# The organization-wide calls: once, with the management account's own
# credentials (and its profile), under its id.
for op in list-accounts list-delegated-administrators list-roots; do
	check "$op: once, by the management account" \
		test "$(grep -c " organizations $op " "$L")" -eq 1 -a \
		"$(grep -c "^111122223333 eu-west-1 organizations $op \\[own,profile=mgmt\\] " "$L")" -eq 1
done
check "list-parents for each of the four accounts and the three OUs" \
	test "$(ls "$T/ev/AWSLogs/111122223333/Evidence/global/organizations/list-parents" |
		sed 's/^[0-9TZ]*_//' | LC_ALL=C sort | tr '\n' ' ')" = "111122223333.json 222233334444.json 444455556666.json 777788889999.json ou-a1b2-prod1111.json ou-a1b2-sec22222.json ou-a1b2-web33333.json "
check "the OU walk: the root and the three OUs" \
	test "$(ls "$T/ev/AWSLogs/111122223333/Evidence/global/organizations/list-organizational-units-for-parent" |
		sed 's/^[0-9TZ]*_//' | LC_ALL=C sort | tr '\n' ' ')" = "ou-a1b2-prod1111.json ou-a1b2-sec22222.json ou-a1b2-web33333.json r-a1b2.json "
check "members: describe-organization only" \
	test "$(ls "$T/ev/AWSLogs/444455556666/Evidence/global/organizations" "$T/ev/AWSLogs/777788889999/Evidence/global/organizations" | grep -v '^/' | grep . | sort -u)" = describe-organization
check "list-organization-admin-accounts only in the management account, per region" \
	test "$(grep ' guardduty list-organization-admin-accounts ' "$L" | cut -d' ' -f1-2 | tr '\n' ' ')" = \
	"111122223333 eu-west-1 111122223333 us-east-1 "

# The roles.
grep ' sts assume-role ' "$L" | cut -d' ' -f1,5- >"$T/assume"
cat >"$T/want" <<'EOF2'
111122223333 [own,profile=mgmt] --role-arn arn:aws:iam::444455556666:role/Auditor --role-session-name cfgaudit-collect --region eu-west-1 --output json
111122223333 [own,profile=mgmt] --role-arn arn:aws:iam::777788889999:role/Auditor --role-session-name cfgaudit-collect --region eu-west-1 --output json
EOF2
check_same "sts assume-role per member account, with the current credentials" "$T/want" "$T/assume"
check "the management account is collected with its own credentials" \
	test -z "$(grep '^111122223333 ' "$L" | grep -v '\[own,profile=mgmt\]')"
check "each member's calls use that member's temporary credentials, without the profile" \
	test -z "$(grep -E '^(444455556666|777788889999) ' "$L" | grep -v ' \[assumed\] ')"
check "no call with wrong credentials" test -z "$(grep BAD-CREDENTIALS "$L")"
check "the members' calls are those of an account" \
	test "$(grep -c '^444455556666 ' "$L")" -eq "$(grep -c '^777788889999 ' "$L")" -a \
	"$(grep -c '^444455556666 ' "$L")" -ge 40
check_grep "each account gets its own answers (444455556666 has no password policy)" '"Code":"NoSuchEntity"' \
	"$(echo "$T"/ev/AWSLogs/444455556666/Evidence/global/iam/get-account-password-policy/*.json)"
check_grep "and 777788889999 has one" '"MinimumPasswordLength": 14' \
	"$(echo "$T"/ev/AWSLogs/777788889999/Evidence/global/iam/get-account-password-policy/*.json)"
check "member ARNs name the member" \
	grep -q '"HubArn": "arn:aws:securityhub:us-east-1:777788889999:hub/default"' \
	"$T"/ev/AWSLogs/777788889999/Evidence/us-east-1/securityhub/describe-hub/*.json
check "the temporary credentials are in no file written" \
	test -z "$(grep -rlE 'fakeSecret|FwoGZXIvYXdzEFAKE|ASIAFAKE' "$T/ev")"
check "nor on any command line" test -z "$(grep -E 'fakeSecret|FwoGZXIvYXdzEFAKE|ASIAFAKE' "$L")"
check "only the tree is left in the output directory" test "$(ls -A "$T/ev")" = AWSLogs
check_readonly "organization"

# A role that cannot be assumed in one account.
reset_fake
FAKE_AWS_FIXTURES="$CD/fixtures/org-denied:$CD/fixtures/base"
check_exit "a role that cannot be assumed: exit 1" 1 collect -o "$T/denied" -r eu-west-1 --role Auditor
cp "$T/err" "$T/msg"
check "that account is not collected" test ! -e "$T/denied/AWSLogs/777788889999"
check "no call made for it" test -z "$(grep '^777788889999 ' "$L")"
check "the others are" test -d "$T/denied/AWSLogs/444455556666/Evidence/eu-west-1/configservice" -a \
	-d "$T/denied/AWSLogs/111122223333/Evidence/eu-west-1/configservice"
check_grep "reported" \
	'^cfgaudit-collect: 777788889999/global: sts assume-role arn:aws:iam::777788889999:role/Auditor: denied: \(AccessDenied\) User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::777788889999:role/Auditor; account not collected$' "$T/msg"
check_grep "and in the summary" \
	'^  denied: 777788889999 global sts assume-role arn:aws:iam::777788889999:role/Auditor \(AccessDenied; account not collected\)$' "$T/msg"

# --role from an account that cannot list the organization's accounts.
reset_fake
FAKE_AWS_FIXTURES="$CD/fixtures/member:$CD/fixtures/base"
check_exit "--role from a member account: exit 1" 1 env FAKE_AWS_ACCOUNT=444455556666 \
	"$COLLECT_SHELL" "$COLLECT" -o "$T/member" -r eu-west-1 --role Auditor
cp "$T/err" "$T/msg"
check_grep "list-accounts denied, reported" \
	'^cfgaudit-collect: 444455556666/global: organizations list-accounts: denied: \(AccessDeniedException\) You don.t have permissions to access this resource\.$' "$T/msg"
check_grep "says nothing else was collected" \
	'^cfgaudit-collect: cannot list the accounts of the organization; nothing else collected$' "$T/msg"
check "no role assumed" test -z "$(grep ' sts assume-role ' "$L")"
check "nothing written" test -z "$(find "$T/member" -type f)"

done_testing
