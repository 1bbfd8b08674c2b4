#!/bin/sh
# shellcheck disable=SC2086
# t1237: every reader of a run stored by reference to its base (eval
# --since-run, schema version 4) sees what it sees of the same run stored
# in full: report in every format, diff, bundle (byte for byte), the
# results view, and eval's waivers. The run stored in full is the same
# run in a copy of the store whose base was deleted (which stores it in
# full first, t1236).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
since_start 1237
rules=$since_ref_rules
cat >"$T/w.yaml" <<'YAML'
- rule: vpc-sg-open-only-to-authorized-ports
  account: "*"
  resource: "sg-*"
  reason: A test of waived results read through a base
  approved_by: security@example.com
  expires: 2099-12-31
- rule: s3-bucket-logging-enabled
  account: "*"
  resource: "*"
  reason: A test of waived results read through a base
  approved_by: security@example.com
  expires: 2099-12-31
YAML

check "day 1: ingest" cfgaudit --quiet ingest "$T/day1"
since_full "day 1: a full run" $rules --waivers "$T/w.yaml"
a=$run
check "day 2: ingest" cfgaudit --quiet ingest "$T/day2"
cfgaudit eval --since-run "$a" $rules --waivers "$T/w.yaml" >"$T/inc.out" 2>"$T/err"
b=$(sed -n "s/^run //p" "$T/inc.out")
check "day 2: run $b by reference to run $a" test "$(q "SELECT base_run FROM run_ref WHERE run_id = $b")" = "$a"
cfgaudit eval --jobs 1 $rules --waivers "$T/w.yaml" >"$T/full.out" 2>"$T/err"
f=$(sed -n "s/^run //p" "$T/full.out")
check "day 2: a full run" test "${f:-0}" -gt 0
since_results "$b" "$T/b"
since_results "$f" "$T/f"
check_same "run $b = full run $f" "$T/f" "$T/b"
check "some results waived" test "$(q "SELECT count(*) FROM run_waived WHERE run_id = $f")" -gt 0
check "the same results waived" test "$(q "SELECT count(*) FROM (SELECT rule_no, account_id,
	aws_region, resource_type, resource_id, waiver_no FROM run_waived WHERE run_id = $b
	EXCEPT SELECT rule_no, account_id, aws_region, resource_type, resource_id, waiver_no
	FROM run_waived WHERE run_id = $f)")" = 0
check "as many" test "$(q "SELECT count(*) FROM run_waived WHERE run_id = $b")" = \
	"$(q "SELECT count(*) FROM run_waived WHERE run_id = $f")"
grep -E '^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA|waived) ' "$T/inc.out" >"$T/inc.counts"
grep -E '^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA|waived) ' "$T/full.out" >"$T/full.counts"
check_same "the same summary counts" "$T/full.counts" "$T/inc.counts"

# What every reader prints of run b, by reference ...
read_all() { # DIR
	mkdir -p "$1"
	for fmt in text json csv html junit; do
		cfgaudit report --run "$b" --format "$fmt" >"$1/report.$fmt" 2>&1
	done
	cfgaudit report --run "$b" --by rule --format csv >"$1/report-by-rule.csv" 2>&1
	cfgaudit report --run "$b" --by resource >"$1/report-by-resource.txt" 2>&1
	cfgaudit diff "$a" "$b" >"$1/diff-ab.txt" 2>&1
	cfgaudit diff "$b" "$f" >"$1/diff-bf.txt" 2>&1
	cfgaudit diff --format json "$b" "$f" >"$1/diff-bf.json" 2>&1
	cfgaudit bundle --run "$b" -o "$1/bundle.tar.gz" >/dev/null 2>&1
	sha256sum <"$1/bundle.tar.gz" >"$1/bundle.sha"
	since_results "$b" "$1/results"
}
read_all "$T/ref"
check "report of run $b by reference" grep -q "NON_COMPLIANT" "$T/ref/report.csv"
check "a bundle of run $b by reference" test -s "$T/ref/bundle.tar.gz"
check "cfgaudit verify accepts it" cfgaudit verify "$T/ref/bundle.tar.gz"

# ... and in full: the same store with run b's base rows copied into its
# own and its records dropped (what the delete triggers do)
cp "$CFGAUDIT_DB" "$T/full.db"
CFGAUDIT_DB="$T/full.db"
q "BEGIN;
INSERT INTO run_results(run_id, rule_no, account_id, aws_region, resource_no, verdict,
	annotation_no) SELECT * FROM run_results_ref WHERE run_id = $b;
DELETE FROM run_reach WHERE run_id = $b;
DELETE FROM run_stale WHERE run_id = $b;
DELETE FROM run_places WHERE run_id = $b;
DELETE FROM run_ref WHERE run_id = $b;
DELETE FROM run_chain WHERE run_id = $b;
COMMIT;"
check "run $b is stored in full in the copy" test "$(q "SELECT count(*) FROM run_results
	WHERE run_id = $b")" = "$(wc -l <"$T/b")"
read_all "$T/full"
for f in report.text report.json report.csv report.html report.junit report-by-rule.csv \
	report-by-resource.txt diff-ab.txt diff-bf.txt diff-bf.json bundle.sha results; do
	check_same "$f: the same by reference as in full" "$T/full/$f" "$T/ref/$f"
done
done_testing
