#!/usr/bin/env python3
"""garble-fixtures.py RULES_DIR OUT MODE... | --args: copy every rule fixture's item
files into OUT/MODE/, damaged as MODE says, for the tests that feed damaged
items to every rule (t1605, t1606).

Each fixture directory gets accounts of its own (its 12-digit account ids
renumbered in the text and in the file names alike), so that in one shared
store one fixture's snapshots do not end another's resources. Modes:
  clean          the items as they are (renumbered only)
  members        each member of configuration and supplementaryConfiguration
                 that is an object, an array or JSON inside a string becomes
                 a string that is not JSON
  deep           every JSON string at any depth of those two becomes one
  numbers        each such member becomes a number
  relationships  every item's relationships gain elements that are not
                 relationships: a string, a number, null, an object of
                 wrong-typed fields (the real ones are kept)
Files that are not JSON (fixtures that are bad on purpose) are skipped.
With --args instead, it reads `cfgaudit rules list --format json` on
standard input and prints the arguments that evaluate every rule (sample
values for the parameters that have no default)."""
import glob
import json
import os
import re
import sys

JUNK_RELATIONSHIPS = ["x", 12, None, {"resourceType": 5, "resourceId": {"a": 1}, "name": []}]
GARBLED = '{"Statement": [{"Effect": "Allow"'  # cut short: not JSON
SAMPLES = {"string": "111122223333", "csv": "kms:Decrypt,kms:ReEncryptFrom", "int": "1",
           "bool": "true"}


def every_rule_args():
    out = []
    for r in json.load(sys.stdin):
        out += ["--rule", r["identifier"]]
        for p in r.get("parameters", []):
            if not p.get("optional") and p.get("default") is None:
                out += ["--param", "%s.%s=%s" % (r["identifier"], p["name"],
                                                 SAMPLES.get(p["type"], "1"))]
    print(" ".join(out))


def is_json_text(v):
    return isinstance(v, str) and v[:1] in "{["


def garble_members(c, mode):
    for k, v in list(c.items()):
        if isinstance(v, (dict, list)) or is_json_text(v):
            c[k] = GARBLED if mode == "members" else 12
    return c


def garble_deep(v):
    if isinstance(v, dict):
        return {k: garble_deep(x) for k, x in v.items()}
    if isinstance(v, list):
        return [garble_deep(x) for x in v]
    return GARBLED if is_json_text(v) else v


def garble_documents(o, mode):
    for col in ("configuration", "supplementaryConfiguration"):
        c = o.get(col)
        if is_json_text(c):
            try:
                c = json.loads(c)
            except ValueError:
                continue
        if isinstance(c, dict):
            o[col] = garble_deep(c) if mode == "deep" else garble_members(c, mode)


def renumber(text, case, ids):
    def new_id(m):
        if m.group(0) not in ids:
            ids[m.group(0)] = "%04d%08d" % (case, len(ids) + 1)
        return ids[m.group(0)]
    return re.sub(r"(?<![0-9])[0-9]{12}(?![0-9])", new_id, text)


def damage(o, mode):
    if isinstance(o, dict):
        if "resourceType" in o:
            if mode == "relationships":
                rel = o.get("relationships")
                o["relationships"] = (rel if isinstance(rel, list) else []) + JUNK_RELATIONSHIPS
            elif mode in ("members", "deep", "numbers"):
                garble_documents(o, mode)
            return o
        return {k: damage(v, mode) for k, v in o.items()}
    if isinstance(o, list):
        return [damage(v, mode) for v in o]
    return o


def main():
    if sys.argv[1:] == ["--args"]:
        every_rule_args()
        return
    root, out, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = sorted(f for f in glob.glob(os.path.join(root, "**", "*.json"), recursive=True)
                   if "/AWSLogs/" not in f)
    dirs = sorted(set(os.path.dirname(f) for f in files))
    for mode in modes:
        n = 0
        for case, fdir in enumerate(dirs):
            ids = {}
            sub = os.path.join(out, mode, str(case))
            os.makedirs(sub)
            for f in files:
                if os.path.dirname(f) != fdir:
                    continue
                try:
                    doc = json.loads(renumber(open(f).read(), case, ids))
                except ValueError:
                    continue
                n += 1
                name = renumber(os.path.basename(f), case, ids)
                with open(os.path.join(sub, name), "w") as w:
                    json.dump(damage(doc, mode), w)
        print("# %s: %d fixture files in %d directories" % (mode, n, len(dirs)))


if __name__ == "__main__":
    main()
