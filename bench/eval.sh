#!/bin/sh
# bench/eval.sh: evaluation figures (run by `make bench`, or by hand from a
# build directory: BENCH_BUILDDIR=/path/to/build sh bench/eval.sh).
#
# Generates a store of BENCH_EVAL_ITEMS items (default 500000: 10 accounts
# x 5 regions, one snapshot each), ingests it, then times
#   - `cfgaudit eval --pack` the Security, Identity and Compliance pack
#     (total, and per rule with --timings when eval offers it), with the
#     default --jobs and again with --jobs 1;
#   - the floor: SELECT count(*) FROM items WHERE json_valid(configuration)
#     with the sqlite3 command-line shell, i.e. one pass over every stored
#     configuration;
#   - every shipped rule at once (`cfgaudit eval --rule ID` for each
#     identifier `cfgaudit rules list` prints), total and the ten slowest
#     rules;
# and prints the ratios (targets: the pack <= 10x the floor, every rule
# together <= 15x).
#
# Knobs: BENCH_EVAL_ITEMS, BENCH_JOBS (default nproc), BENCH_TMP, BENCH_PACK
# (a pack file; default the shipped Security pack), and the shape:
# BENCH_ACCOUNTS (default 10) and BENCH_REGIONS (a comma-separated list,
# default us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1); the
# items are spread evenly over the account-regions. A quick run:
#   BENCH_EVAL_ITEMS=50000 sh bench/eval.sh
# Many small accounts:
#   BENCH_EVAL_ITEMS=50000 BENCH_ACCOUNTS=100 BENCH_REGIONS=us-east-1,eu-west-1 sh bench/eval.sh
# An existing store instead (a shape of bench/shapes.sh, say): BENCH_EVAL_DB=
# FILE is copied (never written) and every evaluation runs on a fresh copy
# of it, so that no run reads the results of the one before:
#   BENCH_EVAL_DB=/path/to/a.db sh bench/eval.sh
# The table then also gives each run's peak private memory (RssAnon) and
# the cpu of its point-in-time state and of storing the run (--timings).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=eval.sh
. "$here/lib.sh"
ITEMS=${BENCH_EVAL_ITEMS:-500000}
JOBS=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 1)}
ACCOUNTS=${BENCH_ACCOUNTS:-10}
REGIONS=${BENCH_REGIONS:-us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1}
PACK=${BENCH_PACK:-$SECURITY_PACK}

bench_need
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 command-line shell is needed for the floor"
[ -f "$PACK" ] || die "no pack file '$PACK'"
"$CFGAUDIT" eval --help >/dev/null 2>&1 ||
	die "'cfgaudit eval' is not available in '$CFGAUDIT' (not implemented or not built yet)"
timings=
"$CFGAUDIT" eval --help 2>&1 | grep -q -- '--timings' && timings=--timings

bench_tmp bench-eval

if [ -n "${BENCH_EVAL_DB:-}" ]; then
	[ -f "$BENCH_EVAL_DB" ] || die "no store '$BENCH_EVAL_DB'"
	echo "bench/eval.sh: copying $BENCH_EVAL_DB ..." >&2
	cp "$BENCH_EVAL_DB" "$tmp/store.db"
	cp "$tmp/store.db" "$tmp/eval.db"
	where="from $(basename "$BENCH_EVAL_DB")"
else
	# --resources is per account-region
	res=$(bench_per_place "$ITEMS" "$ACCOUNTS" "$REGIONS")
	echo "bench/eval.sh: generating ~$ITEMS items in $tmp ..." >&2
	bench_run gen "$GEN" --out "$tmp/tree" --seed 21 --accounts "$ACCOUNTS" \
		--regions "$REGIONS" --days 1 \
		--resources "$res" --no-junk --jobs "$JOBS"
	[ "$RC" = 0 ] || { cat "$tmp/gen.err" >&2; die "generator failed"; }
	echo "bench/eval.sh: ingesting ..." >&2
	bench_run ingest "$CFGAUDIT" --db "$tmp/eval.db" ingest --quiet --jobs "$JOBS" "$tmp/tree"
	[ "$RC" = 0 ] || { tail -5 "$tmp/ingest.err" >&2; die "ingest failed (exit $RC)"; }
	where="$ACCOUNTS accounts x $(echo "$REGIONS" | tr ',' ' ' | wc -w) regions; ingest $(bench_fmt "$WALL" 1) s (--jobs $JOBS)"
	rm -rf "$tmp/tree"
fi
stored=$(sqlite3 "$tmp/eval.db" 'SELECT count(*) FROM items')

# fresh NAME: with BENCH_EVAL_DB, a new copy of the store before each run
fresh() {
	[ -n "${BENCH_EVAL_DB:-}" ] || return 0
	rm -f "$tmp/eval.db" "$tmp/eval.db-wal" "$tmp/eval.db-shm"
	cp "$tmp/store.db" "$tmp/eval.db"
}
# extra NAME: peak RssAnon and the state and storing cpu of run NAME
extra() {
	anon=$(cut -d' ' -f7 "$tmp/$1.m" 2>/dev/null || echo 0)
	st=$(sed -n 's/^cfgaudit: timing: *\([0-9.]*\) s cpu.*(point-in-time state.*/\1/p' "$tmp/$1.err" |
		paste -sd+ - | sed 's/^$/0/')
	sto=$(sed -n 's/^cfgaudit: timing: *\([0-9.]*\) s cpu.*(storing the run)$/\1/p' "$tmp/$1.err")
	echo "RssAnon $((${anon:-0} / 1024)) MB; state $(bench_fmt "${st:-0}" 3) s, storing ${sto:-?} s cpu"
}

