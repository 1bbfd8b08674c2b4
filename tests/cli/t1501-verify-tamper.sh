#!/bin/sh
# t1501-verify-tamper: 'cfgaudit verify' fails (exit 2) on any change to a
# bundle -- one flipped byte in each member in turn, a member added or
# removed, a member's mode, owner or time changed, a corrupted archive --
# and on unsafe members (.., absolute paths, links, another top
# directory), naming the bad member.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
D="$TOP_SRCDIR/tests/data/report"
TAMPER="$D/tamper.py"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$D/fixture.sql" "$D/bundle.sql" || bail_out "cannot build the database"
cfgaudit bundle -o "$T/b.tar.gz" 2>/dev/null || bail_out "cannot write a bundle"
cfgaudit bundle -o "$T/b.zip" 2>/dev/null || bail_out "cannot write a zip bundle"

# A faithful re-pack verifies: the tamper tool alone changes nothing that matters.
python3 "$TAMPER" flip "$T/b.tar.gz" "$T/same.tar.gz" no-such-member
check_exit "a re-packed, unchanged bundle verifies" 0 cfgaudit verify "$T/same.tar.gz"

python3 "$TAMPER" list "$T/b.tar.gz" >"$T/members"
while read -r m; do
	python3 "$TAMPER" flip "$T/b.tar.gz" "$T/t.tar.gz" "$m"
	check_exit "flipped byte in $m is detected" 2 cfgaudit verify "$T/t.tar.gz"
	case $m in
	*/SHA256SUMS) check_grep "  and reported" 'SHA256SUMS|member' "$T/err" ;;
	*) check_grep "  and the member is named" "member '$m' does not match" "$T/err" ;;
	esac
done <"$T/members"

python3 "$TAMPER" add "$T/b.tar.gz" "$T/t.tar.gz" reports/extra.txt
check_exit "an added member is detected" 2 cfgaudit verify "$T/t.tar.gz"
check_grep "  and named" "'cfgaudit-run-2/reports/extra.txt' is not listed" "$T/err"
python3 "$TAMPER" remove "$T/b.tar.gz" "$T/t.tar.gz" cfgaudit-run-2/reports/report.csv
check_exit "a removed member is detected" 2 cfgaudit verify "$T/t.tar.gz"
check_grep "  and named" "'cfgaudit-run-2/reports/report.csv' listed in SHA256SUMS is missing" \
	"$T/err"
python3 "$TAMPER" remove "$T/b.tar.gz" "$T/t.tar.gz" cfgaudit-run-2/SHA256SUMS
check_exit "a bundle without SHA256SUMS fails" 2 cfgaudit verify "$T/t.tar.gz"

for field in mode uid uname mtime; do
	python3 "$TAMPER" meta "$T/b.tar.gz" "$T/t.tar.gz" "$field"
	check_exit "changed $field of a member is detected" 2 cfgaudit verify "$T/t.tar.gz"
	check_grep "  and the member is named" "member 'cfgaudit-run-2/run.json' has" "$T/err"
done

for kind in dotdot absolute outside symlink hardlink dir dup; do
	python3 "$TAMPER" unsafe "$T/b.tar.gz" "$T/t.tar.gz" "$kind"
	check_exit "unsafe member ($kind) is rejected" 2 cfgaudit verify "$T/t.tar.gz"
done

# Raw corruption of the compressed file, at a few places.
size=$(wc -c <"$T/b.tar.gz")
for at in 20 $((size / 2)) $((size - 12)); do
	cp "$T/b.tar.gz" "$T/c.tar.gz"
	python3 -c 'import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[at] ^= 0xff; open(p, "wb").write(b)' "$T/c.tar.gz" "$at"
	check_exit "corrupt byte at offset $at is detected" 2 cfgaudit verify "$T/c.tar.gz"
done
# The gzip header is outside gzip's checksum: its flags and time.
for at in 3 4 7; do
	cp "$T/b.tar.gz" "$T/c.tar.gz"
	python3 -c 'import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[at] ^= 0x01; open(p, "wb").write(b)' "$T/c.tar.gz" "$at"
	check_exit "gzip header byte $at changed is detected" 2 cfgaudit verify "$T/c.tar.gz"
done
# libarchive stops at the tar's end; the rest of the gzip stream (its
# checksum, the padding, anything appended) is checked on its own.
cp "$T/b.tar.gz" "$T/c.tar.gz"
printf 'x' >>"$T/c.tar.gz"
check_exit "a byte appended after the gzip stream is detected" 2 cfgaudit verify "$T/c.tar.gz"
python3 -c 'import gzip, sys
raw = bytearray(gzip.decompress(open(sys.argv[1], "rb").read()))
raw[-100] = 0x41
with open(sys.argv[2], "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
    g.write(raw)' "$T/b.tar.gz" "$T/c.tar.gz"
check_exit "data hidden after the tar's end is detected" 2 cfgaudit verify "$T/c.tar.gz"
check_grep "  and reported" 'data after its end' "$T/err"
python3 -c 'import gzip, sys, zlib
src = open(sys.argv[1], "rb").read()
raw = gzip.decompress(src)
# Flip each byte of the compressed tail in turn: every flip that changes
# what the stream decompresses to must be caught.
for at in range(len(src) - 300, len(src)):
    b = bytearray(src); b[at] ^= 0x01
    try:
        same = gzip.decompress(bytes(b)) == raw
    except Exception:
        same = False
    if not same:
        open(sys.argv[2] + "/tail-%d.tar.gz" % at, "wb").write(b)' "$T/b.tar.gz" "$T"
missed=
for f in "$T"/tail-*.tar.gz; do
	cfgaudit verify "$f" >/dev/null 2>&1 && missed="$missed ${f##*/tail-}"
done
if [ -z "$missed" ]; then ok "every changed byte of the gzip tail is detected"; else
	not_ok "every changed byte of the gzip tail is detected (missed:$missed)"; fi
head -c $((size / 2)) "$T/b.tar.gz" >"$T/short.tar.gz"
check_exit "a truncated bundle is detected" 2 cfgaudit verify "$T/short.tar.gz"

# The zip form too.
python3 "$TAMPER" flip "$T/b.zip" "$T/t.zip" cfgaudit-run-2/items/items.jsonl
check_exit "zip: flipped byte is detected" 2 cfgaudit verify "$T/t.zip"
check_grep "  and named" "member 'cfgaudit-run-2/items/items.jsonl' does not match" "$T/err"
python3 "$TAMPER" add "$T/b.zip" "$T/t.zip" x.txt
check_exit "zip: an added member is detected" 2 cfgaudit verify "$T/t.zip"

done_testing
