#!/bin/sh
# t1442-waivers: --waivers on eval and audit (cfgaudit-waivers(5)). A
# waived NON_COMPLIANT result keeps its verdict, is marked in every format,
# counted apart and does not make the exit status 1; expired and unused
# waivers are listed as such; the file and its SHA-256 go into the run and
# the bundle; a bad file is exit 3 with file:line and stores no run.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
check "ingest testdata" cfgaudit ingest "$TESTDATA"
check_exit "restricted-ssh alone is non-compliant" 1 cfgaudit eval --rule INCOMING_SSH_DISABLED
nc=$(sed -n 's/^NON_COMPLIANT //p' "$T/out")
check "it has non-compliant results ($nc)" test "${nc:-0}" -gt 0

cat >"$T/w.yaml" <<'YAML'
# Accepted exceptions.
- rule: restricted-ssh
  account: "*"
  resource: "sg-*"
  reason: Bastion hosts behind the corporate VPN
  approved_by: security@example.com
  expires: 2099-12-31
- rule: INCOMING_SSH_DISABLED
  account: "111111111111"
  resource: "*"
  reason: Old exception
  approved_by: security@example.com
  expires: 2020-01-31
- rule: s3-bucket-versioning-enabled
  account: "111111111111"
  resource: arn:aws:s3:::no-such-bucket
  reason: Scratch bucket
  approved_by: data@example.com
  expires: 2099-01-01
YAML
check_exit "all waived: exit 0" 0 cfgaudit eval --rule INCOMING_SSH_DISABLED --waivers "$T/w.yaml"
check_grep "the summary counts the waived results apart" "^waived $nc\$" "$T/out"
check_grep "...and keeps the verdicts" "^NON_COMPLIANT [0-9]+" "$T/out"
check_exit "report: exit 0, every non-compliant result is waived" 0 cfgaudit report --format json
cp "$T/out" "$T/r.json"
sum=$(sha256sum "$T/w.yaml" | cut -d' ' -f1)
check "json: a Waiver on every waived result, the file and its SHA-256, each status" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); nc = int(sys.argv[2]); want = sys.argv[3]
ssh = [e for e in d["AggregateEvaluationResults"]
       if e["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ConfigRuleName"] == "restricted-ssh"
       and e["ComplianceType"] == "NON_COMPLIANT"]
assert len(ssh) == nc and all(e["Waiver"]["Reason"] == "Bastion hosts behind the corporate VPN" for e in ssh)
assert all(e["Waiver"]["Line"] == 2 and e["Waiver"]["Expires"] == "2099-12-31" for e in ssh)
assert not any("Waiver" in e for e in d["AggregateEvaluationResults"]
               if e["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ConfigRuleName"] != "restricted-ssh")
w = d["Waivers"]
assert w["Sha256"] == want and w["Path"].endswith("w.yaml") and w["WaivedResultCount"] == nc, w
st = [(e["Line"], e["Status"], e["Matched"]) for e in w["Entries"]]
assert st[0] == (2, "active", nc) and st[1][:2] == (8, "expired") and st[1][2] > 0, st
assert st[2] == (14, "unused", 0), st' "$T/r.json" "$nc" "$sum"
check "json passes the structural checks" python3 "$TOP_SRCDIR/tests/data/report/check_report.py" json "$T/r.json"
cfgaudit report >"$T/r.txt"
check_grep "text: under each waived result" '^      waived: Bastion hosts behind the corporate VPN \(approved by' "$T/r.txt"
check_grep "text: an expired waiver is listed" '^  expired  line 8: INCOMING_SSH_DISABLED' "$T/r.txt"
check_grep "text: an unused waiver is listed" '^  unused   line 14: s3-bucket-versioning-enabled' "$T/r.txt"
check_grep "text: the fix list counts them" "^  high     restricted-ssh: $nc resources? in [0-9]+ accounts? \\($nc waived\\)" "$T/r.txt"
cfgaudit report --format csv >"$T/r.csv"
check "csv: waiver columns on the waived rows only" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
w = [r for r in rows if r["waiver_reason"]]
assert len(w) == int(sys.argv[2]) and all(r["config_rule_name"] == "restricted-ssh" and r["compliance_type"] == "NON_COMPLIANT"
    and r["waiver_approved_by"] == "security@example.com" and r["waiver_expires"] == "2099-12-31" for r in w)' "$T/r.csv" "$nc"
