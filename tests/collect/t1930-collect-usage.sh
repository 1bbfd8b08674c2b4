#!/bin/sh
# t1930-collect-usage: cfgaudit-collect's options, usage errors (exit 2),
# the region it falls back to, its portability (sh -n, dash, shellcheck,
# checkbashisms where installed), and that its man page lists every AWS
# call the script can make.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"

# --- the script itself -------------------------------------------------------
check "sh -n" sh -n "$COLLECT"
if command -v dash >/dev/null 2>&1; then
	check "dash -n" dash -n "$COLLECT"
else
	ok "# SKIP dash not installed"
fi
if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck -s sh: no finding" shellcheck -s sh "$COLLECT" "$CD/fake/aws"
else
	ok "# SKIP shellcheck not installed"
fi
if command -v checkbashisms >/dev/null 2>&1; then
	check "checkbashisms: no bashism" checkbashisms "$COLLECT"
else
	ok "# SKIP checkbashisms not installed"
fi
check "executable" test -x "$COLLECT"

# Every call the script can make (call ... SERVICE OPERATION, aws_run ...
# SERVICE OPERATION) is in the man page's CALLS list.
sed -n 's/.*[ 	]\(list_\)\{0,1\}call "\$[a-z_0-9]*" [^ ]* \([a-z0-9]*\) \([a-z0-9-]*\) .*/\2 \3/p
	s/.*aws_run "\$[a-z_0-9]*" \([a-z0-9]*\) \([a-z0-9-]*\).*/\1 \2/p' "$COLLECT" |
	LC_ALL=C sort -u >"$T/script-calls"
man_calls >"$T/man-calls"
check "the script makes calls (the extraction works)" test "$(wc -l <"$T/script-calls")" -ge 30
LC_ALL=C comm -23 "$T/script-calls" "$T/man-calls" >"$T/unlisted"
check "every call in the script is listed in cfgaudit-collect(1)" test ! -s "$T/unlisted"
sed 's/^/#   unlisted: /' "$T/unlisted"
check "the man page lists no call the script does not make" \
	test -z "$(LC_ALL=C comm -13 "$T/script-calls" "$T/man-calls")"
check "the man page lists the issue's calls (spot check)" grep -qx 'iam get-credential-report' "$T/man-calls"

# --- help and usage errors -----------------------------------------------------
check_exit "--help exits 0" 0 collect --help
check_grep "--help shows the synopsis" '^usage: cfgaudit-collect --output DIR' "$T/out"
check_grep "--help documents --role" '^ +--role NAME ' "$T/out"
check_grep "--help documents the exit status" '2 usage error' "$T/out"
check "--help writes nothing to stderr" test ! -s "$T/err"

check_exit "no --output: usage error" 2 collect --regions eu-west-1
check_grep "says what is missing" '^cfgaudit-collect: no output directory: give --output DIR$' "$T/err"
check_exit "unknown option: usage error" 2 collect --output "$T/o" --frobnicate
check_grep "names it" "unknown option '--frobnicate'" "$T/err"
check_exit "option without its value: usage error" 2 collect --output "$T/o" --regions
check_grep "names it" "option '--regions' needs a value" "$T/err"
check_exit "a stray argument: usage error" 2 collect --output "$T/o" extra
check_exit "a bad region: usage error" 2 collect --output "$T/o" --regions eu-west-1,global
check_grep "names it" "'global' is not a region name" "$T/err"
check_exit "a bad role name: usage error" 2 collect --output "$T/o" --regions eu-west-1 --role 'a b'
check_exit "an output path that is a file: usage error" 2 collect --output "$TOP_SRCDIR/README.md" --regions eu-west-1
check_grep "names it" "cannot write to '.*README.md'" "$T/err"
check_exit "no AWS CLI: usage error" 2 env CFGAUDIT_COLLECT_AWS=/nonexistent/aws \
	"$COLLECT_SHELL" "$COLLECT" --output "$T/o" --regions eu-west-1
check_grep "says so" "the AWS CLI \\('/nonexistent/aws'\\) is not on PATH" "$T/err"
check "no AWS call was made by any of them" test ! -e "$FAKE_AWS_LOG"

check_exit "no region given nor configured: usage error" 2 collect --output "$T/o"
check_grep "says so" '^cfgaudit-collect: no region: give --regions' "$T/err"
check_grep "it asked the CLI's configuration" '^- - configure configure get region$' "$FAKE_AWS_LOG"
check "and nothing else" test "$(wc -l <"$FAKE_AWS_LOG")" -eq 1
check "usage errors write no tree" test ! -e "$T/o/AWSLogs"

# --- the default region ------------------------------------------------------------
reset_fake
check_exit "the CLI's configured region" 0 env FAKE_AWS_CONFIG_REGION=eu-central-1 \
	"$COLLECT_SHELL" "$COLLECT" --output "$T/cfg"
check "is collected" test -d "$T/cfg/AWSLogs/111122223333/Evidence/eu-central-1/configservice"
check "and only it" test "$(ls "$T/cfg/AWSLogs/111122223333/Evidence" | tr '\n' ' ')" = "eu-central-1 global "
check_exit "AWS_REGION wins over the configuration" 0 env AWS_REGION=ap-southeast-2 \
	FAKE_AWS_CONFIG_REGION=eu-central-1 "$COLLECT_SHELL" "$COLLECT" --output "$T/env"
check "AWS_REGION is collected" test -d "$T/env/AWSLogs/111122223333/Evidence/ap-southeast-2/sns"
check_exit "regions separated by blanks, repeated ones once" 0 collect -o "$T/two" -r 'eu-west-1 us-gov-west-1 eu-west-1'
check "both regions and global" test "$(ls "$T/two/AWSLogs/111122223333/Evidence" | tr '\n' ' ')" = "eu-west-1 global us-gov-west-1 "
check "eu-west-1 once" test "$(grep -c ' eu-west-1 configservice describe-delivery-channels ' "$FAKE_AWS_LOG")" -eq 1

# --- credentials that cannot be identified -----------------------------------------
mkdir -p "$T/fx/any/any"
printf '\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n' \
	>"$T/fx/any/any/sts.get-caller-identity.err"
check_exit "expired credentials: exit 1" 1 env FAKE_AWS_FIXTURES="$T/fx:$FAKE_AWS_FIXTURES" \
	"$COLLECT_SHELL" "$COLLECT" --output "$T/exp" --regions eu-west-1
check_grep "says whose credentials could not be told" 'cannot tell whose credentials these are' "$T/err"
check_grep "with the CLI's message" 'ExpiredToken' "$T/err"
check "nothing written" test -z "$(ls -A "$T/exp")"

done_testing
