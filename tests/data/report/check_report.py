#!/usr/bin/env python3
"""check_report.py: structural checks of cfgaudit report output, used by
tests/cli/t14xx. Usage: check_report.py FORMAT FILE. Prints one TAP-style
diagnostic per problem and exits 1 if there is any.

json  -- every array element has exactly the AWS Config API member names
         and valid enum values (config-formats.md section 5 shapes).
csv   -- parses with the csv module, header as documented, every row as wide
         as the header, CRLF line ends, writing the rows back gives the same bytes,
         no field starts with a formula character.
junit -- well-formed XML, testsuite counts match their testcases.
html  -- a whole document with balanced elements, no raw <script, no
         external loads, no event-handler attributes, every data value
         escaped (no raw <b>, the hostile strings appear only as entities).
"""
import base64
import csv
import hashlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET

problems = []


def bad(msg):
    problems.append(msg)


CT = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"}
PACK_CT = {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"}
RULE_CT = {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def keys(obj, want, where):
    if not isinstance(obj, dict):
        bad(f"{where}: not an object")
        return False
    if set(obj) != set(want):
        bad(f"{where}: members {sorted(obj)} != {sorted(want)}")
        return False
    return True


def capped(obj, where):
    if keys(obj, ["CappedCount", "CapExceeded"], where):
        if not isinstance(obj["CappedCount"], int) or not isinstance(obj["CapExceeded"], bool):
            bad(f"{where}: types")


def time(v, where):
    if not isinstance(v, str) or not TIME.match(v):
        bad(f"{where}: not an ISO 8601 UTC time: {v!r}")


OU_LABELS = {"(no Organizations evidence)", "(OU path not in Organizations evidence)"}


def check_org(doc):
    """Accounts, OrganizationsEvidence and (--by ou) ComplianceByOrganizationalUnit."""
    ids = []
    for i, a in enumerate(doc["Accounts"]):
        w = f"Accounts[{i}]"
        if not keys(a, ["AccountId", "AccountName", "OrganizationalUnitPath",
                        "OrganizationalUnitGroup", "ManagementAccountId",
                        "OrganizationsEvidenceCapturedAt"], w):
            continue
        ids.append(a["AccountId"])
        # never guessed: a name or path only with the answer that gave it
        if a["ManagementAccountId"] is None:
            if a["AccountName"] is not None or a["OrganizationalUnitPath"] is not None:
                bad(f"{w}: a name or OU path without Organizations evidence")
            if a["OrganizationalUnitGroup"] != "(no Organizations evidence)":
                bad(f"{w}: group {a['OrganizationalUnitGroup']!r}")
        else:
            time(a["OrganizationsEvidenceCapturedAt"], w)
            want = a["OrganizationalUnitPath"] or "(OU path not in Organizations evidence)"
            if a["OrganizationalUnitGroup"] != want:
                bad(f"{w}: group {a['OrganizationalUnitGroup']!r} for {want!r}")
    if ids != sorted(ids):
        bad("Accounts: not sorted by id")
    for i, e in enumerate(doc["OrganizationsEvidence"]):
        w = f"OrganizationsEvidence[{i}]"
        if keys(e, ["Call", "ManagementAccountId", "CapturedAt", "Used"], w):
            time(e["CapturedAt"], w)
            if not isinstance(e["Used"], bool):
                bad(f"{w}: Used is not a boolean")
    if "ComplianceByOrganizationalUnit" not in doc:
        return
    seen = []
    for i, g in enumerate(doc["ComplianceByOrganizationalUnit"]):
        w = f"ComplianceByOrganizationalUnit[{i}]"
        if not keys(g, ["OrganizationalUnitPath", "Group", "AccountIds", "CompliantRuleCount",
                        "NonCompliantRuleCount", "InsufficientDataRuleCount", "RuleCoverage",
                        "ConformancePackComplianceScores"], w):
            continue
        if (g["OrganizationalUnitPath"] is None) != (g["Group"] in OU_LABELS):
            bad(f"{w}: path {g['OrganizationalUnitPath']!r} for group {g['Group']!r}")
        seen += g["AccountIds"]
    if sorted(seen) != sorted(ids):
        bad("ComplianceByOrganizationalUnit: not every account in exactly one group")


def check_json(data):
    doc = json.loads(data)
    keys(doc, ["Run", "Errors", "FailedInputFiles", "DataCoverage", "Waivers",
               "AggregateComplianceByConfigRules", "AggregateEvaluationResults",
               "AggregateComplianceCounts", "AggregateComplianceByConformancePacks",
               "RuleCoverage", "ConformancePackComplianceScores",
               "ConformancePackComplianceScoresByAccount", "Accounts", "OrganizationsEvidence"]
         + [k for k in ["ComplianceByOrganizationalUnit"] if k in doc],
         "document")
    check_org(doc)
    run = doc["Run"]
    keys(run, ["RunId", "AsOf", "StartedAt", "FinishedAt", "ToolVersion", "Complete", "Filters",
               "DataMaxAge", "Packs", "Rules", "NotEvaluated"], "Run")
    wv = doc["Waivers"]
    if wv is not None and keys(wv, ["Path", "Sha256", "WaivedResultCount", "Entries"], "Waivers"):
        if not re.fullmatch(r"[0-9a-f]{64}", wv["Sha256"]):
            bad("Waivers.Sha256")
        for i, e in enumerate(wv["Entries"]):
            if keys(e, ["Rule", "Account", "Resource", "Reason", "ApprovedBy", "Expires", "Line",
                        "Status", "Matched"], f"Waivers.Entries[{i}]"):
                if e["Status"] not in ("active", "expired", "unused"):
                    bad(f"Waivers.Entries[{i}].Status {e['Status']!r}")
    if run["Complete"] != (len(doc["Errors"]) == 0):
        bad("Run.Complete disagrees with Errors")
    for i, e in enumerate(doc["Errors"]):
        if keys(e, ["Kind", "Path", "Line", "Message"], f"Errors[{i}]"):
            if e["Kind"] not in ("plan", "evaluation") or not isinstance(e["Message"], str):
                bad(f"Errors[{i}]: Kind or Message")
    for i, e in enumerate(doc["FailedInputFiles"]):
        if keys(e, ["Path", "Error", "IngestedAt"], f"FailedInputFiles[{i}]"):
            time(e["IngestedAt"], f"FailedInputFiles[{i}].IngestedAt")
    rc = doc["RuleCoverage"]
    if keys(rc, ["Overall", "ByAccount"], "RuleCoverage"):
        for w, t in [("Overall", rc["Overall"])] + list(rc["ByAccount"].items()):
            if keys(t, ["Rules", "ReachedVerdict", "NoData", "NotEvaluated", "Summary"],
                    f"RuleCoverage.{w}"):
                if t["Rules"] != t["ReachedVerdict"] + t["NoData"] + t["NotEvaluated"]:
                    bad(f"RuleCoverage.{w}: counts do not add up")
                if not re.match(r"^\d+ of \d+ rules? reached a verdict; \d+ rules? no data; "
                                r"\d+ not evaluated$", t["Summary"]):
                    bad(f"RuleCoverage.{w}.Summary {t['Summary']!r}")
    cov = doc["DataCoverage"]
    if cov is None:
        if run["DataMaxAge"] is not None:
            bad("DataCoverage null but Run.DataMaxAge set")
    elif not isinstance(cov, list):
        bad("DataCoverage: not a list or null")
    else:
        if not isinstance(run["DataMaxAge"], str) or not re.match(r"^\d+[hdm]$", run["DataMaxAge"]):
            bad(f"Run.DataMaxAge {run['DataMaxAge']!r}")
        for i, e in enumerate(cov):
            w = f"DataCoverage[{i}]"
            if not keys(e, ["AccountId", "AwsRegion", "SnapshotTime", "LatestDeliveryTime",
                            "Complete", "Stale", "Status"], w):
                continue
            for t in ("SnapshotTime", "LatestDeliveryTime"):
                if e[t] is not None:
                    time(e[t], f"{w}.{t}")
            if not isinstance(e["Complete"], bool) or not isinstance(e["Stale"], bool):
                bad(f"{w}: Complete/Stale not booleans")
            if e["Complete"] != (e["SnapshotTime"] is not None):
                bad(f"{w}: Complete disagrees with SnapshotTime")
            if e["LatestDeliveryTime"] is None and not e["Stale"]:
                bad(f"{w}: no data but not stale")
            want = ("missing" if e["LatestDeliveryTime"] is None else "stale" if e["Stale"]
                    else "fresh" if e["Complete"] else "incomplete")
            if e["Status"] != want:
                bad(f"{w}: Status {e['Status']!r} != {want!r}")
    for t in ("AsOf", "StartedAt", "FinishedAt"):
        time(run[t], "Run." + t)
    for i, p in enumerate(run["Packs"]):
        keys(p, ["Name", "Path", "Sha256"], f"Run.Packs[{i}]")
    for i, r in enumerate(run["Rules"]):
        keys(r, ["ConfigRuleName", "Identifier", "PackName", "Path", "Sha256", "Parameters",
                 "Scope", "Severity", "SeveritySource", "Remediation", "Documentation"],
             f"Run.Rules[{i}]")
        if r["Severity"] not in (None, "critical", "high", "medium", "low"):
            bad(f"Run.Rules[{i}]: Severity {r['Severity']!r}")
    for i, r in enumerate(run["NotEvaluated"]):
        keys(r, ["ConfigRuleName", "PackName", "Identifier", "Reason"], f"Run.NotEvaluated[{i}]")
    for i, e in enumerate(doc["AggregateComplianceByConfigRules"]):
        w = f"AggregateComplianceByConfigRules[{i}]"
        triage = ["Severity", "Remediation", "Documentation"]
        nc = e.get("Compliance", {}).get("ComplianceType") == "NON_COMPLIANT"
        if keys(e, ["ConfigRuleName", "Compliance", "AccountId", "AwsRegion"] + (triage if nc else []), w):
            c = e["Compliance"]
            if keys(c, ["ComplianceType", "ComplianceContributorCount"], w + ".Compliance"):
                if c["ComplianceType"] not in RULE_CT:
                    bad(f"{w}: ComplianceType {c['ComplianceType']!r}")
                capped(c["ComplianceContributorCount"], w + ".ComplianceContributorCount")
    for i, e in enumerate(doc["AggregateEvaluationResults"]):
        w = f"AggregateEvaluationResults[{i}]"
        want = ["EvaluationResultIdentifier", "ComplianceType", "ResultRecordedTime",
                "ConfigRuleInvokedTime", "AccountId", "AwsRegion", "ResourceName", "ARN"]
        if "Waiver" in e:
            want.append("Waiver")
            keys(e["Waiver"], ["Rule", "Account", "Resource", "Reason", "ApprovedBy", "Expires", "Line"],
                 w + ".Waiver")
            if e["ComplianceType"] != "NON_COMPLIANT":
                bad(f"{w}: a Waiver on a {e['ComplianceType']} result")
        if "Annotation" in e:
            want.append("Annotation")
            if not isinstance(e["Annotation"], str):
                bad(f"{w}: Annotation is not a string")
        if keys(e, want, w):
            ident = e["EvaluationResultIdentifier"]
            if keys(ident, ["EvaluationResultQualifier", "OrderingTimestamp"], w + ".Identifier"):
                time(ident["OrderingTimestamp"], w + ".OrderingTimestamp")
                q = ident["EvaluationResultQualifier"]
                if keys(q, ["ConfigRuleName", "ResourceType", "ResourceId", "EvaluationMode"],
                        w + ".Qualifier"):
                    if q["EvaluationMode"] not in ("DETECTIVE", "PROACTIVE"):
                        bad(f"{w}: EvaluationMode {q['EvaluationMode']!r}")
            if e["ComplianceType"] not in CT:
                bad(f"{w}: ComplianceType {e['ComplianceType']!r}")
            time(e["ResultRecordedTime"], w + ".ResultRecordedTime")
            time(e["ConfigRuleInvokedTime"], w + ".ConfigRuleInvokedTime")
    cc = doc["AggregateComplianceCounts"]
    keys(cc, ["ACCOUNT_ID", "AWS_REGION"], "AggregateComplianceCounts")
    for g in ("ACCOUNT_ID", "AWS_REGION"):
        grp = cc[g]
        if keys(grp, ["GroupByKey", "AggregateComplianceCounts"], g):
            if grp["GroupByKey"] != g:
                bad(f"{g}: GroupByKey {grp['GroupByKey']!r}")
            for i, e in enumerate(grp["AggregateComplianceCounts"]):
                w = f"{g}[{i}]"
                if keys(e, ["GroupName", "ComplianceSummary"], w):
                    s = e["ComplianceSummary"]
                    if keys(s, ["CompliantResourceCount", "NonCompliantResourceCount",
                                "ComplianceSummaryTimestamp"], w + ".ComplianceSummary"):
                        capped(s["CompliantResourceCount"], w)
                        capped(s["NonCompliantResourceCount"], w)
                        time(s["ComplianceSummaryTimestamp"], w)
    for i, e in enumerate(doc["AggregateComplianceByConformancePacks"]):
        w = f"AggregateComplianceByConformancePacks[{i}]"
        if keys(e, ["ConformancePackName", "Compliance", "AccountId", "AwsRegion"], w):
            c = e["Compliance"]
            if keys(c, ["ComplianceType", "CompliantRuleCount", "NonCompliantRuleCount",
                        "TotalRuleCount"], w + ".Compliance"):
                if c["ComplianceType"] not in PACK_CT:
                    bad(f"{w}: ComplianceType {c['ComplianceType']!r}")
                if c["CompliantRuleCount"] + c["NonCompliantRuleCount"] > c["TotalRuleCount"]:
                    bad(f"{w}: counts exceed TotalRuleCount")
    lists = [doc["ConformancePackComplianceScores"]]
    lists += list(doc["ConformancePackComplianceScoresByAccount"].values())
    for lst in lists:
        for i, e in enumerate(lst):
            w = f"ConformancePackComplianceScores[{i}]"
            if keys(e, ["Score", "ConformancePackName", "LastUpdatedTime"], w):
                if e["Score"] != "INSUFFICIENT_DATA" and not re.match(r"^\d{1,3}\.\d$", e["Score"]):
                    bad(f"{w}: Score {e['Score']!r}")
                time(e["LastUpdatedTime"], w)


HEADER = ["run_id", "as_of", "pack_name", "config_rule_name", "account_id", "aws_region",
          "resource_type", "resource_id", "compliance_type", "annotation",
          "data_snapshot_time", "data_latest_delivery", "data_status",
          "severity", "remediation", "documentation", "waiver_reason", "waiver_approved_by",
          "waiver_expires", "resource_name", "arn", "rule_coverage", "account_name", "ou_path"]
ROW_TYPES = {"RUN_ERROR", "INPUT_FILE_FAILED", "RULE_COVERAGE"}
DATA_STATUS = {"fresh", "stale", "incomplete", "missing", ""}


def check_csv(data):
    text = data.decode("utf-8")  # must be valid UTF-8
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != HEADER:
        bad(f"csv header {rows[:1]}")
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(HEADER):
            bad(f"csv row {i}: {len(row)} fields")
            continue
        if row[8] in ROW_TYPES:
            continue
        if not re.match(r"^\d+ of \d+ rules? reached a verdict; ", row[21]):
            bad(f"csv row {i}: rule_coverage {row[21]!r}")
        if not row[23] or (row[23].startswith("(") and row[23] not in OU_LABELS):
            bad(f"csv row {i}: ou_path {row[23]!r}")
        if row[8] not in CT:
            bad(f"csv row {i}: compliance_type {row[8]!r}")
        if row[12] not in DATA_STATUS:
            bad(f"csv row {i}: data_status {row[12]!r}")
        for f in row:
            if f[:1] in ("=", "+", "-", "@", "\t", "\r"):
                bad(f"csv row {i}: field starts with a formula character: {f[:20]!r}")
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    if out.getvalue() != text:
        bad("csv does not round-trip through the csv module")
    # Every record ends with CRLF: no bare LF outside quoted fields.
    if not text.endswith("\r\n"):
        bad("csv does not end with CRLF")


def check_junit(data):
    root = ET.fromstring(data)
    if root.tag != "testsuites":
        bad(f"root is {root.tag}")
    total = [0, 0, 0]
    total_errors = 0
    for s in root.findall("testsuite"):
        cases = s.findall("testcase")
        fails = sum(1 for c in cases if c.find("failure") is not None)
        skips = sum(1 for c in cases if c.find("skipped") is not None)
        errs = sum(1 for c in cases if c.find("error") is not None)
        got = (int(s.get("tests")), int(s.get("failures")), int(s.get("skipped")))
        if got != (len(cases), fails, skips) or int(s.get("errors")) != errs:
            bad(f"testsuite {s.get('name')!r}: counts {got} != {(len(cases), fails, skips)}")
        total_errors += errs
        for c in cases:
            if not c.get("classname") or not c.get("name"):
                bad("testcase without classname or name")
        total = [total[0] + got[0], total[1] + got[1], total[2] + got[2]]
    if total != [int(root.get("tests")), int(root.get("failures")), int(root.get("skipped"))]:
        bad("testsuites totals do not add up")
    if total_errors != int(root.get("errors")):
        bad("testsuites errors do not add up")


def check_html(data):
    text = data.decode("utf-8")
    low = text.lower()
    if not low.startswith("<!doctype html>") or not low.rstrip().endswith("</html>"):
        bad("not a whole HTML document")
    # At most one script: inline, without attributes, and named by its
    # SHA-256 in the page's Content-Security-Policy, which allows nothing
    # else to load.
    csp = re.search(r'<meta http-equiv="content-security-policy" content="([^"]*)">', text, re.I)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S | re.I)
    if low.count("<script") != len(scripts) or len(scripts) > 1:
        bad("raw <script in the page")
    if not csp or not csp.group(1).startswith("default-src 'none'"):
        bad("no Content-Security-Policy with default-src 'none'")
    else:
        policy = csp.group(1)
        if "unsafe-inline" in policy or "unsafe-eval" in policy or "http" in policy:
            bad(f"CSP allows more than hashed inline code: {policy}")
        for attrs, body in scripts:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            if attrs.strip() or f"'sha256-{digest}'" not in policy:
                bad("a script the CSP does not name by its hash")
    for pat in (r"\bsrc\s*=", r"<link\b", r"@import", r"url\s*\(", r"<iframe", r"<object",
                r"<embed", r"<img\b", r"\son[a-z]+\s*="):
        if re.search(pat, low):
            bad(f"html contains {pat}")
    for m in re.finditer(r'href\s*=\s*"([^"]*)"', low):
        if not m.group(1).startswith(("#", "https://docs.aws.amazon.com/config/latest/developerguide/")):
            bad(f"html link leaves the page: {m.group(1)!r}")
    if re.search(r"<b>&", text):
        bad("unescaped data markup <b>")
    if "\x1b" in text or "\x01" in text:
        bad("control characters in the page")
    # Every element that opens is closed, in order (void elements aside).
    from html.parser import HTMLParser

    class Balance(HTMLParser):
        VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}

        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in self.VOID:
                self.stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            pass

        def handle_endtag(self, tag):
            if tag in self.VOID:
                return
            if not self.stack or self.stack[-1] != tag:
                bad(f"html: </{tag}> does not close <{self.stack[-1] if self.stack else ''}>"
                    f" at {self.getpos()}")
                return
            self.stack.pop()

    b = Balance()
    b.feed(text)
    if b.stack:
        bad(f"html: unclosed elements {b.stack}")


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    try:
        {"json": check_json, "csv": check_csv, "junit": check_junit, "html": check_html}[fmt](data)
    except Exception as e:  # a parse error is a failure, not a crash
        bad(f"{fmt}: {type(e).__name__}: {e}")
    for p in problems:
        print("# " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
