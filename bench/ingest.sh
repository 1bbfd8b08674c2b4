#!/bin/sh
# bench/ingest.sh: ingest figures, measured in one run, printed side by side
# with their targets (run by `make bench`, or by hand from a build
# directory: BENCH_BUILDDIR=/path/to/build sh bench/ingest.sh).
#
#   - the generator's speed on the tree it writes;
#   - the floor: `gzip -dc` of every .json.gz file to /dev/null;
#   - `cfgaudit ingest --jobs 1` and `--jobs $(nproc)` into fresh databases
#     (wall time, MB/s of uncompressed JSON, ratio to the floor);
#   - the Python baseline (bench/baseline_ingest.py) and the speedup;
#   - re-ingest of the unchanged tree (time, % of the first ingest);
#   - peak RSS while ingesting one snapshot file of BENCH_BIG_MB MB;
#   - database size after 1 and after BENCH_GROWTH_DAYS daily snapshots of
#     an unchanged inventory.
#
# Knobs (environment): BENCH_MB (uncompressed size of the ingest tree,
# default 450), BENCH_BIG_MB (default 2048), BENCH_GROWTH_DAYS (30),
# BENCH_GROWTH_RESOURCES (3000), BENCH_JOBS (default nproc), BENCH_TMP
# (scratch directory, default a new one under /tmp, removed at the end),
# BENCH_SKIP (space-separated: python big growth). A quick run:
#   BENCH_MB=40 BENCH_BIG_MB=100 BENCH_GROWTH_DAYS=5 sh bench/ingest.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=ingest.sh
. "$here/lib.sh"
MB=${BENCH_MB:-450}
BIG_MB=${BENCH_BIG_MB:-2048}
GROWTH_DAYS=${BENCH_GROWTH_DAYS:-30}
GROWTH_RES=${BENCH_GROWTH_RESOURCES:-3000}
NPROC=$(nproc 2>/dev/null || echo 1)
JOBS=${BENCH_JOBS:-$NPROC}

bench_need
"$CFGAUDIT" ingest --help >/dev/null 2>&1 || die "'cfgaudit ingest' is not available"

bench_tmp bench

# run NAME CMD...: run CMD under bench/measure.py; sets WALL, PEAK_KB, CPU.
run() {
	name=$1
	shift
	if ! python3 "$here/measure.py" "$tmp/$name.m" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
		sed 's/^/  | /' "$tmp/$name.err" | tail -20 >&2
		die "$name failed: $*"
	fi
	read -r WALL PEAK_KB _rc CPU _rest <"$tmp/$name.m"
}
calc() { python3 -c "print($1)"; }
fmt() { python3 -c "print('%.${2:-2}f' % ($1))"; }

rows=$tmp/rows
: >"$rows"
row() { printf '%-44s %-44s %s\n' "$1" "$2" "${3:-}" >>"$rows"; }

echo "bench/ingest.sh: scratch directory $tmp, $NPROC processors, jobs $JOBS" >&2

# --- the tree: 4 accounts x 2 regions x 7 daily snapshots, 2% churn.
# About 2.1 KB per item: size the inventory from BENCH_MB.
res=$(calc "max(50, int($MB * 1000000 / (4 * 2 * 7 * 2150)))")
echo "generating ~$MB MB ($res resources per account and region)..." >&2
run gen "$GEN" --out "$tmp/tree" --seed 11 --accounts 4 --regions us-east-1,eu-west-1 \
	--days 7 --resources "$res" --churn 0.02 --no-junk --jobs "$JOBS"
