#!/bin/sh
# t1425-quiet-readonly-progress: --quiet after any command name; a
# read-only database (file mode 0444 in a read-only directory) read by
# every read-only command; audit shows progress on a terminal.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"

check "ingest --quiet" cfgaudit ingest --quiet "$D/day1.json" "$D/day2.json"
check_exit "eval --quiet" 0 cfgaudit eval --quiet --rule S3_BUCKET_VERSIONING_ENABLED
check_exit "audit --quiet" 1 cfgaudit audit --quiet --rule INCOMING_SSH_DISABLED "$D/day2.json"
[ -s "$T/err" ] && not_ok "audit --quiet prints nothing on stderr" || ok "audit --quiet prints nothing on stderr"
check "resources --quiet" cfgaudit resources --quiet
check_exit "coverage --quiet (stale data: 1)" 1 cfgaudit coverage --quiet
check "rules --quiet list" cfgaudit rules --quiet list
check "pack --quiet list" cfgaudit pack list --quiet
check_exit "diff --quiet 1 2" 1 cfgaudit diff --quiet 1 2
check_exit "history --quiet" 0 cfgaudit history --quiet sg-open1
check_exit "report --quiet" 1 cfgaudit report --quiet
check_exit "a --quiet that is a value is kept as one" 2 cfgaudit report --format --quiet

# Progress on a terminal (script gives audit one).
if command -v script >/dev/null 2>&1; then
	script -qec "$CFGAUDIT_BIN --db '$T/p.db' audit --rule INCOMING_SSH_DISABLED '$D/day1.json' >/dev/null" \
		/dev/null >"$T/tty" 2>&1
	check_grep "audit shows progress on a terminal" 'cfgaudit: audit: (ingest|evaluating)' "$T/tty"
	script -qec "$CFGAUDIT_BIN --db '$T/p.db' audit --quiet --rule INCOMING_SSH_DISABLED '$D/day1.json' >/dev/null" \
		/dev/null >"$T/tty" 2>&1
	if grep -q 'cfgaudit: audit:' "$T/tty"; then not_ok "  not with --quiet"; else ok "  not with --quiet"; fi
fi

# Read-only: root ignores file modes, so run as nobody then.
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
	done_testing
	exit
fi
mkdir "$T/ro"
cp "$CFGAUDIT_DB" "$T/ro/ro.db"
sqlite3 "$T/ro/ro.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
rm -f "$T/ro/ro.db-wal" "$T/ro/ro.db-shm"
chmod 0444 "$T/ro/ro.db"
chmod 0555 "$T/ro"
chmod 0755 "$T"
for cmd in report "report --format json" resources "history sg-open1" coverage "diff 1 2" \
	"rules list"; do
	# shellcheck disable=SC2086
	as_user "$CFGAUDIT_BIN" --db "$T/ro/ro.db" $cmd >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -le 1 ] && [ -s "$T/out" ]; then
		ok "read-only database: $cmd (exit $rc)"
	else
		not_ok "read-only database: $cmd (exit $rc)"
		sed 's/^/#   /' "$T/err" | head -3
	fi
done
chmod 0755 "$T/ro"
done_testing
