#!/bin/sh
# t1607: a store edited by hand (sqlite3) so that an item's configuration
# is not JSON: a derived table the data cannot build fails only the rules
# that read it (log_groups, built by SQL; security_group_sources and
# s3_bucket_facts, built in C), and so does a rule whose own statement
# reads the bad JSON; the errors are stored in run_errors; the run is
# incomplete; eval, audit and diff exit 2 (never 3: no rule is invalid);
# the other rules give the results of the store before the edit; every
# report format of that run says it is incomplete and lists the errors,
# and the default report is of the last complete run. A configuration of
# the wrong type (a number, a string, an array) is no error.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
R="$TOP_SRCDIR/tests/rules"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }

# Log groups (two rules read log_groups), security groups (two rules
# read security_group_sources, INCOMING_SSH_DISABLED reads the items),
# buckets (S3_BUCKET_VERSIONING_ENABLED reads the items,
# S3_BUCKET_LOGGING_ENABLED reads s3_bucket_facts).
lg="--rule CW_LOGGROUP_RETENTION_PERIOD_CHECK --rule CLOUDWATCH_LOG_GROUP_ENCRYPTED"
sg="--rule RESTRICTED_INCOMING_TRAFFIC --rule VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
other="--rule INCOMING_SSH_DISABLED --rule S3_BUCKET_VERSIONING_ENABLED"
s3="--rule S3_BUCKET_LOGGING_ENABLED"
rules="$lg $sg $other $s3"
check "ingest" cfgaudit --quiet ingest "$R/CW_LOGGROUP_RETENTION_PERIOD_CHECK/items.json" \
	"$R/S3_BUCKET_VERSIONING_ENABLED/items.json" "$R/INCOMING_SSH_DISABLED/items.json"

# The results of run $1 of the rules named (config rule names) $2..
results() {
	run=$1
	shift
	names=$(printf "'%s'," "$@")
	q "SELECT config_rule_name, account_id, aws_region, resource_type, resource_id,
	   compliance_type, coalesce(annotation, '') FROM results WHERE run_id = $run
	   AND config_rule_name IN (${names%,}) ORDER BY 1, 2, 3, 4, 5"
}
others="incoming-ssh-disabled s3-bucket-versioning-enabled"
run_of() { sed -n 's/^run //p' "$T/out"; }

# shellcheck disable=SC2086
check_exit "the store as ingested: a complete run" 1 cfgaudit eval --jobs 1 $rules
clean=$(run_of)
results "$clean" $others >"$T/clean"
check "  with results of the other rules ($(wc -l <"$T/clean"))" test "$(wc -l <"$T/clean")" -ge 5
for name in cw-loggroup-retention-period-check restricted-common-ports s3-bucket-logging-enabled; do
	check "  and of $name" test "$(results "$clean" $name | wc -l)" -gt 0
done
cp "$CFGAUDIT_DB" "$T/clean.db"

# configuration of the current version of one resource of type $1 := $2
edit() {
	q "UPDATE items SET configuration = $2 WHERE rowid = (SELECT rowid FROM items
	   WHERE resource_type = '$1' AND configuration IS NOT NULL
	   ORDER BY capture_time DESC, rowid DESC LIMIT 1)"
}

# failed_run DESC JOBS NFAILED PATTERN: eval of every rule after an edit:
# NFAILED rules not evaluated, each with an error matching PATTERN.
failed_run() {
	what=$1 jobs=$2 nfailed=$3 pattern=$4
	# shellcheck disable=SC2086
	check_exit "$what: eval exits 2" 2 cfgaudit eval --jobs "$jobs" $rules
	cp "$T/out" "$T/eval.out"
	cp "$T/err" "$T/eval.err"
	run=$(sed -n 's/^run //p' "$T/eval.out")
	check "$what: the run is stored ($run)" test "${run:-0}" -gt "$clean"
	check_grep "$what: it says incomplete" "^status incomplete: $nfailed errors? " "$T/eval.out"
	total=$(echo "$rules" | grep -o -- '--rule' | wc -l)
	check_grep "$what: $nfailed rules not evaluated, none invalid" \
		"^rules $((total - nfailed)) evaluated, $nfailed not evaluated, 0 invalid\$" "$T/eval.out"
	check "$what: each error on stderr names its rule" test \
		"$(grep -Ec "rules/[A-Z_0-9]+\.sql(:[0-9]+)?: error: $pattern" "$T/eval.err")" = "$nfailed"
	q "SELECT path || ': ' || message FROM run_errors WHERE run_id = $run" >"$T/errors"
	check "$what: run_errors holds the $nfailed errors, each its rule's" test \
		"$(grep -Ec "rules/[A-Z_0-9]+\.sql: $pattern" "$T/errors")" = "$nfailed"
	check "$what: the run is not the latest complete one" test \
		"$(cfgaudit report --format json 2>/dev/null | grep -o '"RunId": [0-9]*')" = \
		"\"RunId\": $clean"
	results "$run" $others >"$T/after"
	check_same "$what: the other rules' results are the store's before the edit" \
		"$T/clean" "$T/after"
}

# ---- a derived table built by SQL (log_groups) ----
edit AWS::Logs::LogGroup "'{\"LogGroupName\": '"
for j in 1 2; do
	failed_run "log_groups (--jobs $j)" $j 2 'derived table log_groups: .*malformed JSON'
	check "log_groups (--jobs $j): no results of the rules reading it" \
		test "$(results "$run" cw-loggroup-retention-period-check \
			cloudwatch-log-group-encrypted | wc -l)" = 0
	check "log_groups (--jobs $j): the rules reading security groups ran" \
		test "$(results "$run" restricted-common-ports | wc -l)" -gt 0
done
lgrun=$run

