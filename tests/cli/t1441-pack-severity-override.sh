#!/bin/sh
# t1441-pack-severity-override: a conformance pack raises or lowers a
# rule's severity, and replaces its remediation, with the resource's
# Metadata.cfgaudit (cfgaudit-pack(1)); the run records where the level
# came from, the reports order by it, and a bad level is an invalid pack
# (exit 3, file:line).
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
check "ingest testdata" cfgaudit ingest "$TESTDATA"

cat >"$T/pack.yaml" <<'YAML'
Resources:
  S3BucketVersioningEnabled:
    Type: AWS::Config::ConfigRule
    Metadata:
      cfgaudit:
        Severity: Critical
        Remediation: Turn on versioning with the bucket-baseline module.
    Properties:
      ConfigRuleName: s3-bucket-versioning-enabled
      Source: {Owner: AWS, SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED}
  RestrictedSsh:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: restricted-ssh
      Source: {Owner: AWS, SourceIdentifier: INCOMING_SSH_DISABLED}
YAML
check_exit "eval the pack" 1 cfgaudit eval --pack "$T/pack.yaml"
check_exit "report json" 1 cfgaudit report --format json
cp "$T/out" "$T/r.json"
check "the pack's level and remediation win, with the pack as source" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["ConfigRuleName"]: x for x in d["Run"]["Rules"]}
v = r["s3-bucket-versioning-enabled"]
assert v["Severity"] == "critical" and v["SeveritySource"] == "pack pack", v
assert v["Remediation"] == "Turn on versioning with the bucket-baseline module.", v
s = r["restricted-ssh"]
assert s["Severity"] == "high" and s["SeveritySource"] == "Security Hub EC2.13", s
assert s["Remediation"].startswith("Remove ingress rules"), s' "$T/r.json"
check_exit "report text" 1 cfgaudit report
check_grep "the overridden rule is fixed first" \
	'^  critical s3-bucket-versioning-enabled: ' "$T/out"
awk '/^What to fix/{f=1;next} f&&/^  [a-z]/{print;exit}' "$T/out" >"$T/first"
check_grep "...before the high one" 'critical s3-bucket-versioning-enabled' "$T/first"

sed 's/Severity: Critical/Severity: urgent/' "$T/pack.yaml" >"$T/bad.yaml"
check_exit "an unknown level is an invalid pack" 3 cfgaudit eval --pack "$T/bad.yaml"
check_grep "named with file and line" 'bad\.yaml:6:[0-9]+: error: unknown Severity .urgent.' "$T/err"
check_exit "pack check says the same" 3 cfgaudit pack check "$T/bad.yaml"
check_grep "...with file and line" 'bad\.yaml:6:[0-9]+: error: unknown Severity' "$T/err"
done_testing
