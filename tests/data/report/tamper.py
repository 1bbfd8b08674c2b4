#!/usr/bin/env python3
"""tamper.py: make altered copies of an evidence bundle for the verify
tests (tests/cli/t1501). Usage:

  tamper.py list IN                      member names, one a line
  tamper.py flip IN OUT MEMBER           flip one byte in MEMBER's contents
  tamper.py add IN OUT NAME              add a member NAME (below the top dir)
  tamper.py remove IN OUT MEMBER         drop MEMBER
  tamper.py replace IN OUT MEMBER FILE [MEMBER FILE]...
                                         MEMBER's contents become FILE's bytes
  tamper.py meta IN OUT FIELD            change FIELD (mode, uid, uname, mtime)
                                         of the last member, not its bytes
  tamper.py unsafe IN OUT KIND           add a hostile member: dotdot, absolute,
                                         symlink, hardlink, outside, dir, dup
Members keep their order, contents and metadata otherwise. IN and OUT are
.tar.gz, or .zip for flip/add/remove.
"""
import copy
import gzip
import io
import sys
import tarfile
import zipfile


def read_tar(path):
    with tarfile.open(path, "r:gz") as t:
        return [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]


def write_tar(path, members):
    # A gzip header like a bundle's: no file name, no time.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as t:
            for m, data in members:
                t.addfile(m, io.BytesIO(data) if data is not None else None)


def flip(data):
    b = bytearray(data)
    i = len(b) // 2
    b[i] ^= 0x01
    return bytes(b)


def main():
    op, src = sys.argv[1], sys.argv[2]
    if src.endswith(".zip"):
        with zipfile.ZipFile(src) as z:
            items = [(i, z.read(i)) for i in z.infolist()]
        if op == "list":
            for i, _ in items:
                print(i.filename)
            return 0
        dst, arg = sys.argv[3], sys.argv[4]
        top = items[0][0].filename.split("/")[0]
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            for i, data in items:
                if i.filename == arg and op == "remove":
                    continue
                if i.filename == arg and op == "flip":
                    data = flip(data)
                z.writestr(i, data)
            if op == "add":
                z.writestr(top + "/" + arg, b"extra\n")
        return 0

    members = read_tar(src)
    if op == "list":
        for m, _ in members:
            print(m.name)
        return 0
    dst, arg = sys.argv[3], sys.argv[4]
    top = members[0][0].name.split("/")[0]
    out = []
    repl = {}
    if op == "replace":
        pairs = sys.argv[4:]
        for i in range(0, len(pairs), 2):
            with open(pairs[i + 1], "rb") as f:
                repl[pairs[i]] = f.read()
    for m, data in members:
        if m.name in repl:
            m = copy.copy(m)
            data = repl[m.name]
            m.size = len(data)
        if op == "remove" and m.name == arg:
            continue
        if op == "flip" and m.name == arg:
            data = flip(data)
        out.append((m, data))
    if op == "add":
        # Same metadata as the bundle's own members: only the name is new.
        m = copy.copy(members[-1][0])
        m.name = top + "/" + arg
        m.size = 6
        out.append((m, b"extra\n"))
    elif op == "meta":
        m = copy.copy(out[-1][0])
        if arg == "mode":
            m.mode = 0o755
        elif arg == "uid":
            m.uid = 1000
        elif arg == "uname":
            m.uname = "mallory"
        elif arg == "mtime":
            m.mtime += 1
        out[-1] = (m, out[-1][1])
    elif op == "unsafe":
        m = tarfile.TarInfo()
        data = b"x\n"
        if arg == "dotdot":
            m.name = top + "/../escaped"
        elif arg == "absolute":
            m.name = "/tmp/escaped"
        elif arg == "outside":
            m.name = "elsewhere/file"
        elif arg == "symlink":
            m.name, m.type, m.linkname, data = top + "/link", tarfile.SYMTYPE, "/etc/passwd", None
        elif arg == "hardlink":
            m.name, m.type, m.linkname, data = top + "/hard", tarfile.LNKTYPE, top + "/run.json", None
        elif arg == "dir":
            m.name, m.type, data = top + "/subdir", tarfile.DIRTYPE, None
        elif arg == "dup":
            m, data = members[-1]
        if data is not None:
            m.size = len(data)
        out.insert(0 if arg == "dup" else len(out), (m, data))
    write_tar(dst, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
