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
args=$("$CFGAUDIT_BIN" rules list --format json | python3 -c '
import json, sys
samples = {"string": "111122223333", "csv": "kms:Decrypt,kms:ReEncryptFrom", "int": "1",
           "bool": "true"}
out = []
for r in json.load(sys.stdin):
    out += ["--rule", r["identifier"]]
    for p in r.get("parameters", []):
        if not p.get("optional") and p.get("default") is None:
            out += ["--param", "%s.%s=%s" % (r["identifier"], p["name"],
                                             samples.get(p["type"], "1"))]
print(" ".join(out))') || bail_out "rules list"

python3 - "$TOP_SRCDIR/tests/rules" "$T" <<'PY' || bail_out "cannot write the garbled items"
import glob, json, os, re, sys
root, out = sys.argv[1], sys.argv[2]
GARBLED = '{"Statement": [{"Effect": "Allow"'  # cut short: not JSON

def is_json_text(v):
    return isinstance(v, str) and v[:1] in "{["

def members(c, mode):
    for k, v in list(c.items()):
        if isinstance(v, (dict, list)) or is_json_text(v):
            c[k] = GARBLED if mode == "members" else 12
    return c

def deep(v):
    if isinstance(v, dict):
        return {k: deep(x) for k, x in v.items()}
    if isinstance(v, list):
        return [deep(x) for x in v]
    return GARBLED if is_json_text(v) else v

def garble(o, mode):
    if mode == "clean":
        return o
    if isinstance(o, dict):
        if "resourceType" in o:
            for col in ("configuration", "supplementaryConfiguration"):
                c = o.get(col)
                if is_json_text(c):
                    try:
                        c = json.loads(c)
                    except ValueError:
                        continue
                if isinstance(c, dict):
                    o[col] = deep(c) if mode == "deep" else members(c, mode)
            return o
        return {k: garble(v, mode) for k, v in o.items()}
    if isinstance(o, list):
        return [garble(v, mode) for v in o]
    return o

# Each fixture directory gets accounts of its own (its 12-digit account
# ids renumbered in the text and the file names alike), so that one
# fixture's snapshots do not end another's resources in a shared store.
files = sorted(f for f in glob.glob(os.path.join(root, "**", "*.json"), recursive=True)
               if "/AWSLogs/" not in f)
dirs = sorted(set(os.path.dirname(f) for f in files))
def renumber(text, case, ids):
    def new_id(m):
        if m.group(0) not in ids:
            ids[m.group(0)] = "%04d%08d" % (case, len(ids) + 1)
        return ids[m.group(0)]
    return re.sub(r"(?<![0-9])[0-9]{12}(?![0-9])", new_id, text)
for mode in ("clean", "members", "deep", "numbers"):
    d = os.path.join(out, mode)
    os.makedirs(d)
    n = 0
    for case, fdir in enumerate(dirs):
        ids = {}
        sub = os.path.join(d, str(case))
        os.makedirs(sub)
        for f in files:
            if os.path.dirname(f) != fdir:
                continue
            try:
                doc = json.loads(renumber(open(f).read(), case, ids))
            except ValueError:
                continue  # a fixture that is bad on purpose
            n += 1
            # AWS's file names kept (a snapshot's name says it is one)
            name = renumber(os.path.basename(f), case, ids)
            json.dump(garble(doc, mode), open(os.path.join(sub, name), "w"))
    print("# %s: %d fixture files in %d directories" % (mode, n, len(dirs)))
PY

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
# (cloud-trail-cloud-watch-logs-enabled, sns-encrypted-kms); the others
# are not fixed yet (a known gap, not a design).
allowed="cloud-trail-cloud-watch-logs-enabled sns-encrypted-kms
aurora-resources-protected-by-backup-plan dynamodb-in-backup-plan
dynamodb-resources-protected-by-backup-plan ebs-in-backup-plan
ebs-resources-protected-by-backup-plan ec2-instance-no-public-ip
ec2-resources-protected-by-backup-plan ec2-volume-inuse-check
efs-in-backup-plan efs-resources-protected-by-backup-plan
fsx-resources-protected-by-backup-plan rds-in-backup-plan
rds-resources-protected-by-backup-plan"
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
