#!/bin/sh
# t1261-derived-in-place: security_group_sources, security_groups,
# ec2_instances, s3_bucket_facts, s3_policy_statements, s3_public_grants,
# iam_policy_default_documents and elbv2_load_balancers, which read plain
# documents in place (eval/jscan.c) and the others as before (jansson,
# SQL), hold the rows they held when every item was read the general
# way: rows recorded at 049556a, over items of odd shapes -- legacy
# ipRanges beside absent, null or scalar ipv4Ranges, non-object
# permissions and ranges, ipPermissions as an object, numbers and
# booleans where text is usual, a real, a 19-digit integer, JSON escapes,
# non-ASCII text, unrecorded items, ACL grantees of every spelling,
# policy versions chosen by flag or by id, load balancer attributes as a
# list or as JSON text, instances whose public IP cannot be read (a
# number, interfaces that are not a list or not what the recorder
# writes) -- and, written into the store as text ingest
# would not write, duplicate members (the last counts for the security
# group tables, which jansson reads; the first for the others, which
# SQLite reads), -0, an exponent, blanks (which SQLite's -> leaves out),
# \u escapes in keys, an ACL, a policy and attributes as JSON text, and
# attributes as text that is not JSON.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/derived-in-place"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found"

U="$T/rules"
mkdir -p "$U"
# probe NAME EXPR TABLE: a rule giving one result per row of TABLE, the
# row's number and columns (EXPR) as its resource id.
probe() { probe_rule "$U" "$1" "printf('%03d ', rowid) || $2" "$3"; }
c() { echo "quote($1) || ':' || typeof($1)"; }
probe PROBE_SGS "$(c resource_id) || ',' || $(c account_id) || ',' || $(c region) || ','
	|| $(c permission) || ',' || $(c ip_protocol) || ',' || $(c from_port) || ','
	|| $(c to_port) || ',' || $(c cidr) || ',' || $(c open) || ',' || hex(item_key)" \
	security_group_sources
probe PROBE_SG "$(c resource_type) || ',' || $(c resource_id) || ',' || $(c account_id)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c recorded) || ','
	|| hex(item_key)" security_groups
probe PROBE_EC2 "$(c resource_type) || ',' || $(c resource_id) || ',' || $(c account_id)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c capture_time) || ','
	|| $(c recorded) || ',' || $(c state) || ',' || $(c state_reason) || ','
	|| $(c vpc_id) || ',' || $(c related_vpc) || ',' || $(c public_ip_address) || ','
	|| $(c nic_public_ip) || ',' || $(c instance_type) || ',' || $(c ebs_optimized) || ','
	|| $(c http_tokens) || ',' || $(c http_endpoint) || ',' || $(c monitoring) || ','
	|| $(c profile_arn) || ',' || $(c public_ip_unreadable) || ',' || hex(item_key)" \
	ec2_instances
probe PROBE_S3 "$(c resource_type) || ',' || $(c resource_id) || ',' || $(c account_id)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c arn) || ',' || $(c recorded)
	|| ',' || $(c name) || ',' || $(c owner_id) || ',' || $(c acl) || ',' || $(c policy)
	|| ',' || $(c public_access_block) || ',' || $(c versioning) || ',' || $(c logging)
	|| ',' || $(c lifecycle) || ',' || $(c notification) || ',' || $(c replication)
	|| ',' || $(c encryption) || ',' || $(c object_lock) || ',' || hex(item_key)" s3_bucket_facts
probe PROBE_STMTS "$(c idx) || ',' || $(c stmt) || ',' || $(c effect) || ',' || hex(item_key)" \
	s3_policy_statements
probe PROBE_ELBV2 "$(c resource_type) || ',' || $(c resource_id) || ',' || $(c account_id)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c recorded) || ',' || $(c kind)
	|| ',' || $(c covered) || ',' || $(c listeners_seen) || ',' || $(c attributes) || ','
	|| hex(item_key)" elbv2_load_balancers
probe PROBE_GRANTS "$(c grantee) || ',' || $(c permission) || ',' || hex(item_key)" s3_public_grants
probe PROBE_IAM "$(c account_id) || ',' || $(c resource_id) || ',' || $(c resource_type)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c recorded) || ','
	|| $(c aws_managed) || ',' || $(c boundary_uses) || ',' || $(c document) || ','
	|| hex(item_key)" iam_policy_default_documents

