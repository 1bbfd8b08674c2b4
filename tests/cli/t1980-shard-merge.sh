#!/bin/sh
# t1980-shard-merge: the sample organization evaluated whole and as 3
# shards under GNU parallel (ingest --shard K/N with the management
# account as context), merged: identical results resource by resource and
# an identical JSON report apart from run ids; report, bundle, verify and
# diff on the merged store; shards that must not merge are refused with
# the reason; selection errors at ingest.
. "$TOP_SRCDIR/tests/lib.sh"
command -v parallel >/dev/null || skip_all "GNU parallel not installed (tools/install-deps installs it)"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
command -v jq >/dev/null || skip_all "jq not installed"
PACK="$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml"
AS_OF=2026-11-07T12:00:00Z
MGMT=111111111111
# run and bundle times from the clock would differ between the two ways
export SOURCE_DATE_EPOCH=1796000000
results() {
	sqlite3 "$1" "SELECT pack_name, config_rule_name, account_id, aws_region,
		resource_type, resource_id, compliance_type, annotation, hex(item_key)
		FROM results WHERE run_id = ${2:-1} ORDER BY 1, 2, 3, 4, 5, 6"
}
report_json() {
	CFGAUDIT_DB="$1" cfgaudit report --format json | jq -S 'del(.. | .RunId?)'
}

# --- the whole organization, one store ---
check "ingest whole" cfgaudit --db "$T/all.db" --quiet ingest "$TESTDATA"
check_exit "eval whole" 1 cfgaudit --db "$T/all.db" --quiet eval --pack "$PACK" --as-of $AS_OF

# --- three shards, as a batch engine would run them ---
# one task of the array: an ordinary cfgaudit process over its shard
cat >"$T/job.sh" <<EOF
set -e
\${CFGAUDIT_WRAPPER:-} "$CFGAUDIT_BIN" --db "$T/s\$1.db" --quiet ingest --shard "\$1/3" \\
	--context-account $MGMT "$TESTDATA"
rc=0
\${CFGAUDIT_WRAPPER:-} "$CFGAUDIT_BIN" --db "$T/s\$1.db" --quiet eval --pack "$PACK" \\
	--as-of $AS_OF >/dev/null || rc=\$?
[ \$rc -le 1 ]
EOF
export CFGAUDIT_WRAPPER
check "3 shards under GNU parallel" parallel --will-cite --halt now,fail=1 sh "$T/job.sh" ::: 0 1 2
check "every shard holds the management account's items (context)" test \
	"$(sqlite3 "$T/s0.db" "SELECT count(DISTINCT account_id) FROM items WHERE account_id = '$MGMT'")" -eq 1
check "merge" cfgaudit merge -o "$T/org.db" "$T/s0.db" "$T/s1.db" "$T/s2.db"
check_grep "the summary counts shards and accounts" '^cfgaudit: merge: 3 shards, 5 accounts, ' "$T/err"

results "$T/all.db" >"$T/all.txt"
results "$T/org.db" >"$T/org.txt"
check "the whole run has results" test "$(wc -l <"$T/all.txt")" -gt 500
check_same "identical results, resource by resource" "$T/all.txt" "$T/org.txt"
report_json "$T/all.db" >"$T/all.json"
report_json "$T/org.db" >"$T/org.json"
check_same "identical JSON report apart from run ids" "$T/all.json" "$T/org.json"
check "the same item versions" test \
	"$(sqlite3 "$T/all.db" 'SELECT count(*) FROM items')" = "$(sqlite3 "$T/org.db" 'SELECT count(*) FROM items')"
check "merged_shards names each shard and its digest" test \
	"$(sqlite3 "$T/org.db" "SELECT count(*) FROM merged_shards WHERE length(shard_sha256) = 64")" -eq 3

# --- the merged store works as an unsharded one ---
check_exit "report" 1 cfgaudit --db "$T/org.db" report
check "bundle" cfgaudit --db "$T/org.db" bundle -o "$T/org.tar.gz"
check "verify" cfgaudit verify "$T/org.tar.gz"
check "the manifest lists every source file" test \
	"$(tar -xzOf "$T/org.tar.gz" --wildcards '*manifest*' 2>/dev/null | grep -c 'ConfigSnapshot')" -ge 70
check_exit "a later eval on the merged store" 1 cfgaudit --db "$T/org.db" --quiet eval --pack "$PACK" \
	--as-of 2026-11-04T12:00:00Z
check_exit "diff of that run and the merged one: newly non-compliant (exit 1)" 1 \
	cfgaudit --db "$T/org.db" diff 2 1
check_grep "it lists what changed" 'NON_COMPLIANT' "$T/out"

# --- what must not merge ---
check "eval shard 1 again at another time" sh -c \
	"cp '$T/s1.db' '$T/s1b.db' && '$CFGAUDIT_BIN' --db '$T/s1b.db' --quiet eval --pack '$PACK' --as-of 2026-11-06T00:00:00Z >/dev/null; [ \$? -le 1 ]"
check_exit "a shard evaluated at another as-of time" 2 cfgaudit merge -o "$T/x.db" \
	"$T/s0.db" "$T/s1b.db" "$T/s2.db"
