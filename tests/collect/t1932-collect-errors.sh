#!/bin/sh
# t1932-collect-errors: what cfgaudit-collect does with AWS's answers that
# are not plain successes: error answers kept as {"Error":...} evidence,
# throttling retried (then given up on), permission denials and failures
# reported with nothing written and exit 1, the credential report waited
# for (bounded).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"
FAKE_AWS_FIXTURES="$CD/fixtures/errors:$CD/fixtures/base"
E="$T/ev/AWSLogs/111122223333/Evidence"

check_exit "denied and failed calls: exit 1" 1 collect --output "$T/ev" --regions eu-west-1,us-east-1
cp "$T/err" "$T/msg"

# --- AWS error answers are evidence ----------------------------------------
printf '%s\n' '{"Error":{"Code":"NoSuchEntity","Message":"The Password Policy with domain name 111122223333 cannot be found."}}' >"$T/want"
check_same "no password policy: NoSuchEntity kept" "$T/want" \
	"$(echo "$E"/global/iam/get-account-password-policy/*.json)"
printf '%s\n' '{"Error":{"Code":"InvalidAccessException","Message":"Account 111122223333 is not subscribed to AWS Security Hub"}}' >"$T/want"
check_same "Security Hub not enabled: kept" "$T/want" "$(echo "$E"/eu-west-1/securityhub/describe-hub/*.json)"
check_grep "no Block Public Access configuration: kept" \
	'^\{"Error":\{"Code":"NoSuchPublicAccessBlockConfiguration","Message":"The public access block configuration was not found"\}\}$' \
	"$(echo "$E"/global/s3control/get-public-access-block/*.json)"
check_grep "not in an organization: kept" '"Code":"AWSOrganizationsNotInUseException"' \
	"$(echo "$E"/global/organizations/describe-organization/*.json)"
check "not in an organization: no organization-wide call" \
	test -z "$(grep -E ' organizations list-| list-organization-admin-accounts ' "$FAKE_AWS_LOG")"