check "ingest" cfgaudit --quiet ingest "$D"
# Text that ingest, which writes each configuration as jansson prints it,
# does not write.
set_config() {
	q "UPDATE items SET configuration = '$2' WHERE resource_id = '$1'" >/dev/null ||
		bail_out "cannot update $1"
}
set_config sg-0a00000000000003 '{"groupId":"sg-0a00000000000003","ipPermissions":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipv4Ranges":[{"cidrIp":"0.0.0.0/0"},{"cidrIp":"1.2.3.4/32","cidrIp":"0.0.0.0/0"}],"ipProtocol":"-1"}],"ipPermissions":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,"ipv4Ranges":[{"cidrIp":"0.0.0.0/0"},{"cidrIp":"10.0.0.0/8"}]}]}'
set_config sg-0a00000000000008 ' { "groupId" : "sg-0a00000000000008" ,
	"ipPermissions" : [ { "ipProtocol" : "tcp" , "fromPort" : -0 , "toPort" : 22 ,
	"ipv4Ranges" : [ { "cidrIp" : "0.0.0.0/0" } ] } , { "ip\u0050rotocol" : "udp" ,
	"fromPort" : 1e2 , "toPort" : 100 , "ipv4Ranges" : [ { "cidrIp" : "0.0.0.0\/0" } ] } ] } '
set_config i-0a00000000000004 '{"instanceId":"i-0a00000000000004","state":{"name":"running","name":"stopped"},"state":{"name":"terminated"},"vpcId":"vpc-1","vpcId":"vpc-2","publicIpAddress":"1.2.3.4","ebsOptimized":1,"instanceType":"c5.xlarge","cpuOptions":{"coreCount":2,"threadsPerCore":1.5},"networkInterfaces":[{"publicIp":"8.8.8.8","publicIp":"1.1.1.1"}],"networkInterfaces":[{"publicIp":"2.2.2.2"}],"iamInstanceProfile":{"arn":null}}'
set_config i-0a00000000000005 ' {"instanceId":"i-0a00000000000005", "state":{"name":"RUNNING"},
	"instanceType":"t3.\u004eano","ebsOptimized":-0,"monitoring":{"state":"enabled"}} '
set_config i-0a0000000000000f ' {"instanceId":"i-0a0000000000000f", "state":{"name":"running"},
	"x":"\u0041", "networkInterfaces":[{"privateIpAddresses":[7]}]} '

set_supp() {
	q "UPDATE items SET supplementary = '$2' WHERE resource_id = '$1'" >/dev/null ||
		bail_out "cannot update $1"
}
set_supp bucket-two '{"AccessControlList":"{\"grantList\":[{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}]}","BucketPolicy":{"policyText":"{\"Statement\":[]}"},"BucketVersioningConfiguration" : { "status" : "Enabled" },"BucketLoggingConfiguration":{"a":1},"BucketLoggingConfiguration":{"b":2},"ObjectLockConfiguration":-0,"BucketLifecycleConfiguration":[1.50, "x"]}'
set_supp bucket-five '{"AccessControlList":{"grantList":[{"grantee":{"uri":"x/groups/global/AllUsers"},"permission":"Read"}],"grantList":[{"grantee":"AuthenticatedUsers","permission":"re_ad"}],"grantSet":[ {"grantee":"AllUsers","grantee":"x","permission":"Write"} ]},"BucketPolicy":{"policyText":{ "Statement": [] }}}'
set_supp bucket-three '{"BucketPolicy":{"policyText":{"Statement":[{"Effect":"Allow","Sid":"a"},"x",{"Effect":7,"Effect":"Deny"},{"Sid":"b"},[1]]}},"BucketVersioningConfiguration":{"status":"Suspended"}}'
set_supp bucket-four '{"BucketPolicy":{"policyText":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\"}}"}}'
set_supp arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lb-three/50dc6c495c0c9188 '{"LoadBalancerAttributes":"\"[]\"","LoadBalancerAttributes":[{"key":"b","value":true}]}'
set_supp arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lb-five/50dc6c495c0c9188 '{"LoadBalancerAttributes":[ {"key":"k","key":"j","value":"V","value":false} ]}'
set_supp arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lb-four/50dc6c495c0c9188 '{"LoadBalancerAttributes":"not [json"}'
set_config bucket-five '{"name":"bucket-five","name":"other","owner":{"id":"a","id":"b"}}'
set_config ANPA0000000000000001 '{"policyName":"p1","arn":"arn:aws:iam::111122223333:policy/p1","defaultVersionId":"v1","policyVersionList":[{"document":{"Statement": []},"versionId":"v1"}]}'
set_config ANPA0000000000000003 '{"policyName":"p3","arn":"arn:aws:iam::aws:policy/x","defaultVersionId":"v1","defaultVersionId":"v2","permissionsBoundaryUsageCount":1,"policyVersionList":[{"document":{"Statement":[1]},"versionId":"v2"},{"document":{"Statement":[2]},"versionId":"v1","document":"x"}]}'

check "eval the probes" cfgaudit eval --jobs 1 --rules-dir "$U" --rule PROBE_SGS \
	--rule PROBE_SG --rule PROBE_EC2 --rule PROBE_S3 --rule PROBE_STMTS --rule PROBE_GRANTS \
	--rule PROBE_IAM --rule PROBE_ELBV2 \
	--as-of 2026-11-21T00:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT config_rule_name, resource_id FROM results WHERE run_id = $run ORDER BY 1, 2" >"$T/got"
check_same "the tables hold the rows of the general reading" "$D/expected" "$T/got"

done_testing
