#!/bin/sh
# t1806-bundle-controls-option: 'bundle --controls FILE' indexes the
# evidence by a user's own mapping (here SOC 2-like criteria onto the
# fixture's rules) instead of the shipped one; the mapping's bytes go into
# the bundle as controls/mapping.yaml, its SHA-256 is in SHA256SUMS and in
# the index, and verify checks it (a changed mapping, or an index without
# its mapping, fails). The run's own rules are known to the mapping. A
# bad mapping exits 3 and writes nothing, an unreadable one exits 2;
# --help and the man page name the option.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
R="$TOP_SRCDIR/tests/data/report"
D="$TOP_SRCDIR/tests/data/controls"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed"
"$MKDB" "$CFGAUDIT_DB" "$R/fixture.sql" "$R/bundle.sql" "$D/bundle-sources.sql" ||
	bail_out "cannot build the database"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

cat >"$T/soc2.yaml" <<'YAML'
# Our SOC 2 criteria onto AWS Config rules (reviewed 2026-12).
framework: SOC 2 (ours)
controls:
  - id: CC6.1
    title: Logical access
    rules: [S3_BUCKET_PUBLIC_READ_PROHIBITED, IAM_USER_MFA_ENABLED]
  - id: CC6.6
    title: Boundary protection
    rules: [INCOMING_SSH_DISABLED]
YAML

check_exit "bundle --help names --controls" 0 cfgaudit bundle --help
check_grep "... with what it does" '^  --controls FILE    index the evidence by the controls of this mapping' "$T/out"
check_grep "the man page documents it" '^\.BI \\-\\-controls " FILE"' "$TOP_SRCDIR/man/cfgaudit-bundle.1"

check "bundle --controls FILE" cfgaudit bundle --controls "$T/soc2.yaml" -o "$T/a.tar.gz"
check "again" cfgaudit bundle --controls "$T/soc2.yaml" -o "$T/b.tar.gz"
if cmp -s "$T/a.tar.gz" "$T/b.tar.gz"; then ok "same bytes"; else not_ok "same bytes"; fi
check "it verifies" cfgaudit verify "$T/a.tar.gz"
mkdir "$T/x"
tar xzf "$T/a.tar.gz" -C "$T/x" || bail_out "cannot unpack"
B="$T/x/cfgaudit-run-2"
I="$B/controls/index.json"
got=$(jq -c '[.Framework, .MappingMember, [.Controls[] | [.ControlId, .ComplianceType]]]' "$I")
[ "$got" = '["SOC 2 (ours)","controls/mapping.yaml",[["CC6.1","NON_COMPLIANT"],["CC6.6","INSUFFICIENT_DATA"]]]' ] &&
	ok "the index uses the given mapping" || not_ok "index: $got"
cmp -s "$T/soc2.yaml" "$B/controls/mapping.yaml" && ok "controls/mapping.yaml is the file, byte for byte" ||
	not_ok "controls/mapping.yaml differs"
sum=$(sha256sum "$T/soc2.yaml" | cut -d' ' -f1)
grep -q "^$sum  controls/mapping.yaml\$" "$B/SHA256SUMS" && ok "its SHA-256 in SHA256SUMS" || not_ok "SHA256SUMS"
[ "$(jq -r .MappingSha256 "$I")" = "$sum" ] && ok "... and in the index" || not_ok "MappingSha256"

# The shipped mapping (one naming the pack) goes in too when it is used.
mkdir -p "$T/data/packs/controls"
cp "$D/fixture-map.yaml" "$T/data/packs/controls/test.yaml"
cp "$TOP_SRCDIR/packs/controls/managed-rules.txt" "$T/data/packs/controls/"
ln -s "$TOP_SRCDIR/rules" "$T/data/rules"
CFGAUDIT_DATADIR="$T/data" check "bundle with a shipped mapping" cfgaudit bundle -o "$T/s.tar.gz"
tar xzf "$T/s.tar.gz" -C "$T/x" cfgaudit-run-2/controls/mapping.yaml -O >"$T/shipped" 2>/dev/null
cmp -s "$T/shipped" "$D/fixture-map.yaml" && ok "the shipped mapping is the member" || not_ok "shipped mapping member"
CFGAUDIT_DATADIR="$T/data" check "--controls wins over the shipped one" cfgaudit bundle --controls "$T/soc2.yaml" -o "$T/c.tar.gz"
tar xzf "$T/c.tar.gz" -O cfgaudit-run-2/controls/index.json >"$T/c.json"
[ "$(jq -r .Framework "$T/c.json")" = "SOC 2 (ours)" ] && ok "... the index says so" || not_ok "framework of --controls"

