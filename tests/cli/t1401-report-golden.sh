#!/bin/sh
# t1401-report-golden: every format of the fixture run, byte for byte
# against tests/data/report/expected.*, so that any change to the output
# is a visible diff. Regenerate an expected file only after reading it.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
D="$TOP_SRCDIR/tests/data/report"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$D/fixture.sql" || bail_out "cannot build the fixture database"

golden() {
	name=$1
	shift
	cfgaudit report "$@" >"$T/$name" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 1 ] || [ "$rc" -eq 0 ]; then
		check_same "golden $name" "$D/expected.$name" "$T/$name"
	else
		not_ok "golden $name (exit $rc)"
		sed 's/^/#   /' "$T/err"
	fi
}

golden text
golden json --format json
golden csv --format csv
golden html --format html
golden junit --format junit
golden text-by-region --by region
golden text-by-rule --by rule
golden text-by-resource --by resource
golden csv-by-resource --format csv --by resource
golden json-selected --account 222222222222 --region us-east-1 --compliance COMPLIANT \
	--compliance INSUFFICIENT_DATA --format json
golden text-selected --compliance NOT_APPLICABLE --compliance INSUFFICIENT_DATA
golden json-run1 --run 1 --format json

# Rendering is deterministic: twice gives the same bytes.
cfgaudit report --format html >"$T/a.html"
cfgaudit report --format html >"$T/b.html"
if cmp -s "$T/a.html" "$T/b.html"; then ok "html twice is identical"; else not_ok "html twice is identical"; fi

# -o writes exactly what stdout gets.
cfgaudit report --format json -o "$T/o.json"
check_same "-o equals stdout" "$D/expected.json" "$T/o.json"

done_testing
