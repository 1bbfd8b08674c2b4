#!/bin/sh
# t1910-collect-guardduty-findings: cfgaudit-collect asks guardduty
# get-findings for the non-archived finding ids list-findings answered, at
# most 50 per call as the API allows, in the order listed, each batch in
# its own file ("<detector>", then "<detector> batch K"); an error answer
# to list-findings lists no ids and brings no get-findings. The files load
# with cfgaudit ingest, each batch under its own argument.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/collect/lib-collect.sh"
FAKE_AWS_FIXTURES="$CD/fixtures/findings:$CD/fixtures/base"
D=6ec4a1e2b9f8d7c6a5b4e3d2c1f0a9b8
E="$T/ev/AWSLogs/111122223333/Evidence"

check_exit "120 non-archived findings in eu-west-1, an error answer in us-east-1: exit 0" 0 \
	collect --output "$T/ev" --regions eu-west-1,us-east-1
check_grep "the error answer to list-findings is kept" '"Code":"BadRequestException"' \
	"$(echo "$E"/us-east-1/guardduty/list-findings/*.json)"
check "no get-findings after an error answer" \
	test -z "$(grep '^111122223333 us-east-1 guardduty get-findings ' "$FAKE_AWS_LOG")"

grep '^111122223333 eu-west-1 guardduty get-findings ' "$FAKE_AWS_LOG" >"$T/calls"
check "three get-findings calls for 120 ids" test "$(wc -l <"$T/calls")" -eq 3
n=0
for want in 50 50 20; do
	n=$((n + 1))
	got=$(sed -n "${n}p" "$T/calls" | sed 's/.*--finding-ids \(.*\) --region .*/\1/' | wc -w)
	check "call $n asks for $want ids" test "$got" -eq "$want"
done
check "each call names the detector" \
	test "$(grep -c -- "--detector-id $D --finding-ids " "$T/calls")" -eq 3
sed 's/.*--finding-ids \(.*\) --region .*/\1/' "$T/calls" | tr ' ' '\n' >"$T/asked"
sed -n 's/^ *"\([0-9a-f]*\)",\{0,1\}$/\1/p' \
	"$CD/fixtures/findings/any/eu-west-1/guardduty.list-findings.$D.json" >"$T/listed"
check_same "every listed id asked for once, in the order listed" "$T/listed" "$T/asked"

tree "$T/ev" | grep '/guardduty/get-findings/' >"$T/tree"
cat >"$T/want" <<TREE
AWSLogs/111122223333/Evidence/eu-west-1/guardduty/get-findings/T_$D%20batch%202.json
AWSLogs/111122223333/Evidence/eu-west-1/guardduty/get-findings/T_$D%20batch%203.json
AWSLogs/111122223333/Evidence/eu-west-1/guardduty/get-findings/T_$D.json
TREE
check_same "one file per batch: the detector id, then '<detector> batch K'" "$T/want" "$T/tree"
expand "$CD/fixtures/base/any/any/guardduty.get-findings.$D.json" 111122223333 eu-west-1 >"$T/want"
check_same "a batch's file is the CLI's answer" "$T/want" \
	"$(echo "$E"/eu-west-1/guardduty/get-findings/*_$D.json)"
check_readonly "findings"

# Exactly 50: one call; none listed: no call.
reset_fake
mkdir -p "$T/fx50/any/eu-west-1" "$T/fx0/any/eu-west-1"
{ echo '{"FindingIds": ['; head -n 50 "$T/listed" | sed 's/.*/"&"/' | paste -sd, -; echo ']}'; } \
	>"$T/fx50/any/eu-west-1/guardduty.list-findings.$D.json"
echo '{"FindingIds": []}' >"$T/fx0/any/eu-west-1/guardduty.list-findings.$D.json"
FAKE_AWS_FIXTURES="$T/fx50:$CD/fixtures/base"
check_exit "exactly 50 findings: exit 0" 0 collect -o "$T/ev50" -r eu-west-1
check "one get-findings call" test "$(grep -c ' guardduty get-findings ' "$FAKE_AWS_LOG")" -eq 1
reset_fake
FAKE_AWS_FIXTURES="$T/fx0:$CD/fixtures/base"
check_exit "no finding: exit 0" 0 collect -o "$T/ev0" -r eu-west-1
check "no get-findings call" test -z "$(grep ' guardduty get-findings ' "$FAKE_AWS_LOG")"

# cfgaudit reads the batches, each under its own argument.
if command -v sqlite3 >/dev/null 2>&1; then
	check_exit "cfgaudit ingest reads the tree: exit 0" 0 cfgaudit ingest "$T/ev"
	check "the three batches are evidence, by detector and batch" test \
		"$(sqlite3 "$CFGAUDIT_DB" "SELECT group_concat(qualifier, '|') FROM (SELECT qualifier
			FROM evidence_calls WHERE operation = 'get-findings' ORDER BY qualifier)")" = \
		"$D|$D batch 2|$D batch 3"
else
	ok "# SKIP sqlite3 not installed"
fi

done_testing
