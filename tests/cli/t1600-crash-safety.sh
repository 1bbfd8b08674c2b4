#!/bin/sh
# t1600-crash-safety: kill 'cfgaudit ingest' with SIGKILL at random moments
# over a multi-file tree, rerun it after each kill, and check that the final
# store equals the store of one uninterrupted ingest (same items, files,
# provenance and snapshot membership; no duplicates, nothing missing) and
# that PRAGMA integrity_check passes. CRASH_ROUNDS and CRASH_KILLS set the
# amount of work (defaults: 4 rounds of 8 kills).
. "$TOP_SRCDIR/tests/lib.sh"
GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
rounds=${CRASH_ROUNDS:-4}
kills=${CRASH_KILLS:-8}

"$GEN" --out "$T/tree" --seed 7 --accounts 2 --regions us-east-1,eu-west-1 --days 5 \
	--resources 150 --churn 0.1 --quiet || { echo "Bail out! generator failed"; exit 1; }

# Everything that must be equal, in a stable order (ingested_at differs).
dump() {
	sqlite3 "$1" "
	SELECT 'file', path, size, sha256, kind, account_id, region, delivered_at,
	       snapshot_id, item_count, global_items, status, error FROM files ORDER BY path;
	SELECT 'item', hex(item_key), account_id, region, resource_type, resource_id,
	       capture_time, state_id, status, configuration, supplementary, tags,
	       relationships, extra FROM items ORDER BY item_key;
	SELECT 'src', hex(s.item_key), f.path FROM item_sources s JOIN files f USING (file_key)
	       ORDER BY 2, 3;
	SELECT 'pres', hex(item_key), account_id, region, first_time, last_time
	       FROM snapshot_presence ORDER BY 2, 3, 4, 5;"
}

start=$(date +%s%N)
cfgaudit --db "$T/ref.db" --quiet ingest "$T/tree" >/dev/null 2>&1
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -gt 0 ] || took=1
dump "$T/ref.db" >"$T/ref.dump"
echo "# uninterrupted ingest: ${took} ms, $(grep -c '^item' "$T/ref.dump") item versions"

r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	db="$T/crash$r.db"
	k=0
	killed=0
	while [ $k -lt "$kills" ]; do
		k=$((k + 1))
		jobs=$(((r + k) % 2 + 1))
		"$CFGAUDIT_BIN" --db "$db" --quiet ingest --jobs $jobs "$T/tree" >/dev/null 2>&1 &
		pid=$!
		# A random moment within the time a whole ingest takes.
		ms=$(awk -v s="$r$k$$" -v t="$took" -v k="$k" 'BEGIN { srand(s); printf "%d", rand() * t * 0.8 / k }')
		sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
		if kill -KILL $pid 2>/dev/null; then killed=$((killed + 1)); fi
		wait $pid 2>/dev/null
	done
	cfgaudit --db "$db" --quiet ingest "$T/tree" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		not_ok "round $r: final ingest after $killed kills exits 0 (got $rc)"
		sed 's/^/#   /' "$T/err" | head -5
		continue
	fi
	ic=$(sqlite3 "$db" "PRAGMA integrity_check")
	if [ "$ic" = ok ]; then
		ok "round $r: integrity_check after $killed kills"
	else
		not_ok "round $r: integrity_check: $ic"
	fi
	dump "$db" >"$T/got.dump"
	check_same "round $r: store equals one uninterrupted ingest" "$T/ref.dump" "$T/got.dump"
done
echo "# $rounds rounds of $kills kill attempts"
done_testing
