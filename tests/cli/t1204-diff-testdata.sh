#!/bin/sh
# t1204-diff-testdata: drift across the week of testdata/ finds exactly the
# scripted events of testdata/README.md ("Events during the week").
. "$TOP_SRCDIR/tests/lib.sh"
[ -d "$TESTDATA" ] || skip_all "no testdata/"

PACKS="--pack Operational-Best-Practices-for-Security-Identity-and-Compliance-Services --pack Landing-Zone-Baseline-Checks"
check "ingest testdata" cfgaudit --quiet ingest "$TESTDATA"
check_exit "drift over the week" 1 cfgaudit --quiet diff --from 2026-11-01T12:00:00Z $PACKS \
	--to 2026-11-07T12:00:00Z --format json
cp "$T/out" "$T/week.json"
python3 - "$T/week.json" >"$T/got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["Accounts"]:
    for k in ("BecameNonCompliant", "ResolvedByRemoval"):
        for e in a[k]:
            print(a["AccountId"], k, e["ConfigRuleName"], e["ResourceType"])
    for k in ("ResourcesAppeared", "ResourcesDisappeared"):
        for e in a[k]:
            print(a["AccountId"], k, e["ResourceType"], e["AwsRegion"])
PY
for want in \
	"444444444444 BecameNonCompliant restricted-ssh AWS::EC2::SecurityGroup" \
	"444444444444 BecameNonCompliant vpc-sg-open-only-to-authorized-ports AWS::EC2::SecurityGroup" \
	"444444444444 ResolvedByRemoval ec2-instance-no-public-ip AWS::EC2::Instance" \
	"444444444444 ResolvedByRemoval ec2-imdsv2-check AWS::EC2::Instance" \
	"444444444444 ResourcesDisappeared AWS::EC2::Instance us-east-1" \
	"222222222222 BecameNonCompliant kms-cmk-not-scheduled-for-deletion AWS::KMS::Key" \
	"555555555555 ResourcesDisappeared AWS::EC2::Volume eu-west-1"; do
	if grep -qxF "$want" "$T/got"; then ok "week: $want"; else not_ok "week: $want"; fi
done
# The development bucket deleted on day 2 and re-created on day 5 exists
# at both ends: no change for it.
if grep -q 'AWS::S3::Bucket' "$T/got"; then not_ok "re-created bucket is no change"; else ok "re-created bucket is no change"; fi

# Day 1 to day 2 (before the re-creation): the bucket is gone.
check_exit "drift from day 1 to day 3" 1 cfgaudit --quiet diff --from 2026-11-01T12:00:00Z \
	--to 2026-11-03T12:00:00Z --format json
check_grep "deleted bucket disappears" '"ResourceType": "AWS::S3::Bucket"' "$T/out"
check_exit "text drift" 1 cfgaudit diff 1 2
check_grep "pack score change shown" 'pack score ' "$T/out"
done_testing
