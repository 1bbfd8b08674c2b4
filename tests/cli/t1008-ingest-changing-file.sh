#!/bin/sh
# t1008: a file that changes while ingest reads it (a sync still writing
# it) is a bad file: a warning naming it, exit 2, none of its items kept,
# a failed row, and the next run loads it whole, with the size and
# SHA-256 of the bytes that produced its items.
#
# How the file is changed at the right moment: ingest hashes a file, then
# parses it. Timing a writer against that from a shell would race, so the
# test uses a helper built only for the tests, tests/unit/ingest_after_hash:
# it runs the same ingest code through the library, with the test-only
# after_hash hook appending bytes to the file right after the hash and
# before the parse. The file starts as a snapshot cut short (as a sync
# leaves it) and the hook appends the rest.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
HELPER="$TOP_BUILDDIR/tests/unit/ingest_after_hash"
[ -x "$HELPER" ] || bail_out "tests/unit/ingest_after_hash not built"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }
helper() {
	# shellcheck disable=SC2086
	${CFGAUDIT_WRAPPER:-} "$HELPER" "$CFGAUDIT_DB" "$@"
}

snap=$(find "$TESTDATA" -path '*/ConfigSnapshot/*' -name '*.json.gz' | LC_ALL=C sort | head -1)
gzip -dc "$snap" >"$T/full.json"
size=$(wc -c <"$T/full.json" | tr -d ' ')
cut=$((size / 2))
head -c "$cut" "$T/full.json" >"$T/grow.json"
tail -c +$((cut + 1)) "$T/full.json" >"$T/rest"
items=$(grep -o '"configurationItemCaptureTime"' "$T/full.json" | wc -l | tr -d ' ')

check_exit "a file that grows between hash and parse: exit 2" 2 helper "$T/rest" "$T/grow.json"
check_grep "a warning names the file and what happened" \
	"^cfgaudit: $T/grow.json: byte $cut: warning: the file changed while it was being read" "$T/err"
check "none of its items are kept" test "$(q "SELECT count(*) FROM items")" -eq 0
check "no provenance is kept" test "$(q "SELECT count(*) FROM item_sources")" -eq 0
check "it is recorded as failed" \
	test "$(q "SELECT status FROM files WHERE path = '$T/grow.json'")" = failed
check "no loaded row vouches for it" test "$(q "SELECT count(*) FROM files WHERE status = 'loaded'")" -eq 0
check "the file is whole now" cmp -s "$T/grow.json" "$T/full.json"

check_exit "the next run" 0 cfgaudit ingest "$T/grow.json"
check_grep "loads it" ' 1 files loaded, '"$items"' items read' "$T/err"
check "with the size and SHA-256 of the bytes that were parsed" \
	test "$(q "SELECT size || ' ' || sha256 FROM files WHERE status = 'loaded'")" = \
	"$size $(sha256sum <"$T/full.json" | cut -d' ' -f1)"

# A write that breaks the parse (here: bytes after the document) is still
# told as a change, not as damage.
rm -f "$CFGAUDIT_DB"
cp "$T/full.json" "$T/broken.json"
printf '{"more":' >"$T/tail"
check_exit "a file that a write breaks between hash and parse: exit 2" 2 \
	helper "$T/tail" "$T/broken.json"
check_grep "it is reported as changed" \
	"^cfgaudit: $T/broken.json: byte [0-9]+: warning: the file changed while it was being read" "$T/err"
check "none of its items are kept" test "$(q "SELECT count(*) FROM items")" -eq 0

# No false alarms: with the hook appending nothing, the file loads.
rm -f "$CFGAUDIT_DB"
cp "$T/full.json" "$T/same.json"
: >"$T/nothing"
check_exit "a file that does not change loads" 0 helper "$T/nothing" "$T/same.json"
check "with its items" test "$(q "SELECT count(*) FROM items")" -eq "$items"

done_testing