gen_wall=$WALL
raw=$(sed -n 's/.* items, \([0-9]*\) bytes uncompressed/\1/p' "$tmp/gen.err")
items=$(sed -n 's/.* \([0-9]*\) items,.*/\1/p' "$tmp/gen.err")
files=$(find "$tmp/tree" -name '*.json.gz' | wc -l)
gz=$(find "$tmp/tree" -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
rawmb=$(calc "$raw / 1e6")
row "tree" "$files files, $items items" \
	"$(fmt "$rawmb" 0) MB JSON, $(fmt "$gz / 1e6" 0) MB gzip"
row "generator (--jobs $JOBS)" "$(fmt "$gen_wall") s, $(fmt "$rawmb / $gen_wall" 0) MB/s" \
	"cpu $(fmt "$CPU") s ($(fmt "$rawmb / $CPU" 0) MB per cpu-second)"

# --- the floor: inflate everything once (warm cache first)
find "$tmp/tree" -name '*.json.gz' -print0 | xargs -0 cat >/dev/null
run floor sh -c "find '$tmp/tree' -name '*.json.gz' -print0 | xargs -0 gzip -dc >/dev/null"
floor=$WALL
floor_cpu=$CPU
row "floor: gzip -dc of all files" "$(fmt "$floor") s, $(fmt "$rawmb / $floor" 0) MB/s" \
	"cpu $(fmt "$CPU") s"

# --- cfgaudit ingest
run ingest1 "$CFGAUDIT" --db "$tmp/j1.db" ingest --quiet --jobs 1 "$tmp/tree"
t1=$WALL
c1=$CPU
row "cfgaudit ingest --jobs 1" "$(fmt "$t1") s, $(fmt "$rawmb / $t1" 0) MB/s" \
	"$(fmt "$t1 / $floor" 1)x floor; cpu $(fmt "$CPU") s = $(fmt "$CPU / $floor_cpu" 1)x floor's; peak RSS $(calc "$PEAK_KB // 1024") MB"
run ingestn "$CFGAUDIT" --db "$tmp/jn.db" ingest --quiet --jobs "$JOBS" "$tmp/tree"
tn=$WALL
cn=$CPU
row "cfgaudit ingest --jobs $JOBS" "$(fmt "$tn") s, $(fmt "$rawmb / $tn" 0) MB/s" \
	"$(fmt "$tn / $floor" 1)x floor; cpu $(fmt "$CPU") s = $(fmt "$CPU / $floor_cpu" 1)x floor's; peak RSS $(calc "$PEAK_KB // 1024") MB"
stored=$(sqlite3 "$tmp/jn.db" 'SELECT count(*) FROM items' 2>/dev/null || echo '?')
row "  stored item versions / database size" "$stored / $(fmt "$(dbsize "$tmp/jn.db") / 1e6" 0) MB" \
	"($items items read)"

# --- re-ingest of the unchanged tree
run reingest "$CFGAUDIT" --db "$tmp/jn.db" ingest --quiet --jobs "$JOBS" "$tmp/tree"
tr=$WALL
row "re-ingest, nothing changed (--jobs $JOBS)" "$(fmt "$tr") s" \
	"$(fmt "100 * $tr / $tn" 1) % of the first ingest (target: almost free)"

# --- Python baseline
if skipped python; then
	row "python baseline" "skipped"
else
	run python python3 "$here/baseline_ingest.py" "$tmp/py.db" "$tmp/tree"
	tp=$WALL
	row "python baseline (gzip+json+sqlite3)" "$(fmt "$tp") s, $(fmt "$rawmb / $tp" 0) MB/s" \
		"cfgaudit --jobs 1 $(fmt "$tp / $t1" 1)x, --jobs $JOBS $(fmt "$tp / $tn" 1)x faster; cpu $(fmt "$CPU") s = $(fmt "$CPU / $c1" 1)x cfgaudit's with --jobs 1, $(fmt "$CPU / $cn" 1)x with --jobs $JOBS"
fi
rm -rf "$tmp/j1.db" "$tmp/j1.db-wal" "$tmp/py.db"

# --- peak RSS on one big snapshot
if skipped big; then
	row "peak RSS, one big snapshot" "skipped"
else
	rm -rf "$tmp/tree"
	echo "generating one ${BIG_MB} MB snapshot..." >&2
	run biggen "$GEN" --out "$tmp/big" --seed 12 --big-snapshot "${BIG_MB}M" --no-junk
	bigitems=$(sed -n 's/.* \([0-9]*\) items,.*/\1/p' "$tmp/biggen.err")
	run big "$CFGAUDIT" --db "$tmp/big.db" ingest --quiet --jobs "$JOBS" "$tmp/big"
	row "peak RSS, one ${BIG_MB} MB snapshot" "$(calc "$PEAK_KB // 1024") MB ($bigitems items, $(fmt "$WALL") s)" \
		"target < 100 MB; cpu $(fmt "$CPU") s"
	rm -rf "$tmp/big" "$tmp/big.db" "$tmp/big.db-wal"
fi

# --- storage growth with an unchanged inventory
if skipped growth; then
	row "db size, 1 vs $GROWTH_DAYS snapshots" "skipped"
else
	run growgen "$GEN" --out "$tmp/grow" --seed 13 --unchanged --days "$GROWTH_DAYS" \
		--resources "$GROWTH_RES" --no-junk
	first=$(find "$tmp/grow" -name '*ConfigSnapshot_*' | LC_ALL=C sort | head -1)
	run grow1 "$CFGAUDIT" --db "$tmp/g1.db" ingest --quiet "$first"
	run grown "$CFGAUDIT" --db "$tmp/gn.db" ingest --quiet "$tmp/grow"
	s1=$(dbsize "$tmp/g1.db")
	sn=$(dbsize "$tmp/gn.db")
	row "db size, 1 vs $GROWTH_DAYS unchanged snapshots" \
		"$(fmt "$s1 / 1e6" 1) MB vs $(fmt "$sn / 1e6" 1) MB" \
		"ratio $(fmt "$sn / $s1") (target <= 1.2)"
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') ($NPROC processors)"
echo "(wall times include waiting for the processor on a busy machine; cpu = user + system)"
printf '%-44s %-44s %s\n' "measure" "value" "comparison / target"
printf '%-44s %-44s %s\n' "-------" "-----" "-------------------"
cat "$rows"
