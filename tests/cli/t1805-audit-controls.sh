#!/bin/sh
# t1805-audit-controls: 'audit --controls FILE' is in --help and the man
# page; the mapping is read and checked against the run's rules (built-in,
# --rules-dir, the catalogue) before anything is ingested: a bad one exits 3
# with file:line:column and leaves no database, an unreadable one exits 2;
# --by control without --controls needs a shipped mapping naming a pack,
# else exit 2 before any work; a good mapping gives the control view of the
# new run, with the run's waivers applied.
. "$TOP_SRCDIR/tests/lib.sh"

D="$TOP_SRCDIR/tests/data/controls"
export CFGAUDIT_DATADIR="$TOP_SRCDIR"
mkdir -p "$T/tree"
cp "$TOP_SRCDIR/tests/data/eval/day1.json" "$T/tree/"

check_exit "audit --help" 0 cfgaudit audit --help
check_grep "... lists --controls" '^  --controls FILE ' "$T/out"
check_grep "... and exit 3 for a bad mapping" '3 invalid rule, pack,' "$T/out"
check_grep "the man page documents it" '^\.BI \\-\\-controls " FILE"' "$TOP_SRCDIR/man/cfgaudit-audit.1"

# Bad mappings: exit 3 with the position, before the database is created.
for f in dup:7:9:"duplicate control 'A-1'" unknown:6:9:"unknown rule identifier 'NO_SUCH_RULE_AT_ALL'" \
	syntax:5:7:"invalid yaml"; do
	name=${f%%:*}
	rest=${f#*:}
	pos=${rest%:*}
	msg=${rest##*:}
	check_exit "$name.yaml: exit 3" 3 cfgaudit --db "$T/$name.db" audit --rule INCOMING_SSH_DISABLED \
		--controls "$D/$name.yaml" "$T/tree"
	check_grep "... $name.yaml:$pos: error" "$name\\.yaml:$pos: error: .*$msg" "$T/err"
	if grep -q 'ingest:' "$T/err"; then not_ok "... nothing ingested"; else ok "... nothing ingested"; fi
	[ ! -e "$T/$name.db" ] && ok "... no database written" || not_ok "... no database written"
done
check_exit "an unreadable mapping: exit 2" 2 cfgaudit --db "$T/none.db" audit --rule INCOMING_SSH_DISABLED \
	--controls "$T/none.yaml" "$T/tree"
check_grep "... says so" 'none\.yaml: error: cannot open' "$T/err"
[ ! -e "$T/none.db" ] && ok "... no database written" || not_ok "... no database written"
# A bad mapping with a bad waivers file: both are checked first; the
# waivers file is read first (exit 3 either way).
printf -- '- rule: restricted-ssh\n' >"$T/w-bad.yaml"
check_exit "bad waivers and bad mapping: exit 3" 3 cfgaudit --db "$T/wb.db" audit --rule INCOMING_SSH_DISABLED \
	--waivers "$T/w-bad.yaml" --controls "$D/dup.yaml" "$T/tree"

# The run's rules are known: an identifier only a --rules-dir rule has.
mkdir -p "$T/rules"
sed 's/^-- identifier: INCOMING_SSH_DISABLED$/-- identifier: CUSTOM_SSH_CHECK/; s/^-- name: restricted-ssh$/-- name: custom-ssh-check/' \
	"$TOP_SRCDIR/rules/INCOMING_SSH_DISABLED.sql" >"$T/rules/CUSTOM_SSH_CHECK.sql"
printf 'framework: Own\ncontrols:\n  - id: O-1\n    rules: [CUSTOM_SSH_CHECK]\n' >"$T/own.yaml"
check_exit "--controls naming a --rules-dir rule" 1 cfgaudit --db "$T/own.db" audit --rules-dir "$T/rules" \
	--rule CUSTOM_SSH_CHECK --controls "$T/own.yaml" --by control "$T/tree"
check_grep "... its control" '^O-1 +NON_COMPLIANT +1 +2' "$T/out"
check_exit "report --controls of that run knows the run's rules" 1 cfgaudit --db "$T/own.db" report \
	--controls "$T/own.yaml" --by control
check_grep "... the same control" '^O-1 +NON_COMPLIANT +1 +2' "$T/out"
check_exit "report --controls: an identifier neither the run nor cfgaudit has: exit 3" 3 cfgaudit --db "$T/own.db" \
	report --controls "$D/unknown.yaml"
check_grep "... says which" "unknown\\.yaml:6:9: error: control 'A-1': unknown rule identifier 'NO_SUCH_RULE_AT_ALL'" "$T/err"
check_exit "... unknown without --rules-dir" 3 cfgaudit --db "$T/own2.db" audit --rule INCOMING_SSH_DISABLED \
	--controls "$T/own.yaml" "$T/tree"
check_grep "... says which" "unknown rule identifier 'CUSTOM_SSH_CHECK'" "$T/err"

# --by control without --controls.
check_exit "--by control, --rule only: exit 2" 2 cfgaudit --db "$T/r.db" audit --rule INCOMING_SSH_DISABLED \
	--by control "$T/tree"
check_grep "... before any work" 'no pack that a shipped control mapping could name' "$T/err"
[ ! -e "$T/r.db" ] && ok "... no database written" || not_ok "... no database written"
check_exit "--by control, a pack no mapping names: exit 2" 2 cfgaudit --db "$T/p.db" audit \
	--pack "$TOP_SRCDIR/tests/data/eval/pack.yaml" --by control "$T/tree"
check_grep "... names the pack" "no shipped control mapping names the pack 'pack'" "$T/err"
check_exit "--by control, the default pack: its shipped mapping" 1 cfgaudit --db "$T/sic.db" audit \
	--by control "$T/tree"
check_grep "... the control table" '^Controls: Security, Identity and Compliance Services' "$T/out"

# A good mapping with waivers: the control view of the new run.
cat >"$T/ssh.yaml" <<'EOF'
framework: SSH test
controls:
  - id: S-1
    title: SSH closed
    rules: [INCOMING_SSH_DISABLED]
EOF
cat >"$T/w.yaml" <<'EOF'
- rule: restricted-ssh
  account: "111111111111"
  resource: sg-open1
  reason: Bastion behind the VPN
  approved_by: security@example.com
  expires: 2099-12-31
EOF
check_exit "audit --controls --waivers: one open resource, exit 1" 1 cfgaudit --db "$T/w.db" audit \
	--rule INCOMING_SSH_DISABLED --waivers "$T/w.yaml" --controls "$T/ssh.yaml" --by control "$T/tree"
check_grep "text: the control" '^S-1 +NON_COMPLIANT +1 +2  SSH closed$' "$T/out"
check_grep "text: its waiver" '^  waived 1 by line 1, approved by security@example.com, expires 2099-12-31$' "$T/out"
check_grep "text: the waived resource" '^      waived by line 1: Bastion behind the VPN$' "$T/out"
if command -v jq >/dev/null 2>&1; then
	check_exit "json of the same run" 1 cfgaudit --db "$T/w.db" report --controls "$T/ssh.yaml" --format json
	got=$(jq -c '.Controls.ControlCompliance[0] | [.ComplianceType, .NonCompliantResourceCount, .WaivedResourceCount, [.Waivers[] | .Line], [.Resources[] | select(.Waiver) | .ResourceId]]' "$T/out")
	[ "$got" = '["NON_COMPLIANT",2,1,[1],["sg-open1"]]' ] && ok "json: counts, waivers, the waived resource" ||
		not_ok "json: $got"
fi
printf -- '- rule: restricted-ssh\n  account: "*"\n  resource: "*"\n  reason: All of them\n  approved_by: x@example.com\n  expires: 2099-12-31\n' >"$T/all.yaml"
check_exit "every non-compliant resource waived: exit 0, control still NON_COMPLIANT" 0 cfgaudit --db "$T/all.db" \
	audit --rule INCOMING_SSH_DISABLED --waivers "$T/all.yaml" --controls "$T/ssh.yaml" --by control "$T/tree"
check_grep "... NON_COMPLIANT" '^S-1 +NON_COMPLIANT ' "$T/out"
check_grep "... only through waived resources" '^1 non-compliant only through waived resources$' "$T/out"
done_testing
