#!/bin/sh
# t1601-concurrency: two ingests and an eval started at once against one
# database all succeed (waiting on each other's locks), and the store ends
# up equal to a sequential ingest of the same files.
. "$TOP_SRCDIR/tests/lib.sh"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"

"$GEN" --out "$T/a" --seed 11 --accounts 1 --regions us-east-1 --days 3 --resources 120 --quiet
"$GEN" --out "$T/b" --seed 12 --accounts 2 --regions eu-west-1 --days 3 --resources 120 --quiet
"$GEN" --out "$T/c" --seed 13 --accounts 1 --regions ap-south-1 --days 1 --resources 20 --quiet

dump() {
	sqlite3 "$1" "SELECT path, size, sha256, status, item_count FROM files ORDER BY path;
		SELECT hex(item_key), configuration FROM items ORDER BY item_key;
		SELECT hex(item_key), account_id, region, first_time, last_time
		FROM snapshot_presence ORDER BY 1, 2, 3, 4;"
}

cfgaudit --db "$T/seq.db" --quiet ingest "$T/a" "$T/b" "$T/c" || not_ok "sequential ingest"
dump "$T/seq.db" >"$T/seq.dump"

# Something to evaluate while the ingests run.
cfgaudit --quiet ingest "$T/c" >/dev/null 2>&1
cfgaudit --quiet ingest --jobs 2 "$T/a" >"$T/a.out" 2>&1 &
pa=$!
cfgaudit --quiet ingest --jobs 1 "$T/b" >"$T/b.out" 2>&1 &
pb=$!
cfgaudit --quiet eval --rule INCOMING_SSH_DISABLED >"$T/e.out" 2>&1 &
pe=$!
wait $pa
ra=$?
wait $pb
rb=$?
wait $pe
re=$?
[ $ra -eq 0 ] && ok "first ingest succeeded" || { not_ok "first ingest (exit $ra)"; sed 's/^/#   /' "$T/a.out"; }
[ $rb -eq 0 ] && ok "second ingest succeeded" || { not_ok "second ingest (exit $rb)"; sed 's/^/#   /' "$T/b.out"; }
if [ $re -eq 0 ] || [ $re -eq 1 ]; then ok "eval succeeded (exit $re)"; else not_ok "eval (exit $re)"; sed 's/^/#   /' "$T/e.out"; fi
check_grep "eval stored a run" '^run [0-9]+$' "$T/e.out"
check_grep "integrity_check" '^ok$' "$(sqlite3 "$CFGAUDIT_DB" 'PRAGMA integrity_check' >"$T/ic"; echo "$T/ic")"
dump "$CFGAUDIT_DB" >"$T/conc.dump"
check_same "store equals the sequential ingest" "$T/seq.dump" "$T/conc.dump"
done_testing
