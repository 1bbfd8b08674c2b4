#!/bin/sh
# t0901: trees written by tools/gen-archive have the layout of a real
# log-archive bucket (unpadded Config date folders, snapshot and history
# file names, CloudTrail objects, writability check), valid JSON in every
# file, and items in the S3 delivery shape (tests/data/gen/check_tree.py).
# Also the options: --unchanged, --big-snapshot, --no-gzip, bad input.
. "$TOP_SRCDIR/tests/lib.sh"

GEN="$TOP_BUILDDIR/tools/gen-archive"
CHECK="$TOP_SRCDIR/tests/data/gen/check_tree.py"
[ -x "$GEN" ] || skip_all "tools/gen-archive not built"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

# counter NAME: a value from the last line of check_tree.py's output
counter() {
	tail -1 "$T/out" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

check "generate 2 accounts x 2 regions x 3 days with churn" "$GEN" --out "$T/t" --seed 3 \
	--accounts 2 --regions us-west-2,ap-southeast-1 --days 3 --resources 80 --churn 0.2 \
	--prefix o-abcdefghij --quiet
check "the tree is valid" python3 "$CHECK" "$T/t" us-west-2
cp "$T/out" "$T/counts"
if [ "$(counter snapshots)" = 12 ]; then ok "12 snapshots"; else not_ok "snapshots: $(counter snapshots)"; fi
if [ "$(counter history)" -gt 10 ]; then ok "history files"; else not_ok "history: $(counter history)"; fi
if [ "$(counter deleted)" -gt 0 ]; then ok "ResourceDeleted items"; else not_ok "no deletions"; fi
if [ "$(counter iam)" -gt 0 ]; then ok "global IAM items"; else not_ok "no IAM items"; fi
if [ "$(counter wcheck)" = 2 ]; then ok "writability check per account"; else not_ok "wcheck: $(counter wcheck)"; fi
if [ "$(counter cloudtrail)" = 24 ]; then ok "CloudTrail objects"; else not_ok "cloudtrail: $(counter cloudtrail)"; fi

# the date folders, spelled out: 2026/11/1, never 2026/11/01
if find "$T/t" -path '*/Config/*' -type d | grep -Eq '/Config/[a-z0-9-]+/[0-9]{4}/0|/Config/[a-z0-9-]+/[0-9]{4}/[0-9]+/0'; then
	not_ok "a zero-padded Config date folder"
else
	ok "Config date folders are not zero-padded"
fi
if find "$T/t" -path '*/CloudTrail/*' -type d | grep -q '/2026/11/01$'; then
	ok "CloudTrail date folders are zero-padded"
else
	not_ok "CloudTrail folders"
fi
if [ -d "$T/t/o-abcdefghij/AWSLogs" ]; then ok "prefix before AWSLogs/"; else not_ok "no prefix"; fi

# the landing zone: every named account, and hostile strings somewhere
check "generate the landing zone" "$GEN" --landing-zone --seed 5 --out "$T/lz" --quiet
check "the landing zone tree is valid" python3 "$CHECK" "$T/lz" us-east-1
if [ "$(counter hostile)" -gt 0 ]; then ok "hostile strings present"; else not_ok "no hostile strings"; fi
n=$(find "$T/lz"/o-*/AWSLogs -mindepth 1 -maxdepth 1 -name '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' | wc -l)
if [ "$n" = 5 ]; then ok "five accounts"; else not_ok "accounts: $n"; fi

# --unchanged: every snapshot of an area holds the same items
check "generate --unchanged" "$GEN" --out "$T/u" --unchanged --days 4 --resources 50 --quiet
check "unchanged snapshots repeat the same items" python3 -c '
import gzip, json, sys, glob
files = sorted(glob.glob(sys.argv[1] + "/AWSLogs/*/Config/*/*/*/*/ConfigSnapshot/*.json.gz"))
assert len(files) == 4, files
items = [json.load(gzip.open(f))["configurationItems"] for f in files]
assert all(i == items[0] for i in items), "snapshots differ"
assert not glob.glob(sys.argv[1] + "/AWSLogs/*/Config/*/*/*/*/ConfigHistory/*")
' "$T/u"

# --no-gzip writes the same content as plain JSON
check "generate --no-gzip" "$GEN" --out "$T/p" --no-gzip --days 2 --resources 30 --quiet
check "generate the gzip twin" "$GEN" --out "$T/g" --days 2 --resources 30 --quiet
check "plain files equal the decompressed ones" python3 -c '
import gzip, os, sys
p, g = sys.argv[1], sys.argv[2]
n = 0
for d, _, fs in os.walk(p):
    for f in fs:
        a = os.path.join(d, f)
        if not f.endswith(".json"):
            continue
        b = os.path.join(g, os.path.relpath(a, p)) + ".gz"
        assert open(a, "rb").read() == gzip.open(b).read(), a
        n += 1
assert n > 4
' "$T/p" "$T/g"

# --big-snapshot: one file of about the requested size
check "generate --big-snapshot 3M" "$GEN" --out "$T/big" --big-snapshot 3M --quiet
check "one valid snapshot of at least 3 MiB" python3 -c '
import glob, gzip, json, sys
fs = [f for f in glob.glob(sys.argv[1] + "/**/*.json.gz", recursive=True)]
assert len(fs) == 1, fs
raw = gzip.open(fs[0]).read()
assert 3 << 20 <= len(raw) < (3 << 20) + (2 << 20), len(raw)
assert len(json.loads(raw)["configurationItems"]) > 500
' "$T/big"

check_exit "missing --out" 2 "$GEN" --days 1
check_exit "bad churn" 2 "$GEN" --out "$T/x" --churn 2
check_exit "bad date" 2 "$GEN" --out "$T/x" --start 2026-13-01
check_exit "bad region" 2 "$GEN" --out "$T/x" --regions 'us-east-1,../x'
check_exit "region given twice" 2 "$GEN" --out "$T/x" --regions us-east-1,eu-west-1,us-east-1
check_exit "unknown option" 2 "$GEN" --out "$T/x" --frobnicate
check "help" "$GEN" --help
check_grep "help documents --big-snapshot" 'big-snapshot BYTES' "$T/out"

done_testing
