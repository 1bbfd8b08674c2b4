#!/bin/sh
# t1720: every command parses its options the same way (cli_parse_options):
# --help on stdout with exit 0, and an unknown option or a missing value
# named on stderr with the usage and exit 2.
. "$TOP_SRCDIR/tests/lib.sh"

for c in ingest resources history eval report audit diff bundle compare merge \
	coverage verify rules pack; do
	check_exit "$c --help exits 0" 0 cfgaudit "$c" --help
	check_grep "$c --help: usage on stdout" "^usage: cfgaudit" "$T/out"
	check "$c --help: nothing on stderr" test ! -s "$T/err"
	check_exit "$c -h exits 0" 0 cfgaudit "$c" -h
	check_exit "$c --no-such-option exits 2" 2 cfgaudit "$c" --no-such-option
	check_grep "$c names the unknown option" "unknown option '--no-such-option'" "$T/err"
	check_grep "$c: usage on stderr" "^usage: cfgaudit" "$T/err"
	check "$c: nothing on stdout" test ! -s "$T/out"
	check_exit "$c -Z exits 2" 2 cfgaudit "$c" -Z
	check_grep "$c names the unknown short option" "unknown option '-Z'" "$T/err"
done

# A missing value names the option, long or short.
for a in "ingest --jobs" "resources --format" "history --type" "eval --as-of" \
	"report --run" "audit --pack" "diff --from" "bundle --run" "compare --format" \
	"merge --output" "coverage --max-age" "verify --key" "rules --rules-dir" \
	"pack --param"; do
	set -- $a
	check_exit "$1 $2 without a value exits 2" 2 cfgaudit "$1" "$2"
	check_grep "$1 names $2" "option '$2' needs a value" "$T/err"
done
check_exit "report -o without a value exits 2" 2 cfgaudit report -o
check_grep "report names -o" "option '-o' needs a value" "$T/err"

# Arguments where a command takes none.
for c in resources eval report bundle compare coverage; do
	check_exit "$c with an argument exits 2" 2 cfgaudit "$c" extra
	check_grep "$c names the argument" "unexpected argument 'extra'" "$T/err"
done

# --quiet after the command name is taken by every command.
check_exit "rules list --quiet" 0 cfgaudit rules list --quiet
check_exit "pack list -q" 0 cfgaudit pack -q list

done_testing
