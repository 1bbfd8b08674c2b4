#!/bin/sh
# merge-task.sh: the final step of a sharded run: fetch the N shard
# databases, merge them, write the organization report and bundle.
#   N, RESULTS as for shard-task.sh; OUT: s3://... or a directory
set -eu
: "${N:?}" "${RESULTS:?}" "${OUT:?}"
work=${WORK:-/tmp/cfgaudit-merge}
mkdir -p "$work"
i=0
while [ "$i" -lt "$N" ]; do
	case $RESULTS in
	s3://*) aws s3 cp --quiet "$RESULTS/shard-$i.db" "$work/shard-$i.db" ;;
	*) cp "$RESULTS/shard-$i.db" "$work/shard-$i.db" ;;
	esac
	i=$((i + 1))
done
rm -f "$work/org.db"
# shellcheck disable=SC2046
cfgaudit merge -o "$work/org.db" $(i=0; while [ $i -lt "$N" ]; do echo "$work/shard-$i.db"; i=$((i + 1)); done)
rc=0
cfgaudit --db "$work/org.db" report --format html -o "$work/org.html" || rc=$?
[ "$rc" -le 1 ]
cfgaudit --db "$work/org.db" report --format json -o "$work/org.json" || true
cfgaudit --db "$work/org.db" bundle -o "$work/evidence.tar.gz"
for f in org.html org.json evidence.tar.gz; do
	case $OUT in
	s3://*) aws s3 cp --quiet "$work/$f" "$OUT/$f" ;;
	*) cp "$work/$f" "$OUT/$f" ;;
	esac
done