# verify: a changed mapping fails, as does an index without its mapping.
python3 - "$T/a.tar.gz" "$T" <<'PY' || bail_out "cannot build the tampered bundles"
import gzip, hashlib, io, sys, tarfile
src, out = sys.argv[1], sys.argv[2]
members = []
with tarfile.open(src, "r:gz") as t:
    for m in t.getmembers():
        members.append((m, t.extractfile(m).read()))
def write(name, edit):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for m, data in members:
            data = edit(m.name, data)
            if data is None:
                continue
            m.size = len(data)
            t.addfile(m, io.BytesIO(data))
    with open(f"{out}/{name}", "wb") as f:
        f.write(gzip.compress(buf.getvalue(), mtime=0))
def changed(name, data):
    return data.replace(b"CC6.6", b"CC6.7") if name.endswith("controls/mapping.yaml") else data
def dropped(name, data):
    if name.endswith("controls/mapping.yaml"):
        return None
    if name.endswith("/SHA256SUMS"):
        return b"".join(l + b"\n" for l in data.splitlines() if not l.endswith(b"controls/mapping.yaml"))
    return data
def orphaned(name, data):
    if name.endswith("controls/index.json"):
        return None
    if name.endswith("/SHA256SUMS"):
        return b"".join(l + b"\n" for l in data.splitlines() if not l.endswith(b"controls/index.json"))
    return data
write("changed.tar.gz", changed)
write("dropped.tar.gz", dropped)
write("orphaned.tar.gz", orphaned)
PY
check_exit "verify: a changed mapping fails" 2 cfgaudit verify "$T/changed.tar.gz"
check_grep "... naming it" "controls/mapping.yaml' does not match its SHA-256" "$T/err"
check "verify: an index without a mapping (a bundle made before mappings were bundled) verifies" cfgaudit verify "$T/dropped.tar.gz"
check_exit "verify: a mapping without its index fails" 2 cfgaudit verify "$T/orphaned.tar.gz"
check_grep "... saying so" 'has controls/mapping.yaml without controls/index.json' "$T/err"

# Bad mappings: exit 3 and nothing written; unreadable: exit 2.
check_exit "a duplicate control: exit 3" 3 cfgaudit bundle --controls "$D/dup.yaml" -o "$T/bad.tar.gz"
check_grep "... file:line:column" 'dup\.yaml:7:9: error: duplicate control' "$T/err"
[ ! -e "$T/bad.tar.gz" ] && ok "... nothing written" || not_ok "... nothing written"
check_exit "an unknown rule: exit 3" 3 cfgaudit bundle --controls "$D/unknown.yaml" -o "$T/bad.tar.gz"
check_exit "bad syntax: exit 3" 3 cfgaudit bundle --controls "$D/syntax.yaml" -o "$T/bad.tar.gz"
# The run's rules are known (a --rules-dir rule the run had).
sqlite3 "$CFGAUDIT_DB" "UPDATE run_rules SET identifier = 'CUSTOM_SSH_CHECK' WHERE run_id = 2 AND identifier = 'INCOMING_SSH_DISABLED'" ||
	bail_out "cannot rename a rule"
printf 'framework: Own\ncontrols:\n  - id: O-1\n    rules: [CUSTOM_SSH_CHECK]\n' >"$T/own.yaml"
check "a mapping naming a rule only the run has" cfgaudit bundle --controls "$T/own.yaml" -o "$T/own.tar.gz"
check_exit "... unknown for another run" 3 cfgaudit bundle --run 1 --controls "$T/own.yaml" -o "$T/bad.tar.gz"
[ ! -e "$T/bad.tar.gz" ] && ok "... nothing written" || not_ok "... nothing written"
check_exit "an unreadable mapping: exit 2" 2 cfgaudit bundle --controls "$T/none.yaml" -o "$T/bad.tar.gz"
[ ! -e "$T/bad.tar.gz" ] && ok "... nothing written" || not_ok "... nothing written"
done_testing
