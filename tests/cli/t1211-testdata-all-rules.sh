#!/bin/sh
# t1211-testdata-all-rules: every shipped rule evaluates over the sample
# organization in testdata/ without an error, and the rules whose resource
# types the generator writes show both verdicts there (testdata/README.md
# lists the service types and their non-compliant variants).
. "$TOP_SRCDIR/tests/lib.sh"

[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
command -v sqlite3 >/dev/null 2>&1 || skip_all "the sqlite3 shell is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

check "ingest testdata" cfgaudit --quiet ingest "$TESTDATA"
set -- $("$CFGAUDIT_BIN" rules list --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    # rules with a required parameter and no default need a pack value
    if all(p.get("default") is not None or p.get("optional") for p in r["parameters"]):
        print("--rule", r["identifier"])')
n_rules=$(($# / 2))
check_exit "eval of all $n_rules rules that need no parameter finds non-compliant resources" 1 \
	cfgaudit --quiet eval "$@"
check "no diagnostics" test ! -s "$T/err"
both=$(sqlite3 "$CFGAUDIT_DB" "SELECT count(*) FROM (SELECT config_rule_name FROM results
	WHERE run_id = (SELECT max(run_id) FROM runs) GROUP BY config_rule_name
	HAVING sum(compliance_type = 'COMPLIANT') > 0 AND sum(compliance_type = 'NON_COMPLIANT') > 0)")
echo "# $both of $n_rules rules show both COMPLIANT and NON_COMPLIANT resources in testdata/"
[ "$both" -ge 70 ] && ok "at least 70 rules show both verdicts ($both)" ||
	not_ok "only $both rules show both verdicts"
for rule in vpc-flow-logs-enabled ebs-in-backup-plan lambda-inside-vpc eip-attached \
	codebuild-project-envvar-awscred-check ecs-containers-nonprivileged \
	redshift-cluster-public-access-check opensearch-encrypted-at-rest \
	dynamodb-pitr-enabled efs-encrypted-check rds-snapshots-public-prohibited \
	subnet-auto-assign-public-ip-disabled; do
	got=$(sqlite3 "$CFGAUDIT_DB" "SELECT group_concat(DISTINCT compliance_type) FROM
		(SELECT compliance_type FROM results WHERE run_id = (SELECT max(run_id) FROM runs)
		AND config_rule_name = '$rule' ORDER BY 1)")
	case ",$got," in
	*,COMPLIANT,*NON_COMPLIANT*) ok "$rule: both verdicts" ;;
	*) not_ok "$rule: $got" ;;
	esac
done
done_testing