# Every report format of that run says it is incomplete and lists them.
check_exit "report --run $lgrun exits 3 (incomplete)" 3 cfgaudit report --run "$lgrun"
check_grep "  text: INCOMPLETE RUN on line 2" '^INCOMPLETE RUN: 2 errors' "$T/out"
[ "$(sed -n 2p "$T/out" | cut -c1-15)" = "INCOMPLETE RUN:" ] && ok "  on line 2" ||
	not_ok "  on line 2"
check_grep "  with the error" 'derived table log_groups' "$T/out"
check_exit "  json" 3 cfgaudit report --run "$lgrun" --format json
check_grep "  json: Complete false" '"Complete": false' "$T/out"
check_grep "  json: the error" '"Message": "[^"]*derived table log_groups' "$T/out"
check_exit "  junit" 3 cfgaudit report --run "$lgrun" --format junit
check_grep "  junit: an <error> element" '<error message="[^"]*derived table log_groups' "$T/out"
check_exit "  csv" 3 cfgaudit report --run "$lgrun" --format csv
check_grep "  csv: a RUN_ERROR row" 'RUN_ERROR,.*derived table log_groups' "$T/out"
check_exit "  html" 3 cfgaudit report --run "$lgrun" --format html
check_grep "  html: an Incomplete run section" '<h2>Incomplete run: 2 errors</h2>' "$T/out"
check_exit "report without --run: the last complete run" 1 cfgaudit report
check_grep "  run $clean" "^cfgaudit compliance report, run $clean\$" "$T/out"
check_grep "  and warns of the newer incomplete one" "run $lgrun is newer but incomplete" "$T/err"

# audit (ingest, eval, report) and diff (two evaluations) exit 2 too.
# shellcheck disable=SC2086
check_exit "audit exits 2" 2 cfgaudit audit --jobs 2 $rules \
	"$R/S3_BUCKET_VERSIONING_ENABLED/items.json"
check_grep "  its report says incomplete" '^INCOMPLETE RUN: 2 errors' "$T/out"
check_grep "  the error on stderr" 'error: derived table log_groups' "$T/err"
check "  and its run is incomplete" test "$(q "SELECT count(*) FROM run_errors
	WHERE run_id = (SELECT max(run_id) FROM runs)")" = 2
# shellcheck disable=SC2086
check_exit "diff --from --to exits 2" 2 cfgaudit diff --from 2026-11-20T12:00:00Z \
	--to 2026-11-22T00:00:00Z --jobs 1 $rules
check_grep "  the error on stderr" 'error: derived table log_groups' "$T/err"
check "  both its runs are incomplete" test "$(q "SELECT count(DISTINCT run_id) FROM run_errors
	WHERE run_id > (SELECT max(run_id) - 2 FROM runs)")" = 2
check_exit "diff of the clean and the incomplete run compares them" 0 \
	cfgaudit diff "$clean" "$lgrun"
check_grep "  and warns" "run $lgrun is incomplete \\(2 errors\\)" "$T/err"

# --since-run from the incomplete run is refused: its results are not all.
# shellcheck disable=SC2086
check_exit "--since-run from the incomplete run: exit 2" 2 \
	cfgaudit eval --since-run "$lgrun" --jobs 1 $rules
check_grep "  says why" "run $lgrun cannot be reused: it has 2 errors" "$T/err"

# ---- derived tables built in C, and a rule's own statement ----
cp "$T/clean.db" "$CFGAUDIT_DB"
rm -f "$CFGAUDIT_DB-wal" "$CFGAUDIT_DB-shm"
edit AWS::EC2::SecurityGroup "'{\"groupId\": [1, 2'"
for j in 1 2; do
	# the two rules of security_group_sources and INCOMING_SSH_DISABLED
	failed_run "security_group_sources (--jobs $j)" $j 3 \
		'(derived table security_group_sources: .*not valid JSON|malformed JSON)'
	check "security_group_sources (--jobs $j): the log group rules ran" \
		test "$(results "$run" cw-loggroup-retention-period-check | wc -l)" -gt 0
done
cp "$T/clean.db" "$CFGAUDIT_DB"
rm -f "$CFGAUDIT_DB-wal" "$CFGAUDIT_DB-shm"
edit AWS::S3::Bucket "'{\"name\": '"
others="incoming-ssh-disabled"
results "$clean" $others >"$T/clean"
for j in 1 2; do
	# s3_bucket_facts' rule and S3_BUCKET_VERSIONING_ENABLED
	failed_run "s3_bucket_facts (--jobs $j)" $j 2 \
		'(derived table s3_bucket_facts: .*malformed JSON|malformed JSON)'
done

# ---- a configuration of the wrong type: no error ----
others="incoming-ssh-disabled s3-bucket-versioning-enabled"
results "$clean" $others >"$T/clean"
for v in "'42'" "'\"a string\"'" "'[1, 2]'" "'null'" "'{\"LogGroupName\": [\"x\"]}'"; do
	cp "$T/clean.db" "$CFGAUDIT_DB"
	rm -f "$CFGAUDIT_DB-wal" "$CFGAUDIT_DB-shm"
	edit AWS::Logs::LogGroup "$v"
	# shellcheck disable=SC2086
	cfgaudit eval --jobs 2 $rules >"$T/out" 2>"$T/err"
	rc=$?
	run=$(run_of)
	check "a log group's configuration $v: exit $rc, a complete run" test "$rc" -le 1 -a \
		"${run:-0}" -gt 0 -a "$(q "SELECT count(*) FROM run_errors WHERE run_id = ${run:-0}" \
		2>/dev/null || echo 0)" = 0
	results "$run" $others >"$T/after"
	check_same "  the other rules' results" "$T/clean" "$T/after"
done

done_testing
