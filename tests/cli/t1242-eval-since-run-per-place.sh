#!/bin/sh
# t1242: eval --since-run re-evaluates the rules reviewed as per-place
# (rds-logging-enabled, alb-waf-enabled: eval/incremental.c) on the
# account-Regions where an input of theirs is new, changed or gone, and
# gives the same results as a full evaluation, resource by resource: a DB
# instance whose own item does not change flips with its cluster's log
# exports, then with the cluster's deletion; a load balancer that does not
# change flips with a WAF Classic web ACL that lists it, then with the
# ACL's deletion. With --jobs 1 and 2, over the churn of a landing zone.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/since-churn.sh"
since_start 1242

# Items of one account-Region without snapshots (so that no snapshot
# outweighs them), captured late each day: $1 day, $2 status, $3 type,
# $4 id, $5 ARN, $6 configuration (JSON text, or null).
acct=111122223333
item() {
	since_item "2026-11-0$1T23:59:00.000Z" "$2" $acct ap-south-1 "$3" "$4" "$5" "$6"
}
arn_db=arn:aws:rds:ap-south-1:$acct:db:nightly-db1
arn_cl=arn:aws:rds:ap-south-1:$acct:cluster:nightly-cl
arn_lb=arn:aws:elasticloadbalancing:ap-south-1:$acct:loadbalancer/app/nightly-alb/50dc6c495c0c9188
arn_acl=arn:aws:waf-regional:ap-south-1:$acct:webacl/3f8e1c2a-aaaa-bbbb-cccc-123456789012
db='{"dBInstanceIdentifier": "nightly-db1", "engine": "aurora-postgresql", "dBInstanceStatus": "available", "dBClusterIdentifier": "nightly-cl", "enabledCloudwatchLogsExports": []}'
cl() { printf '{"dBClusterIdentifier": "nightly-cl", "engine": "aurora-postgresql", "enabledCloudwatchLogsExports": %s}' "$1"; }
lb="{\"loadBalancerArn\": \"$arn_lb\", \"loadBalancerName\": \"nightly-alb\", \"type\": \"application\"}"
acl="{\"webACLId\": \"3f8e1c2a-aaaa-bbbb-cccc-123456789012\", \"name\": \"nightly-acl\", \"associationList\": [{\"resourceArn\": \"$arn_lb\"}]}"
{
	echo '['
	item 1 ResourceDiscovered AWS::RDS::DBInstance db-NIGHTLYDB1 "$arn_db" "$db"; echo ,
	item 1 ResourceDiscovered AWS::RDS::DBCluster cluster-NIGHTLYCL "$arn_cl" "$(cl '[]')"; echo ,
	item 1 ResourceDiscovered AWS::ElasticLoadBalancingV2::LoadBalancer "$arn_lb" "$arn_lb" "$lb"
	echo ']'
} >"$T/day1/extra/items.json"
{
	echo '['
	item 2 OK AWS::RDS::DBCluster cluster-NIGHTLYCL "$arn_cl" "$(cl '["postgresql", "upgrade"]')"; echo ,
	item 2 ResourceDiscovered AWS::WAFRegional::WebACL 3f8e1c2a-aaaa-bbbb-cccc-123456789012 "$arn_acl" "$acl"
	echo ']'
} >"$T/day2/extra/items.json"
{
	echo '['
	item 3 ResourceDeleted AWS::RDS::DBCluster cluster-NIGHTLYCL "$arn_cl" null; echo ,
	item 3 ResourceDeleted AWS::WAFRegional::WebACL 3f8e1c2a-aaaa-bbbb-cccc-123456789012 "$arn_acl" null
	echo ']'
} >"$T/day3/extra/items.json"

rules="--rule RDS_LOGGING_ENABLED --rule ALB_WAF_ENABLED"

# shellcheck disable=SC2086
since_first_day $rules
check "day 1: the instance is NON_COMPLIANT (no exports)" \
	test "$(since_verdict "$prev" rds-logging-enabled db-NIGHTLYDB1)" = NON_COMPLIANT
check "day 1: the load balancer is INSUFFICIENT_DATA (no web ACL known)" \
	test "$(since_verdict "$prev" alb-waf-enabled "$arn_lb")" = INSUFFICIENT_DATA

for day in 2 3; do
	# shellcheck disable=SC2086
	since_next_day $day \
		'^since-run [0-9]+: [0-9]+ resources re-evaluated on 2 rules, 0 rules in full' $rules
	if [ $day = 2 ]; then want_db=COMPLIANT want_lb=COMPLIANT
	else want_db=NON_COMPLIANT want_lb=INSUFFICIENT_DATA; fi
	check "day $day: the unchanged instance is $want_db (its cluster changed)" \
		test "$(since_verdict "$inc" rds-logging-enabled db-NIGHTLYDB1)" = $want_db
	check "day $day: the unchanged load balancer is $want_lb (the web ACL changed)" \
		test "$(since_verdict "$inc" alb-waf-enabled "$arn_lb")" = $want_lb
done

done_testing
