#!/bin/sh
# t1064: a big snapshot read while other workers are idle has its items
# encoded by a pool of threads (ingest/textpool.c), handed back in the
# file's order. CFGAUDIT_INGEST_POOL_CHUNK=N puts every file of a bulk
# first load through the pool, in chunks of N items: the store, the exit
# status and the messages are those of one thread, with items that need
# the parsed path (tests/data/ingest/itemtext), an item that fails to
# normalize in the middle of a file, the same followed by a truncated
# document (the item's error comes first, as it does with one thread),
# and a file cut short.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

# One snapshot per account-Region (a bulk first load without lookups).
"$GEN" --out "$T/tree" --seed 1064 --accounts 2 --regions us-east-1,eu-west-1 --days 1 \
	--resources 120 --no-junk --quiet || bail_out "gen-archive failed"
# snap ACCOUNT: the path of a snapshot of ACCOUNT in us-west-2.
snap() {
	d="$T/tree/AWSLogs/$1/Config/us-west-2/2026/11/1/ConfigSnapshot"
	mkdir -p "$d"
	echo "$d/${1}_Config_us-west-2_ConfigSnapshot_20261101T030000Z_0000${1}.json"
}
# Each odd item of itemtext after plain ones, as a snapshot of its own series.
n=100
for f in "$TOP_SRCDIR"/tests/data/ingest/itemtext/one-*.json; do
	n=$((n + 1))
	cp "$f" "$(snap 555566667$n)"
done
item() { # item ID [EXTRA]: a plain item in the stored form
	printf '{"relatedEvents":[],"relationships":[],"configuration":{"a":1},"supplementaryConfiguration":{},"tags":{},"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-11-01T10:00:00.000Z","configurationStateId":1,"awsAccountId":"444455556666","configurationItemStatus":"OK","resourceType":"AWS::EC2::Volume","resourceId":"%s","resourceName":null,"ARN":"arn:aws:ec2:us-west-2:444455556666:volume/%s","awsRegion":"us-west-2","availabilityZone":"us-west-2a","configurationStateMd5Hash":"","resourceCreationTime":"2026-01-07T11:56:13.157Z"}' "$1" "$1"
}
items() { # items FROM TO: plain items, comma separated
	i=$1
	while [ "$i" -le "$2" ]; do
		[ "$i" -gt "$1" ] && printf ','
		item "vol-$i"
		i=$((i + 1))
	done
}
head='{"fileVersion":"1.0","configSnapshotId":"00000000-0000-4000-8000-000000001064","configurationItems":['
nores='{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-11-01T10:00:00.000Z","awsAccountId":"444455556666","configurationItemStatus":"OK","resourceId":"vol-x","awsRegion":"us-west-2","configuration":{}}'
{ printf '%s' "$head"; items 1 40; printf ',%s,' "$nores"; items 41 60; printf ']}'; } \
	>"$(snap 444455556601)"
{ printf '%s' "$head"; items 1 40; printf ',%s,' "$nores"; items 41 60; printf ',{"a'; } \
	>"$(snap 444455556602)"
{ printf '%s' "$head"; items 1 50; printf ',{"resourceType":"AWS::EC2::Vol'; } \
	>"$(snap 444455556603)"
{ printf '%s' "$head"; items 1 70; printf ']}'; } | gzip -c >"$(snap 444455556604).gz"
{ printf '%s' "$head"; items 1 300; printf ']}'; } | gzip -c | head -c 3000 \
	>"$(snap 444455556605).gz"

dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status, error, error_offset FROM files
	       ORDER BY path;
	SELECT 'item', rowid, hex(item_key), account_id, region, resource_type, resource_id,
	       resource_name, arn, availability_zone, status, capture_time, state_id,
	       item_version, resource_creation_time, configuration, supplementary, tags,
	       relationships, extra FROM items ORDER BY rowid;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;"
}
# load NAME JOBS [CHUNK]
load() {
	CFGAUDIT_INGEST_POOL_CHUNK=${3:-} cfgaudit --db "$T/$1.db" ingest --quiet --jobs "$2" \
		"$T/tree" >"$T/$1.out" 2>"$T/$1.err"
	echo "exit $?" >>"$T/$1.out"
	dump "$T/$1.db" >"$T/$1.dump"
}

load one 1
check "one thread loads items" test "$(grep -c '^item' "$T/one.dump")" -gt 500
check_grep "some files fail" "exit 2" "$T/one.out"
check_grep "an item that does not normalize fails its file" "item 40: resourceType is missing" "$T/one.err"
for run in "2 1" "2 2" "2 3" "3 1" "3 7" "2 1000"; do
	set -- $run
	load "pool-$1-$2" "$1" "$2"
	check_same "--jobs $1, chunks of $2: the same rows" "$T/one.dump" "$T/pool-$1-$2.dump"
	check_same "--jobs $1, chunks of $2: the same exit status" "$T/one.out" "$T/pool-$1-$2.out"
	check_same "--jobs $1, chunks of $2: the same messages" "$T/one.err" "$T/pool-$1-$2.err"
done
done_testing
