#!/bin/sh
# t1201-diff: drift between two dates and between two stored runs.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/eval"

check "ingest two days of items" cfgaudit --quiet ingest "$D/day1.json" "$D/day2.json"

check_exit "drift between two dates exits 1" 1 cfgaudit --quiet diff --from 2026-11-01T23:00:00Z \
	--to 2026-11-03 --rule INCOMING_SSH_DISABLED --format json
cp "$T/out" "$T/drift.json"
python3 - "$T/drift.json" >"$T/got" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for a in doc["Accounts"]:
    for k in ("BecameNonCompliant", "BecameCompliant", "ResolvedByRemoval",
              "ResourcesAppeared", "ResourcesDisappeared"):
        for e in a[k]:
            print(a["AccountId"], k, e["ResourceId"])
print("count", doc["BecameNonCompliantCount"])
PY
cat >"$T/want" <<'W'
111111111111 BecameNonCompliant sg-new3
111111111111 BecameCompliant sg-open1
111111111111 ResourcesAppeared sg-new3
222222222222 ResolvedByRemoval sg-open2
222222222222 ResourcesDisappeared sg-open2
count 1
W
check_same "what changed, per account" "$T/want" "$T/got"

check_exit "the same two runs by id, as text" 1 cfgaudit diff 1 2
check_grep "text names the change" 'became NON_COMPLIANT \(1\)' "$T/out"
check_grep "text shows the annotation" 'sg-new3 \(us-east-1\): ' "$T/out"
check_grep "text shows disappeared resources" 'resources disappeared \(1\)' "$T/out"

check_exit "no drift between a run and itself" 0 cfgaudit diff 2 2
check_grep "nothing changed" '^no changes$' "$T/out"

check_exit "backwards: the fixed group is non-compliant again" 1 cfgaudit diff --format json 2 1
check_grep "backwards drift names it" '"ResourceId": "sg-open1"' "$T/out"
check_exit "unknown run" 2 cfgaudit diff 1 99
check_grep "unknown run named" 'no complete run 99' "$T/err"
check_exit "--from without --to" 2 cfgaudit diff --from 2026-11-01
check_exit "selection options need dates" 2 cfgaudit diff --rule INCOMING_SSH_DISABLED 1 2
check_exit "one run id" 2 cfgaudit diff 1
check_exit "bad format" 2 cfgaudit diff --format xml 1 2
check "diff --help" cfgaudit diff --help

done_testing
