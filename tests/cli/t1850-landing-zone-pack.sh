#!/bin/sh
# t1850-landing-zone-pack: packs/Landing-Zone-Organization-Baseline.yaml
# passes pack check, and auditing testdata/ with it gives the verdicts of
# the sample organization's landing-zone wiring and its deliberate breaks
# (testdata/README.md, "Landing-zone wiring"), deciding from its evidence
# files what AWS Config does not record.
. "$TOP_SRCDIR/tests/lib.sh"
P="$TOP_SRCDIR/packs/Landing-Zone-Organization-Baseline.yaml"

check "pack check" cfgaudit pack check "$P"
cfgaudit --quiet audit "$TOP_SRCDIR/testdata" --pack "$P" --format csv -o "$T/out.csv" \
	2>"$T/err"
check "audit exits 1 (findings)" test $? -eq 1
check "no diagnostics" test ! -s "$T/err"
# rule,account,region,resource,verdict
cut -d, -f4,5,6,8,9 "$T/out.csv" | sed 1d | LC_ALL=C sort >"$T/got"
has() { check_grep "$1" "^$2$" "$T/got"; }
has "organization trail covers a member" \
	'cfgaudit-org-trail-covers-members,444444444444,global,444444444444,COMPLIANT'
has "development left the organization, so the trail" \
	'cfgaudit-org-trail-covers-members,555555555555,global,555555555555,NON_COMPLIANT'
has "trail bucket locked down" 'cfgaudit-org-trail-bucket,333333333333,us-east-1,aws-controltower-logs-333333333333-us-east-1,COMPLIANT'
has "Config: a full recorder" 'cfgaudit-org-config-everywhere,111111111111,us-east-1,111111111111,COMPLIANT'
has "Config: the partial recorder" 'cfgaudit-org-config-everywhere,555555555555,eu-west-1,555555555555,NON_COMPLIANT'
has "Config: a Region without a recorder" 'cfgaudit-org-config-everywhere,444444444444,eu-west-1,444444444444,NON_COMPLIANT'
has "Config: a stopped recorder" 'cfgaudit-org-config-everywhere,222222222222,eu-west-1,222222222222,NON_COMPLIANT'
has "Config: delivery to another bucket" 'cfgaudit-org-config-everywhere,333333333333,us-east-1,333333333333,NON_COMPLIANT'
has "aggregator from evidence" 'cfgaudit-org-config-aggregator,222222222222,us-east-1,222222222222,COMPLIANT'
has "GuardDuty: enabled member" 'cfgaudit-org-guardduty-everywhere,444444444444,eu-west-1,444444444444,COMPLIANT'
has "GuardDuty: the administrator" 'cfgaudit-org-guardduty-everywhere,222222222222,us-east-1,222222222222,COMPLIANT'
has "GuardDuty: disabled detector" 'cfgaudit-org-guardduty-everywhere,555555555555,eu-west-1,555555555555,NON_COMPLIANT'
has "GuardDuty: not a member" 'cfgaudit-org-guardduty-everywhere,333333333333,eu-west-1,333333333333,NON_COMPLIANT'
has "findings reach a subscribed topic" 'cfgaudit-org-guardduty-findings-notify,222222222222,us-east-1,222222222222,COMPLIANT'
has "findings to a topic with only a pending subscription" 'cfgaudit-org-guardduty-findings-notify,222222222222,eu-west-1,222222222222,NON_COMPLIANT'
has "elevated-role alarm: filter, alarm, subscription" 'cfgaudit-org-elevated-role-alarm,111111111111,us-east-1,aws-controltower/CloudTrailLogs,COMPLIANT'
has "SSH open in production" 'cfgaudit-org-restricted-ssh,444444444444,global,444444444444,NON_COMPLIANT'
has "SSH closed in the log archive" 'cfgaudit-org-restricted-ssh,333333333333,global,333333333333,COMPLIANT'
check "no INSUFFICIENT_DATA: the evidence covers every check" \
	test "$(grep -c ',INSUFFICIENT_DATA$' "$T/got")" -eq 0
check "one result per account and Region for Config (5 x 2)" \
	test "$(grep -c '^cfgaudit-org-config-everywhere,' "$T/got")" -eq 10
check "one result per account for the trail (5)" \
	test "$(grep -c '^cfgaudit-org-trail-covers-members,' "$T/got")" -eq 5
# An --account/--region selection leaves other accounts' data out of the
# state: no result for them, rather than "no recorder, no detector".
cfgaudit --quiet eval --pack "$P" --account 111111111111 --region eu-west-1 >/dev/null 2>&1
cfgaudit report --format csv -o "$T/sel.csv" 2>/dev/null
check "a selection's report has results" test "$(sed 1d "$T/sel.csv" | grep -vc RULE_COVERAGE)" -gt 0
check "... only for the selected account" \
	test "$(sed 1d "$T/sel.csv" | grep -v RULE_COVERAGE | cut -d, -f5 | sort -u)" = 111111111111
check "... and only in the selected or the global Region" \
	test -z "$(sed 1d "$T/sel.csv" | grep -v RULE_COVERAGE | cut -d, -f6 | grep -v '^eu-west-1$' | grep -v '^global$')"
# A shard's store holds only its accounts; the organization's member list
# names the others: no result for them (the shard that loads them judges).
cfgaudit --quiet --db "$T/shard.db" ingest --shard 0/2 "$TOP_SRCDIR/testdata" 2>/dev/null
cfgaudit --quiet --db "$T/shard.db" eval --pack "$P" >/dev/null 2>&1
cfgaudit --db "$T/shard.db" report --format csv -o "$T/shard.csv" 2>/dev/null
sqlite3 "$T/shard.db" "SELECT DISTINCT account_id FROM items ORDER BY 1" >"$T/loaded"
sed 1d "$T/shard.csv" | grep -v RULE_COVERAGE | cut -d, -f5 | sort -u >"$T/judged"
check "a shard has results" test -s "$T/judged"
check "... only for the accounts it loaded" test -z "$(comm -23 "$T/judged" "$T/loaded")"
done_testing
