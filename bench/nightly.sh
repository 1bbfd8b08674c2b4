#!/bin/sh
# bench/nightly.sh: the nightly evaluation of a cron user (make
# bench-nightly, or by hand from a build directory:
# BENCH_BUILDDIR=/path/to/build sh bench/nightly.sh).
#
# Generates BENCH_NIGHTLY_DAYS days (default 2) of an archive of about
# BENCH_NIGHTLY_ITEMS resources (default 300000: 10 accounts x 5 regions)
# with BENCH_NIGHTLY_CHURN of them changed each day (default 0.01: new,
# changed, deleted and vanished resources), loads every day but the last
# and evaluates it in full (the prior run), loads the last day, then times
#   - `cfgaudit eval` of the pack in full, and
#   - `cfgaudit eval --since-run PRIOR`, which re-evaluates only what the
#     last day can change,
# each BENCH_NIGHTLY_REPEAT times (default 2; the least cpu counts), and
# prints their cpu (user+sys, then each apart) and wall side by side,
# with the ratio (target: nightly <= 5% of full) and whether the two
# runs' results are the same, resource by resource.
#
# Knobs: BENCH_NIGHTLY_ITEMS, BENCH_NIGHTLY_CHURN, BENCH_NIGHTLY_DAYS,
# BENCH_NIGHTLY_REPEAT, BENCH_ACCOUNTS (10), BENCH_REGIONS (a list,
# default us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1),
# BENCH_JOBS (default 1: cpu is what is compared), BENCH_PACK (default the
# shipped Security pack), BENCH_TMP. A quick run:
#   BENCH_NIGHTLY_ITEMS=30000 sh bench/nightly.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=nightly.sh
. "$here/lib.sh"
ITEMS=${BENCH_NIGHTLY_ITEMS:-300000}
CHURN=${BENCH_NIGHTLY_CHURN:-0.01}
DAYS=${BENCH_NIGHTLY_DAYS:-2}
REPEAT=${BENCH_NIGHTLY_REPEAT:-2}
JOBS=${BENCH_JOBS:-1}
ACCOUNTS=${BENCH_ACCOUNTS:-10}
REGIONS=${BENCH_REGIONS:-us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1}
PACK=${BENCH_PACK:-$SECURITY_PACK}

bench_need
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 command-line shell is needed"
[ -f "$PACK" ] || die "no pack file '$PACK'"
[ "$DAYS" -ge 2 ] || die "BENCH_NIGHTLY_DAYS must be at least 2"
"$CFGAUDIT" eval --help 2>&1 | grep -q -- '--since-run' ||
	die "'cfgaudit eval --since-run' is not available in '$CFGAUDIT'"
export CFGAUDIT_DATADIR="${CFGAUDIT_DATADIR:-$src}"

bench_tmp bench-nightly
db=$tmp/nightly.db

run() { bench_run "$@"; }
fmt() { bench_fmt "$@"; }

res=$(bench_per_place "$ITEMS" "$ACCOUNTS" "$REGIONS")
echo "bench/nightly.sh: generating ~$ITEMS resources x $DAYS days, churn $CHURN, in $tmp ..." >&2
run gen "$GEN" --out "$tmp/tree" --seed 14 --accounts "$ACCOUNTS" --regions "$REGIONS" \
	--days "$DAYS" --resources "$res" --churn "$CHURN" --no-junk --jobs 2
[ "$RC" = 0 ] || { cat "$tmp/gen.err" >&2; die "generator failed"; }

# One tree per delivery day (the same paths below each), loaded in order.
(cd "$tmp/tree" && find . -type f) | while read -r f; do
	day=$(echo "$f" | sed -n 's|.*/Config/[^/]*/[0-9]*/[0-9]*/\([0-9]*\)/.*|\1|p')
	[ -n "$day" ] || continue
	mkdir -p "$tmp/day/$day/$(dirname "$f")"
	ln "$tmp/tree/$f" "$tmp/day/$day/$f" 2>/dev/null || cp "$tmp/tree/$f" "$tmp/day/$day/$f"
done
days=$(ls "$tmp/day" | sort -n)
last=$(echo "$days" | tail -1)
echo "bench/nightly.sh: loading the days before the last ..." >&2
for day in $days; do
	[ "$day" = "$last" ] && break
	"$CFGAUDIT" --db "$db" ingest --quiet --jobs 2 "$tmp/day/$day" 2>/dev/null ||
		[ $? -le 1 ] || die "ingest of day $day failed"
done
echo "bench/nightly.sh: the prior run (full) ..." >&2
run prior "$CFGAUDIT" --db "$db" eval --jobs "$JOBS" --pack "$PACK"
[ "$RC" -le 1 ] || { tail -5 "$tmp/prior.err" >&2; die "eval failed (exit $RC)"; }
prior=$(sed -n 's/^run //p' "$tmp/prior.out")
"$CFGAUDIT" --db "$db" ingest --quiet --jobs 2 "$tmp/day/$last" 2>/dev/null || [ $? -le 1 ] ||
	die "ingest of day $last failed"
