#!/bin/sh
# t1231-eval-result-items: each result names the item version behind it,
# the one the point-in-time state holds for its resource at the run's
# as-of time (looked up once per resource, or joined for a TagKey scope);
# resources without an item (the account) have none; and one or two
# connections, any rule order, give the same results.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
check "ingest the sample organization" cfgaudit --quiet ingest "$TESTDATA"

# The item each result should name: the latest version of its resource
# captured at or before the as-of time.
want_items() {
	q "SELECT r.rule_no, r.resource_type, r.resource_id, r.account_id, r.aws_region,
		(SELECT hex(i.item_key) FROM items i WHERE i.resource_type = r.resource_type
		  AND i.resource_id = r.resource_id AND i.account_id = r.account_id
		  AND i.region = r.aws_region
		  AND i.capture_time <= (SELECT as_of FROM runs WHERE run_id = $1)
		  ORDER BY i.capture_time DESC, i.state_id DESC LIMIT 1)
	   FROM (SELECT r.run_id, r.rule_no, s.resource_type, s.resource_id, r.account_id,
		 r.aws_region FROM run_results r JOIN run_resources s USING (resource_no)) r
	   WHERE r.run_id = $1 ORDER BY 1, 2, 3, 4, 5"
}
got_items() {
	q "SELECT r.rule_no, s.resource_type, s.resource_id, r.account_id, r.aws_region,
		hex(s.item_key) FROM run_results r JOIN run_resources s USING (resource_no)
	   WHERE r.run_id = $1 ORDER BY 1, 2, 3, 4, 5"
}

pack=Operational-Best-Practices-for-Security-Identity-and-Compliance-Services
for jobs in 1 2; do
	check_exit "the Security pack, --jobs $jobs" 1 cfgaudit eval --jobs "$jobs" --pack "$pack"
	eval "run$jobs=\$(sed -n 's/^run //p' \"\$T/out\")"
done
want_items "$run1" >"$T/want"
got_items "$run1" >"$T/got"
check "results were stored" test -s "$T/got"
check_same "each result names its resource's current item" "$T/want" "$T/got"
check "account-level results name no item" test "$(q "SELECT count(*) FROM results
	WHERE run_id = $run1 AND resource_type = 'AWS::::Account' AND item_key IS NOT NULL")" = 0
check "resources with an item name it" test "$(q "SELECT count(*) FROM results
	WHERE run_id = $run1 AND resource_type <> 'AWS::::Account' AND item_key IS NULL")" = 0
dump() {
	q "SELECT r.rule_no, r.account_id, r.aws_region, s.resource_type, s.resource_id, r.verdict,
		a.annotation, hex(s.item_key) FROM run_results r JOIN run_resources s USING (resource_no) LEFT JOIN run_annotations a USING (annotation_no)
	   WHERE r.run_id = $1 ORDER BY 1, 2, 3, 4, 5"
}
dump "$run1" >"$T/one"
dump "$run2" >"$T/two"
check_same "two connections: the same results" "$T/one" "$T/two"

# A TagKey scope joins each result to its item for the tags: the same
# item keys as the lookup without a scope.
rm -f "$CFGAUDIT_DB"
check "ingest two days of items" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"
check_exit "a pack rule with a TagKey scope" 3 cfgaudit eval --rules-dir "$D/rules-bad" \
	--pack "$D/pack.yaml" --as-of 2026-11-01T23:00:00Z
scoped=$(sed -n 's/^run //p' "$T/out")
check_exit "the same rule without a scope" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED \
	--as-of 2026-11-01T23:00:00Z
plain=$(sed -n 's/^run //p' "$T/out")
q "SELECT r.resource_id, hex(r.item_key) FROM results r WHERE r.run_id = $scoped
   AND r.config_rule_name = 'restricted-ssh-prod' ORDER BY 1" >"$T/scoped"
q "SELECT r.resource_id, hex(r.item_key) FROM results r WHERE r.run_id = $plain
   AND r.resource_id IN (SELECT resource_id FROM results WHERE run_id = $scoped
     AND config_rule_name = 'restricted-ssh-prod') ORDER BY 1" >"$T/plain"
check "the scoped rule gave results" test -s "$T/scoped"
check_same "scoped and unscoped results name the same items" "$T/plain" "$T/scoped"
done_testing
