#!/usr/bin/env python3
"""measure.py RESULT CMD [ARG]...: run CMD, then write
"WALL PEAK_RSS_KB EXIT_STATUS CPU USER SYS PEAK_RSSANON_KB" to the file RESULT.

- WALL: seconds; CPU = USER + SYS: seconds of CMD and the descendants it
  waited for (getrusage(RUSAGE_CHILDREN)).
- PEAK_RSS_KB: ru_maxrss of the children, i.e. the largest resident set of
  any one of them, file-backed pages (a memory-mapped database, the
  binary) included.
- PEAK_RSSANON_KB: the largest sum of RssAnon (private anonymous memory,
  what the process allocated) over CMD and its descendants, read from
  /proc/PID/status every 20 ms; 0 where /proc is not available. A peak
  shorter than the sampling interval can be missed.

Works on a fresh Debian without GNU time. Exits with CMD's status."""
import os
import resource
import subprocess
import sys
import threading
import time


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _rssanon(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree_rssanon(pid):
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rssanon(p)
        todo.extend(_children(p))
    return total


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: measure.py RESULT CMD [ARG]...\n")
        return 2
    peak = [0]
    t0 = time.monotonic()
    proc = subprocess.Popen(sys.argv[2:])
    done = threading.Event()

    def sample():
        while not done.is_set():
            v = _tree_rssanon(proc.pid)
            if v > peak[0]:
                peak[0] = v
            done.wait(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    wall = time.monotonic() - t0
    done.set()
    th.join()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(sys.argv[1], "w") as f:
        f.write("%.3f %d %d %.3f %.3f %.3f %d\n" % (
            wall, ru.ru_maxrss, rc, ru.ru_utime + ru.ru_stime,
            ru.ru_utime, ru.ru_stime, peak[0]))
    return rc


if __name__ == "__main__":
    sys.exit(main())
