#!/usr/bin/env python3
"""shapes_table.py RESULTS JOBS: print bench/shapes.sh's figures as one
table, a column per shape, with the ratios to the floors and the targets.

RESULTS holds lines "SHAPE KEY VALUE...": for measured commands
"SHAPE NAME WALL USER SYS PEAK_RSSANON_KB PEAK_RSS_KB"."""
import sys

NAMES = {"a": "a: new org", "b": "b: month, 1% churn", "c": "c: one big snapshot",
         "d": "d: many small accounts"}


def main():
    path, jobs = sys.argv[1], sys.argv[2]
    data, order = {}, []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 3:
                continue
            if p[0] not in data:
                data[p[0]] = {}
                order.append(p[0])
            data[p[0]][p[1]] = p[2:]

    def m(s, k):
        v = data[s].get(k)
        if not v:
            return None
        w, u, sy, anon, rss = (float(x) for x in v[:5])
        return {"wall": w, "user": u, "sys": sy, "cpu": u + sy, "anon": anon / 1024, "rss": rss / 1024}

    rows = []

    def row(label, fn):
        cells = []
        for s in order:
            try:
                cells.append(fn(s) or "-")
            except (TypeError, KeyError, ZeroDivisionError, ValueError):
                cells.append("-")
        rows.append((label, cells))

    def tree(s):
        files, items, raw, gz = data[s]["tree"]
        return "%s files, %s items, %.0f MB JSON (%.0f MB gz)" % (
            files, items, int(raw) / 1e6, int(gz) / 1e6)

    def cmd(k, floor=None, mem=True):
        def f(s):
            x = m(s, k)
            if not x:
                return None
            t = "%.2f s (u %.2f, s %.2f)" % (x["wall"], x["user"], x["sys"])
            if floor:
                fl = m(s, floor)
                t += " = %.1fx wall, %.1fx cpu" % (x["wall"] / fl["wall"], x["cpu"] / fl["cpu"])
            if mem:
                t += "; %.0f/%.0f MB" % (x["anon"], x["rss"])
            return t
        return f

    def mbps(s):
        raw = int(data[s]["tree"][2]) / 1e6
        return "%.0f / %.0f / %.0f MB/s" % (raw / m(s, "floor")["wall"], raw / m(s, "ingest1")["wall"],
                                             raw / m(s, "ingestn")["wall"])

    def python(s):
        p = m(s, "python")
        if not p:
            return "skipped" if "python_skipped" in data[s] else None
        return "%.2f s (u %.2f, s %.2f): %.1fx / %.1fx cfgaudit" % (
            p["wall"], p["user"], p["sys"], p["wall"] / m(s, "ingest1")["wall"],
            p["wall"] / m(s, "ingestn")["wall"])

    def db(s):
        size, n = data[s]["db"]
        return "%.0f MB, %s item versions" % (int(size) / 1e6, n)

    def load(s):
        return "%s -> %s" % (data[s]["load_start"][0], data[s].get("load_end", ["?"])[0])

    row("shape", lambda s: NAMES.get(s, s))
    row("tree", tree)
    row("load average (1 min) start -> end", load)
    row("floor: gzip -dc", cmd("floor", mem=False))
    row("ingest --jobs 1 (x floor; RssAnon/RSS)", cmd("ingest1", "floor"))
    row("ingest --jobs %s" % jobs, cmd("ingestn", "floor"))
    row("MB/s: floor / --jobs 1 / --jobs %s" % jobs, mbps)
    row("python baseline (x slower)", python)
    row("database (after --jobs %s)" % jobs, db)
    row("eval floor: json_valid", cmd("efloor", mem=False))
    row("eval pack --jobs 1 (x floor)", cmd("pack1", "efloor"))
    row("eval pack --jobs 2", cmd("pack2", "efloor"))
    row("all rules --jobs %s" % jobs, cmd("alln", "efloor"))
    row("all rules --jobs 1", cmd("all1", "efloor"))

    targets = [
        "targets: ingest --jobs 1 <= 2.5x floor, all cores <= 1.5x; RssAnon < 100 MB on c;",
        "         eval pack <= 10x the eval floor, --jobs 2 never slower than --jobs 1;",
        "         all rules <= 15x. Memory: peak RssAnon (sampled, 20 ms) / peak RSS (ru_maxrss).",
        "On a busy machine compare the cpu ratios (user + sys against the floor's); the",
        "floor and the Python baseline ran in the same run as cfgaudit.",
    ]
    print("| measure | " + " | ".join(NAMES.get(s, s) for s in order) + " |")
    print("|---" * (len(order) + 1) + "|")
    for label, cells in rows[1:]:
        print("| %s | %s |" % (label, " | ".join(cells)))
    print()
    print("\n".join(targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
