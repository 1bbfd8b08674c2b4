#!/bin/sh
# shard-task.sh: one task of a sharded cfgaudit run, for any batch engine.
#   K          this task's shard (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX,
#              SLURM_ARRAY_TASK_ID, or GNU parallel's {})
#   N          the number of shards
#   ARCHIVE    s3://bucket/prefix of the log archive (aws s3 sync), or a local
#              directory (a mounted volume)
#   CONTEXT    space-separated context accounts (management, security, ...)
#   PACK       the conformance pack file; AS_OF the as-of time
#   RESULTS    s3://... or a directory for the shard database
set -eu
: "${K:?}" "${N:?}" "${ARCHIVE:?}" "${PACK:?}" "${AS_OF:?}" "${RESULTS:?}"
CONTEXT=${CONTEXT:-}
work=${WORK:-/tmp/cfgaudit-shard-$K}
mkdir -p "$work"
ctx_opts=
for a in $CONTEXT; do ctx_opts="$ctx_opts --context-account $a"; done

case $ARCHIVE in
s3://*)
	# Fetch only this shard's accounts (and the context accounts):
	# AWS Config writes under <prefix>/AWSLogs/<account>/Config/.
	here=$(dirname "$0")
	aws s3 ls "$ARCHIVE/AWSLogs/" | awk '$1 == "PRE" { sub("/", "", $2); print $2 }' |
		grep -E '^[0-9]{12}$' >"$work/accounts"
	# shellcheck disable=SC2046
	"$here/shard-of.sh" "$N" $(cat "$work/accounts") | while read -r a k; do
		case " $CONTEXT " in *" $a "*) k=$K ;; esac
		[ "$k" = "$K" ] || continue
		aws s3 sync --quiet "$ARCHIVE/AWSLogs/$a/Config/" "$work/archive/AWSLogs/$a/Config/"
	done
	src=$work/archive
	;;
*)
	src=$ARCHIVE # files of other accounts are not even read
	;;
esac

# shellcheck disable=SC2086
cfgaudit --db "$work/shard-$K.db" --quiet ingest --shard "$K/$N" $ctx_opts "$src"
rc=0
cfgaudit --db "$work/shard-$K.db" --quiet eval --pack "$PACK" --as-of "$AS_OF" || rc=$?
[ "$rc" -le 1 ] # 1 only says that something is non-compliant

case $RESULTS in
s3://*) aws s3 cp --quiet "$work/shard-$K.db" "$RESULTS/shard-$K.db" ;;
*) cp "$work/shard-$K.db" "$RESULTS/shard-$K.db" ;;
esac
