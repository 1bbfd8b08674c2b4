#!/bin/sh
# t1400-report-basic: 'cfgaudit report' picks the run, writes where asked
# and exits 0/1/2 as documented, on a database built from the fixture.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
FIXTURE="$TOP_SRCDIR/tests/data/report/fixture.sql"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$FIXTURE" || bail_out "cannot build the fixture database"

check_exit "report --help exits 0" 0 cfgaudit report --help
check_grep "--help names every option" '--compliance' "$T/out"

# The default run is the latest complete one (2), which has NON_COMPLIANT results.
check_exit "default report exits 1 (non-compliant results)" 1 cfgaudit report --format json
check_grep "default run is 2, not the running run 3" '"RunId": 2,' "$T/out"

check_exit "run 1 is all compliant: exit 0" 0 cfgaudit report --run 1 --format json
check_grep "--run 1 renders run 1" '"RunId": 1,' "$T/out"

check_exit "a running run is refused" 2 cfgaudit report --run 3
check_grep "the error says why" 'not complete' "$T/err"
check_exit "a missing run is an error" 2 cfgaudit report --run 99
check_grep "the error names the run" "run '99' does not exist" "$T/err"
check_exit "--run must be a number" 2 cfgaudit report --run abc
check_exit "unknown format" 2 cfgaudit report --format pdf
check_exit "unknown grouping" 2 cfgaudit report --by colour
check_exit "unknown compliance type" 2 cfgaudit report --compliance GREEN
check_exit "stray argument" 2 cfgaudit report extra
check_exit "unknown option" 2 cfgaudit report --bogus

# Selection changes the exit status: account 222222222222 is compliant.
check_exit "compliant account exits 0" 0 cfgaudit report --account 222222222222
check_exit "--compliance COMPLIANT lists no NON_COMPLIANT result" 0 \
	cfgaudit report --compliance COMPLIANT --format csv
if grep -q NON_COMPLIANT "$T/out"; then not_ok "no NON_COMPLIANT row"; else ok "no NON_COMPLIANT row"; fi
check_exit "--region global keeps the IAM failure" 1 cfgaudit report --region global --format csv
check_grep "IAM row present" 'AWS::IAM::User' "$T/out"
if grep -q 'AWS::S3::Bucket' "$T/out"; then not_ok "--region global drops regional rows"; else ok "--region global drops regional rows"; fi
check_exit "--region eu-west-1 keeps the global IAM failure" 1 \
	cfgaudit report --region eu-west-1 --format csv
check_grep "IAM row kept" 'AWS::IAM::User' "$T/out"
if grep -q 'us-east-1' "$T/out"; then not_ok "--region eu-west-1 drops us-east-1"; else ok "--region eu-west-1 drops us-east-1"; fi

# A selection that names an account or region the run does not have is
# an error naming the nearest ones (an empty report would pass in CI).
check_exit "an account not in the run: exit 2" 2 cfgaudit report --account 999999999999 --format json
check_grep "  the error lists the run's accounts" \
	"account '999999999999' is not in run 2; it has 111111111111, 222222222222" "$T/err"
check_exit "  in every format" 2 cfgaudit report --account 999999999999 --format junit
check_exit "an 11-digit account id is refused" 2 cfgaudit report --account 11111111111
check_grep "  as not 12 digits" "'11111111111' is not a 12-digit account id" "$T/err"

# -o writes the file (atomically) and prints nothing.
check_exit "-o writes a file" 1 cfgaudit report --format json -o "$T/report.json"
if [ -s "$T/report.json" ] && [ ! -s "$T/out" ]; then ok "-o output in the file only"; else not_ok "-o output in the file only"; fi
if ls "$T"/report.json.tmp* >/dev/null 2>&1; then not_ok "no temporary left"; else ok "no temporary left"; fi
check_exit "-o into a missing directory fails" 2 cfgaudit report -o "$T/nodir/x.json"

# A database without runs: a clear error, exit 2.
"$MKDB" "$T/empty.db" || exit 1
check_exit "no run: exit 2" 2 cfgaudit --db "$T/empty.db" report
check_grep "no run: clear message" 'no complete evaluation run' "$T/err"
check_exit "missing database: exit 2" 2 cfgaudit --db "$T/none.db" report

done_testing
