#!/bin/sh
# t1602-readonly-fulldisk: a read-only database and a full disk give a
# clear error and a non-zero exit, and leave the previous state intact.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
GEN="$TOP_BUILDDIR/tools/gen-archive"

check "first ingest" cfgaudit --quiet ingest "$D/day1.json"
state() {
	sqlite3 "$CFGAUDIT_DB" "SELECT path, status FROM files ORDER BY 1;
		SELECT hex(item_key) FROM items ORDER BY 1; SELECT count(*) FROM runs;"
}
state >"$T/before"

# Read-only database. Root ignores file modes, so run as nobody then.
sqlite3 "$CFGAUDIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
chmod 0444 "$CFGAUDIT_DB"
chmod 0555 "$T"
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
	skip_all "running as root without setpriv"
fi
as_user "$CFGAUDIT_BIN" --db "$CFGAUDIT_DB" ingest "$D/day2.json" >/dev/null 2>/tmp/cfgaudit-ro.$$
rc=$?
chmod 0755 "$T"
chmod 0644 "$CFGAUDIT_DB"
mv /tmp/cfgaudit-ro.$$ "$T/ro.err"
sed 's/^/# read-only: /' "$T/ro.err" | head -3
[ $rc -eq 2 ] && ok "ingest into a read-only database exits 2" || not_ok "read-only ingest exit $rc"
check_grep "the error says why" 'cfgaudit: .*(readonly|read-only|permission|cannot open)' "$T/ro.err"
state >"$T/after"
check_same "read-only: previous state intact" "$T/before" "$T/after"

# Full disk: a file-size limit makes every write past it fail with EFBIG,
# as ENOSPC would (SIGXFSZ ignored, so the write returns an error).
[ -x "$GEN" ] || { done_testing; exit; }
"$GEN" --out "$T/big" --seed 3 --accounts 1 --regions us-east-1 --days 2 --resources 1000 --quiet
# The limit leaves room for a few pages (64 KiB each in a new store), far
# less than the tree's items need in the write-ahead log.
size_kb=$(($(stat -c %s "$CFGAUDIT_DB") / 1024 + 64))
(
	trap '' XFSZ
	ulimit -f $((size_kb + 256))
	exec "$CFGAUDIT_BIN" --db "$CFGAUDIT_DB" ingest "$T/big"
) >"$T/full.out" 2>"$T/full.err"
rc=$?
[ $rc -eq 2 ] && ok "ingest on a full disk exits 2" || not_ok "full-disk ingest exit $rc"
sed 's/^/# full disk: /' "$T/full.err" | head -3
check_grep "the error says why" 'cfgaudit: .*(full|too large|disk|I/O)' "$T/full.err"
check_grep "integrity_check after the failure" '^ok$' \
	"$(sqlite3 "$CFGAUDIT_DB" 'PRAGMA integrity_check' >"$T/ic"; echo "$T/ic")"
sqlite3 "$CFGAUDIT_DB" "SELECT hex(item_key) FROM items ORDER BY 1" >"$T/items.after"
sed -n '/^[0-9A-F]\{32\}$/p' "$T/before" >"$T/items.before"
if comm -23 "$T/items.before" "$T/items.after" | grep -q .; then
	not_ok "full disk: nothing that was stored is lost"
else
	ok "full disk: nothing that was stored is lost"
fi
check "the next ingest, with room again, completes" cfgaudit --quiet ingest "$T/big"
done_testing
