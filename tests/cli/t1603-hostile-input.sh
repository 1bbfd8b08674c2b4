#!/bin/sh
# t1603-hostile-input: items an attacker shaped (a compromised account
# writes its own resource names, tags and policies) go through ingest,
# resources, eval, every report format and the evidence bundle without
# reaching SQL, HTML, XML, the terminal or the file system as anything but
# inert text.
. "$TOP_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
evil = {
    "quote": "x'; DROP TABLE items; --",
    "script": "<script>alert(1)</script>\"'&",
    "ansi": "red\u001b[31mALERT\u001b[0m\r\nnext\u0007",
    "path": "../../etc/passwd",
    "formula": "=HYPERLINK(\"http://evil.example/\",\"x\")",
    "long": "A" * 300000,
    "c1": "x\u0085y\u009bz",
    "unicode": "\u202eevil\u202c \u0000".replace("\u0000", ""),
}
items = []
for n, (k, v) in enumerate(sorted(evil.items())):
    items.append({
        "relatedEvents": [], "relationships": [],
        "configuration": {"groupId": v[:200], "groupName": v, "description": v,
                          "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                                             "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}],
                          "ipPermissionsEgress": []},
        "supplementaryConfiguration": {}, "tags": {v[:100]: v, "k": k},
        "configurationItemVersion": "1.3",
        "configurationItemCaptureTime": "2026-11-01T10:00:%02d.000Z" % n,
        "configurationStateId": 1, "awsAccountId": "111111111111",
        "configurationItemStatus": "OK", "resourceType": "AWS::EC2::SecurityGroup",
        "resourceId": v[:1000] if k != "long" else "sg-" + v[:5000],
        "resourceName": v, "ARN": "arn:aws:ec2:us-east-1:111111111111:security-group/x",
        "awsRegion": "us-east-1", "availabilityZone": "Not Applicable",
        "configurationStateMd5Hash": "", "resourceCreationTime": None})
json.dump(items, open(t + "/hostile.json", "w"))
# Invalid UTF-8 is not JSON: that file must fail alone, with its offset.
raw = json.dumps(items[:1]).encode().replace(b"ALERT", b"AL\xffERT", 1)
assert b"\xff" in raw
open(t + "/invalid-utf8.json", "wb").write(raw)
PY
mkdir -p "$T/rules"
cat >"$T/rules/ECHO_NAME.sql" <<'R'
-- identifier: ECHO_NAME
-- name: echo-name
-- resource-types: AWS::EC2::SecurityGroup
-- description: Puts the resource name and tags into the annotation.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'NON_COMPLIANT' AS compliance_type, resource_name || ' ' || tags AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
R

check_exit "a file with invalid UTF-8 fails alone" 2 cfgaudit ingest "$T/hostile.json" "$T/invalid-utf8.json"
check_grep "the bad file is named with a byte offset" 'invalid-utf8.json: byte [0-9]+' "$T/err"
n=$(sqlite3 "$CFGAUDIT_DB" "SELECT count(*) FROM items")
[ "$n" = 8 ] && ok "the hostile but valid items are all stored" || not_ok "stored $n items, expected 8"
check_grep "tables intact" '^ok$' "$(sqlite3 "$CFGAUDIT_DB" 'PRAGMA integrity_check' >"$T/ic"; echo "$T/ic")"

no_raw_controls() {
	# No C0 control byte except newline (and CR/LF in CSV), no ESC anywhere.
	if LC_ALL=C grep -q "$(printf '\033')" "$2" || LC_ALL=C grep -q "$(printf '\007')" "$2"; then
		not_ok "$1: raw control characters in the output"
	else
		ok "$1: control characters neutralised"
	fi
}

check "resources (text)" cfgaudit resources
no_raw_controls "resources" "$T/out"
check "history of a path-like id" cfgaudit history ../../etc/passwd
no_raw_controls "history" "$T/out"

check_exit "eval with rules echoing hostile text" 1 cfgaudit eval --rules-dir "$T/rules" --rule ECHO_NAME --rule INCOMING_SSH_DISABLED
len=$(sqlite3 "$CFGAUDIT_DB" "SELECT max(length(annotation)) FROM results")
[ "$len" -le 256 ] && ok "annotations cut to 256 characters ($len)" || not_ok "annotation of $len characters"

check_exit "text report" 1 cfgaudit report
no_raw_controls "text report" "$T/out"
check_exit "html report" 1 cfgaudit report --format html -o "$T/r.html"
if grep -q '<script>alert' "$T/r.html"; then not_ok "html: a raw <script> from the data"; else ok "html: no raw <script> from the data"; fi
check_grep "html: the name is shown escaped" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$T/r.html"
# One inline script, named by its hash in the page's CSP (check_report.py
# checks that); links only to AWS's documentation.
if grep -qiE '<(iframe|object|embed)|src=.http' "$T/r.html" ||
	[ "$(grep -o '<script' "$T/r.html" | wc -l)" -gt 1 ] ||
	grep -oiE 'href=.http[^"]*' "$T/r.html" |
	grep -qv '^href="https://docs\.aws\.amazon\.com/config/latest/developerguide/'; then
	not_ok "html: loads or runs nothing"
else
	ok "html: loads or runs nothing"
fi
check_exit "junit report" 1 cfgaudit report --format junit -o "$T/r.xml"
check "junit is well-formed XML" python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/r.xml"
check_exit "csv report" 1 cfgaudit report --format csv -o "$T/r.csv"
check "csv parses and no cell starts a formula" python3 -c '
import csv, sys
csv.field_size_limit(1 << 30)  # the hostile resource name rides in resource_name
rows = list(csv.reader(open(sys.argv[1], newline="")))
bad = [c for r in rows for c in r if c[:1] in ("=", "+", "@") or (c[:1] == "-" and c[1:2].isalpha())]
sys.exit(1 if bad else 0)' "$T/r.csv"
check_exit "json report" 1 cfgaudit report --format json -o "$T/r.json"
check "json parses and keeps the text" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ids = {e["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"] for e in d["AggregateEvaluationResults"]}
assert "../../etc/passwd" in ids and "x'"'"'; DROP TABLE items; --" in ids' "$T/r.json"

check "bundle" cfgaudit bundle -o "$T/b.tar.gz"
tar tzf "$T/b.tar.gz" >"$T/members" 2>/dev/null
if grep -qE '(^/|(^|/)\.\.(/|$))' "$T/members"; then
	not_ok "bundle: member paths stay inside the archive"
else
	ok "bundle: member paths stay inside the archive"
fi
tar tvzf "$T/b.tar.gz" >"$T/types" 2>/dev/null
if grep -qE '^[lhbcp]' "$T/types"; then not_ok "bundle: only regular files and directories"; else ok "bundle: only regular files and directories"; fi
check "verify the bundle" cfgaudit verify "$T/b.tar.gz"
mkdir -p "$T/x" && tar xzf "$T/b.tar.gz" -C "$T/x"
if [ -e "$T/etc/passwd" ] || [ -e "$T/x/../etc" ]; then not_ok "extraction escaped"; else ok "extraction stays in its directory"; fi
done_testing
