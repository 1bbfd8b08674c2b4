#!/bin/sh
# t1301-pack-shipped: the packs cfgaudit ships in packs/ load, with the rule
# counts their headers promise, and resolve their parameter idioms.
. "$TOP_SRCDIR/tests/lib.sh"

# Check the templates only: no rule directory, so the result does not depend
# on which rules exist yet.
mkdir "$T/nodata"
export CFGAUDIT_DATADIR="$T/nodata"
SIC="$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml"
LZ="$TOP_SRCDIR/packs/Landing-Zone-Baseline-Checks.yaml"

check_exit "Security, Identity and Compliance pack loads" 0 cfgaudit pack check "$SIC"
check_grep "48 rules" '^rules: 48 ' "$T/out"
check_grep "21 parameters" '^parameters: 21$' "$T/out"
check_grep "nothing skipped" '^skipped \(condition false\): 0$' "$T/out"
check_grep "restricted-common-ports defaults" \
	'input parameters: blockedPort1=20 blockedPort2=21 blockedPort3=3389 blockedPort4=3306 blockedPort5=4333$' "$T/out"
check_grep "pack default differs from the rule default (ACM 90)" 'input parameters: daysToExpiration=90$' "$T/out"

check_exit "Landing zone pack loads" 0 cfgaudit pack check "$LZ"
check_grep "14 rules" '^rules: 14 ' "$T/out"
check_grep "optional parameters are left out by default" 'input parameters: MinRetentionTime=365$' "$T/out"
n=$(grep -c 'input parameters:' "$T/out")
[ "$n" -eq 1 ] && ok "only one rule has input parameters by default" || not_ok "input parameter lines: $n"

check_exit "pack parameter set" 0 cfgaudit pack check --param EncryptedVolumesKmsId=alias/ebs --param LogRetentionMinDays= "$LZ"
check_grep "!If true branch" 'input parameters: kmsId=alias/ebs$' "$T/out"
n=$(grep -c 'MinRetentionTime' "$T/out")
[ "$n" -eq 0 ] && ok "'' removes the parameter" || not_ok "MinRetentionTime still present"

check_exit "both packs in one run" 0 cfgaudit pack check "$SIC" "$LZ"
n=$(grep -c '^pack: ' "$T/out")
[ "$n" -eq 2 ] && ok "two packs printed" || not_ok "packs printed: $n"

# Every rule of both packs has a rule file in rules/ (or says why not):
# with the built-in rules the check still loads both templates.
export CFGAUDIT_DATADIR="$TOP_SRCDIR"
"$CFGAUDIT_BIN" pack check "$SIC" "$LZ" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then ok "with built-in rules: loads (exit $rc)"; else not_ok "with built-in rules: exit $rc"; fi
n=$(grep -c '^    status: ' "$T/out")
[ "$n" -eq 62 ] && ok "62 rule statuses" || not_ok "rule statuses: $n"

done_testing
