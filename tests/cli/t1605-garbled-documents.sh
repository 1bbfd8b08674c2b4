#!/bin/sh
# t1605-garbled-documents: every rule fixture's items, with their documents
# garbled the ways a damaged or forged item can hold them -- each member of
# configuration and supplementaryConfiguration that is an object, an array
# or JSON inside a string replaced by a string that is not JSON; every JSON
# string at any depth replaced so; each such member replaced by a number --
# evaluate with every shipped rule without a rule error (a rule says
# INSUFFICIENT_DATA or decides from what it can read; it does not fail, and
# one damaged item never stops the run). The fixtures of other tests are
# the corpus, so a new rule is covered by its own fixtures.
. "$TOP_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

# The arguments that evaluate every shipped rule: sample values for the
# parameters that have no default (as bench/lib.sh's bench_all_rules).
G="$TOP_SRCDIR/tests/cli/garble-fixtures.py"
args=$("$CFGAUDIT_BIN" rules list --format json | python3 "$G" --args) || bail_out "rules list"

python3 "$G" "$TOP_SRCDIR/tests/rules" "$T" clean members deep numbers ||
	bail_out "cannot write the garbled items"

for mode in clean members deep numbers; do
	db="$T/$mode.db"
	cfgaudit --db "$db" --quiet ingest "$T/$mode" >/dev/null 2>"$T/ingest.err"
	[ -s "$db" ] || bail_out "$mode: nothing was stored"
	# shellcheck disable=SC2086 # one argument a word
	cfgaudit --db "$db" --quiet eval $args >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -le 1 ] && ok "$mode: every rule evaluates (exit $rc)" || {
		not_ok "$mode: eval exits $rc"
		sed 's/^/#   /' "$T/err" | head -10
	}
	# run_errors exists once a run stored a problem
	errors=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'run_errors'")
	[ "$errors" = 0 ] && ok "$mode: no rule error stored" || {
		not_ok "$mode: rule errors stored"
		sqlite3 "$db" "SELECT path, message FROM run_errors" | sed 's/^/#   /' | head -10
	}
	check_grep "$mode: every rule evaluated" '^rules [0-9]+ evaluated, 0 not evaluated, 0 invalid$' \
		"$T/out"
	results=$(sqlite3 "$db" "SELECT count(*) FROM results")
	[ "$results" -gt 3000 ] && ok "$mode: $results results" || not_ok "$mode: only $results results"
done

# A garbled document is not read as "absent": no resource that is
# NON_COMPLIANT on the clean items is COMPLIANT on the garbled ones (it is
# NON_COMPLIANT still, from what can be read, or INSUFFICIENT_DATA naming
# what cannot). Rules still allowed to read a garbled member so, each for
# a reason: any non-empty string is a log group or key id as AWS reads it
# (cloud-trail-cloud-watch-logs-enabled, sns-encrypted-kms).
allowed="cloud-trail-cloud-watch-logs-enabled sns-encrypted-kms"
# The results of a store as a table of the scratch database (a join of
# two stores' results views is slow).
sqlite3 "$T/flips.db" "ATTACH '$T/clean.db' AS s;
	CREATE TABLE clean AS SELECT config_rule_name AS rule, resource_type, resource_id,
	  account_id, aws_region FROM s.results WHERE compliance_type = 'NON_COMPLIANT';
	CREATE INDEX clean_key ON clean(rule, resource_type, resource_id, account_id, aws_region)" ||
	bail_out "cannot read the clean results"
for mode in members deep numbers; do
	flips=$(sqlite3 -separator ' ' "$T/flips.db" "ATTACH '$T/$mode.db' AS s;
		SELECT g.config_rule_name, g.resource_id, substr(g.annotation, 1, 100)
		FROM s.results AS g JOIN clean AS k ON k.rule = g.config_rule_name
		  AND k.resource_type = g.resource_type AND k.resource_id = g.resource_id
		  AND k.account_id = g.account_id AND k.aws_region = g.aws_region
		WHERE g.compliance_type = 'COMPLIANT' ORDER BY 1, 2") ||
		bail_out "$mode: cannot compare with the clean results"
	bad=$(echo "$flips" | while read -r r rest; do
		[ -n "$r" ] || continue
		case " $(echo $allowed) " in
		*" $r "*) ;;
		*) echo "$r $rest" ;;
		esac
	done)
	[ -z "$bad" ] && ok "$mode: no rule reads a garbled member as absent (NON_COMPLIANT -> COMPLIANT)" || {
		not_ok "$mode: NON_COMPLIANT on clean items, COMPLIANT on garbled ones"
		echo "$bad" | sed 's/^/#   /' | head -20
	}
done
done_testing
