#!/usr/bin/env python3
"""check_tree.py ROOT HOME_REGION: validate a tree written by tools/gen-archive.

Prints one line per problem and exits 1 if there is any; prints counters
("snapshots=N history=N items=N ...") on the last line otherwise. Checked:
key layout (unpadded Config dates, zero-padded CloudTrail dates), file
names against file bodies, valid JSON everywhere, every item has the S3
delivery keys in the emitted order with the right JSON types, IAM items
are global and only in the home region's files.
"""
import gzip
import json
import os
import re
import sys
import urllib.parse

ORDER = ["relatedEvents", "relationships", "configuration", "supplementaryConfiguration",
         "tags", "configurationItemVersion", "configurationItemCaptureTime",
         "configurationStateId", "awsAccountId", "configurationItemStatus", "resourceType",
         "resourceId", "resourceName", "ARN", "awsRegion", "availabilityZone",
         "configurationStateMd5Hash", "resourceCreationTime"]
OPTIONAL = {"ARN"}
STATUSES = {"OK", "ResourceDiscovered", "ResourceDeleted", "ResourceNotRecorded",
            "ResourceDeletedNotRecorded"}
CAPTURE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CONFIG = re.compile(
    r"^(?:(?P<prefix>.+)/)?AWSLogs/(?P<acct>\d{12})/Config/(?P<region>[a-z0-9-]+)/"
    r"(?P<y>\d{4})/(?P<m>[1-9]\d?)/(?P<d>[1-9]\d?)/(?P<kind>ConfigSnapshot|ConfigHistory)/"
    r"(?P<file>[^/]+)$")
SNAP = re.compile(r"^(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_"
                  r"([0-9a-f-]{36})\.json(\.gz)?$")
HIST = re.compile(r"^(\d{12})_Config_([a-z0-9-]+)_ConfigHistory_(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)_"
                  r"(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)_(\d+)\.json(\.gz)?$")
# cfgaudit-ingest(1) EVIDENCE: AWSLogs/<account>/Evidence/<region>/<service>/<operation>/<time>[_<arg>].json
EVIDENCE = re.compile(r"AWSLogs/\d{12}/Evidence/[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/"
                      r"\d{8}T\d{6}Z(_[A-Za-z0-9%._-]+)?\.json(\.gz)?$")
TRAIL = re.compile(r"/(CloudTrail|CloudTrail-Digest)/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/[^/]+\.json(\.gz)?$")
WCHECK = re.compile(r"AWSLogs/\d{12}/Config/ConfigWritabilityCheckFile$")

problems = []
count = {"evidence": 0, "snapshots": 0, "history": 0, "items": 0, "deleted": 0, "discovered": 0,
         "iam": 0, "cloudtrail": 0, "wcheck": 0, "hostile": 0}


