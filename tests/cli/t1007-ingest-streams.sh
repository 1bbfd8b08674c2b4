#!/bin/sh
# t1007: standard input, FIFOs and character devices are read as streams,
# once, as the bytes arrive: never copied to a temporary file first. A
# stream that is not Config data stops at its first byte with the path,
# the byte offset and what is wrong, and exit 2, while the other files of
# the command still load; a stream has the limits of a file (inflate
# ratio, nesting, blanks); and a stream's size and SHA-256 are those of
# the bytes read, so that loading the same bytes again is skipped.
#
# The commands run under a file-size limit of 100 MiB (ulimit -f) and a
# timeout: a version that copies a stream to a temporary file before
# looking at it is killed by SIGXFSZ (or the timeout) instead of exiting 2.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
command -v timeout >/dev/null || skip_all "timeout not installed"
command -v mkfifo >/dev/null || skip_all "mkfifo not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }
bounded() {
	# shellcheck disable=SC2086
	(ulimit -f 102400 && exec timeout 120 ${CFGAUDIT_WRAPPER:-} "$CFGAUDIT_BIN" "$@")
}
loaded() { q "SELECT count(*) FROM files WHERE status = 'loaded'"; }

set -- $(find "$TESTDATA" -path '*/ConfigSnapshot/*' -name '*.json.gz' | LC_ALL=C sort | head -3)
[ $# -eq 3 ] || bail_out "no snapshot files in testdata/"
snap1=$1 snap2=$2 snap3=$3
gzip -dc "$snap2" >"$T/plain.json"

# /dev/zero next to a good file.
check_exit "/dev/zero and a snapshot: exit 2" 2 bounded ingest --jobs 2 /dev/zero "$snap1"
check_grep "/dev/zero: path, byte offset and what is wrong" \
	'^cfgaudit: /dev/zero: byte 0: error: not json or gzip data' "$T/err"
check "the snapshot on the same command line loaded" test "$(loaded)" -eq 1
check "nothing recorded for /dev/zero" test "$(q "SELECT count(*) FROM files WHERE path = '/dev/zero'")" -eq 0

# Standard input.
check_exit "standard input from /dev/zero: exit 2" 2 bounded ingest - </dev/zero
check_grep "standard input: path, byte offset and what is wrong" \
	'^cfgaudit: -: byte 0: error: not json or gzip data: .*found byte 0x00' "$T/err"
check_exit "a snapshot on standard input loads" 0 bounded ingest - <"$T/plain.json"
check "its size and SHA-256 are those of the bytes read" \
	test "$(q "SELECT size || ' ' || sha256 FROM files WHERE path = '-'")" = \
	"$(wc -c <"$T/plain.json" | tr -d ' ') $(sha256sum <"$T/plain.json" | cut -d' ' -f1)"
check_exit "the same bytes on standard input again" 0 bounded ingest - <"$T/plain.json"
check_grep "are skipped as loaded already" ' 0 files loaded, .* 1 files skipped' "$T/err"
check "still one row for them" test "$(q "SELECT count(*) FROM files WHERE path = '-'")" -eq 1

# A FIFO fed by a bounded writer of junk (more than the file-size limit).
mkfifo "$T/junk.fifo"
head -c 209715200 /dev/zero >"$T/junk.fifo" 2>/dev/null &
writer=$!
check_exit "a FIFO of zero bytes and a snapshot: exit 2" 2 bounded ingest "$T/junk.fifo" "$snap3"
wait "$writer" 2>/dev/null
check_grep "the FIFO: path, byte offset and what is wrong" \
	"^cfgaudit: $T/junk.fifo: byte 0: error: not json or gzip data" "$T/err"
check "the snapshot on the same command line loaded" \
	test "$(q "SELECT count(*) FROM files WHERE status = 'loaded' AND path = '$snap3'")" -eq 1

# A FIFO carrying a gzip snapshot loads, hashed as delivered.
mkfifo "$T/snap.fifo"
cat "$snap2" >"$T/snap.fifo" &
writer=$!
check_exit "a gzip snapshot through a FIFO loads" 0 bounded ingest "$T/snap.fifo"
wait "$writer"
check "the FIFO's row has the size and SHA-256 of the gzip bytes" \
	test "$(q "SELECT size || ' ' || sha256 FROM files WHERE path = '$T/snap.fifo'")" = \
	"$(wc -c <"$snap2" | tr -d ' ') $(sha256sum <"$snap2" | cut -d' ' -f1)"

# The limits of a file hold for a stream.
{
	printf '{"configurationItems":['
	head -c 52428800 /dev/zero | tr '\0' ' '
	printf ']}'
} | gzip -1 >"$T/bomb.json.gz"
check_exit "a gzip bomb on standard input: exit 2" 2 bounded ingest - <"$T/bomb.json.gz"
check_grep "the inflate ratio limit holds" '^cfgaudit: -: byte [0-9]+: error: decompression ratio exceeds' "$T/err"
{
	printf '{"configurationItems":['
	i=0
	while [ $i -lt 600 ]; do printf '['; i=$((i + 1)); done
} >"$T/deep.json"
check_exit "deep nesting on standard input: exit 2" 2 bounded ingest - <"$T/deep.json"
check_grep "the nesting limit holds" '^cfgaudit: -: byte [0-9]+: error: .*nested deeper than the limit' "$T/err"
if [ -z "${CFGAUDIT_WRAPPER:-}" ]; then
	# 256 MiB of newlines: read, not stored, and then refused.
	yes '' | bounded ingest - >"$T/out" 2>"$T/blanks.err"
	check "endless blanks on standard input stop with exit 2" test $? -eq 2
	check_grep "the blank-run limit holds" \
		'^cfgaudit: -: byte [0-9]+: error: more than [0-9]+ blank bytes in a row' "$T/blanks.err"
fi

# A stream too big to wait for its end is written before its digest is
# known (under a provisional key): its provenance must end up under its
# real key, and the same bytes again must leave nothing behind.
GEN="$TOP_BUILDDIR/tools/gen-archive"
if [ -x "$GEN" ]; then
	"$GEN" --out "$T/big" --resources 4000 --seed 3 >/dev/null 2>&1 || bail_out "gen-archive failed"
	big=$(find "$T/big" -path '*/ConfigSnapshot/*' -name '*.json.gz' | head -1)
	gzip -dc "$big" >"$T/big.json"
	# how many items the generator wrote (it grows with its resource types)
	n=$(grep -o '"configurationItemCaptureTime"' "$T/big.json" | wc -l | tr -d ' ')
	for jobs in 1 3; do
		rm -f "$CFGAUDIT_DB"
		check_exit "a big snapshot on standard input loads (--jobs $jobs)" 0 \
			bounded ingest --jobs $jobs - <"$T/big.json"
		check_grep "all of its items are read (--jobs $jobs)" " 1 files loaded, $n items read" "$T/err"
		check "its row has the size and SHA-256 of the bytes read (--jobs $jobs)" \
			test "$(q "SELECT size || ' ' || sha256 || ' ' || item_count FROM files WHERE path = '-'")" = \
			"$(wc -c <"$T/big.json" | tr -d ' ') $(sha256sum <"$T/big.json" | cut -d' ' -f1) $n"
		check "every provenance row names a loaded file (--jobs $jobs)" \
			test "$(q "SELECT count(*) FROM item_sources s WHERE NOT EXISTS
				(SELECT 1 FROM files f WHERE f.file_key = s.file_key AND f.status = 'loaded')")" -eq 0
		check_exit "the same big stream again (--jobs $jobs)" 0 bounded ingest --jobs $jobs - <"$T/big.json"
		check_grep "is skipped as loaded already (--jobs $jobs)" ' 0 files loaded, .* 1 files skipped' "$T/err"
		check "and leaves one file's provenance (--jobs $jobs)" \
			test "$(q "SELECT count(DISTINCT file_key) || ' ' || count(*) FROM item_sources")" = "1 $n"
	done
fi

done_testing