check "Security Hub in us-east-1 is answered normally" \
	grep -q '"HubArn": "arn:aws:securityhub:us-east-1:111122223333:hub/default"' "$E"/us-east-1/securityhub/describe-hub/*.json

# --- throttling ----------------------------------------------------------------
check "throttled twice, then answered: three attempts" \
	test "$(grep -c '^111122223333 eu-west-1 guardduty list-detectors ' "$FAKE_AWS_LOG")" -eq 3
check_grep "and the answer is written" '"DetectorIds": \[\]' "$(echo "$E"/eu-west-1/guardduty/list-detectors/*.json)"
check "no detector there, so no get-detector" \
	test -z "$(grep '^111122223333 eu-west-1 guardduty get-detector ' "$FAKE_AWS_LOG")"
check "throttled throughout: five attempts" \
	test "$(grep -c '^111122223333 us-east-1 ec2 get-ebs-encryption-by-default ' "$FAKE_AWS_LOG")" -eq 5
check "then nothing written" test ! -e "$E/us-east-1/ec2"
check_grep "and reported as failed" \
	'^cfgaudit-collect: 111122223333/us-east-1: ec2 get-ebs-encryption-by-default: failed: still throttled \(RequestLimitExceeded\) after 5 attempts$' "$T/msg"

# --- denied: nothing written, reported ----------------------------------------------
check "UnauthorizedOperation: nothing written" test ! -e "$E/eu-west-1/ec2"
check_grep "reported with the code and AWS's message" \
	'^cfgaudit-collect: 111122223333/eu-west-1: ec2 get-ebs-encryption-by-default: denied: \(UnauthorizedOperation\) You are not authorized to perform this operation\. User: arn:aws:iam::111122223333:user/auditor is not authorized' "$T/msg"
check "AccessDeniedException: nothing written" test ! -e "$E/us-east-1/logs"
check_grep "reported" \
	'^cfgaudit-collect: 111122223333/us-east-1: logs describe-metric-filters: denied: \(AccessDeniedException\) User: ' "$T/msg"
check "SNS AuthorizationError for one topic: nothing written for it" \
	test "$(ls "$E/eu-west-1/sns/list-subscriptions-by-topic")" = \
	"$(ls "$E/eu-west-1/sns/list-subscriptions-by-topic" | grep billing-alarms)"
check_grep "reported with the topic" \
	'^cfgaudit-collect: 111122223333/eu-west-1: sns list-subscriptions-by-topic arn:aws:sns:eu-west-1:111122223333:security-alerts: denied: \(AuthorizationError\)' "$T/msg"
check "the other topic is collected" \
	test -n "$(ls "$E/eu-west-1/sns/list-subscriptions-by-topic" | grep billing-alarms)"

# --- a failure without an AWS answer ----------------------------------------------
check "no connection: nothing written" test ! -e "$E/us-east-1/sns"
check_grep "reported with the CLI's message" \
	'^cfgaudit-collect: 111122223333/us-east-1: sns list-topics: failed: Could not connect to the endpoint URL: "https://sns.us-east-1.amazonaws.com/"$' "$T/msg"

# --- a listing answered with an error: its resources cannot be collected -----------
check "an error answer to a listing is not written" test ! -e "$E/us-east-1/wafv2"
check "nor is any listing" test -z "$(find "$T/ev" -path '*/list-web-acls/*' -o -path '*/list-topics/*')"
check_grep "it is reported as a failure" \
	'^cfgaudit-collect: 111122223333/us-east-1: wafv2 list-web-acls REGIONAL: failed: \(WAFInvalidParameterException\) Error reason: The scope is not valid\., field: SCOPE_VALUE, parameter: REGIONAL; what it lists is not collected$' "$T/msg"
check "no get-logging-configuration follows it" \
	test -z "$(grep '^111122223333 us-east-1 wafv2 get-logging-configuration .*regional' "$FAKE_AWS_LOG")"

# --- the summary ----------------------------------------------------------------------
check_grep "counts" "^cfgaudit-collect: 32 answers written under '$T/ev/AWSLogs' \\(5 of them AWS error answers kept as evidence\\); 3 calls denied, 3 failed\$" "$T/msg"
sed -n '/^cfgaudit-collect: not collected:$/,$p' "$T/msg" >"$T/summary"
cat >"$T/want" <<'EOF2'
cfgaudit-collect: not collected:
  denied: 111122223333 eu-west-1 ec2 get-ebs-encryption-by-default (UnauthorizedOperation)
  denied: 111122223333 eu-west-1 sns list-subscriptions-by-topic arn:aws:sns:eu-west-1:111122223333:security-alerts (AuthorizationError)
  failed: 111122223333 us-east-1 ec2 get-ebs-encryption-by-default (still throttled (RequestLimitExceeded) after 5 attempts)
  denied: 111122223333 us-east-1 logs describe-metric-filters (AccessDeniedException)
  failed: 111122223333 us-east-1 sns list-topics (Could not connect to the endpoint URL: "https://sns.us-east-1.amazonaws.com/")
  failed: 111122223333 us-east-1 wafv2 list-web-acls REGIONAL (WAFInvalidParameterException; what it lists is not collected)
EOF2
check_same "the summary lists every call not collected, at the end" "$T/want" "$T/summary"

# --- the credential report ------------------------------------------------------------
check "generate-credential-report until COMPLETE (two STARTED answers first)" \
	test "$(grep -c ' iam generate-credential-report ' "$FAKE_AWS_LOG")" -eq 3
check "then get-credential-report, once" \
	test "$(grep -c ' iam get-credential-report ' "$FAKE_AWS_LOG")" -eq 1
check "the report is written" test -n "$(ls "$E/global/iam/get-credential-report")"
check "the generation answers are not" test ! -e "$E/global/iam/generate-credential-report"
check_readonly "errors"

reset_fake
FAKE_AWS_FIXTURES="$CD/fixtures/stuck:$CD/fixtures/base"
check_exit "a credential report that never completes: exit 1" 1 collect -o "$T/stuck" -r eu-west-1
cp "$T/err" "$T/msg"
check "polled 30 times, no more" test "$(grep -c ' iam generate-credential-report ' "$FAKE_AWS_LOG")" -eq 30
check "get-credential-report not called" test -z "$(grep ' iam get-credential-report ' "$FAKE_AWS_LOG")"
check "nothing written for it" test ! -e "$T/stuck/AWSLogs/111122223333/Evidence/global/iam/get-credential-report"
check_grep "reported" \
	'^cfgaudit-collect: 111122223333/global: iam get-credential-report: failed: the credential report was not COMPLETE after 30 polls$' "$T/msg"
check "the rest is collected" test -n "$(ls "$T/stuck/AWSLogs/111122223333/Evidence/global/iam/get-account-summary")"

done_testing