def bad(path, msg):
    problems.append("%s: %s" % (path, msg))


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def check_item(path, it, acct, region, home, hist_type):
    keys = list(it.keys())
    want = [k for k in ORDER if k in it]
    if keys != want:
        bad(path, "key order %s" % keys)
    for k in ORDER:
        if k not in it and k not in OPTIONAL:
            bad(path, "item lacks %s" % k)
            return
    if not isinstance(it["configurationStateId"], int):
        bad(path, "configurationStateId is not an integer")
    if not CAPTURE.match(it["configurationItemCaptureTime"]):
        bad(path, "capture time %r" % it["configurationItemCaptureTime"])
    if it["configurationStateMd5Hash"] != "" or it["relatedEvents"] != []:
        bad(path, "md5 hash or related events not empty")
    if it["awsAccountId"] != acct:
        bad(path, "account %s in %s's file" % (it["awsAccountId"], acct))
    st = it["configurationItemStatus"]
    if st not in STATUSES:
        bad(path, "status %r" % st)
    deleted = st.startswith("ResourceDeleted")
    count["deleted"] += deleted
    count["discovered"] += st == "ResourceDiscovered"
    if deleted != (it["configuration"] is None):
        bad(path, "configuration null iff deleted")
    if not deleted and not isinstance(it["configuration"], dict):
        bad(path, "configuration is not an object")
    if not isinstance(it["tags"], dict) or not isinstance(it["supplementaryConfiguration"], dict):
        bad(path, "tags/supplementaryConfiguration not objects")
    for r in it["relationships"]:
        if sorted(r) != ["name", "resourceId", "resourceName", "resourceType"]:
            bad(path, "relationship keys %s" % sorted(r))
    t = it["resourceType"]
    if hist_type and t != hist_type:
        bad(path, "item of type %s in a %s history file" % (t, hist_type))
    if t.startswith("AWS::IAM::"):
        count["iam"] += 1
        if it["awsRegion"] != "global" or it["availabilityZone"] != "Not Applicable":
            bad(path, "IAM item not global")
        if region != home:
            bad(path, "IAM item outside the home region")
        if not deleted:
            c = it["configuration"]
            docs = [p.get("policyDocument") for p in c.get("userPolicyList", []) +
                    c.get("rolePolicyList", []) + c.get("groupPolicyList", [])]
            docs += [v.get("document") for v in c.get("policyVersionList", [])]
            if "assumeRolePolicyDocument" in c:
                docs.append(c["assumeRolePolicyDocument"])
            for d in docs:
                if not isinstance(d, str) or not d.startswith("%7B"):
                    bad(path, "IAM document is not URL-encoded: %r" % (d,)[:60])
                    continue
                # plain percent-decoding ('+' stays '+'), then JSON
                try:
                    doc = json.loads(urllib.parse.unquote(d))
                except ValueError:
                    bad(path, "IAM document does not decode to JSON")
                    continue
                if doc.get("Version") != "2012-10-17" or not doc.get("Statement"):
                    bad(path, "IAM document without Version/Statement")
    elif it["awsRegion"] != region:
        bad(path, "awsRegion %s in %s's file" % (it["awsRegion"], region))
    if t == "AWS::S3::Bucket" and not deleted:
        acl = it["supplementaryConfiguration"].get("AccessControlList")
        if not isinstance(acl, str) or not isinstance(json.loads(acl), dict):
            bad(path, "bucket ACL is not a JSON string")
        pol = it["supplementaryConfiguration"]["BucketPolicy"]["policyText"]
        if pol is not None and not isinstance(json.loads(pol), dict):
            bad(path, "bucket policy text is not a JSON document in a string")
    if t == "AWS::SNS::Topic" and it["resourceId"] != it["ARN"]:
        bad(path, "SNS resourceId is not the topic ARN")
    if t == "AWS::SNS::Topic" and not deleted:
        json.loads(it["configuration"]["Policy"])
    if t == "AWS::KMS::Key" and not deleted:
        json.loads(it["supplementaryConfiguration"]["Policy"])
        if not isinstance(it["supplementaryConfiguration"]["KeyRotationStatus"], bool):
            bad(path, "KeyRotationStatus is not a boolean")
    if t == "AWS::S3::AccountPublicAccessBlock" and it["resourceId"] != acct:
        bad(path, "account public access block id is not the account")
    text = json.dumps(it, ensure_ascii=False)
    if "<script>" in text or "\u0001" in text:
        count["hostile"] += 1


def main():
    root, home = sys.argv[1], sys.argv[2]
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if rel == "README.md":
                continue
            if WCHECK.search(rel):
                count["wcheck"] += 1
                if os.path.getsize(path) != 0:
                    bad(rel, "writability check file is not empty")
                continue
            if EVIDENCE.search(rel):
                count["evidence"] += 1
                if not isinstance(load(path), dict):
                    bad(rel, "evidence file is not one JSON object")
                continue
            if TRAIL.search(rel):
                count["cloudtrail"] += 1
                load(path)
                continue
            m = CONFIG.match(rel)
            if not m:
                bad(rel, "unexpected key layout")
                continue
            acct, region, kind, fname = m["acct"], m["region"], m["kind"], m["file"]
            body = load(path)
            if body.get("fileVersion") != "1.0" or not isinstance(body.get("configurationItems"), list):
                bad(rel, "not a Config file body")
                continue
            hist_type = None
            if kind == "ConfigSnapshot":
                count["snapshots"] += 1
                f = SNAP.match(fname)
                if not f or f[1] != acct or f[2] != region:
                    bad(rel, "snapshot file name")
                elif body.get("configSnapshotId") != f[4]:
                    bad(rel, "configSnapshotId differs from the name")
                if list(body) != ["fileVersion", "configSnapshotId", "configurationItems"]:
                    bad(rel, "snapshot top-level keys %s" % list(body))
                ts = f[3] if f else ""
            else:
                count["history"] += 1
                f = HIST.match(fname)
                if not f or f[1] != acct or f[2] != region:
                    bad(rel, "history file name")
                    continue
                hist_type = f[3]
                if list(body) != ["fileVersion", "configurationItems"]:
                    bad(rel, "history top-level keys %s" % list(body))
                if not body["configurationItems"]:
                    bad(rel, "empty history file")
                ts = f[5]
            if ts and (int(ts[0:4]), int(ts[4:6]), int(ts[6:8])) != (int(m["y"]), int(m["m"]), int(m["d"])):
                bad(rel, "date folder does not match the time in the name")
            for it in body["configurationItems"]:
                count["items"] += 1
                check_item(rel, it, acct, region, home, hist_type)
    for p in problems[:50]:
        print(p)
    print(" ".join("%s=%d" % kv for kv in sorted(count.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
