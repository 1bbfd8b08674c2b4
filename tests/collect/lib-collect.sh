# lib-collect.sh: shared set-up of the cfgaudit-collect tests. Source it
# after tests/lib.sh. It puts the fake AWS CLI (tests/collect/fake/aws) on
# PATH, answering from tests/collect/fixtures/base, and provides:
#   collect ARGS...        run the script under test ($COLLECT_SHELL, default sh)
#   tree DIR               its files, the capture time replaced by T
#   man_calls              "service operation" of every call cfgaudit-collect(1) lists
#   check_readonly DESC    every call in the fake's log is one of man_calls,
#                          with --output json, and none is a mutating verb
#   expand FIXTURE ACCOUNT REGION   a fixture as the fake prints it

CD="$TOP_SRCDIR/tests/collect"
COLLECT="$TOP_SRCDIR/tools/cfgaudit-collect"
COLLECT_SHELL=${COLLECT_SHELL:-sh}
mkdir -p "$T/bin" "$T/state"
ln -s "$CD/fake/aws" "$T/bin/aws"
PATH="$T/bin:$PATH"
FAKE_AWS_LOG="$T/aws.log"
FAKE_AWS_STATE="$T/state"
FAKE_AWS_FIXTURES="$CD/fixtures/base"
CFGAUDIT_COLLECT_BACKOFF=0
CFGAUDIT_COLLECT_POLL=0
export PATH FAKE_AWS_LOG FAKE_AWS_STATE FAKE_AWS_FIXTURES CFGAUDIT_COLLECT_BACKOFF CFGAUDIT_COLLECT_POLL
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID \
	AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN FAKE_AWS_ACCOUNT FAKE_AWS_CONFIG_REGION \
	CFGAUDIT_COLLECT_AWS

collect() {
	$COLLECT_SHELL "$COLLECT" "$@"
}

# reset_fake: a fresh log and fresh throttling/pending counters.
reset_fake() {
	rm -f "$FAKE_AWS_LOG" "$FAKE_AWS_STATE"/*
}

tree() {
	(cd "$1" && find . -type f | sed 's,^\./,,; s,/[0-9]\{8\}T[0-9]\{6\}Z\([._]\),/T\1,' | LC_ALL=C sort)
}

man_calls() {
	sed -n '/^\.SH CALLS/,/^\.SH /p' "$TOP_SRCDIR/man/cfgaudit-collect.1" |
		sed -n 's/\\-/-/g; s/^\.B aws \([a-z0-9-]*\) \([a-z0-9-]*\).*/\1 \2/p' | LC_ALL=C sort -u
}

check_readonly() {
	man_calls >"$T/man-calls"
	awk '$3 != "configure" { print $3, $4 }' "$FAKE_AWS_LOG" | LC_ALL=C sort -u >"$T/made-calls"
	if LC_ALL=C comm -13 "$T/man-calls" "$T/made-calls" >"$T/unlisted" && [ ! -s "$T/unlisted" ]; then
		ok "$1: every call made is listed in cfgaudit-collect(1)"
	else
		not_ok "$1: calls made that cfgaudit-collect(1) does not list"
		sed 's/^/#   /' "$T/unlisted"
	fi
	if grep -Eq ' (create|delete|put|update|start|stop|enable|disable|tag|untag|attach|detach|modify|accept|invite|register|deregister|subscribe|unsubscribe|set|reset|remove|add|associate|disassociate|run|terminate|accept|decline|archive|unarchive)-' "$T/made-calls"; then
		not_ok "$1: a mutating verb reached the CLI"
		grep -E ' (create|delete|put|update|start|stop|enable|disable|tag|untag|set|remove|add)-' "$T/made-calls" | sed 's/^/#   /'
	else
		ok "$1: no mutating verb reached the CLI"
	fi
	if grep -v ' configure ' "$FAKE_AWS_LOG" | grep -v -- '--output json$' >"$T/nojson"; then
		not_ok "$1: calls without --output json"
		sed 's/^/#   /' "$T/nojson" | head -5
	else
		ok "$1: every call asked for --output json"
	fi
}

expand() {
	sed "s/@ACCOUNT@/$2/g; s/@REGION@/$3/g" "$1"
}
