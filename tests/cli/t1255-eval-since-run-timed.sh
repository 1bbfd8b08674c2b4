#!/bin/sh
# t1255: eval --since-run re-evaluates the rules of the evaluation time
# reviewed per resource (secretsmanager-secret-periodic-rotation,
# secretsmanager-secret-unused, acm-certificate-expiration-check:
# eval/incremental.c, store/since_timed.c) on the changed resources plus
# those whose prior result depends on the time (a date in the item), and
# gives the same results as a full evaluation, resource by resource: a
# secret whose rotation, a secret whose last access and a certificate whose
# expiry cross their limits between two as-of times with no new version of
# their items (landing-zone churn around them; and a second run at a later
# as-of time on the same data); secrets and a certificate without dates
# keep their prior results. With --jobs 1 and 2.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/since-churn.sh"
since_start 1255

acct=111122223333
# An item of one account-Region captured on day 1: $1 type, $2 id, $3
# ARN, $4 configuration (JSON).
item() {
	since_item 2026-11-01T12:00:00.000Z ResourceDiscovered $acct ap-south-1 "$1" "$2" "$3" "$4"
}
sm=arn:aws:secretsmanager:ap-south-1:$acct:secret
acm=arn:aws:acm:ap-south-1:$acct:certificate
secret() { # name, then the dates as JSON members (may be empty)
	item AWS::SecretsManager::Secret "$sm:$1-AbCdEf" "$sm:$1-AbCdEf" \
		"{\"Name\": \"$1\", \"RotationEnabled\": true$2}"
}
# Limits 90 days (rotation, access) and 14 days (expiry); the as-of times
# are the ends of days 1, 2 and 3 (23:59:59Z).
{
	echo '['
	# rotated 89.5 days before day 1's end: NON_COMPLIANT from day 2
	secret rotated ', "LastRotatedDate": "2026-08-04T11:59:59.000Z"'; echo ,
	# accessed 89.5 days before day 2's end: NON_COMPLIANT from day 3
	secret accessed ', "LastAccessedDate": "2026-08-05T11:59:59.000Z"'; echo ,
	secret undated ''; echo ,
	# 14.5 days left at day 1's end: NON_COMPLIANT from day 2
	item AWS::ACM::Certificate "$acm/0c1d2e3f-aaaa-bbbb-cccc-123456789012" \
		"$acm/0c1d2e3f-aaaa-bbbb-cccc-123456789012" \
		'{"domainName": "nightly.example.com", "status": "ISSUED", "notAfter": "2026-11-16T12:00:00.000Z"}'
	echo ,
	item AWS::ACM::Certificate "$acm/9f8e7d6c-aaaa-bbbb-cccc-123456789012" \
		"$acm/9f8e7d6c-aaaa-bbbb-cccc-123456789012" \
		'{"domainName": "pending.example.com", "status": "PENDING_VALIDATION"}'
	echo ']'
} >"$T/day1/extra/items.json"

rules="--rule SECRETSMANAGER_SECRET_PERIODIC_ROTATION --rule SECRETSMANAGER_SECRET_UNUSED"
rules="$rules --rule ACM_CERTIFICATE_EXPIRATION_CHECK"
pattern='^since-run [0-9]+: [0-9]+ resources re-evaluated on 3 rules, 0 rules in full'

# shellcheck disable=SC2086
since_first_day --as-of 2026-11-01T23:59:59Z $rules
check "day 1: the rotated secret is COMPLIANT" \
	test "$(since_verdict "$prev" secretsmanager-secret-periodic-rotation \
		"$sm:rotated-AbCdEf")" = COMPLIANT
check "day 1: the certificate is COMPLIANT" \
	test "$(since_verdict "$prev" acm-certificate-expiration-check \
		"$acm/0c1d2e3f-aaaa-bbbb-cccc-123456789012")" = COMPLIANT

for day in 2 3; do
	# shellcheck disable=SC2086
	since_next_day $day "$pattern" --as-of 2026-11-0${day}T23:59:59Z $rules
	[ $day = 2 ] && nightly2=$inc1
	check "day $day: the rotated secret is NON_COMPLIANT (no new version)" \
		test "$(since_verdict "$inc" secretsmanager-secret-periodic-rotation \
			"$sm:rotated-AbCdEf")" = NON_COMPLIANT
	if [ $day = 2 ]; then want=COMPLIANT; else want=NON_COMPLIANT; fi
	check "day $day: the accessed secret is $want" \
		test "$(since_verdict "$inc" secretsmanager-secret-unused "$sm:accessed-AbCdEf")" = $want
	check "day $day: the certificate is NON_COMPLIANT" \
		test "$(since_verdict "$inc" acm-certificate-expiration-check \
			"$acm/0c1d2e3f-aaaa-bbbb-cccc-123456789012")" = NON_COMPLIANT
	check "day $day: the undated secret is INSUFFICIENT_DATA" \
		test "$(since_verdict "$inc" secretsmanager-secret-unused "$sm:undated-AbCdEf")" = \
		INSUFFICIENT_DATA
	check "day $day: the certificate without notAfter is NOT_APPLICABLE" \
		test "$(since_verdict "$inc" acm-certificate-expiration-check \
			"$acm/9f8e7d6c-aaaa-bbbb-cccc-123456789012")" = NOT_APPLICABLE
done

# A chain of nightly runs stored by reference: day 3 from day 2's nightly
# run (not its full one).
# shellcheck disable=SC2086
since_vs_full "day 3 from day 2's nightly run" "$nightly2" 1 "$pattern" \
	--as-of 2026-11-03T23:59:59Z $rules
# Only the as-of time moves (no data loaded): 12 hours later, from that
# chain, the dated resources only are re-evaluated (the three of this test
# and the landing zone's).
dated=$(q "SELECT count(DISTINCT resource_type || resource_id) FROM results WHERE run_id = $inc
	AND compliance_type IN ('COMPLIANT', 'NON_COMPLIANT')")
# shellcheck disable=SC2086
since_vs_full "day 3, 12 hours later" "$inc" 1 \
	"^since-run [0-9]+: $dated resources re-evaluated on 3 rules, 0 rules in full" \
	--as-of 2026-11-04T11:59:59Z $rules

done_testing
