#!/bin/sh
# bench/shards.sh: figures for sharded runs (cfgaudit-merge(1)), from a
# build directory: BENCH_BUILDDIR=/path/to/build sh bench/shards.sh
#
# Generates the many-small-accounts shape (BENCH_SHARD_ACCOUNTS accounts,
# default 500, x 4 regions x BENCH_SHARD_RESOURCES resources, default 10,
# BENCH_SHARD_DAYS daily snapshots, default 2), then measures in one run:
#   - the unsharded run: ingest --jobs 1 and eval of the Security pack;
#   - for N in BENCH_SHARD_COUNTS (default "2 8 32"): every shard's
#     ingest --shard K/N --jobs 1 (with the first account as context) and
#     eval, one after the other on this machine: the slowest shard, the
#     mean, accounts and items per second of a shard, peak RSS, store
#     size; then the merge: wall time, peak RSS and the merged store size;
#   - and checks that every merged run has the unsharded run's results.
# A shard is an ordinary process: on a batch engine the N run at once, so
# the wall time of a sharded run is the slowest shard plus the merge.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=shards.sh
. "$here/lib.sh"
ACCOUNTS=${BENCH_SHARD_ACCOUNTS:-500}
RESOURCES=${BENCH_SHARD_RESOURCES:-10}
DAYS=${BENCH_SHARD_DAYS:-2}
COUNTS=${BENCH_SHARD_COUNTS:-2 8 32}
PACK=$SECURITY_PACK
AS_OF=2026-11-0${DAYS}T23:00:00Z
tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/cfgaudit-bench-shards.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run NAME CMD...: measure CMD; sets WALL, PEAK_KB (exit 1 of eval is fine)
run() {
	name=$1
	shift
	python3 "$here/measure.py" "$tmp/$name.m" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || :
	read -r WALL PEAK_KB RC _ <"$tmp/$name.m"
	if [ "$RC" -gt 1 ]; then
		echo "bench: $name failed (exit $RC):" >&2
		cat "$tmp/$name.err" >&2
		exit 1
	fi
}
size_mb() { echo "scale=1; $(stat -c %s "$1") / 1048576" | bc; }
results() {
	sqlite3 "$1" "SELECT config_rule_name, account_id, aws_region, resource_id,
		compliance_type, annotation FROM results
		WHERE run_id = 1 ORDER BY 1, 2, 3, 4" | sha256sum | cut -c1-16
}

echo "generating $ACCOUNTS accounts x 4 regions x $RESOURCES resources x $DAYS days ..."
"$GEN" --out "$tmp/archive" --seed 7 --accounts "$ACCOUNTS" --days "$DAYS" \
	--regions us-east-1,eu-west-1,eu-central-1,ap-southeast-2 --resources "$RESOURCES" \
	--churn 0.02 >/dev/null
files=$(find "$tmp/archive" -name '*.json.gz' -path '*Config*' | wc -l)
ctx=$(ls "$tmp/archive/AWSLogs" | grep -E '^[0-9]{12}$' | head -1)
echo "archive: $files Config files, $(du -sm "$tmp/archive" | cut -f1) MB; context account $ctx"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo

run whole-ingest "$CFGAUDIT" --db "$tmp/all.db" --quiet ingest --jobs 1 "$tmp/archive"
wi=$WALL
wi_kb=$PEAK_KB
run whole-eval "$CFGAUDIT" --db "$tmp/all.db" --quiet eval --pack "$PACK" --as-of "$AS_OF"
we=$WALL
items=$(sqlite3 "$tmp/all.db" 'SELECT count(*) FROM items')
want=$(results "$tmp/all.db")
printf '%-10s %8s %8s %10s %10s %9s %9s %9s\n' shards "slowest" "mean" "acct/s" "items/s" \
	"peak MB" "store MB" "results"
printf '%-10s %7.2fs %7.2fs %10.0f %10.0f %9.0f %9s %9s\n' "1 (whole)" \
	"$(echo "$wi + $we" | bc)" "$(echo "$wi + $we" | bc)" \
	"$(echo "$ACCOUNTS / ($wi + $we)" | bc -l)" "$(echo "$items / ($wi + $we)" | bc -l)" \
	"$(echo "$wi_kb / 1024" | bc)" "$(size_mb "$tmp/all.db")" "$want"
echo
for n in $COUNTS; do
	slowest=0
	total=0
	peak=0
	k=0
	while [ "$k" -lt "$n" ]; do
		db=$tmp/s$n-$k.db
		run "i$n-$k" "$CFGAUDIT" --db "$db" --quiet ingest --jobs 1 --shard "$k/$n" \
			--context-account "$ctx" "$tmp/archive"
		t=$WALL
		[ "$PEAK_KB" -gt "$peak" ] && peak=$PEAK_KB
		run "e$n-$k" "$CFGAUDIT" --db "$db" --quiet eval --pack "$PACK" --as-of "$AS_OF"
		t=$(echo "$t + $WALL" | bc)
		[ "$PEAK_KB" -gt "$peak" ] && peak=$PEAK_KB
		total=$(echo "$total + $t" | bc)
		if [ "$(echo "$t > $slowest" | bc)" -eq 1 ]; then slowest=$t; fi
		k=$((k + 1))
	done
	mean=$(echo "$total / $n" | bc -l)
	shard_mb=$(du -cm "$tmp"/s"$n"-*.db | tail -1 | cut -f1)
	run "m$n" "$CFGAUDIT" merge -o "$tmp/org$n.db" "$tmp"/s"$n"-*.db
	got=$(results "$tmp/org$n.db")
	printf '%-10s %7.2fs %7.2fs %10.0f %10.0f %9.0f %9s %9s\n' "$n" "$slowest" "$mean" \
		"$(echo "$ACCOUNTS / $n / $mean" | bc -l)" "$(echo "$items / $n / $mean" | bc -l)" \
		"$(echo "$peak / 1024" | bc)" "$shard_mb (all)" "$got"
	printf '%-10s merge %6.2fs, peak %4.0f MB, merged store %s MB%s\n' "" "$WALL" \
		"$(echo "$PEAK_KB / 1024" | bc)" "$(size_mb "$tmp/org$n.db")" \
		"$([ "$got" = "$want" ] && echo ", results identical" || echo ", RESULTS DIFFER")"
	rm -f "$tmp"/s"$n"-*.db "$tmp/org$n.db"
done
