#!/usr/bin/env python3
"""rollup_oracle.py DB RUN REPORT.json: recompute the AWS Config roll-ups of
a run straight from the database tables, independently of the C code, and
compare them with the JSON report. Prints each difference; exit 1 if any.

Rules: a rule in an (account, region) pair is NON_COMPLIANT if any result
is, COMPLIANT if any is COMPLIANT (and none NON_COMPLIANT), else
INSUFFICIENT_DATA. Pairs: run_scope rows (every rule of the run) except
region 'global', plus 'global' and pairs seen only in results (only the
rules with results there), as cfgaudit-report(1) documents. Packs: NC
if any rule NC, C if any C, else INSUFFICIENT_DATA. Score: C / (C + NC)
rule-resource pairs x 100, one decimal half up. Counts: rules per group.
"""
import json
import sqlite3
import sys
from collections import defaultdict


def score(c, nc):
    if c + nc == 0:
        return "INSUFFICIENT_DATA"
    tenths = (c * 2000 + (c + nc)) // (2 * (c + nc))
    return f"{tenths // 10}.{tenths % 10}"


def main():
    db, run, report = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(db)
    con.text_factory = lambda b: b.decode("utf-8", "replace")
    rules = con.execute("SELECT pack_name, config_rule_name FROM run_rules WHERE run_id=?",
                        (run,)).fetchall()
    scope = set(con.execute("SELECT account_id, aws_region FROM run_scope WHERE run_id=?"
                            " AND aws_region != 'global'", (run,)).fetchall())
    n = defaultdict(lambda: defaultdict(int))
    for pack, rule, acc, reg, ct in con.execute(
            "SELECT pack_name, config_rule_name, account_id, aws_region, compliance_type"
            " FROM results WHERE run_id=?", (run,)):
        n[(acc, reg, pack, rule)][ct] += 1
    pairs = scope | {(k[0], k[1]) for k in n}
    verdict = {}
    for acc, reg in pairs:
        for pack, rule in rules:
            k = (acc, reg, pack, rule)
            if k not in n and (acc, reg) not in scope:
                continue
            c = n[k]
            verdict[k] = ("NON_COMPLIANT" if c["NON_COMPLIANT"] else
                          "COMPLIANT" if c["COMPLIANT"] else "INSUFFICIENT_DATA")
    d = json.load(open(report))
    problems = []

    want = {(k[0], k[1], k[3], v,
             min(100, n[k]["NON_COMPLIANT"] if v == "NON_COMPLIANT" else
                 n[k]["COMPLIANT"] if v == "COMPLIANT" else 0)) for k, v in verdict.items()}
    got = {(e["AccountId"], e["AwsRegion"], e["ConfigRuleName"],
            e["Compliance"]["ComplianceType"],
            e["Compliance"]["ComplianceContributorCount"]["CappedCount"])
           for e in d["AggregateComplianceByConfigRules"]}
    if got != want:
        problems.append(f"rules: missing {sorted(want - got)[:5]} extra {sorted(got - want)[:5]}")

    packs = defaultdict(list)
    for k, v in verdict.items():
        if k[2]:
            packs[(k[0], k[1], k[2])].append(v)
    want = set()
    for (acc, reg, pack), vs in packs.items():
        ct = ("NON_COMPLIANT" if "NON_COMPLIANT" in vs else
              "COMPLIANT" if "COMPLIANT" in vs else "INSUFFICIENT_DATA")
        want.add((acc, reg, pack, ct, vs.count("COMPLIANT"), vs.count("NON_COMPLIANT"), len(vs)))
    got = {(e["AccountId"], e["AwsRegion"], e["ConformancePackName"],
            e["Compliance"]["ComplianceType"], e["Compliance"]["CompliantRuleCount"],
            e["Compliance"]["NonCompliantRuleCount"], e["Compliance"]["TotalRuleCount"])
           for e in d["AggregateComplianceByConformancePacks"]}
    if got != want:
        problems.append(f"packs: missing {sorted(want - got)[:5]} extra {sorted(got - want)[:5]}")

    tot = defaultdict(lambda: [0, 0])
    for k in verdict:
        if k[2]:
            for key in (k[2], (k[2], k[0])):
                tot[key][0] += n[k]["COMPLIANT"]
                tot[key][1] += n[k]["NON_COMPLIANT"]
    want = {(p, score(*tot[p])) for p in {k[2] for k in verdict if k[2]}}
    got = {(e["ConformancePackName"], e["Score"]) for e in d["ConformancePackComplianceScores"]}
    if got != want:
        problems.append(f"scores: want {sorted(want)} got {sorted(got)}")
    want = {(p, a, score(*tot[(p, a)])) for (_, _, p, _) in verdict if p
            for a in {k[0] for k in verdict}}
    got = {(e["ConformancePackName"], a, e["Score"])
           for a, lst in d["ConformancePackComplianceScoresByAccount"].items() for e in lst}
    if got != want:
        problems.append(f"account scores: missing {sorted(want - got)[:5]} extra {sorted(got - want)[:5]}")

    for g, idx in (("ACCOUNT_ID", 0), ("AWS_REGION", 1)):
        cnt = defaultdict(lambda: [0, 0])
        for k, v in verdict.items():
            cnt[k[idx]]
            if v == "COMPLIANT":
                cnt[k[idx]][0] += 1
            elif v == "NON_COMPLIANT":
                cnt[k[idx]][1] += 1
        want = {(name, min(c, 25), min(nc, 25)) for name, (c, nc) in cnt.items()}
        got = {(e["GroupName"], e["ComplianceSummary"]["CompliantResourceCount"]["CappedCount"],
                e["ComplianceSummary"]["NonCompliantResourceCount"]["CappedCount"])
               for e in d["AggregateComplianceCounts"][g]["AggregateComplianceCounts"]}
        if got != want:
            problems.append(f"counts {g}: want {sorted(want)} got {sorted(got)}")

    nres = con.execute("SELECT count(*) FROM results WHERE run_id=?", (run,)).fetchone()[0]
    if len(d["AggregateEvaluationResults"]) != nres:
        problems.append(f"results: {len(d['AggregateEvaluationResults'])} != {nres}")
    for p in problems:
        print("# " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
