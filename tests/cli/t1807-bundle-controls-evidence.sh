#!/bin/sh
# t1807-bundle-controls-evidence: the bundle's per-control index points
# from each result to the evidence files behind it (a rule's calls are the
# "aws SERVICE OPERATION" its missing: header names; the files are the
# newest answers of those calls in the result's account, in its region or
# global, at or before the as-of time -- the same files evidence.json
# holds), so an assessor can sample a control and find the credential
# report it was decided from.
. "$TOP_SRCDIR/tests/lib.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
F="$TOP_SRCDIR/tests/rules/IAM_USER_MFA_ENABLED/evidence"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"

check "ingest items and evidence" cfgaudit --quiet ingest "$F/items.json" "$F/api-items.json" "$F/AWSLogs"
check_exit "eval at the capture day" 1 cfgaudit --quiet eval --rule IAM_USER_MFA_ENABLED --as-of 2026-12-01T12:00:00Z
cat >"$T/m.yaml" <<'YAML'
framework: Own
controls:
  - id: MFA
    title: Users have MFA
    rules: [IAM_USER_MFA_ENABLED, ROOT_ACCOUNT_MFA_ENABLED]
YAML
check "bundle --controls" cfgaudit --quiet bundle --controls "$T/m.yaml" -o "$T/b.tgz"
check "it verifies" cfgaudit verify "$T/b.tgz"
tar xzf "$T/b.tgz" -C "$T" || bail_out "cannot unpack"
I="$T/cfgaudit-run-1/controls/index.json"
[ "$(jq -r .EvidenceMember "$I")" = evidence.json ] && ok "the index names evidence.json" || not_ok "EvidenceMember"
got=$(jq -c '[.Controls[0].Rules[] | [.SourceIdentifier, .EvidenceCalls]]' "$I")
[ "$got" = '[["IAM_USER_MFA_ENABLED",["iam get-credential-report"]],["ROOT_ACCOUNT_MFA_ENABLED",[]]]' ] &&
	ok "each rule's evidence calls, from its missing: header" || not_ok "calls: $got"
got=$(jq -c '[.Controls[0].Rules[0].Results[] | select(.ResourceId == "AIDAEXAMPLEBOB0000001") | [.ComplianceType, .EvidenceFiles]][0]' "$I")
[ "$got" = '["NON_COMPLIANT",["111122223333/Evidence/global/iam/get-credential-report/20261201T060000Z.json"]]' ] &&
	ok "a non-compliant user: the credential report of its account" || not_ok "bob: $got"
got=$(jq -c '[.Controls[0].Rules[0].Results[] | select(.AccountId == "444455556666") | .EvidenceFiles[]] | unique' "$I")
[ "$got" = '["444455556666/Evidence/global/iam/get-credential-report/20261022T060000Z.json"]' ] &&
	ok "another account: its own report" || not_ok "444455556666: $got"
# Every evidence file of the index is one of evidence.json, with its digest there.
jq -r '.Controls[].Rules[].Results[].EvidenceFiles[]' "$I" | sort -u >"$T/idx"
jq -r '.[].Path' "$T/cfgaudit-run-1/evidence.json" | sort -u >"$T/ev"
[ -s "$T/idx" ] && [ -z "$(comm -23 "$T/idx" "$T/ev")" ] && ok "the files are in evidence.json" ||
	not_ok "index files not in evidence.json: $(comm -23 "$T/idx" "$T/ev")"

# Before 111122223333's capture: its users have no evidence file, the
# other account's older report still counts.
check_exit "eval before that capture" 0 cfgaudit --quiet eval --rule IAM_USER_MFA_ENABLED --as-of 2026-11-21T00:00:00Z
check "bundle of that run" cfgaudit --quiet bundle --run 2 --controls "$T/m.yaml" -o "$T/c.tgz"
tar xzf "$T/c.tgz" -C "$T" || bail_out "cannot unpack"
got=$(jq -c '[.Controls[0].Rules[0].Results[] | [.AccountId, (.EvidenceFiles | length)]] | unique' "$T/cfgaudit-run-2/controls/index.json")
[ "$got" = '[["111122223333",0],["444455556666",1]]' ] && ok "only the report captured by then" || not_ok "run 2: $got"
done_testing