check_grep "is refused with the reason" 's1b.db: error: run 2 differs from run 1 of .*s0.db in its as-of time' "$T/err"
check "and leaves nothing" test ! -e "$T/x.db"
check_exit "a missing shard" 2 cfgaudit merge -o "$T/x.db" "$T/s0.db" "$T/s2.db"
check_grep "names it" 'shard 1/3 is missing' "$T/err"
check_exit "the same shard twice" 2 cfgaudit merge -o "$T/x.db" "$T/s0.db" "$T/s1.db" "$T/s1.db" "$T/s2.db"
check_grep "says so" 'is shard 1/3, as another input is' "$T/err"
check_exit "an unsharded store" 2 cfgaudit merge -o "$T/x.db" "$T/all.db"
check_grep "is not a shard" 'was not loaded as a shard' "$T/err"
check_exit "an existing output" 2 cfgaudit merge -o "$T/org.db" "$T/s0.db" "$T/s1.db" "$T/s2.db"
check_exit "no output" 2 cfgaudit merge "$T/s0.db"

# --- explicit account lists, overlapping ---
printf '# first half\n111111111111\n222222222222\n' >"$T/a.txt"
printf '222222222222\n333333333333  # overlaps\n' >"$T/b.txt"
check "ingest list a" cfgaudit --db "$T/a.db" --quiet ingest --accounts "$T/a.txt" "$TESTDATA"
check "ingest list b" cfgaudit --db "$T/b.db" --quiet ingest --accounts "$T/b.txt" "$TESTDATA"
check "list a holds two accounts" test \
	"$(sqlite3 "$T/a.db" 'SELECT count(DISTINCT account_id) FROM items')" -eq 2
for x in a b; do
	check_exit "eval list $x" 1 cfgaudit --db "$T/$x.db" --quiet eval --pack "$PACK" --as-of $AS_OF
done
check_exit "overlapping lists" 2 cfgaudit merge -o "$T/x.db" "$T/a.db" "$T/b.db"
check_grep "name the account in both" 'account 222222222222 is in .*a.db too' "$T/err"

# --- selection errors at ingest ---
check_exit "--shard 3/3" 2 cfgaudit --db "$T/e.db" ingest --shard 3/3 "$TESTDATA"
check_grep "says how shards are numbered" "'3/3' is not K/N with 0 <= K < N" "$T/err"
check_exit "a shard of a store that holds every account" 2 cfgaudit --db "$T/all.db" ingest \
	--shard 0/3 "$TESTDATA"
check_grep "is refused" 'holds every account loaded so far; it cannot become shard 0/3' "$T/err"
check_exit "another selection into a shard" 2 cfgaudit --db "$T/s0.db" ingest --shard 1/3 "$TESTDATA"
check_grep "names both" 'holds shard 0/3, context 111111111111; it cannot load shard 1/3' "$T/err"
printf '111111111111\n12345\n' >"$T/bad.txt"
check_exit "a bad account list" 2 cfgaudit --db "$T/e.db" ingest --accounts "$T/bad.txt" "$TESTDATA"
check_grep "names file and line" 'bad.txt:2: error: .12345. is not an account id' "$T/err"
check_exit "--context-account alone" 2 cfgaudit --db "$T/e.db" ingest --context-account $MGMT "$TESTDATA"
check_exit "an 11-digit context account" 2 cfgaudit --db "$T/e.db" ingest --shard 0/2 \
	--context-account 11111111111 "$TESTDATA"
check "re-ingesting a shard with its selection is fine" cfgaudit --db "$T/s2.db" ingest \
	--shard 2/3 --context-account $MGMT "$TESTDATA"
check_grep "files of other accounts are not read" 'files and 0 items of accounts outside the selection not loaded' "$T/err"
# --- waivers: one file for every shard, counts summed by the merge ---
cat >"$T/waivers.yaml" <<'EOF'
- rule: INCOMING_SSH_DISABLED
  account: "*"
  resource: "*"
  reason: accepted for the test
  approved_by: ciso@example.com
  expires: "2099-12-31"
EOF
check_exit "eval whole with waivers" 0 cfgaudit --db "$T/all.db" --quiet eval \
	--as-of $AS_OF --waivers "$T/waivers.yaml" --rule INCOMING_SSH_DISABLED
for k in 0 1 2; do
	check_exit "eval shard $k with waivers" 0 cfgaudit --db "$T/s$k.db" --quiet eval \
		--as-of $AS_OF --waivers "$T/waivers.yaml" --rule INCOMING_SSH_DISABLED
done
check "merge runs with waivers" cfgaudit merge -o "$T/orgw.db" "$T/s0.db" "$T/s1.db" "$T/s2.db"
check "the waiver's count is the whole run's" test \
	"$(sqlite3 "$T/orgw.db" 'SELECT status || matched FROM run_waivers')" = \
	"$(sqlite3 "$T/all.db" 'SELECT status || matched FROM run_waivers WHERE run_id = (SELECT max(run_id) FROM runs)')"
check "and waives something" test "$(sqlite3 "$T/orgw.db" 'SELECT matched FROM run_waivers')" -gt 0
printf -- '- rule: INCOMING_SSH_DISABLED\n  account: "*"\n  resource: "sg-*"\n  reason: r\n  approved_by: a\n  expires: "2099-12-31"\n' >"$T/waivers2.yaml"
check_exit "one shard with another waivers file" 0 cfgaudit --db "$T/s1.db" --quiet eval \
	--as-of $AS_OF --waivers "$T/waivers2.yaml" --rule INCOMING_SSH_DISABLED
check_exit "is refused" 2 cfgaudit merge -o "$T/x.db" "$T/s0.db" "$T/s1.db" "$T/s2.db"
check_grep "naming the waivers file" 'in its waivers file' "$T/err"

done_testing
