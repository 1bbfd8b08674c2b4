#!/bin/sh
# t1202-audit: the main job -- ingest, evaluate and report in one step --
# on the sample organization in testdata/ and on a tree with a bad file.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"

[ -d "$TESTDATA" ] || skip_all "no testdata/"

check_exit "audit of testdata finds non-compliant resources" 1 cfgaudit audit "$TESTDATA"
check_grep "text report names an account" '[0-9]{12}' "$T/out"
check_grep "ingest summary on stderr" 'ingest: [0-9]+ files loaded' "$T/err"
n_runs=$(sqlite3 "$CFGAUDIT_DB" "SELECT count(*) FROM runs")
[ "$n_runs" = 1 ] && ok "one run stored" || not_ok "one run stored ($n_runs)"
check_grep "the default pack was evaluated" 'Security-Identity-and-Compliance' \
	"$(sqlite3 "$CFGAUDIT_DB" "SELECT DISTINCT pack_name FROM run_rules" >"$T/p"; echo "$T/p")"

check_exit "second audit skips loaded files" 1 cfgaudit audit "$TESTDATA"
check_grep "nothing loaded again" 'ingest: 0 files loaded' "$T/err"

check_exit "audit as json to a file" 1 cfgaudit --quiet audit --format json -o "$T/r.json" "$TESTDATA"
check "json report parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["AggregateEvaluationResults"]' "$T/r.json"
if [ ! -s "$T/out" ]; then ok "-o leaves stdout empty"; else not_ok "-o leaves stdout empty"; fi

# A tree with a corrupt file: the rest is audited, exit 2.
mkdir -p "$T/tree"
cp "$D/day1.json" "$T/tree/"
printf '\037\213\010\000garbage' >"$T/tree/broken.json.gz"
check_exit "a bad file makes audit exit 2" 2 cfgaudit --db "$T/two.db" audit --rule INCOMING_SSH_DISABLED "$T/tree"
check_grep "the bad file is named" 'broken.json.gz' "$T/err"
check_grep "the rest was still evaluated" 'restricted-ssh' "$T/out"

check_exit "no path" 2 cfgaudit audit
check_exit "bad jobs" 2 cfgaudit audit --jobs 0 "$TESTDATA"
check "audit --help" cfgaudit audit --help
done_testing
