#!/bin/sh
# t1931-collect-account: cfgaudit-collect for the current credentials'
# account in two regions, against the fake AWS CLI: the exact tree (file
# naming, per-resource ids, global services under 'global'), contents,
# modes, capture times, messages and exit status; the same tree under
# every POSIX shell at hand; a member account makes no organization-wide
# call. Every call is read-only and listed in the man page.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"
FX="$CD/fixtures/base/any/any"
E="$T/ev/AWSLogs/111122223333/Evidence"

start=$(date -u +%Y%m%dT%H%M%SZ)
check_exit "the management account, two regions: exit 0" 0 \
	sh -c 'umask 022 && exec "$@"' sh $COLLECT_SHELL "$COLLECT" --output "$T/ev" --regions eu-west-1,us-east-1
end=$(date -u +%Y%m%dT%H%M%SZ)
cp "$T/err" "$T/err1"
cp "$T/out" "$T/out1"
check_grep "the summary" \
	"^cfgaudit-collect: 59 answers written under '$T/ev/AWSLogs' \\(2 of them AWS error answers kept as evidence\\); 0 calls denied, 0 failed\$" "$T/err1"
check "and nothing else on stderr" test "$(wc -l <"$T/err1")" -eq 1
check "nothing on stdout" test ! -s "$T/out1"

tree "$T/ev" >"$T/tree"
check_same "the tree: one file per call, resource ids percent-encoded" "$CD/expected/account-tree" "$T/tree"
check "only the tree is left in the output directory (no temporary files)" \
	test "$(ls -A "$T/ev")" = AWSLogs
check "files are private (0600) whatever the caller's umask" \
	test -z "$(find "$T/ev" -type f ! -perm 0600)"
check "directories are private (0700)" test -z "$(find "$T/ev" -type d ! -perm 0700)"

# Capture times: UTC, at the call, the first part of every file name.
find "$T/ev" -type f | sed 's,.*/,,; s,[._].*,,' | LC_ALL=C sort -u >"$T/times"
check "every file name starts with a capture time YYYYMMDDTHHMMSSZ" \
	test -z "$(grep -v '^[0-9]\{8\}T[0-9]\{6\}Z$' "$T/times")"
{ echo "$start"; echo "$end"; cat "$T/times"; } | LC_ALL=C sort >"$T/span"
check "capture times lie within the run (UTC)" \
	test "$(head -n 1 "$T/span")" = "$start" -a "$(tail -n 1 "$T/span")" = "$end"

# Contents: the CLI's answer, unchanged.
expand "$FX/iam.get-account-password-policy.json" 111122223333 global >"$T/want"
check_same "an answer is the CLI's output, byte for byte" "$T/want" \
	"$(echo "$E"/global/iam/get-account-password-policy/*.json)"
expand "$FX/cloudtrail.get-trail-status.arn_aws_cloudtrail_us-east-1_ACCOUNT_trail_management-events.json" \
	111122223333 eu-west-1 >"$T/want"
check_same "get-trail-status of the shadow trail, in eu-west-1, named by the trail ARN" "$T/want" \
	"$(echo "$E"/eu-west-1/cloudtrail/get-trail-status/*.json)"
printf '%s\n' '{"Error":{"Code":"WAFNonexistentItemException","Message":"AWS WAF couldn’t perform the operation because your resource doesn’t exist. If you'"'"'ve just created a resource that you'"'"'re using in this operation, you might just need to wait a few minutes. It can take from a few seconds to a number of minutes for changes to propagate."}}' >"$T/want"
check_same "an AWS error answer is kept as {\"Error\":{\"Code\",\"Message\"}}" "$T/want" \
	"$(echo "$E"/us-east-1/wafv2/get-logging-configuration/*.json)"
if command -v jq >/dev/null 2>&1; then
	bad=
	for f in $(find "$T/ev" -type f); do jq -e . "$f" >/dev/null 2>&1 || bad="$bad $f"; done
	check "every file is JSON" test -z "$bad"
