#!/usr/bin/env python3
"""baseline_ingest.py DB TREE: the straightforward way to load an AWS Config
archive into SQLite, as the yardstick for `cfgaudit ingest` (bench/ingest.sh).

For every ConfigSnapshot / ConfigHistory .json.gz under TREE: gzip.open,
json.load the whole body, and insert one row per configuration item holding
the item's JSON, with executemany in one transaction per file. No
deduplication, no normalization, no provenance: a lower bound on the work
a script would do, not a rival implementation.

Prints "items=N files=M" on stdout.
"""
import gzip
import json
import os
import sqlite3
import sys


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: baseline_ingest.py DB TREE\n")
        return 2
    db = sqlite3.connect(sys.argv[1])
    db.execute("CREATE TABLE IF NOT EXISTS items(account_id TEXT, region TEXT, "
               "resource_type TEXT, resource_id TEXT, capture_time TEXT, "
               "state_id INTEGER, item TEXT)")
    n_items = n_files = 0
    for dirpath, _, files in os.walk(sys.argv[2]):
        if not (dirpath.endswith("/ConfigSnapshot") or dirpath.endswith("/ConfigHistory")):
            continue
        for name in sorted(files):
            if not name.endswith(".json.gz"):
                continue
            with gzip.open(os.path.join(dirpath, name), "rb") as f:
                body = json.load(f)
            rows = [(it.get("awsAccountId"), it.get("awsRegion"), it.get("resourceType"),
                     it.get("resourceId"), it.get("configurationItemCaptureTime"),
                     it.get("configurationStateId"), json.dumps(it))
                    for it in body.get("configurationItems", [])]
            with db:
                db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            n_items += len(rows)
            n_files += 1
    db.close()
    print("items=%d files=%d" % (n_items, n_files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
