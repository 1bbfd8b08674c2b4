#!/bin/sh
# t0900: testdata/ is exactly what tools/gen-archive writes for its
# documented command (testdata/README.md), and the generator is
# deterministic: the same options give the same files whatever --jobs.
. "$TOP_SRCDIR/tests/lib.sh"

GEN="$TOP_BUILDDIR/tools/gen-archive"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
[ -d "$TESTDATA" ] || skip_all "no testdata/"
command -v sha256sum >/dev/null 2>&1 || skip_all "no sha256sum"

# One line per file: path, then the SHA-256 of its decompressed content
# (zlib versions may compress differently; the content must not differ).
digest_tree() {
	(cd "$1" && find . -type f ! -name README.md | LC_ALL=C sort | while read -r f; do
		case $f in
		*.gz) printf '%s %s\n' "$f" "$(gzip -dc "$f" | sha256sum | cut -d' ' -f1)" ;;
		*) printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)" ;;
		esac
	done)
}

check "regenerate testdata" "$GEN" --landing-zone --seed 42 --out "$T/lz" --quiet
digest_tree "$TESTDATA" >"$T/committed"
digest_tree "$T/lz" >"$T/generated"
check_same "testdata/ matches tools/gen-archive --landing-zone --seed 42" \
	"$T/committed" "$T/generated"
n=$(wc -l <"$T/committed")
if [ "$n" -gt 200 ]; then ok "testdata has $n files"; else not_ok "testdata has only $n files"; fi

# Committed files are gzip with a zero mtime (gzip -n style): bytes 5-8.
f=$(find "$TESTDATA" -name '*ConfigSnapshot_*.json.gz' | head -1)
mtime=$(od -An -tu1 -j4 -N4 "$f" | tr -s ' ' | sed 's/^ //; s/ $//')
if [ "$mtime" = "0 0 0 0" ]; then ok "gzip header mtime is zero"; else not_ok "gzip mtime bytes: $mtime"; fi

# Determinism: same seed twice, and with worker processes.
check "generate with --jobs 3" "$GEN" --landing-zone --seed 42 --out "$T/lz3" --jobs 3 --quiet
digest_tree "$T/lz3" >"$T/generated3"
check_same "--jobs 3 writes the same tree" "$T/generated" "$T/generated3"
check "generate a plain tree twice" sh -c "'$GEN' --accounts 2 --days 2 --resources 60 --seed 7 \
	--out '$T/a' --quiet && '$GEN' --accounts 2 --days 2 --resources 60 --seed 7 --out '$T/b' --quiet"
if diff -r "$T/a" "$T/b" >/dev/null 2>&1; then
	ok "same options give byte-identical trees"
else
	not_ok "same options give different trees"
fi
check "generate with another seed" "$GEN" --accounts 2 --days 2 --resources 60 --seed 8 \
	--out "$T/c" --quiet
if diff -r "$T/a" "$T/c" >/dev/null 2>&1; then
	not_ok "another seed gives the same tree"
else
	ok "another seed gives another tree"
fi

done_testing