stored=$(sqlite3 "$db" 'SELECT count(*) FROM items')
changed=$(sqlite3 "$db" "SELECT count(*) FROM items WHERE rowid > (SELECT items_max_rowid FROM run_state WHERE run_id = $prior)")

# The prior run's kept point-in-time state (STORE-pitstate): a nightly
# run takes it and leaves its own, so every repeat of the nightly run
# starts from a copy of it (else only the first would build its state
# from the prior run's, and the others whole).
kept=
[ -f "$db-pitstate" ] && { kept=$tmp/prior.pitstate; cp "$db-pitstate" "$kept"; }
best() { # NAME: the least cpu of REPEAT runs of the rest (its stderr kept)
	name=$1
	shift
	b_cpu= b_wall=
	i=0
	while [ $i -lt "$REPEAT" ]; do
		[ "$name" != nightly ] || [ -z "$kept" ] || cp "$kept" "$db-pitstate"
		run "$name" "$@"
		[ "$RC" -le 1 ] || { tail -5 "$tmp/$name.err" >&2; die "$name failed (exit $RC)"; }
		if [ -z "$b_cpu" ] || python3 -c "import sys; sys.exit(not $CPU < $b_cpu)"; then
			b_cpu=$CPU b_wall=$WALL
			read -r _w _p _r _c b_user b_sys _rest <"$tmp/$name.m"
			cp "$tmp/$name.err" "$tmp/$name.best.err"
		fi
		i=$((i + 1))
	done
}
echo "bench/nightly.sh: timing full and nightly evaluations ..." >&2
best nightly "$CFGAUDIT" --db "$db" eval --jobs "$JOBS" --pack "$PACK" --since-run "$prior" --timings
n_cpu=$b_cpu n_wall=$b_wall n_user=$b_user n_sys=$b_sys
inc=$(sed -n 's/^run //p' "$tmp/nightly.out")
what=$(sed -n 's/^since-run [0-9]*: //p' "$tmp/nightly.out")
best full "$CFGAUDIT" --db "$db" eval --jobs "$JOBS" --pack "$PACK" --timings
f_cpu=$b_cpu f_wall=$b_wall f_user=$b_user f_sys=$b_sys
full=$(sed -n 's/^run //p' "$tmp/full.out")

norm() {
	sqlite3 "$db" "SELECT pack_name, config_rule_name, account_id, aws_region, resource_type,
		resource_id, compliance_type, annotation, hex(item_key) FROM results WHERE run_id = $1
		ORDER BY 1, 2, 3, 4, 5, 6" | sha256sum | cut -c1-16
}
same=no
[ "$(norm "$inc")" = "$(norm "$full")" ] && same=yes
results=$(sqlite3 "$db" "SELECT count(*) FROM run_results WHERE run_id = $full")

echo
echo "nightly evaluation: $stored item versions stored, $changed loaded on the last day," \
	"$results results, --jobs $JOBS"
printf '%-34s %12s %12s\n' "" "cpu (s)" "wall (s)"
printf '%-34s %12s %12s\n' "full eval" "$(fmt "$f_cpu" 3)" "$(fmt "$f_wall" 3)"
printf '%-34s %12s %12s\n' "eval --since-run (nightly)" "$(fmt "$n_cpu" 3)" "$(fmt "$n_wall" 3)"
printf '%-34s %11s%% %11s%%   target <= 5%% (cpu)\n' "nightly / full" \
	"$(fmt "100 * $n_cpu / $f_cpu" 1)" "$(fmt "100 * $n_wall / $f_wall" 1)"
# User and system time apart: the system time is the kernel's (page
# faults, reads and writes of the store and of the kept state).
echo "user + sys (s): full $(fmt "$f_user" 3) + $(fmt "$f_sys" 3)," \
	"nightly $(fmt "$n_user" 3) + $(fmt "$n_sys" 3)"
echo "nightly re-evaluated: $what"
slowest() { # the five largest cpu figures of --timings of the best run of $1
	grep 'timing:' "$tmp/$1.best.err" | sort -k3 -n -r | head -5 |
		awk '{ t = $3; $1 = $2 = $3 = $4 = $5 = $6 = $7 = $8 = $9 = $10 = ""; sub(/^ +/, "");
		       sub(/.*\//, ""); printf "%s %.2f s, ", $0, t }' | sed 's/, $//'
}
echo "slowest, full (cpu): $(slowest full)"
echo "slowest, nightly (cpu): $(slowest nightly)"
echo "results of run $inc (nightly) = run $full (full), resource by resource: $same"
[ "$same" = yes ] || exit 1