cfgaudit report --format junit >"$T/r.xml"
check "junit: a waived result is skipped, not a failure" python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ssh = [t for t in root.iter("testcase") if t.get("classname") == "restricted-ssh"]
assert ssh and all(t.find("failure") is None for t in ssh)
assert all("waived: Bastion" in t.find("skipped").get("message") for t in ssh if t.find("skipped") is not None)' "$T/r.xml"
cfgaudit report --format html >"$T/r.html"
check_grep "html: marked waived" 'waived' "$T/r.html"
check "bundle" cfgaudit bundle -o "$T/b.tar.gz"
mkdir "$T/b" && tar xzf "$T/b.tar.gz" -C "$T/b"
check "the bundle holds the waivers file, byte for byte" sh -c "cmp '$T/w.yaml' '$T'/b/*/waivers.yaml"
check_grep "...in SHA256SUMS" "^$sum  waivers.yaml\$" "$(echo "$T"/b/*/SHA256SUMS)"

# audit takes --waivers too.
check_exit "audit --waivers" 0 cfgaudit audit --rule INCOMING_SSH_DISABLED --waivers "$T/w.yaml" "$TESTDATA"

# Bad files: exit 3 with file:line, and no run stored.
runs() { sqlite3 "$CFGAUDIT_DB" 'SELECT count(*) FROM runs' 2>/dev/null || echo ?; }
before=$(runs)
bad() {
	desc=$1 pattern=$2
	check_exit "$desc: exit 3" 3 cfgaudit eval --rule INCOMING_SSH_DISABLED --waivers "$T/bad.yaml"
	check_grep "$desc: file and line" "$pattern" "$T/err"
}
printf -- '- rule: [restricted-ssh\n' >"$T/bad.yaml"
bad "bad YAML" 'bad\.yaml:[0-9]+:[0-9]+: error: '
sed 's/rule: s3-bucket-versioning-enabled/rule: s3-bucket-versioning-enabld/' "$T/w.yaml" >"$T/bad.yaml"
bad "an unknown rule" "bad\\.yaml:14: error: waiver names unknown rule 's3-bucket-versioning-enabld'"
grep -v 'reason: Old exception' "$T/w.yaml" >"$T/bad.yaml"
bad "a missing reason" "bad\\.yaml:8: error: waiver has no 'reason'"
grep -v 'expires: 2099-01-01' "$T/w.yaml" >"$T/bad.yaml"
bad "a missing expiry" "bad\\.yaml:14: error: waiver has no 'expires'"
sed 's/expires: 2099-12-31/expires: 2099-02-30/' "$T/w.yaml" >"$T/bad.yaml"
bad "an impossible date" "bad\\.yaml:2: error: waiver expires '2099-02-30' is not a date"
sed 's/account: "111111111111"/account: "11111111111"/' "$T/w.yaml" >"$T/bad.yaml"
bad "an 11-digit account" "bad\\.yaml:8: error: waiver account '11111111111'"
printf 'rule: restricted-ssh\n' >"$T/bad.yaml"
bad "not a list" "bad\\.yaml:1: error: a waivers file is a list"
check "no run was stored for a bad file" test "$(runs)" = "$before"
check_exit "a missing file is an input error" 2 cfgaudit eval --rule INCOMING_SSH_DISABLED --waivers "$T/none.yaml"
check_exit "diff --from/--to with a bad waivers file: exit 3 too" 3 cfgaudit diff --from 2026-11-03 \
	--to 2026-11-05 --rule INCOMING_SSH_DISABLED --waivers "$T/bad.yaml"
done_testing
