#!/bin/sh
# t1860-landing-evidence-age: the landing-zone rules use only evidence
# captured at or before the as-of time and within --max-age of it. Before
# testdata's evidence was captured (2026-11-07T05:00:00Z), or later than
# --max-age after it, every check that needs evidence says
# INSUFFICIENT_DATA naming the call, account and Region; the checks that
# Config items decide keep their verdicts.
. "$TOP_SRCDIR/tests/lib.sh"
P="$TOP_SRCDIR/packs/Landing-Zone-Organization-Baseline.yaml"

check "ingest testdata" cfgaudit --db "$T/lz.db" --quiet ingest "$TOP_SRCDIR/testdata"
# results RULE,ACCOUNT,REGION,VERDICT,ANNOTATION of the last run
results() {
	sqlite3 -separator '|' "$T/lz.db" "SELECT config_rule_name, account_id, aws_region,
		compliance_type, annotation FROM results
		WHERE run_id = (SELECT max(run_id) FROM runs)" | LC_ALL=C sort >"$T/got"
}
command -v sqlite3 >/dev/null || skip_all "sqlite3 command not found"

cfgaudit --db "$T/lz.db" --quiet eval --pack "$P" --as-of 2026-11-06T00:00:00Z >/dev/null 2>"$T/err"
check "eval before the capture exits 1" test $? -eq 1
check "no diagnostics" test ! -s "$T/err"
results
has() { check_grep "$1" "$2" "$T/got"; }
has "trail: logging unknown, names the call" \
	'^cfgaudit-org-trail-covers-members|444444444444|global|INSUFFICIENT_DATA|.*no trail status of 111111111111 at or before 2026-11-06T00:00:00Z (aws cloudtrail get-trail-status)'
has "Config: the channel answer of the account and Region" \
	'^cfgaudit-org-config-everywhere|444444444444|eu-west-1|INSUFFICIENT_DATA|.*444444444444/eu-west-1.*(aws configservice describe-delivery-channels)'
has "Config: the partial recorder is still a fault (its item)" \
	'^cfgaudit-org-config-everywhere|555555555555|eu-west-1|NON_COMPLIANT|'
has "aggregator: the Region whose answer is missing" \
	'^cfgaudit-org-config-aggregator|222222222222|us-east-1|INSUFFICIENT_DATA|.*222222222222/.*(aws configservice describe-configuration-aggregators)'
has "GuardDuty: the administrator list" \
	'^cfgaudit-org-guardduty-everywhere|222222222222|us-east-1|INSUFFICIENT_DATA|.*(aws guardduty list-organization-admin-accounts)'
has "GuardDuty: the disabled detector is still a fault" \
	'^cfgaudit-org-guardduty-everywhere|555555555555|eu-west-1|NON_COMPLIANT|'
has "alerts: the topic's subscriptions" \
	'^cfgaudit-org-guardduty-findings-notify|222222222222|eu-west-1|INSUFFICIENT_DATA|.*aws-controltower-AllConfigNotifications.*(aws sns list-subscriptions-by-topic)'
has "alarm: the metric filters" \
	'^cfgaudit-org-elevated-role-alarm|111111111111|us-east-1|INSUFFICIENT_DATA|metric filters unknown: no metric filter list of 111111111111/us-east-1'
has "bucket: decided from its item" '^cfgaudit-org-trail-bucket|333333333333|us-east-1|COMPLIANT|'

# a day and a half after the capture the same evidence is older than the
# default --max-age (26h); with --max-age 2d it is fresh again
cfgaudit --db "$T/lz.db" --quiet eval --pack "$P" --as-of 2026-11-08T12:00:00Z >/dev/null \
	2>"$T/err"
check "eval 31 hours after the capture exits 1" test $? -eq 1
results
has "too old: says how old" \
	'^cfgaudit-org-trail-covers-members|111111111111|global|INSUFFICIENT_DATA|.*trail status of 111111111111 is 31 hours older than the as-of time'
check "no verdict rests on the stale list of accounts" \
	test "$(grep -c '^cfgaudit-org-trail-covers-members|[0-9]*|global|NON_COMPLIANT' "$T/got")" -eq 0
cfgaudit --db "$T/lz.db" --quiet eval --pack "$P" --as-of 2026-11-08T12:00:00Z --max-age 2d \
	>/dev/null 2>"$T/err"
check "eval with --max-age 2d exits 1" test $? -eq 1
results
has "fresh within 2d: development left the organization" \
	'^cfgaudit-org-trail-covers-members|555555555555|global|NON_COMPLIANT|not covered'
done_testing
