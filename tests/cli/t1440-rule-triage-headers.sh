#!/bin/sh
# t1440-rule-triage-headers: every shipped rule carries a severity with its
# source (a Security Hub control, or the documented default for its kind of
# control), a one-sentence remediation and AWS's documentation page; the
# header keys are validated with file and line (cfgaudit-rules(5)).
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
check "rules list --format json" sh -c "'$CFGAUDIT_BIN' rules list --format json >'$T/rules.json'"
check "every shipped rule has a severity, its source, a remediation and a doc link" \
	python3 -c '
import json, re, sys
bad = []
for r in json.load(open(sys.argv[1])):
    why = []
    if r.get("severity") not in ("critical", "high", "medium", "low"):
        why.append("severity")
    src = r.get("severitySource") or ""
    if not re.fullmatch(r"Security Hub [A-Za-z0-9]+\.[0-9]+|default: (exposure|access|encryption|logging|backup|hygiene)", src):
        why.append("severity source %r" % src)
    rem = r.get("remediation") or ""
    if not re.fullmatch(r"[A-Z][^\n]{20,398}[.)]", rem) or rem.count(". ") > 1:
        why.append("remediation %r" % rem)
    want = ("man:cfgaudit-rules(5)" if r["identifier"].startswith("CFGAUDIT_") else
            "https://docs.aws.amazon.com/config/latest/developerguide/%s.html" % r["name"])
    if r.get("documentation") != want:
        why.append("documentation")
    if why:
        bad.append("%s: %s" % (r["identifier"], ", ".join(why)))
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)' "$T/rules.json"
check "a rule backed by a Security Hub control takes its severity" \
	python3 -c '
import json, sys
r = {x["identifier"]: x for x in json.load(open(sys.argv[1]))}
assert r["S3_BUCKET_VERSIONING_ENABLED"]["severity"] == "low", r["S3_BUCKET_VERSIONING_ENABLED"]
assert r["S3_BUCKET_VERSIONING_ENABLED"]["severitySource"] == "Security Hub S3.14"
assert r["INCOMING_SSH_DISABLED"]["severity"] == "high"
assert r["IAM_ROOT_ACCESS_KEY_CHECK"]["severity"] == "critical"' "$T/rules.json"
check "rules show prints the triage keys" cfgaudit rules show S3_BUCKET_VERSIONING_ENABLED
check_grep "severity line" '^-- severity: low \(Security Hub S3\.14\)$' "$T/out"
check_grep "remediation line" '^-- remediation: Enable versioning on the bucket \(PutBucketVersioning$' "$T/out"

# Validation of a user rule's keys.
mkdir -p "$T/u"
hdr='-- identifier: U1\n-- name: u-one\n-- resource-types: AWS::S3::Bucket\n-- description: test\n'
printf -- "$hdr-- severity: urgent (mine)\nSELECT 1\n" >"$T/u/U1.sql"
check_exit "unknown severity level" 3 cfgaudit rules --rules-dir "$T/u" show U1
check_grep "names file and line" 'U1\.sql:5: error: unknown severity .urgent.' "$T/err"
printf -- "$hdr-- severity: high\nSELECT 1\n" >"$T/u/U1.sql"
check_exit "severity without its source" 3 cfgaudit rules --rules-dir "$T/u" show U1
check_grep "asks for LEVEL (SOURCE)" 'U1\.sql:5: error: severity needs .LEVEL \(SOURCE\)' "$T/err"
printf -- "$hdr-- remediation:\nSELECT 1\n" >"$T/u/U1.sql"
check_exit "empty remediation" 3 cfgaudit rules --rules-dir "$T/u" show U1
check_grep "remediation error with line" 'U1\.sql:5: error: remediation' "$T/err"
printf -- "$hdr-- severity: high (mine)\n-- severity: low (mine)\nSELECT 1\n" >"$T/u/U1.sql"
check_exit "severity given twice" 3 cfgaudit rules --rules-dir "$T/u" show U1
printf -- "$hdr-- remediation: Do the thing\n--   on two lines.\nSELECT 1\n" >"$T/u/U1.sql"
check "a user rule without severity is valid" cfgaudit rules --rules-dir "$T/u" --format json show U1
cp "$T/out" "$T/u1.json"
check "...unrated, with its remediation joined" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["severity"] is None and r["remediation"] == "Do the thing on two lines.", r' "$T/u1.json"
done_testing
