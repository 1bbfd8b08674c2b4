#!/bin/sh
# t1424-names-arns: what to fix, in full. The text report wraps long ids
# instead of cutting them with an ellipsis and shows each resource's name
# (IAM users by name, not only AIDA... ids) and ARN; CSV and JSON carry
# ResourceName and ARN.
. "$TOP_SRCDIR/tests/lib.sh"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
check "ingest testdata" cfgaudit --quiet ingest "$TESTDATA"
check_exit "eval" 1 cfgaudit eval
check_exit "text" 1 cfgaudit report
cp "$T/out" "$T/r.txt"
if grep -q 'arn:.*…' "$T/r.txt"; then not_ok "no ARN cut with an ellipsis"; else ok "no ARN cut with an ellipsis"; fi
check_grep "an IAM user shown by name under its id" '^      name: break-glass-admin$' "$T/r.txt"
check_grep "  and by its full ARN" '^      arn:aws:iam::111111111111:user/break-glass-admin$' "$T/r.txt"
# The long ALB ARN wraps: its two halves on consecutive lines.
check_grep "a long ARN wraps onto the next line" '^    ventory-alb-0/5da01d143da85992$' "$T/r.txt"
python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8") if "arn:" in l))' \
	"$T/r.txt" && ok "ARN lines fit 80 columns" || not_ok "ARN lines fit 80 columns"
check_exit "csv" 1 cfgaudit report --format csv
check_grep "csv: resource_name and arn columns" \
	',AWS::IAM::User,AIDALTRLVVB2J7NOSBKTZ,.*,break-glass-admin,arn:aws:iam::111111111111:user/break-glass-admin,' "$T/out"
check_exit "json" 1 cfgaudit report --format json
check_grep "json: ResourceName" '"ResourceName": "break-glass-admin",' "$T/out"
check_grep "json: ARN" '"ARN": "arn:aws:iam::111111111111:user/break-glass-admin"' "$T/out"
check_exit "html" 1 cfgaudit report --format html
check_grep "html: the ARN and the name" 'AIDALTRLVVB2J7NOSBKTZ<br>break-glass-admin<br>arn:aws:iam::111111111111:user/break-glass-admin</td>' "$T/out"
done_testing
