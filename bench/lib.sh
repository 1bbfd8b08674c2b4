# bench/lib.sh: what the bench scripts share (sourced; set BENCH_NAME first).
#   die MSG          print "bench/NAME: error: MSG" and exit 2
#   bench_need       the cfgaudit binary, the generator and python3 must exist
#   bench_tmp        sets tmp: BENCH_TMP (kept), else a new directory under
#                    $TMPDIR removed at exit
#   skipped WORD     whether WORD is in BENCH_SKIP
#   dbsize DB        bytes of DB and its WAL
#   bench_run NAME CMD...  run CMD under measure.py (output in $tmp/NAME.out,
#                    .err), setting WALL PEAK_KB RC CPU
#   bench_fmt EXPR [DIGITS]  the value of a python expression, rounded
#   bench_per_place ITEMS ACCOUNTS REGIONS  resources per account-region
#                    (gen-archive --resources) for about ITEMS in all
# and sets, from $here (the bench directory), the paths every script uses:
#   src (the source tree), build (BENCH_BUILDDIR, else the current
#   directory), CFGAUDIT and GEN (the binaries, unless set), SECURITY_PACK.
src=$(cd "$here/.." && pwd)
build=${BENCH_BUILDDIR:-$(pwd)}
CFGAUDIT=${CFGAUDIT:-$build/cfgaudit}
GEN=${GEN:-$build/tools/gen-archive}
SECURITY_PACK=$src/packs/Operational-Best-Practices-for-Security-Identity-and-Compliance-Services.yaml

die() {
	echo "bench/$BENCH_NAME: error: $*" >&2
	exit 2
}
bench_need() {
	[ -x "$CFGAUDIT" ] || die "no cfgaudit binary at '$CFGAUDIT' (set BENCH_BUILDDIR)"
	[ -x "$GEN" ] || die "no generator at '$GEN' (run make first)"
	command -v python3 >/dev/null 2>&1 || die "python3 is needed (measurements, baseline)"
}
bench_tmp() {
	if [ -n "${BENCH_TMP:-}" ]; then
		tmp=$BENCH_TMP
		mkdir -p "$tmp"
	else
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/cfgaudit-$1.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT INT TERM
	fi
}
skipped() {
	case " ${BENCH_SKIP:-} " in *" $1 "*) return 0 ;; esac
	return 1
}
dbsize() {
	s=0
	for f in "$1" "$1-wal"; do
		[ -f "$f" ] && s=$((s + $(stat -c %s "$f")))
	done
	echo "$s"
}
bench_run() {
	name=$1
	shift
	python3 "$here/measure.py" "$tmp/$name.m" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || :
	read -r WALL PEAK_KB RC CPU _rest <"$tmp/$name.m"
}
bench_fmt() { python3 -c "print('%.${2:-2}f' % ($1))"; }
bench_per_place() {
	python3 -c "print(max(20, int($1 / ($2 * len('$3'.split(','))) + 0.999)))"
}

# bench_all_rules CFGAUDIT: the arguments that evaluate every shipped rule in
# one run: --rule for each identifier, and --param with a sample value for
# each parameter that has no default (else that rule would be "not
# evaluated" and cost nothing).
bench_all_rules() {
	"$1" rules list --format json | python3 -c '
import json, sys
samples = {"string": "111122223333", "csv": "kms:Decrypt,kms:ReEncryptFrom",
	   "int": "1", "bool": "true"}
args = []
for r in json.load(sys.stdin):
	args.append("--rule " + r["identifier"])
	for p in r.get("parameters", []):
		if not p.get("optional") and p.get("default") is None:
			args.append("--param %s.%s=%s" % (r["identifier"], p["name"],
							  samples.get(p["type"], "1")))
print(" ".join(args))'
}