# floor first, then eval, both on a warm page cache
sqlite3 "$tmp/eval.db" 'SELECT count(*) FROM items WHERE json_valid(configuration)' >/dev/null
bench_run floor sqlite3 "$tmp/eval.db" 'SELECT count(*) FROM items WHERE json_valid(configuration)'
floor=$WALL
floor_cpu=$CPU
echo "bench/eval.sh: evaluating ..." >&2
# shellcheck disable=SC2086
fresh
bench_run eval "$CFGAUDIT" --db "$tmp/eval.db" eval --pack "$PACK" $timings
case $RC in
0 | 1) ;;
3) echo "bench/eval.sh: warning: some rules are invalid (exit 3); the others were timed" >&2 ;;
*) tail -5 "$tmp/eval.err" >&2; die "eval failed (exit $RC)" ;;
esac
ev=$WALL
ev_cpu=$CPU
ev_peak=$PEAK_KB
# The same on one connection: what parallel connections cost in cpu.
fresh
# shellcheck disable=SC2086
bench_run eval1 "$CFGAUDIT" --db "$tmp/eval.db" eval --jobs 1 --pack "$PACK" $timings
ev1=$WALL
ev1_cpu=$CPU
ev1_peak=$PEAK_KB

# Every shipped rule in one run (a rule's parameters without a default get
# a sample value, so that every rule is evaluated).
all_rules=$(bench_all_rules "$CFGAUDIT")
n_all=$(echo "$all_rules" | grep -o -- '--rule ' | wc -l)
fresh
# shellcheck disable=SC2086
bench_run evalall "$CFGAUDIT" --db "$tmp/eval.db" eval $all_rules $timings
case $RC in
0 | 1 | 3) ;;
*) tail -5 "$tmp/evalall.err" >&2; die "eval of every rule failed (exit $RC)" ;;
esac
evall=$WALL
evall_cpu=$CPU
fresh
# shellcheck disable=SC2086
bench_run evalall1 "$CFGAUDIT" --db "$tmp/eval.db" eval --jobs 1 $all_rules $timings
evall1=$WALL
evall1_cpu=$CPU

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "(wall times include waiting for the processor on a busy machine; cpu = user + system)"
printf '%-40s %-36s %s\n' "measure" "value" "comparison / target"
printf '%-40s %-36s %s\n' "-------" "-----" "-------------------"
printf '%-40s %-36s %s\n' "store" "$stored items" "$where"
printf '%-40s %-36s %s\n' "floor: json_valid over all items" "$(bench_fmt "$floor") s" "cpu $(bench_fmt "$floor_cpu") s"
printf '%-40s %-36s %s\n' "cfgaudit eval --pack (Security pack)" "$(bench_fmt "$ev") s, peak RSS $((ev_peak / 1024)) MB" \
	"$(bench_fmt "$ev / $floor" 1)x floor (target <= 10x); cpu $(bench_fmt "$ev_cpu") s = $(bench_fmt "$ev_cpu / $floor_cpu" 1)x floor's"
printf '%-40s %-36s %s\n' "  the same with --jobs 1" "$(bench_fmt "$ev1") s, peak RSS $((ev1_peak / 1024)) MB" \
	"$(bench_fmt "$ev1 / $floor" 1)x floor; cpu $(bench_fmt "$ev1_cpu") s = $(bench_fmt "$ev1_cpu / $floor_cpu" 1)x floor's"
if [ -n "$timings" ]; then
	printf '%-40s %s\n' "  --jobs $JOBS" "$(extra eval)"
	printf '%-40s %s\n' "  --jobs 1" "$(extra eval1)"
fi
echo "  (peak RSS counts the memory-mapped database file once per connection: file pages"
echo "   shared with the page cache, not memory the evaluation allocates)"
grep -E '^(rules|COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA) ' "$tmp/eval.out" |
	sed 's/^/  /' || :
printf '%-40s %-36s %s\n' "cfgaudit eval, all $n_all shipped rules" "$(bench_fmt "$evall") s" \
	"$(bench_fmt "$evall / $floor" 1)x floor (target <= 15x); cpu $(bench_fmt "$evall_cpu") s = $(bench_fmt "$evall_cpu / $floor_cpu" 1)x floor's"
printf '%-40s %-36s %s\n' "  the same with --jobs 1" "$(bench_fmt "$evall1") s" \
	"$(bench_fmt "$evall1 / $floor" 1)x floor; cpu $(bench_fmt "$evall1_cpu") s = $(bench_fmt "$evall1_cpu / $floor_cpu" 1)x floor's"
if [ -n "$timings" ]; then
	printf '%-40s %s\n' "  --jobs $JOBS" "$(extra evalall)"
	printf '%-40s %s\n' "  --jobs 1" "$(extra evalall1)"
fi
grep -E '^rules ' "$tmp/evalall.out" | sed 's/^/  /' || :
if [ -n "$timings" ]; then
	echo "  ten slowest of all rules:"
	sed -n 's/^cfgaudit: timing: *//p' "$tmp/evalall.err" | grep -v 'rows  (' |
		sort -rn | head -10 | sed 's/^/    /; s/  [^ /]*\/\([^ /]*\)$/  \1/'
fi
if [ -n "$timings" ]; then
	echo
	echo "slowest rules (cfgaudit eval --timings, sorted by the first figure):"
	sed -n 's/^cfgaudit: timing: *//p' "$tmp/eval.err" | sort -rn | head -15 |
		sed 's/^/  /; s/  [^ /]*\/\([^ /]*\)$/  \1/'
else
	echo "(cfgaudit eval has no --timings: per-rule times not available)"
fi
