#!/bin/sh
# t1443-html-screenshots: the HTML report of testdata/ as a person sees it,
# in headless Chromium at 1400 and 400 px wide. The screenshots are kept
# as test artifacts ($CFGAUDIT_ARTIFACTS, default tests/artifacts/ in the
# build tree). The test fails if the page loads anything (a Content-
# Security-Policy violation or a resource entry: the stylesheet and script
# must match their hashes, nothing may be fetched) or if, with every rule
# opened, the page is wider than the window. Skips when chromium is not
# installed (tools/install-deps installs it; CI runs this test).
. "$TOP_SRCDIR/tests/lib.sh"

CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && CHROMIUM=$c && break
done
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (tools/install-deps)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -d "$TESTDATA/o-5kvfssmr52" ] || skip_all "no testdata archive"
ART=${CFGAUDIT_ARTIFACTS:-${TOP_BUILDDIR:-.}/tests/artifacts}
mkdir -p "$ART" || bail_out "cannot create $ART"

cat >"$T/waivers.yaml" <<'YAML'
- rule: restricted-ssh
  account: "111111111111"
  resource: "sg-*"
  reason: Bastion host behind the corporate VPN
  approved_by: security@example.com
  expires: 2099-12-31
YAML
cfgaudit audit --waivers "$T/waivers.yaml" --format html -o "$T/report.html" "$TESTDATA" \
	2>"$T/err"
[ $? -le 1 ] || bail_out "audit failed: $(cat "$T/err")"

# Chromium, offline: every host name resolves to nothing.
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--no-first-run --disable-extensions --disable-background-networking \
		--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$T/profile" \
		--virtual-time-budget=3000 "$@" 2>>"$T/chrome.log"
}

# The check page: the report, plus a first script (added to the CSP by its
# hash, the report's own policy otherwise unchanged) that records CSP
# violations and, after load, opens every rule and writes what it measured
# into the DOM.
python3 - "$T/report.html" "$T/check.html" <<'PY' || bail_out "cannot make the check page"
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = """
var v = [];
document.addEventListener('securitypolicyviolation', function (e) {
  v.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
window.addEventListener('load', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var w = window.innerWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w + 1 && !e.closest('.scroll')) wide.push(e.tagName + '.' + e.className);
  });
  var res = performance.getEntriesByType('resource').map(function (r) { return r.name; });
  var out = document.createElement('pre');
  out.id = 'layout-check';
  out.textContent = JSON.stringify({scrollWidth: document.documentElement.scrollWidth,
    innerWidth: w, wide: wide.slice(0, 10), violations: v, resources: res,
    filters: !document.getElementById('filters').hidden});
  document.body.appendChild(out);
});
"""
h = base64.b64encode(hashlib.sha256(probe.encode()).digest()).decode()
page, n = re.subn(r"(script-src )", r"\1'sha256-%s' " % h, page, count=1)
assert n == 1, "no script-src in the page's CSP"
page = page.replace("<head>\n", "<head>\n<script>%s</script>\n" % probe, 1)
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY

for w in 1400 400; do
	rm -f "$ART/report-$w.png"
	chrome --screenshot="$ART/report-$w.png" --window-size=$w,1200 "file://$T/report.html"
	check "screenshot at $w px ($ART/report-$w.png)" test -s "$ART/report-$w.png"
	chrome --screenshot="$ART/report-$w-open.png" --window-size=$w,1200 "file://$T/check.html"
	chrome --window-size=$w,1200 --dump-dom "file://$T/check.html" >"$T/dom-$w.html"
	check "the page ran its checks at $w px" grep -q 'id="layout-check"' "$T/dom-$w.html"
	check "at $w px: no CSP violation, nothing fetched, no overflow, filters shown" \
		python3 - "$T/dom-$w.html" "$w" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="layout-check">(.*?)</pre>', dom, re.S)
r = json.loads(html.unescape(m.group(1)))
bad = []
if r["violations"]:
    bad.append("CSP violations: %s" % r["violations"])
if r["resources"]:
    bad.append("resources loaded: %s" % r["resources"])
if r["scrollWidth"] > r["innerWidth"] or r["wide"]:
    bad.append("wider than the window: %s > %s %s" % (r["scrollWidth"], r["innerWidth"], r["wide"]))
if not r["filters"]:
    bad.append("the filter form was not shown: the script did not run")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
done
# The DOM Chromium built names nothing outside the page but AWS's docs.
check "no external URL in the rendered DOM" python3 - "$T/dom-1400.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
urls = set(re.findall(r'(?:src|href|action|poster|data)\s*=\s*"([a-z]+:[^"]*)"', dom, re.I))
bad = [u for u in urls if not u.startswith("https://docs.aws.amazon.com/config/latest/developerguide/")]
print(bad, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
done_testing
