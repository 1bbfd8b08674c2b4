#!/bin/sh
# bench/shapes.sh: ingest and eval figures on four archive shapes (issue
# 14), each measured in one run beside its floor and the Python baseline,
# printed as one table with a column per shape (run by `make bench-shapes`,
# or by hand from a build directory: BENCH_BUILDDIR=/path/to/build sh
# bench/shapes.sh).
#
# The shapes (all written by tools/gen-archive, many resource types):
#   a  first ingest of a new organization: BENCH_A_ACCOUNTS (20) accounts x
#      2 Regions x 1 day, every item new, BENCH_A_MB (450) MB of JSON;
#   b  a month of daily deliveries with low churn: 4 accounts x 2 Regions x
#      BENCH_B_DAYS (30) days, 1% churn a day, BENCH_B_MB (450) MB of JSON;
#   c  one account-Region whose single snapshot holds BENCH_C_MB (1100) MB
#      of JSON (over 1 GB by default; BENCH_C_MB=200 for a quick run);
#   d  many small accounts: BENCH_D_ACCOUNTS (500) accounts x 4 Regions,
#      BENCH_D_RESOURCES (20) resources per account-Region.
#
# For each shape:
#   floor        gzip -dc of every file to /dev/null (page cache warm)
#   ingest       cfgaudit ingest --jobs 1, then --jobs BENCH_JOBS (nproc),
#                each into a fresh database: wall, user, sys, the ratio of
#                the wall time to the floor's, peak RssAnon and peak RSS
#   python       bench/baseline_ingest.py (gzip + json + sqlite3)
#   db size      the database (and its WAL) after ingest --jobs N
#   eval floor   SELECT count(*) FROM items WHERE json_valid(configuration)
#                in the sqlite3 shell
#   eval         the default pack (Security, Identity and Compliance) with
#                --jobs 1 and --jobs 2; every shipped rule in one run with
#                --jobs BENCH_JOBS and --jobs 1
#
# Memory: "RssAnon" is the peak of the private anonymous memory of the
# command and its descendants, sampled from /proc/PID/status every 20 ms
# (bench/measure.py); "RSS" is getrusage's ru_maxrss, which also counts the
# mapped database file and the binary.
#
# Knobs (environment): BENCH_SHAPES (default "a b c d"), the sizes above,
# BENCH_JOBS, BENCH_TMP (scratch directory kept), BENCH_SKIP (space
# separated: python python-c all1 eval). A quick run:
#   BENCH_A_MB=60 BENCH_B_MB=60 BENCH_B_DAYS=10 BENCH_C_MB=150 BENCH_D_ACCOUNTS=100 sh bench/shapes.sh
# Shape c needs about 2.5x BENCH_C_MB of free disk (its gzip file, the
# databases, the Python baseline's copy); everything is deleted at the end of
# its column.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=shapes.sh
. "$here/lib.sh"
NPROC=$(nproc 2>/dev/null || echo 1)
JOBS=${BENCH_JOBS:-$NPROC}
SHAPES=${BENCH_SHAPES:-a b c d}
A_MB=${BENCH_A_MB:-450}
A_ACCOUNTS=${BENCH_A_ACCOUNTS:-20}
B_MB=${BENCH_B_MB:-450}
B_DAYS=${BENCH_B_DAYS:-30}
C_MB=${BENCH_C_MB:-1100}
D_ACCOUNTS=${BENCH_D_ACCOUNTS:-500}
D_RES=${BENCH_D_RESOURCES:-20}
PACK=${BENCH_PACK:-$SECURITY_PACK}

bench_need
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is needed for the eval floor"

bench_tmp bench-shapes
calc() { python3 -c "print($1)"; }

# Results: lines "SHAPE KEY VALUE..." in $res, formatted at the end.
res=$tmp/results
: >"$res"
put() { echo "$*" >>"$res"; }

# run SHAPE NAME CMD...: measure CMD, record NAME's figures for SHAPE.
# Tolerates exit 1 and 3 (eval's NON_COMPLIANT / invalid-rule statuses).
run() {
	shape=$1
	name=$2
	shift 2
	python3 "$here/measure.py" "$tmp/$shape-$name.m" "$@" >"$tmp/$shape-$name.out" \
		2>"$tmp/$shape-$name.err" || :
	read -r WALL PEAK_KB RC CPU USR SYS ANON <"$tmp/$shape-$name.m"
	case $RC in
	0 | 1 | 3) ;;
	*)
		tail -20 "$tmp/$shape-$name.err" | sed 's/^/  | /' >&2
		die "$shape/$name failed (exit $RC): $*"
		;;
	esac
	put "$shape" "$name" "$WALL" "$USR" "$SYS" "$ANON" "$PEAK_KB"
}

all_rules=$(bench_all_rules "$CFGAUDIT")

