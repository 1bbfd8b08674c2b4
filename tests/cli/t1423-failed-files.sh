#!/bin/sh
# t1423-failed-files: input files that failed to load (and were not loaded
# since) are listed in every report format; once the file loads, the
# next run's report no longer lists it.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
CHECK="$TOP_SRCDIR/tests/data/report/check_report.py"

mkdir "$T/in"
cp "$D/day1.json" "$T/in/day1.json"
printf '{"configurationItems": [ {"broken"' >"$T/in/broken.json"
check_exit "ingest with one broken file exits 2" 2 cfgaudit --quiet ingest "$T/in"
check_exit "eval" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED
check_exit "text" 1 cfgaudit report
check_grep "text: a section names the file" '^Input files that failed to load \(1\)$' "$T/out"
check_grep "  and its path" '^  broken\.json$' "$T/out"
check_exit "json" 1 cfgaudit report --format json -o "$T/r.json"
check "json: structural checks" python3 "$CHECK" json "$T/r.json"
check_grep "json: FailedInputFiles" '"Path": "broken\.json"' "$T/r.json"
check_exit "csv" 1 cfgaudit report --format csv
check_grep "csv: an INPUT_FILE_FAILED row" ',cfgaudit::InputFile,broken\.json,INPUT_FILE_FAILED,' "$T/out"
check_exit "junit" 1 cfgaudit report --format junit
check_grep "junit: an <error>" 'type="INPUT_FILE_FAILED"' "$T/out"
check_exit "html" 1 cfgaudit report --format html
check_grep "html: a section" '<h2>Input files that failed to load \(1\)</h2>' "$T/out"

# Repaired and loaded: a later run no longer lists it.
cp "$D/day2.json" "$T/in/broken.json"
sleep 1
check "ingest the repaired file" cfgaudit --quiet ingest "$T/in"
check_exit "eval again" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED
check_exit "text of the new run" 1 cfgaudit report
if grep -q 'failed to load' "$T/out"; then not_ok "  lists no failed file"; else ok "  lists no failed file"; fi
check_exit "the old run still shows what it saw" 1 cfgaudit report --run 1
check_grep "  the failed file" '^  broken\.json$' "$T/out"
done_testing
