#!/bin/sh
# t1010: select-resource-config answers whose query did not select the
# fields an item needs fail with a message naming every missing field and
# what the query must select; an awsRegion that is not an AWS region name
# (AWS's example files have "Not Applicable") fails its item, so it never
# becomes an account-region; real region names of every partition, and
# "global", load.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }

# A row as select-resource-config prints it, minus some fields.
row() { # FIELDS... (name=value, value is raw JSON)
	out='{'
	sep=
	for f in "$@"; do
		out="$out$sep\\\"${f%%=*}\\\":${f#*=}"
		sep=,
	done
	printf '%s}' "$out"
}
str() { printf '\\"%s\\"' "$1"; }
select_file() { # FILE ROW...
	f=$1
	shift
	{
		printf '{"Results":['
		sep=
		for r in "$@"; do
			printf '%s"%s"' "$sep" "$r"
			sep=,
		done
		printf '],"QueryInfo":{"SelectFields":[]}}\n'
	} >"$f"
}
id=resourceId=$(str my-bucket)
type=resourceType=$(str AWS::S3::Bucket)
acct=accountId=$(str 111122223333)
region=awsRegion=$(str us-east-1)
time=configurationItemCaptureTime=$(str 2026-11-01T10:00:00.000Z)
conf='configuration={\"name\":\"my-bucket\"}'

select_file "$T/no-region-time.json" "$(row "$id" "$type" "$acct" "$conf")"
check_exit "a select answer without awsRegion and capture time: exit 2" 2 \
	cfgaudit ingest "$T/no-region-time.json"
check_grep "names every missing field" \
	'row 0: the select query did not select awsRegion, configurationItemCaptureTime;' "$T/err"
check_grep "says what the query must select" \
	'a query must select at least: SELECT resourceId, resourceType, accountId, awsRegion, configurationItemCaptureTime, configuration' "$T/err"

select_file "$T/only-config.json" "$(row "$conf")"
check_exit "a select answer with only configuration: exit 2" 2 cfgaudit ingest "$T/only-config.json"
check_grep "names all five fields" \
	'row 0: the select query did not select resourceId, resourceType, accountId, awsRegion, configurationItemCaptureTime;' "$T/err"

select_file "$T/second-row.json" "$(row "$id" "$type" "$acct" "$region" "$time" "$conf")" \
	"$(row resourceId="$(str other)" "$type" "$acct" "$time" "$conf")"
check_exit "a later row missing a field: exit 2" 2 cfgaudit ingest "$T/second-row.json"
check_grep "names the row and the field" 'row 1: the select query did not select awsRegion;' "$T/err"
check "nothing of those files is kept" test "$(q "SELECT count(*) FROM items")" -eq 0

select_file "$T/complete.json" "$(row "$id" "$type" "$acct" "$region" "$time" "$conf")"
check_exit "a select answer with the fields loads" 0 cfgaudit ingest "$T/complete.json"

# awsRegion values.
item() { # ID REGION
	printf '{"resourceType":"AWS::S3::Bucket","resourceId":"%s","awsAccountId":"444455556666",' "$1"
	printf '"awsRegion":"%s","configurationItemCaptureTime":"2026-11-01T10:00:00.000Z",' "$2"
	printf '"configurationItemStatus":"OK","configuration":{"name":"%s"}}' "$1"
}
printf '[%s,%s]\n' "$(item good-1 us-west-2)" "$(item odd-1 'Not Applicable')" >"$T/odd.json"
check_exit "an item whose awsRegion is 'Not Applicable': exit 2" 2 cfgaudit ingest "$T/odd.json"
check_grep "the message says what is wrong" \
	'item 1: awsRegion "Not Applicable" is not an AWS region name' "$T/err"
check "no item of 444455556666 is stored" \
	test "$(q "SELECT count(*) FROM items WHERE account_id = '444455556666'")" -eq 0
check "no account-region comes from it" \
	test "$(cfgaudit resources --format csv | grep -c 'Not Applicable')" -eq 0

for bad in 'US-EAST-1' 'us-east' 'us-east-1a' 'useast1' 'us-east-123' '' 'global ' 'us--1'; do
	printf '[%s]\n' "$(item bad "$bad")" >"$T/bad.json"
	check_exit "awsRegion '$bad' fails" 2 cfgaudit ingest "$T/bad.json"
done
n=0
for good in us-east-1 eu-central-2 ap-southeast-7 us-gov-west-1 cn-northwest-1 \
	us-iso-east-1 us-isob-east-1 eu-isoe-west-1 global; do
	n=$((n + 1))
	printf '[%s]\n' "$(item "good-$good" "$good")" >"$T/good-$n.json"
	check_exit "awsRegion '$good' loads" 0 cfgaudit ingest "$T/good-$n.json"
done
check "each of them is stored under its region" \
	test "$(q "SELECT count(DISTINCT region) FROM items WHERE account_id = '444455556666'")" -eq "$n"

done_testing
