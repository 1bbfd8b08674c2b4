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

# Built-in packs by name, and 'pack list'.
mkdir -p "$T/data/packs"
cp "$SIC" "$LZ" "$T/data/packs/"
printf 'Resources: [\n' >"$T/data/packs/Broken.yaml"
export CFGAUDIT_DATADIR="$T/data"
check_exit "a built-in pack by name" 0 cfgaudit pack check Landing-Zone-Baseline-Checks
check_grep "resolved to the data directory" "^pack: Landing-Zone-Baseline-Checks \\($T/data/packs/Landing-Zone-Baseline-Checks\\.yaml\\)$" "$T/out"
check_exit "a built-in pack by name with .yaml" 0 cfgaudit pack check Landing-Zone-Baseline-Checks.yaml
check_exit "pack list: a broken built-in pack is exit 3" 3 cfgaudit pack list
check_grep "pack list names the broken one" '^cfgaudit: .*/Broken\.yaml:2:1: error: ' "$T/err"
rm "$T/data/packs/Broken.yaml"
check_exit "pack list" 0 cfgaudit pack list
check_grep "list: landing zone" '^Landing-Zone-Baseline-Checks  14 rules  ' "$T/out"
check_grep "list: SIC" '^Operational-Best-Practices-for-Security-Identity-and-Compliance-Services  48 rules  ' "$T/out"
if command -v jq >/dev/null 2>&1; then
	check_exit "pack list json" 0 cfgaudit pack list --format json
	got=$(jq -r '[.[] | "\(.name)=\(.rules)"] | join(",")' "$T/out")
	[ "$got" = "Landing-Zone-Baseline-Checks=14,Operational-Best-Practices-for-Security-Identity-and-Compliance-Services=48" ] &&
		ok "pack list json" || not_ok "pack list json: $got"
fi
check_exit "pack list takes no argument" 2 cfgaudit pack list extra
export CFGAUDIT_DATADIR="$T/nodata"
check_exit "pack list without a packs directory" 2 cfgaudit pack list

# Every rule of both packs has a rule file in rules/ (or says why not):
# with the built-in rules the check still loads both templates.
export CFGAUDIT_DATADIR="$TOP_SRCDIR"
cfgaudit pack check "$SIC" "$LZ" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then ok "with built-in rules: loads (exit $rc)"; else not_ok "with built-in rules: exit $rc"; fi
n=$(grep -c '^    status: ' "$T/out")
[ "$n" -eq 62 ] && ok "62 rule statuses" || not_ok "rule statuses: $n"

done_testing
