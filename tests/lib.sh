# lib.sh: shared helpers for the command-line tests. Each test is a shell
# script that prints TAP. Source it first:  . "$TOP_SRCDIR/tests/lib.sh"
#
# Provides: cfgaudit (the binary under test, wrapped by valgrind when the
# suite runs in valgrind mode), a scratch directory $T removed at exit,
# ok / not_ok / check / check_exit / check_same / skip_all / bail_out / done_testing.

set -u
: "${TOP_SRCDIR:?run the tests through make check}"
: "${CFGAUDIT_BIN:?run the tests through make check}"
TESTDATA="$TOP_SRCDIR/testdata"
T=$(mktemp -d "${TMPDIR:-/tmp}/cfgaudit-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export CFGAUDIT_DB="$T/test.db"
tap_n=0
tap_fail=0

cfgaudit() {
	# shellcheck disable=SC2086
	${CFGAUDIT_WRAPPER:-} "$CFGAUDIT_BIN" "$@"
}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $*"
}

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
	desc=$1
	shift
	if "$@" >"$T/out" 2>"$T/err"; then
		ok "$desc"
	else
		not_ok "$desc (exit $?)"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

# check_exit DESCRIPTION STATUS COMMAND...: passes when the command exits STATUS.
check_exit() {
	desc=$1
	want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $got, expected $want)"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

# check_same DESCRIPTION EXPECTED-FILE ACTUAL-FILE
check_same() {
	if diff -u "$2" "$3" >"$T/diff" 2>&1; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/#   /' "$T/diff" | head -40
	fi
}

# check_grep DESCRIPTION PATTERN FILE: passes when FILE matches the ERE.
check_grep() {
	if grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   no line matches: $2"
		sed 's/^/#   /' "$3" | head -10
	fi
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" -eq 0 ]
}

# bail_out REASON: a precondition that must hold failed (a fixture that
# does not load is a failure, not a reason to skip).
bail_out() {
	echo "Bail out! $*"
	exit 1
}

# probe_rule DIR NAME EXPR FROM: write DIR/NAME.sql, a rule giving one
# COMPLIANT result per row of FROM with EXPR as its resource id: a test
# reads a derived table's rows back as results.
probe_rule() {
	cat >"$1/$2.sql" <<RULE
-- identifier: $2
-- name: $(echo "$2" | tr 'A-Z_' 'a-z-')
-- resource-types: AWS::EC2::Volume
-- description: a probe of $4.
SELECT 'X' AS resource_type, $3 AS resource_id,
       '111122223333' AS account_id, 'us-east-1' AS aws_region,
       'COMPLIANT' AS compliance_type, NULL AS annotation
FROM $4
RULE
}

# sg_version_json TIME STATE_ID: one security group of $CFGAUDIT_DB as a
# new configuration item captured at TIME, as a JSON array on stdout (a
# file of items without a delivery time, for ingest).
sg_version_json() {
	sqlite3 "$CFGAUDIT_DB" "SELECT json_object('version', '1.3', 'accountId', account_id,
		'configurationItemCaptureTime', '$1',
		'configurationItemStatus', 'OK', 'configurationStateId', '$2',
		'resourceType', resource_type, 'resourceId', resource_id, 'awsRegion', region,
		'configuration', json(configuration), 'supplementaryConfiguration', json('{}'),
		'tags', json('{}'), 'relationships', json('[]'))
		FROM items WHERE resource_type = 'AWS::EC2::SecurityGroup' AND configuration IS NOT NULL
		LIMIT 1" | sed 's/^/[/; s/$/]/'
}
