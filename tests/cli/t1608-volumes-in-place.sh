#!/bin/sh
# t1608-volumes-in-place: ec2_volumes and ec2_volume_attachments, which
# read plain volume items in place (eval/ec2_facts.c) and the others by
# their defining statements, hold the rows the statements give for every
# item (recorded by reading every item the general way), over volumes of
# odd shapes: attachments empty, detached in any case, null (one element
# that cannot be read, and the relationships), absent, a string, an
# object, elements that are not objects or whose instanceId or state is
# not text, deleteOnTermination of every type (an object, a list, a
# real: read the general way), a state that is an object, an
# unrecorded volume, relationships of odd shapes; and, written into the
# store as ingest would not write them, escapes, blanks, duplicate
# members and relationships recorded as an object. ec2-volume-inuse-check
# reads the tables: its verdicts on these volumes (with
# deleteOnTermination TRUE) are checked too.
. "$TOP_SRCDIR/tests/lib.sh"
D="$TOP_SRCDIR/tests/data/volumes-in-place"
q() { sqlite3 -separator '|' "$CFGAUDIT_DB" "$1"; }
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found"

U="$T/rules"
mkdir -p "$U"
# probe NAME EXPR FROM: one result per row, its columns (EXPR) as its
# resource id, so that the results sorted are the rows sorted.
probe() { probe_rule "$U" "$@"; }
c() { echo "quote($1) || ':' || typeof($1)"; }
probe PROBE_VOLUMES "$(c resource_type) || ',' || $(c resource_id) || ',' || $(c account_id)
	|| ',' || $(c region) || ',' || $(c status) || ',' || $(c recorded) || ','
	|| $(c state) || ',' || $(c attachments_garbled) || ',' || hex(item_key)" ec2_volumes
probe PROBE_ATTACHMENTS "$(c v.resource_id) || ',' || $(c a.instance_id) || ','
	|| $(c a.delete_on_termination)" \
	"ec2_volume_attachments AS a JOIN ec2_volumes AS v ON v.item_key = a.item_key"

check "ingest" cfgaudit --quiet ingest "$D"
set_col() {
	q "UPDATE items SET $1 = '$3' WHERE resource_id = '$2'" >/dev/null ||
		bail_out "cannot update $2"
}
set_col configuration vol-12 ' {"volumeId":"vol-12", "state":"in-use",
	"attachments":[{"instanceId":"i-\u0031\u0037","state":"attached","deleteOnTermination":true}]} '
set_col configuration vol-13 '{"volumeId":"vol-13","state":"in-use","state":"x","attachments":null,"attachments":[{"instanceId":"i-20","state":"attached"}]}'
set_col relationships vol-13 '{"r":{"resourceType":"AWS::EC2::Instance","resourceId":"i-21"}}'
set_col configuration vol-01 '{"volumeId":"vol-01","state":"available","attachments":[{"instanceId":"i-22","state":"attached","instanceId":"i-23","deleteOnTermination":false,"deleteOnTermination":true}],"attachments":[]}'

check_exit "eval the probes (NON_COMPLIANT results: exit 1)" 1 cfgaudit eval --jobs 1 --rules-dir "$U" --rule PROBE_VOLUMES \
	--rule PROBE_ATTACHMENTS --rule EC2_VOLUME_INUSE_CHECK \
	--param EC2_VOLUME_INUSE_CHECK.deleteOnTermination=TRUE --as-of 2026-11-21T00:00:00Z
run=$(sed -n 's/^run //p' "$T/out")
q "SELECT config_rule_name, resource_id, compliance_type, annotation FROM results
   WHERE run_id = $run ORDER BY 1, 2" >"$T/got"
check_same "the tables hold the rows of their statements" "$D/expected" "$T/got"

done_testing
