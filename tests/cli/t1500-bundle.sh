#!/bin/sh
# t1500-bundle: 'cfgaudit bundle' writes a reproducible archive with every
# member in place, safe member names, the items behind the verdicts, and
# digests that sha256sum(1) and 'cfgaudit verify' accept.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
D="$TOP_SRCDIR/tests/data/report"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
"$MKDB" "$CFGAUDIT_DB" "$D/fixture.sql" "$D/bundle.sql" || bail_out "cannot build the database"

check_exit "bundle --help" 0 cfgaudit bundle --help
check_exit "bundle without -o is a usage error" 2 cfgaudit bundle
check_exit "bundle of a missing run" 2 cfgaudit bundle --run 99 -o "$T/x.tar.gz"
check_grep "names the run" "run '99' does not exist" "$T/err"
check_exit "bundle of a running run" 2 cfgaudit bundle --run 3 -o "$T/x.tar.gz"
if [ -e "$T/x.tar.gz" ]; then not_ok "nothing written on error"; else ok "nothing written on error"; fi

check "bundle the latest run" cfgaudit bundle -o "$T/a.tar.gz"
check "bundle it again" cfgaudit bundle --run 2 -o "$T/b.tar.gz"
if cmp -s "$T/a.tar.gz" "$T/b.tar.gz"; then ok "same run, same bytes"; else not_ok "same run, same bytes"; fi
check "bundle as zip" cfgaudit bundle -o "$T/a.zip"
check "zip again" cfgaudit bundle -o "$T/b.zip"
if cmp -s "$T/a.zip" "$T/b.zip"; then ok "zip: same bytes"; else not_ok "zip: same bytes"; fi
# Bundling later (another wall-clock time) changes nothing either.
SOURCE_DATE_EPOCH=2000000000 cfgaudit bundle -o "$T/c.tar.gz" 2>/dev/null
if cmp -s "$T/a.tar.gz" "$T/c.tar.gz"; then ok "independent of the clock"; else not_ok "independent of the clock"; fi

tar tzf "$T/a.tar.gz" >"$T/list" 2>"$T/err" || not_ok "tar lists the bundle"
cat >"$T/want" <<'LIST'
cfgaudit-run-2/SHA256SUMS
cfgaudit-run-2/items/items.jsonl
cfgaudit-run-2/manifest/source-files.json
cfgaudit-run-2/packs/Test-Pack__b____.yaml
cfgaudit-run-2/packs/_._.._.._tmp_evil_pack.yaml
cfgaudit-run-2/reports/report.csv
cfgaudit-run-2/reports/report.html
cfgaudit-run-2/reports/report.json
cfgaudit-run-2/rules/IAM_USER_MFA_ENABLED.sql
cfgaudit-run-2/rules/INCOMING_SSH_DISABLED.sql
cfgaudit-run-2/rules/S3_BUCKET_PUBLIC_READ_PROHIBITED.sql
cfgaudit-run-2/rules/S3_BUCKET_VERSIONING_ENABLED.sql
cfgaudit-run-2/run.json
LIST
check_same "members, sorted, data-derived names sanitised" "$T/want" "$T/list"
tar tvzf "$T/a.tar.gz" >"$T/long"
if grep -qv '^-rw-r--r-- root/root .* 2026-11-02 10:00 ' "$T/long"; then
	not_ok "mode 0644, root/root, run finish time"
	sed 's/^/#   /' "$T/long"
else
	ok "mode 0644, root/root, run finish time"
fi
if od -A n -t x1 -N 10 "$T/a.tar.gz" | grep -q '1f 8b 08 00 00 00 00 00'; then
	ok "gzip header has no name and no time"
else
	not_ok "gzip header has no name and no time"
fi

mkdir "$T/x"
tar xzf "$T/a.tar.gz" -C "$T/x"
if (cd "$T/x/cfgaudit-run-2" && sha256sum -c --quiet SHA256SUMS) >"$T/out" 2>&1; then
	ok "sha256sum -c accepts SHA256SUMS"
else
	not_ok "sha256sum -c accepts SHA256SUMS"
fi
if [ "$(ls -A "$T/x")" = "cfgaudit-run-2" ]; then ok "one top directory"; else not_ok "one top directory"; fi
R="$T/x/cfgaudit-run-2"
for f in json csv html; do
	cfgaudit report --run 2 --format $f >"$T/report.$f"
	check_same "reports/report.$f is the $f report" "$T/report.$f" "$R/reports/report.$f"
done
check_same "pack content from run_files" /dev/stdin "$R/packs/_._.._.._tmp_evil_pack.yaml" <<'EOF2'
Resources: {}
EOF2
python3 - "$R" >"$T/py" 2>&1 <<'PY'
import json, sys
r = sys.argv[1]
lines = [json.loads(l) for l in open(r + "/items/items.jsonl", encoding="utf-8")]
ids = [l["ConfigurationItem"]["resourceId"] for l in lines]
assert len(lines) == 4, ids
assert "<script>alert(1)</script>" in ids, ids
assert "unrelated" not in ids, ids
assert "evil\x01\x1b[31mred" in ids, ids
good = [l for l in lines if l["ConfigurationItem"]["resourceId"] == "good-bucket"][0]
assert sorted(v["ConfigRuleName"] for v in good["Verdicts"]) == [
    "s3-bucket-public-read-prohibited", "s3-bucket-versioning-enabled"], good
ci = [l for l in lines if l["ItemKey"].endswith("01")][0]["ConfigurationItem"]
assert ci["configuration"]["big"] == 12345678901234
assert ci["tags"] == {"env": "prod", 'quote"d': "a&b"}
assert ci["configurationStateId"] == 17 and ci["awsRegion"] == "us-east-1"
assert ci["configurationItemMD5Hash"] == ""
m = json.load(open(r + "/manifest/source-files.json"))
assert len(m) == 3 and m[-1]["status"] == "failed", m
assert set(m[0]) == {"path", "size", "sha256", "kind", "account", "region", "delivered_at",
                     "status"}
run = json.load(open(r + "/run.json"))
assert run["RunId"] == 2 and run["ToolVersion"] == "0.1.0", run
assert run["AsOf"] == "2026-11-01T00:00:00.000Z"
assert any(not x["Evaluated"] for x in run["Rules"])
print("ok")
PY
check_grep "items, manifest and run.json hold the right data" '^ok$' "$T/py"

check_exit "verify the tar.gz" 0 cfgaudit verify "$T/a.tar.gz"
check_grep "verify reports the member count" 'ok \(13 members verified\)' "$T/out"
check_exit "verify the zip" 0 cfgaudit verify "$T/a.zip"
check_exit "verify needs a file" 2 cfgaudit verify
check_exit "verify of a missing file" 2 cfgaudit verify "$T/none.tar.gz"
check_exit "bundle of run 1 (no items, no files)" 0 cfgaudit bundle --run 1 -o "$T/r1.tar.gz"
check_exit "which verifies" 0 cfgaudit verify "$T/r1.tar.gz"

done_testing
