#!/bin/sh
# t1420-honest-run: a run that could not evaluate what was asked (a bad
# pack, an unknown identifier) is stored incomplete, is never the default
# of report or bundle, and every format lists its errors (issue 13: a CI
# job went green on a broken pack).
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"
CHECK="$TOP_SRCDIR/tests/data/report/check_report.py"

cat >"$T/good.yaml" <<'YAML'
Resources:
  RestrictedSsh:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: restricted-ssh
      Source:
        Owner: AWS
        SourceIdentifier: INCOMING_SSH_DISABLED
  Versioning:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: s3-bucket-versioning-enabled
      Source:
        Owner: AWS
        SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED
  NotYet:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: netfw-logging-enabled
      Source:
        Owner: AWS
        SourceIdentifier: NETFW_LOGGING_ENABLED
YAML
check "ingest" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"
check_exit "a good run (1)" 1 cfgaudit eval --pack "$T/good.yaml"
printf 'Resources: [\n' >"$T/bad.yaml"
check_exit "eval --pack bad.yaml exits 3" 3 cfgaudit eval --pack "$T/bad.yaml"
check_grep "  and says the run is incomplete" '^status incomplete: 1 error' "$T/out"
check_grep "  the YAML error on stderr" 'bad\.yaml:2' "$T/err"

# The issue's scenario: the report after it must not be an empty pass.
check_exit "report after the bad run renders the good run (exit 1)" 1 cfgaudit report
check_grep "  run 1, not the broken run 2" '^cfgaudit compliance report, run 1$' "$T/out"
if grep -q 'Non-compliant results by account' "$T/out" && ! grep -q '^  (none)$' "$T/out"; then
	ok "  with its findings, not (none)"
else
	not_ok "  with its findings, not (none)"
fi
check_grep "  and warns that a newer run is incomplete" 'run 2 is newer but incomplete' "$T/err"
check_exit "junit of the default run" 1 cfgaudit report --format junit
if grep -q 'tests="0"' "$T/out"; then not_ok "junit has tests"; else ok "junit has tests"; fi

# Named by id, the incomplete run renders, says so in every format, exit 3.
check_exit "report --run 2 exits 3" 3 cfgaudit report --run 2
check_grep "text: the first lines say incomplete" '^INCOMPLETE RUN: 1 error' "$T/out"
[ "$(sed -n 2p "$T/out" | cut -c1-15)" = "INCOMPLETE RUN:" ] && ok "  on line 2" || not_ok "  on line 2"
check_grep "  with the error" 'error: .*bad\.yaml:2: invalid yaml' "$T/out"
check_exit "json --run 2" 3 cfgaudit report --run 2 --format json
cp "$T/out" "$T/r2.json"
check "  passes the structural checks" python3 "$CHECK" json "$T/r2.json"
check_grep "  Complete false" '"Complete": false' "$T/r2.json"
check_grep "  an Errors list" '"Message": "invalid yaml' "$T/r2.json"
check_exit "junit --run 2" 3 cfgaudit report --run 2 --format junit
cp "$T/out" "$T/r2.xml"
check_grep "  an <error> element" '<error message="[^"]*bad\.yaml:2: invalid yaml[^"]*" type="RUN_ERROR">' "$T/r2.xml"
check_grep "  counted in the totals" '<testsuites name="cfgaudit run 2" tests="[0-9]*" failures="[0-9]*" errors="1"' "$T/r2.xml"
check "  passes the structural checks" python3 "$CHECK" junit "$T/r2.xml"
check_exit "csv --run 2" 3 cfgaudit report --run 2 --format csv
check_grep "  a RUN_ERROR row" ',cfgaudit::Run,2,RUN_ERROR,.*invalid yaml' "$T/out"
check_exit "html --run 2" 3 cfgaudit report --run 2 --format html
check_grep "  an Incomplete run section" '<h2>Incomplete run: 1 error</h2>' "$T/out"

check_exit "diff names an incomplete run: it compares" 0 cfgaudit diff 1 2
check_grep "  and warns" 'run 2 is incomplete \(1 error\)' "$T/err"

# A typo in a SourceIdentifier is an error naming the identifier meant.
sed 's/SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED/SourceIdentifier: S3_BUCKET_VERSIONING_ENABLD/' \
	"$T/good.yaml" >"$T/typo.yaml"
grep -q ENABLD "$T/typo.yaml" || bail_out "the typo fixture did not change"
check_exit "a typo in a SourceIdentifier exits 3" 3 cfgaudit eval --pack "$T/typo.yaml"
check_grep "  naming the nearest identifier" \
	"unknown rule identifier 'S3_BUCKET_VERSIONING_ENABLD' \\(did you mean 'S3_BUCKET_VERSIONING_ENABLED'\\?\\)" \
	"$T/err"
check_exit "  and the run (3) is incomplete too" 3 cfgaudit report --run 3 --format text
head -5 "$T/out" >"$T/head5"
check_grep "  listed first" "unknown rule identifier" "$T/head5"
# A known managed rule without a rule file is no error: not evaluated.
check_exit "pack check: a known AWS identifier without a rule file is no error" 0 \
	cfgaudit pack check "$T/good.yaml"
check_grep "  but not evaluated" 'no rule file for NETFW_LOGGING_ENABLED' "$T/out"

# bundle takes the latest complete run too.
check "bundle of the default run" cfgaudit --quiet bundle -o "$T/b.tar.gz"
tar -xzf "$T/b.tar.gz" -C "$T" 2>/dev/null
if grep -rqs '"RunId": 1' "$T"/*/run.json "$T"/*/*.json 2>/dev/null; then
	ok "  is of run 1"
else
	not_ok "  is of run 1"
fi

# Only incomplete runs: no default, a clear error.
rm -f "$CFGAUDIT_DB"*
check "ingest again" cfgaudit --quiet ingest "$D/day1.json"
check_exit "only a bad run" 3 cfgaudit eval --pack "$T/bad.yaml"
check_exit "report: no complete run, exit 2" 2 cfgaudit report
check_grep "  says why" 'no complete evaluation run.*incomplete' "$T/err"
done_testing