gen_shape() {
	t=$tmp/$1
	case $1 in
	a)
		r=$(calc "max(50, int($A_MB * 1e6 / ($A_ACCOUNTS * 2 * 2000)))")
		"$GEN" --out "$t" --seed 31 --accounts "$A_ACCOUNTS" --regions us-east-1,eu-west-1 \
			--days 1 --resources "$r" --no-junk --jobs "$JOBS"
		;;
	b)
		r=$(calc "max(50, int($B_MB * 1e6 / (4 * 2 * $B_DAYS * 2000)))")
		"$GEN" --out "$t" --seed 32 --accounts 4 --regions us-east-1,eu-west-1 \
			--days "$B_DAYS" --resources "$r" --churn 0.01 --no-junk --jobs "$JOBS"
		;;
	c)
		avail=$(df -Pk "$tmp" | awk 'NR == 2 {print $4}')
		need=$((C_MB * 1024 * 5 / 2))
		[ "$avail" -gt "$need" ] ||
			die "shape c needs about $((need / 1024)) MB free under $tmp, $((avail / 1024)) MB left"
		"$GEN" --out "$t" --seed 33 --big-snapshot "${C_MB}M" --no-junk
		;;
	d)
		"$GEN" --out "$t" --seed 34 --accounts "$D_ACCOUNTS" \
			--regions us-east-1,eu-west-1,us-west-2,ap-southeast-1 \
			--days 1 --resources "$D_RES" --no-junk --jobs "$JOBS"
		;;
	*) die "unknown shape '$1'" ;;
	esac
}

for s in $SHAPES; do
	echo "bench/shapes.sh: shape $s: generating (load $(cut -d' ' -f1-3 /proc/loadavg))..." >&2
	gen_shape "$s" 2>"$tmp/$s-gen.err" || { cat "$tmp/$s-gen.err" >&2; die "generator failed"; }
	t=$tmp/$s
	raw=$(sed -n 's/.* items, \([0-9]*\) bytes uncompressed/\1/p' "$tmp/$s-gen.err")
	items=$(sed -n 's/.* \([0-9]*\) items,.*/\1/p' "$tmp/$s-gen.err")
	files=$(find "$t" -name '*.json.gz' | wc -l)
	gz=$(find "$t" -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
	put "$s" tree "$files" "$items" "$raw" "$gz"
	put "$s" load_start "$(cut -d' ' -f1 /proc/loadavg)"

	echo "bench/shapes.sh: shape $s: ingest..." >&2
	find "$t" -name '*.json.gz' -print0 | xargs -0 cat >/dev/null
	run "$s" floor sh -c "find '$t' -name '*.json.gz' -print0 | xargs -0 gzip -dc >/dev/null"
	run "$s" ingest1 "$CFGAUDIT" --db "$tmp/$s-1.db" ingest --quiet --jobs 1 "$t"
	rm -f "$tmp/$s-1.db" "$tmp/$s-1.db-wal" "$tmp/$s-1.db-shm"
	run "$s" ingestn "$CFGAUDIT" --db "$tmp/$s.db" ingest --quiet --jobs "$JOBS" "$t"
	put "$s" db "$(dbsize "$tmp/$s.db")" "$(sqlite3 "$tmp/$s.db" 'SELECT count(*) FROM items')"
	if skipped python || { [ "$s" = c ] && skipped python-c; }; then
		put "$s" python_skipped 1
	else
		echo "bench/shapes.sh: shape $s: python baseline..." >&2
		run "$s" python python3 "$here/baseline_ingest.py" "$tmp/$s-py.db" "$t"
		rm -f "$tmp/$s-py.db"
	fi
	rm -rf "$t"

	if ! skipped eval; then
		echo "bench/shapes.sh: shape $s: eval..." >&2
		q='SELECT count(*) FROM items WHERE json_valid(configuration)'
		sqlite3 "$tmp/$s.db" "$q" >/dev/null
		run "$s" efloor sqlite3 "$tmp/$s.db" "$q"
		run "$s" pack1 "$CFGAUDIT" --db "$tmp/$s.db" eval --jobs 1 --pack "$PACK"
		run "$s" pack2 "$CFGAUDIT" --db "$tmp/$s.db" eval --jobs 2 --pack "$PACK"
		# shellcheck disable=SC2086
		run "$s" alln "$CFGAUDIT" --db "$tmp/$s.db" eval --jobs "$JOBS" $all_rules --timings
		if ! skipped all1; then
			# shellcheck disable=SC2086
			run "$s" all1 "$CFGAUDIT" --db "$tmp/$s.db" eval --jobs 1 $all_rules
		fi
	fi
	put "$s" load_end "$(cut -d' ' -f1 /proc/loadavg)"
	rm -f "$tmp/$s.db" "$tmp/$s.db-wal" "$tmp/$s.db-shm"
done

echo
echo "bench/shapes.sh: $NPROC processors, --jobs N = $JOBS; $(date -u '+%Y-%m-%d %H:%M UTC')"
python3 "$here/shapes_table.py" "$res" "$JOBS"
