#!/bin/sh
# t-fuzz-regressions: replay every kept crashing input (and a few seeds)
# through each fuzz target's entry point, built without libFuzzer. In the
# sanitizer build this catches any regression of a fixed fuzz finding.
. "$TOP_SRCDIR/tests/lib.sh"
for t in fuzz_reader fuzz_reader_gz fuzz_pack fuzz_rule fuzz_sqlfuncs fuzz_quickid; do
	bin="$TOP_BUILDDIR/tests/fuzz/replay_$t"
	inputs=$(find "$TOP_SRCDIR/tests/fuzz/regressions/$t" -type f ! -name README 2>/dev/null)
	case $t in
	fuzz_reader*) seeds=$(ls "$TOP_SRCDIR"/tests/data/eval/*.json) ;;
	fuzz_pack) seeds="$TOP_SRCDIR/tests/data/eval/pack.yaml" ;;
	fuzz_rule) seeds=$(ls "$TOP_SRCDIR"/tests/data/eval/rules-bad/*.sql) ;;
	fuzz_quickid) seeds=$(ls "$TOP_SRCDIR"/tests/data/derived/*.json) ;;
	*) printf 'tcp\00020\00023\000443' >"$T/ports"; seeds="$T/ports" ;;
	esac
	# shellcheck disable=SC2086
	if ${CFGAUDIT_WRAPPER:-} "$bin" $seeds $inputs >"$T/out" 2>&1; then
		ok "$t replays $(echo $inputs | wc -w) kept inputs and seeds"
	else
		not_ok "$t replay"
		sed 's/^/#   /' "$T/out" | tail -20
	fi
done
done_testing
