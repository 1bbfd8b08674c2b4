#!/usr/bin/env python3
"""measure.py RESULT CMD [ARG]...: run CMD, then write "WALL_SECONDS PEAK_RSS_KB
EXIT_STATUS CPU_SECONDS" to the file RESULT (CPU = user + system time of CMD
and the descendants it waited for). Peak RSS is the child's ru_maxrss from
getrusage(RUSAGE_CHILDREN), which works on a fresh Debian without GNU time.
Exits with CMD's status."""
import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: measure.py RESULT CMD [ARG]...\n")
        return 2
    t0 = time.monotonic()
    rc = subprocess.call(sys.argv[2:])
    wall = time.monotonic() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(sys.argv[1], "w") as f:
        f.write("%.3f %d %d %.3f\n" % (wall, ru.ru_maxrss, rc, ru.ru_utime + ru.ru_stime))
    return rc


if __name__ == "__main__":
    sys.exit(main())