else
	ok "# SKIP jq not installed"
fi

# The calls.
check_readonly "one account"
check_grep "list-findings asks for the non-archived findings only" \
	' guardduty list-findings \[own\] --detector-id 6ec4a1e2b9f8d7c6a5b4e3d2c1f0a9b8 --finding-criteria \{"Criterion":\{"service.archived":\{"Eq":\["false"\]\}\}\} --region eu-west-1 --output json$' \
	"$FAKE_AWS_LOG"
check_grep "get-trail-status by ARN (a shadow trail needs it)" \
	'^111122223333 eu-west-1 cloudtrail get-trail-status \[own\] --name arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events ' \
	"$FAKE_AWS_LOG"
check_grep "CloudFront web ACLs through us-east-1" \
	'^111122223333 us-east-1 wafv2 list-web-acls \[own\] --scope CLOUDFRONT --limit 100 ' "$FAKE_AWS_LOG"
check_grep "s3control with the account id" \
	' s3control get-public-access-block \[own\] --account-id 111122223333 --region eu-west-1 ' "$FAKE_AWS_LOG"
check "global calls once" test "$(grep -c ' iam get-account-summary ' "$FAKE_AWS_LOG")" -eq 1
check "regional calls once per region" \
	test "$(grep -c ' securityhub describe-hub ' "$FAKE_AWS_LOG")" -eq 2
check "the credential report is generated before it is read" \
	test "$(grep -n ' iam generate-credential-report ' "$FAKE_AWS_LOG" | cut -d: -f1)" -lt \
	"$(grep -n ' iam get-credential-report ' "$FAKE_AWS_LOG" | cut -d: -f1)"
check "the OU walk reaches the nested OU" \
	grep -q ' organizations list-organizational-units-for-parent \[own\] --parent-id ou-a1b2-web33333 ' "$FAKE_AWS_LOG"
check "one call per file, plus identity, report generation and the two listings per region and the CloudFront one" \
	test "$(wc -l <"$FAKE_AWS_LOG")" -eq 66

# --verbose names every file.
reset_fake
check_exit "--verbose" 0 collect -v -o "$T/verbose" -r eu-west-1
check "names every file written" \
	test "$(grep -c "^$T/verbose/AWSLogs/111122223333/Evidence/.*\\.json\$" "$T/err")" -eq \
	"$(find "$T/verbose" -type f | wc -l)"

# A member account: no organization-wide calls.
reset_fake
check_exit "a member account's own credentials: exit 0" 0 env FAKE_AWS_ACCOUNT=444455556666 \
	"$COLLECT_SHELL" "$COLLECT" -o "$T/member" -r eu-west-1
check "collected under its own id" test -d "$T/member/AWSLogs/444455556666/Evidence/global/iam"
check "describe-organization is kept" \
	test -n "$(ls "$T/member/AWSLogs/444455556666/Evidence/global/organizations/describe-organization")"
check "no organization-wide call" test -z "$(grep -E ' organizations list-| list-organization-admin-accounts ' "$FAKE_AWS_LOG")"
check "only describe-organization under organizations" \
	test "$(ls "$T/member/AWSLogs/444455556666/Evidence/global/organizations")" = describe-organization

# The same tree under every POSIX shell at hand.
for sh in dash "bash --posix" "busybox sh" ksh mksh; do
	set -- $sh
	if ! command -v "$1" >/dev/null 2>&1 || ! $sh -c : 2>/dev/null; then
		ok "# SKIP $sh not installed"
		continue
	fi
	reset_fake
	out="$T/sh-$1"
	COLLECT_SHELL=$sh
	check_exit "under $sh: exit 0" 0 collect -o "$out" -r eu-west-1,us-east-1
	tree "$out" >"$T/tree"
	check_same "under $sh: the same tree" "$CD/expected/account-tree" "$T/tree"
done

done_testing
