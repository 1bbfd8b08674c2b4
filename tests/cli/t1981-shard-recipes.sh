#!/bin/sh
# t1981-shard-recipes: the batch-engine recipes in examples/ are checked as
# far as this machine allows: the scripts parse (and pass shellcheck when
# it is installed), the Kubernetes manifests pass yamllint and name the
# same shard count everywhere, the AWS Batch job definition is valid JSON
# with the fields AWS Batch requires, shard-of.sh computes the same
# assignment as 'ingest --shard', and the shard and merge tasks run end to
# end on the sample organization from local directories.
. "$TOP_SRCDIR/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"
E="$TOP_SRCDIR/examples"

for f in "$E"/*.sh "$E"/aws-batch/submit.sh "$E"/slurm/shards.sbatch; do
	check "sh -n $(basename "$f")" sh -n "$f"
	if command -v shellcheck >/dev/null; then
		check "shellcheck $(basename "$f")" shellcheck -s sh "$f"
	fi
done
if command -v yamllint >/dev/null; then
	for f in "$E"/k8s/*.yaml; do
		check "yamllint $(basename "$f")" yamllint -d '{extends: default, rules: {line-length: {max: 140}, document-start: disable}}' "$f"
	done
else
	ok "# SKIP yamllint not installed (tools/install-deps installs it)"
fi
check_grep "the shard job is an Indexed Job" '^  completionMode: Indexed$' "$E/k8s/shard-job.yaml"
n_completions=$(sed -n 's/^  completions: //p' "$E/k8s/shard-job.yaml")
n_parallel=$(sed -n 's/^  parallelism: //p' "$E/k8s/shard-job.yaml")
n_env=$(grep -A1 'name: "N"' "$E/k8s/shard-job.yaml" | sed -n 's/.*value: "\([0-9]*\)"/\1/p')
n_merge=$(grep -A1 'name: "N"' "$E/k8s/merge-job.yaml" | sed -n 's/.*value: "\([0-9]*\)"/\1/p')
check "completions, parallelism and N agree ($n_completions)" test \
	"$n_completions" = "$n_parallel" -a "$n_parallel" = "$n_env" -a "$n_env" = "$n_merge"
check_grep "the task's K is JOB_COMPLETION_INDEX" 'export K=\$JOB_COMPLETION_INDEX' "$E/k8s/shard-job.yaml"
check "the Batch job definition has what AWS Batch requires" jq -e '
	.jobDefinitionName and .type == "container" and .containerProperties.image and
	(.containerProperties.command | index("sh")) and
	([.containerProperties.resourceRequirements[].type] | sort == ["MEMORY", "VCPU"]) and
	([.containerProperties.environment[] | select(.name == "N")] | length == 1)' \
	"$E/aws-batch/job-definition.json"
check_grep "its K is AWS_BATCH_JOB_ARRAY_INDEX" 'export K=\$AWS_BATCH_JOB_ARRAY_INDEX' \
	"$E/aws-batch/job-definition.json"
batch_n=$(jq -r '.containerProperties.environment[] | select(.name == "N") | .value' \
	"$E/aws-batch/job-definition.json")
check "the array size equals the job definition's N" grep -q "^n=$batch_n\$" "$E/aws-batch/submit.sh"

# shard-of.sh and ingest --shard agree
accounts="111111111111 222222222222 333333333333 444444444444 555555555555"
for k in 0 1 2; do
	CFGAUDIT_DB="$T/k$k.db" cfgaudit --quiet ingest --shard $k/3 "$TESTDATA" 2>/dev/null
	sqlite3 "$T/k$k.db" "SELECT DISTINCT account_id || ' $k' FROM items" 2>/dev/null
done | sort >"$T/by-ingest"
# shellcheck disable=SC2086
sh "$E/shard-of.sh" 3 $accounts | sort >"$T/by-script"
if command -v sqlite3 >/dev/null; then
	check_same "shard-of.sh assigns as ingest --shard does" "$T/by-script" "$T/by-ingest"
fi

# the tasks, end to end, from local directories (a mounted volume)
mkdir -p "$T/bin" "$T/results" "$T/orgout"
ln -s "$CFGAUDIT_BIN" "$T/bin/cfgaudit"
for k in 0 1; do
	check "shard task $k of 2" env PATH="$T/bin:$PATH" K=$k N=2 ARCHIVE="$TESTDATA" \
		CONTEXT="111111111111 222222222222" AS_OF=2026-11-07T12:00:00Z WORK="$T/w$k" \
		PACK="$TOP_SRCDIR/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml" \
		RESULTS="$T/results" sh "$E/shard-task.sh"
done
check "merge task" env PATH="$T/bin:$PATH" N=2 RESULTS="$T/results" OUT="$T/orgout" \
	WORK="$T/wm" sh "$E/merge-task.sh"
check "it wrote the report and the bundle" test -s "$T/orgout/org.html" -a -s "$T/orgout/org.json" \
	-a -s "$T/orgout/evidence.tar.gz"
check "the bundle verifies" cfgaudit verify "$T/orgout/evidence.tar.gz"
check "the report covers the five accounts" test \
	"$(jq '[.. | .AccountId? // empty] | unique | length' "$T/orgout/org.json")" -eq 5
done_testing
