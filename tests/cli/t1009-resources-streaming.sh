#!/bin/sh
# t1009: 'resources' streams. Its output formats (text, json, csv and the
# tab-separated tsv) are written as rows are read, so peak memory does not
# grow with the inventory: text measures its columns in a first pass
# instead of keeping every row. TSV escapes what would break it.
#
# Memory: peak RSS (from /usr/bin/time) listing a 20,000-resource store
# must stay within 20 MiB of listing the small testdata store; keeping
# the rows (about 800 bytes each) or sorting in memory exceeds that.
# Skipped where RSS says nothing (sanitizer or valgrind builds) or
# /usr/bin/time is missing.
. "$TOP_SRCDIR/tests/lib.sh"

check_exit "ingest hostile items" 0 cfgaudit ingest "$TOP_SRCDIR/tests/data/ingest/hostile/items.json"
check_exit "resources --format tsv" 0 cfgaudit resources --format tsv
cp "$T/out" "$T/tsv"
printf 'account_id\tregion\tresource_type\tresource_id\tresource_name\n' >"$T/head"
check "tsv: header row" sh -c 'head -n 1 "$1" | cmp -s - "$2"' sh "$T/tsv" "$T/head"
check "tsv: one line per resource and the header" test "$(wc -l <"$T/tsv")" -eq 4
check "tsv: five fields on every line" test "$(awk -F'\t' 'NF != 5' "$T/tsv" | wc -l)" -eq 0
check "tsv: no raw ESC byte" test "$(tr -cd '\033' <"$T/tsv" | wc -c)" -eq 0
check_grep "tsv: newline in an id escaped as \\n" '	line\\nbreak	' "$T/tsv"
check_grep "tsv: ESC escaped as \\x1b" 'evil\\x1b\[2J<script>' "$T/tsv"
check_grep "tsv: a missing name is an empty field" 'line\\nbreak	$' "$T/tsv"
check_exit "an unknown format is a usage error" 2 cfgaudit resources --format xml
cfgaudit resources --help >"$T/help"
check_grep "--help documents tsv" '^ +tsv: tab-separated' "$T/help"

# The same rows in every format.
rm -f "$CFGAUDIT_DB"
check_exit "ingest testdata" 0 cfgaudit ingest "$TESTDATA"
cfgaudit resources >"$T/text"
cfgaudit resources --format tsv >"$T/tsv"
cfgaudit resources --format csv >"$T/csv"
n=$(($(wc -l <"$T/text") - 1))
check "testdata has resources" test "$n" -gt 100
check "tsv has the rows of text" test "$(($(wc -l <"$T/tsv") - 1))" -eq "$n"
check "csv has the rows of text" test "$(($(wc -l <"$T/csv") - 1))" -eq "$n"
check "tsv and text list the same types in the same order" sh -c '
	tail -n +2 "$1" | cut -f3 >"$3.a"
	tail -n +2 "$2" | awk "{print \$3}" >"$3.b"
	cmp -s "$3.a" "$3.b"' sh "$T/tsv" "$T/text" "$T/types"
# The TYPE column starts at the same offset on every line, after two blanks.
check "text columns line up" test "$(awk '
	NR == 1 { p = index($0, "TYPE"); next }
	substr($0, p - 2, 2) != "  " || substr($0, p, 1) == " " { bad++ }
	END { print bad + 0 }' "$T/text")" -eq 0

GEN="$TOP_BUILDDIR/tools/gen-archive"
if [ ! -x /usr/bin/time ] || [ ! -x "$GEN" ] || [ -n "${CFGAUDIT_WRAPPER:-}" ] ||
	grep -q '^CFLAGS = .*-fsanitize' "$TOP_BUILDDIR/Makefile"; then
	echo "# memory check skipped (no /usr/bin/time or gen-archive, or an instrumented build)"
	done_testing
	exit
fi
peak() { /usr/bin/time -f %M -o "$T/rss" "$CFGAUDIT_BIN" resources "$@" >/dev/null && cat "$T/rss"; }
small_text=$(peak)
small_csv=$(peak --format csv)
"$GEN" --out "$T/big" --resources 20000 --seed 5 --no-junk --quiet || bail_out "gen-archive failed"
export CFGAUDIT_DB="$T/big.db"
check_exit "ingest 20,000 resources" 0 cfgaudit ingest --quiet "$T/big"
check "the big store lists about 20,000 resources" test "$(cfgaudit resources --format tsv | wc -l)" -gt 19000
for fmt in text csv tsv json; do
	big=$(peak --format $fmt)
	base=$small_text
	[ $fmt = text ] || base=$small_csv
	if [ -n "$big" ] && [ $((big - base)) -lt 20480 ]; then
		ok "--format $fmt: peak RSS ${big} KiB, within 20 MiB of the small store's ${base} KiB"
	else
		not_ok "--format $fmt: peak RSS ${big} KiB, more than 20 MiB above the small store's ${base} KiB"
	fi
done

done_testing
