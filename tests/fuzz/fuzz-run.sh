#!/bin/sh
# fuzz-run.sh DIR TARGET...: run each libFuzzer target in DIR for
# $FUZZ_SECONDS seconds on its corpus in $FUZZ_CORPUS_DIR/TARGET, seeded
# from the project's own data (and ../shared when present). Prints the
# executions of each run. Crashing inputs are copied to
# tests/fuzz/regressions/TARGET/ and make the script exit 1.
set -u
dir=$1
shift
: "${FUZZ_SECONDS:=60}" "${FUZZ_CORPUS_DIR:=fuzz-corpus}" "${TOP_SRCDIR:?}"
shared="$TOP_SRCDIR/../shared"
status=0

seed() {
	t=$1
	c="$FUZZ_CORPUS_DIR/$t"
	mkdir -p "$c"
	case $t in
	fuzz_reader | fuzz_reader_gz)
		for f in $(find "$TOP_SRCDIR/tests/data" "$TOP_SRCDIR/tests/rules" "$TOP_SRCDIR/testdata" \
			"$shared/samples" -type f \( -name '*.json' -o -name '*.json.gz' \) -size -200k \
			2>/dev/null | head -400); do
			if [ "$t" = fuzz_reader_gz ] && [ "${f%.gz}" != "$f" ]; then
				gzip -dc "$f" >"$c/$(echo "$f" | cksum | cut -d' ' -f1)" 2>/dev/null
			else
				cp "$f" "$c/$(echo "$f" | cksum | cut -d' ' -f1)"
			fi
		done ;;
	fuzz_pack)
		for f in $(find "$TOP_SRCDIR/packs" "$TOP_SRCDIR/tests/data" "$shared/packs-upstream" \
			-type f \( -name '*.yaml' -o -name '*.yml' \) 2>/dev/null); do
			cp "$f" "$c/$(echo "$f" | cksum | cut -d' ' -f1)"
		done ;;
	fuzz_rule)
		for f in "$TOP_SRCDIR"/rules/*.sql "$TOP_SRCDIR"/tests/data/eval/rules-*/*.sql; do
			[ -f "$f" ] && cp "$f" "$c/$(echo "$f" | cksum | cut -d' ' -f1)"
		done ;;
	fuzz_quickid)
		# single items, as the reader hands them over
		for f in $(find "$TOP_SRCDIR/tests/data" "$TOP_SRCDIR/tests/rules" -type f -name '*.json' \
			-size -100k 2>/dev/null | head -200); do
			python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
items = doc if isinstance(doc, list) else doc.get("configurationItems", [doc])
for i, it in enumerate(items[:5]):
    open(sys.argv[2] + "-%d" % i, "w").write(json.dumps(it))' \
				"$f" "$c/$(echo "$f" | cksum | cut -d' ' -f1)" 2>/dev/null || :
		done ;;
	fuzz_sqlfuncs)
		printf '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}\000kms:Decrypt' >"$c/admin"
		printf '{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}' >"$c/ssl"
		printf '%%7B%%22Statement%%22%%3A%%5B%%5D%%7D' >"$c/urlenc"
		printf '0.0.0.0/0\00010.0.0.0/8' >"$c/cidr"
		printf '::/0\000::1/128' >"$c/cidr6"
		printf 'tcp\00020\00023\000443,1020-1025' >"$c/ports"
		printf '2026-11-01T00:00:00Z\0001700000000000' >"$c/time"
		printf '^(a+)+$\000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' >"$c/regex" ;;
	esac
}

for t in "$@"; do
	seed "$t"
	mkdir -p "$FUZZ_CORPUS_DIR/artifacts/$t"
	echo "== $t: ${FUZZ_SECONDS}s"
	"$dir/$t" -max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$FUZZ_CORPUS_DIR/artifacts/$t/" \
		"$FUZZ_CORPUS_DIR/$t" >"$FUZZ_CORPUS_DIR/$t.log" 2>&1
	rc=$?
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
		"$FUZZ_CORPUS_DIR/$t.log" | sed "s/^/   /"
	if [ $rc -ne 0 ] || ls "$FUZZ_CORPUS_DIR/artifacts/$t/" 2>/dev/null | grep -q .; then
		echo "   FOUND A PROBLEM (exit $rc); inputs kept in tests/fuzz/regressions/$t/"
		mkdir -p "$TOP_SRCDIR/tests/fuzz/regressions/$t"
		cp "$FUZZ_CORPUS_DIR/artifacts/$t/"* "$TOP_SRCDIR/tests/fuzz/regressions/$t/" 2>/dev/null
		tail -40 "$FUZZ_CORPUS_DIR/$t.log"
		status=1
	fi
done
exit $status
