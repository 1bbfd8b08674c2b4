#!/bin/sh
# t1901: evidence in evaluation and bundles. A rule decides from a fresh
# credential report, says how old a stale one is, and the bundle of the
# run carries the evidence it could use (evidence.json), verified.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }
F="$TOP_SRCDIR/tests/rules/IAM_USER_MFA_ENABLED/evidence"

check "ingest items and evidence" cfgaudit --quiet ingest "$F/items.json" "$F/api-items.json" "$F/AWSLogs"
check_exit "eval at the capture day: bob has no MFA (exit 1)" 1 \
	cfgaudit --quiet eval --rule IAM_USER_MFA_ENABLED --as-of 2026-12-01T12:00:00Z
check "alice decided from the report" \
	test "$(q "SELECT compliance_type FROM results WHERE run_id = 1 AND resource_id = 'AIDAEXAMPLEALICE00001'")" = COMPLIANT
check_exit "eval 40 days later: nothing decided (exit 0)" 0 \
	cfgaudit --quiet eval --rule IAM_USER_MFA_ENABLED --as-of 2027-01-10T12:00:00Z
check "the annotation says how old the report is" \
	test "$(q "SELECT count(*) FROM results WHERE run_id = 2 AND compliance_type = 'INSUFFICIENT_DATA'
		AND annotation LIKE '%credential report of 111122223333 is 40 days older than the as-of time%'")" -eq 4
check_exit "a longer --max-age accepts it" 1 \
	cfgaudit --quiet eval --rule IAM_USER_MFA_ENABLED --as-of 2027-01-10T12:00:00Z --max-age 41d
check_exit "bundle of run 1" 0 cfgaudit bundle --run 1 -o "$T/b.tgz"
check_exit "it verifies" 0 cfgaudit verify "$T/b.tgz"
tar xzf "$T/b.tgz" -C "$T" 2>/dev/null
check_grep "the evidence is in the bundle" '"Call": "iam get-credential-report"' "$T/cfgaudit-run-1/evidence.json"
check_grep "with the digest of its file" '"Sha256": "[0-9a-f]{64}"' "$T/cfgaudit-run-1/evidence.json"
done_testing
