/*
 * report_html: the HTML back end -- one self-contained page for deciding
 * what to fix across an organization (cfgaudit-report(5)):
 *
 *   - the headline figures, then "What to fix": every rule with
 *     non-compliant resources, most severe first, then by how many are
 *     open (not waived), each a <details> with its remediation, AWS's
 *     documentation page and its non-compliant resources;
 *   - a score table per account (pack scores, open results by severity);
 *   - the data coverage, the waivers, every rule's verdicts, and the
 *     run's provenance.
 *
 * Size: the page lists at most a few resources per rule and account
 * (RES_PER_ACCOUNT, RES_PER_RULE) and says how many more there are; the
 * full lists are in the JSON and CSV reports and the bundle. Ten accounts
 * with 50,000 resources stay well under 2 MB.
 *
 * Nothing is loaded: the CSS and one small script are inline, and a
 * Content-Security-Policy names them by SHA-256 and forbids everything
 * else (no inline handlers, no other scripts, styles, images, fonts or
 * connections). The page reads fully without the script (<details>); the
 * script only adds the filter form (account, rule, severity, status) and
 * sortable table columns. The only links leave to AWS's documentation.
 * Every value from the data goes through rp_html_escape and no data
 * value is ever placed in a URL.
 */
#include "config.h"

#include "report/report_priv.h"
#include "rules/rule.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define RES_PER_RULE 120   /* resources listed per rule, at most */
#define RES_PER_ACCOUNT 12 /* per rule and account, when many accounts share the cap */

static const char style[] =
    ":root{--crit:#7b0d0d;--high:#b3261e;--med:#8a4b00;--low:#37474f;--ok:#1b5e20;"
    "--line:#d0d4d9;--soft:#f4f5f7}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;"
    "background:#fff;margin:0 auto;max-width:1240px;padding:1em}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid var(--line);"
    "padding-bottom:.2em;margin-top:1.8em}h3{font-size:1.05em}\n"
    "header p{margin:.2em 0;color:#444}nav a{margin-right:.9em}\n"
    "a{color:#0b57d0}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}\n"
    "th{background:var(--soft);font-weight:600;overflow-wrap:normal}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}\n"
    "td.key{white-space:nowrap;overflow-wrap:normal}\n"
    "td.type{overflow-wrap:normal}td.id{min-width:11em}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:.4em .9em;min-width:9em}\n"
    ".card b{display:block;font-size:1.45em}\n"
    ".bad{color:var(--high)}.good{color:var(--ok)}.muted{color:#5f6368}\n"
    ".sev{display:inline-block;min-width:5.6em;text-align:center;border-radius:3px;"
    "padding:0 .4em;font-size:.85em;font-weight:700;color:#fff;background:#757575}\n"
    ".sev-critical{background:var(--crit)}.sev-high{background:var(--high)}"
    ".sev-medium{background:var(--med)}.sev-low{background:var(--low)}\n"
    "details.rule{border:1px solid var(--line);border-radius:6px;margin:.45em 0;"
    "padding:.3em .7em}\n"
    "details.rule>summary{cursor:pointer;display:flex;flex-wrap:wrap;gap:.2em .7em;"
    "align-items:baseline}\n"
    "details.rule>summary::before{content:'\\25B8';color:#5f6368;width:.8em}\n"
    "details.rule[open]>summary::before{content:'\\25BE'}\n"
    "details.rule>summary .name{font-weight:600;overflow-wrap:anywhere}\n"
    "details.rule>summary .counts{color:#444}\n"
    ".fix{margin:.4em 0}.more{color:#5f6368;font-style:italic}\n"
    ".waived{color:#5f6368}\n"
    "form#filters{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:end;"
    "background:var(--soft);padding:.5em .7em;border-radius:6px}\n"
    "form#filters label{display:flex;flex-direction:column;font-size:.85em}\n"
    "th[data-sort]{cursor:pointer}th[data-sort]::after{content:' \\2195';color:#888}\n"
    "code{font-size:.92em;overflow-wrap:anywhere}\n"
    "[hidden]{display:none!important}\n"
    "@media (max-width:600px){body{padding:.5em;font-size:14px}"
    ".card{min-width:7em;flex:1 1 7em}th,td{padding:.25em .3em}\n"
    "table.res thead{display:none}table.res tr{display:block;padding:.35em 0;"
    "border-bottom:1px solid var(--line)}table.res td{display:inline;border:0;padding:0 .4em 0 0}"
    "table.res td.ann{display:block;padding-top:.15em}}\n"
    "@media print{form#filters{display:none!important}details.rule{break-inside:avoid-page}"
    "nav{display:none}}\n";

/* Filtering and sorting; the page is complete without it. */
static const char script[] =
    "(function(){'use strict';\n"
    "var f=document.getElementById('filters');f.hidden=false;\n"
    "function has(l,v){return !v||(' '+(l||'')+' ').indexOf(' '+v+' ')>=0;}\n"
    "function apply(){var a=f.elements.account.value,s=f.elements.severity.value,"
    "st=f.elements.status.value,q=f.elements.rule.value.trim().toLowerCase();\n"
    "document.querySelectorAll('[data-rule]').forEach(function(e){"
    "e.hidden=!(has(e.dataset.acct,a)&&(!s||e.dataset.sev===s)&&has(e.dataset.st,st)&&"
    "(!q||e.dataset.rule.indexOf(q)>=0));});\n"
    "document.querySelectorAll('tr[data-a]').forEach(function(r){"
    "r.hidden=!((!a||r.dataset.a===a)&&has(r.dataset.s,st));});}\n"
    "f.addEventListener('input',apply);f.addEventListener('change',apply);\n"
    "f.addEventListener('submit',function(e){e.preventDefault();});\n"
    "document.querySelectorAll('th[data-sort]').forEach(function(th){th.tabIndex=0;\n"
    "function sort(){var b=th.closest('table').tBodies[0],k=th.cellIndex,"
    "d=th.dataset.dir=th.dataset.dir==='a'?'d':'a';\n"
    "var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){"
    "var p=x.cells[k].getAttribute('data-v')||x.cells[k].textContent,"
    "q=y.cells[k].getAttribute('data-v')||y.cells[k].textContent,"
    "n=parseFloat(p)-parseFloat(q),c=isNaN(n)?p.localeCompare(q):n;return d==='a'?c:-c;});\n"
    "rows.forEach(function(r){b.appendChild(r);});}\n"
    "th.addEventListener('click',sort);th.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});\n"
    "})();\n";

static void esc(struct strbuf *sb, const char *s)
{
	rp_html_escape(sb, s ? s : "");
}

/* 'sha256-BASE64' of text, as a CSP source. */
static void csp_hash(struct strbuf *sb, const char *text)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct sha256_ctx *c = sha256_new();
	unsigned char h[33] = {0};

	sha256_update(c, text, strlen(text));
	sha256_finish_raw(c, h);
	strbuf_addstr(sb, "'sha256-");
	for (int i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)h[i] << 16 | (unsigned)h[i + 1] << 8 | h[i + 2];

		strbuf_addch(sb, b64[v >> 18 & 63]);
		strbuf_addch(sb, b64[v >> 12 & 63]);
		strbuf_addch(sb, i + 1 < 32 ? b64[v >> 6 & 63] : '=');
		strbuf_addch(sb, i + 2 < 32 ? b64[v & 63] : '=');
	}
	strbuf_addch(sb, '\'');
}

static void td(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "<td>");
	esc(sb, s);
	strbuf_addstr(sb, "</td>");
}

/* A resource type, breakable only after each "::". */
static void td_type(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "<td class=\"type\">");
	for (const char *p = s ? s : ""; *p;) {
		const char *c = strstr(p, "::");
		struct strbuf part = STRBUF_INIT;

		strbuf_add(&part, p, c ? (size_t)(c - p) + 2 : strlen(p));
		esc(sb, part.buf);
		strbuf_release(&part);
		if (!c)
			break;
		strbuf_addstr(sb, "<wbr>");
		p = c + 2;
	}
	strbuf_addstr(sb, "</td>");
}

static void td_key(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "<td class=\"key\">");
	esc(sb, s);
	strbuf_addstr(sb, "</td>");
}

/* A count; a non-zero one of something bad in the "bad" colour. */
static void td_num(struct strbuf *sb, long v, int bad_if_nonzero)
{
	strbuf_addf(sb, "<td class=\"n%s\">%ld</td>", bad_if_nonzero && v ? " bad" : "", v);
}

static const char *sev_name(const struct rp_rule *r)
{
	return r->severity && *r->severity ? r->severity : "unrated";
}

static void sev_badge(struct strbuf *sb, const struct rp_rule *r)
{
	const char *s = sev_name(r);

	strbuf_addf(sb, "<span class=\"sev sev-%s\">%s</span>", s, s);
}

/* The rule's name, and its pack when the run evaluated several. */
static int several_packs;

static void rule_label(struct strbuf *sb, const char *pack, const char *name)
{
	esc(sb, name);
	if (several_packs && pack && *pack) {
		strbuf_addstr(sb, " <small class=\"muted\">[");
		esc(sb, pack);
		strbuf_addstr(sb, "]</small>");
	}
}

/* A result's status for the filter: open, waived, compliant, na, nodata. */
static const char *status_of(const struct rp_result *r)
{
	switch (r->ct) {
	case RP_NON_COMPLIANT:
		return r->waiver >= 0 ? "waived" : "open";
	case RP_COMPLIANT:
		return "compliant";
	case RP_NOT_APPLICABLE:
		return "na";
	default:
		return "nodata";
	}
}

/* Per account: open non-compliant results by severity rank, waived ones,
 * and rule-pair verdicts. */
struct acct {
	long open[5]; /* by severity_rank: 0 unrated .. 4 critical */
	long open_total, waived;
	long rules[RP_CT_N];
};

static struct acct *account_figures(const struct rp_model *m)
{
	struct acct *a = xcalloc(m->n_accounts + 1, sizeof(*a));

	for (size_t i = 0; i < m->n_rulepairs; i++)
		a[m->pairs[m->rulepairs[i].pair].account_idx].rules[m->rulepairs[i].ct]++;
	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[i];
		struct acct *x = &a[m->pairs[r->pair].account_idx];

		if (r->ct != RP_NON_COMPLIANT)
			continue;
		if (r->waiver >= 0) {
			x->waived++;
		} else {
			x->open[m->rules[r->rule_idx].severity_rank]++;
			x->open_total++;
		}
	}
	return a;
}

/* Space-separated distinct accounts of rule k's results that pass keep. */
static void rule_accounts(const struct rp_model *m, size_t k, int nc_only, struct strbuf *out)
{
	const char *last = NULL;

	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];
		const char *acct = m->pairs[rp->pair].account;

		if (rp->rule != k || (nc_only && !rp->n[RP_NON_COMPLIANT]) ||
		    (last && !strcmp(last, acct)))
			continue;
		if (out->len)
			strbuf_addch(out, ' ');
		esc(out, acct);
		last = acct;
	}
}

/* Space-separated statuses rule k has (open waived compliant na nodata). */
static void rule_statuses(const struct rp_model *m, size_t k, struct strbuf *out)
{
	int seen[5] = {0};
	static const char *const names[5] = {"open", "waived", "compliant", "na", "nodata"};

	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];

		if (rp->rule != k)
			continue;
		for (size_t x = rp->first; x < rp->end; x++) {
			const char *s = status_of(&m->results[x]);

			for (int j = 0; j < 5; j++)
				seen[j] |= !strcmp(s, names[j]);
		}
	}
	for (int j = 0; j < 5; j++)
		if (seen[j])
			strbuf_addf(out, "%s%s", out->len ? " " : "", names[j]);
}

/* The data-* attributes the filter reads on a rule's element. */
static void rule_attrs(const struct rp_model *m, size_t k, int nc_only, struct strbuf *sb)
{
	const struct rp_rule *r = &m->rules[k];
	struct strbuf v = STRBUF_INIT, lower = STRBUF_INIT;

	strbuf_addstr(&lower, r->name);
	for (size_t i = 0; i < lower.len; i++)
		if (lower.buf[i] >= 'A' && lower.buf[i] <= 'Z')
			lower.buf[i] = (char)(lower.buf[i] - 'A' + 'a');
	strbuf_addstr(sb, " data-rule=\"");
	esc(sb, lower.buf);
	strbuf_addf(sb, "\" data-sev=\"%s\" data-acct=\"", sev_name(r));
	rule_accounts(m, k, nc_only, &v);
	strbuf_add(sb, v.buf, v.len);
	strbuf_reset(&v);
	strbuf_addstr(sb, "\" data-st=\"");
	rule_statuses(m, k, &v);
	strbuf_add(sb, v.buf, v.len);
	strbuf_addch(sb, '"');
	strbuf_release(&v);
	strbuf_release(&lower);
}

static void flush(struct strbuf *sb, FILE *out)
{
	if (sb->len > 65536) {
		fwrite(sb->buf, 1, sb->len, out);
		strbuf_reset(sb);
	}
}

/* One result row of a rule's list. */
static void result_row(const struct rp_model *m, struct strbuf *sb, const struct rp_result *x)
{
	const char *st = status_of(x);

	strbuf_addstr(sb, "<tr data-a=\"");
	esc(sb, x->account);
	strbuf_addf(sb, "\" data-s=\"%s\">", st);
	td_key(sb, x->account);
	td_key(sb, x->region);
	td_type(sb, x->rtype);
	strbuf_addstr(sb, "<td class=\"id\">");
	esc(sb, x->rid);
	/* what to find it by: its name (IAM users are AIDA... ids), its ARN */
	if (x->name && *x->name && strcmp(x->name, x->rid)) {
		strbuf_addstr(sb, "<br>");
		esc(sb, x->name);
	}
	if (x->arn && *x->arn && strcmp(x->arn, x->rid)) {
		strbuf_addstr(sb, "<br>");
		esc(sb, x->arn);
	}
	strbuf_addstr(sb, "</td>");
	strbuf_addf(sb, "<td class=\"key%s\">", x->ct == RP_NON_COMPLIANT && x->waiver < 0
							    ? " bad" : "");
	strbuf_addstr(sb, x->waiver >= 0 ? "waived" : rp_ct_name(x->ct));
	strbuf_addstr(sb, "</td><td class=\"ann\">");
	esc(sb, x->annotation);
	if (x->waiver >= 0) {
		const struct rp_waiver *w = &m->waivers[x->waiver];

		strbuf_addstr(sb, "<br><span class=\"waived\">Waived: ");
		esc(sb, w->reason);
		strbuf_addstr(sb, " (approved by ");
		esc(sb, w->approved_by);
		strbuf_addstr(sb, ", expires ");
		esc(sb, w->expires);
		strbuf_addstr(sb, ")</span>");
	}
	strbuf_addstr(sb, "</td></tr>\n");
}

/* Does the rule's list show x? Non-compliant results, and with
 * --compliance whatever it selected. */
static int listed_here(const struct rp_model *m, const struct rp_result *x)
{
	if (!x->listed)
		return 0;
	return x->ct == RP_NON_COMPLIANT || m->opt->n_compliance > 0;
}

/* The resources of rule k, at most RES_PER_RULE, and at most per_acct
 * per account; then how many more the JSON report has. */
static void rule_resources(const struct rp_model *m, size_t k, long per_acct, struct strbuf *sb,
			   FILE *out)
{
	long shown = 0, total = 0, in_acct = 0;
	const char *acct = NULL;

	strbuf_addstr(sb, "<div class=\"scroll\"><table class=\"res\"><thead><tr><th>Account</th>"
			  "<th>Region</th><th>Resource type</th><th>Resource</th><th>Status</th>"
			  "<th>Annotation</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];

		if (rp->rule != k)
			continue;
		for (size_t j = rp->first; j < rp->end; j++) {
			const struct rp_result *x = &m->results[j];

			if (!listed_here(m, x))
				continue;
			total++;
			if (!acct || strcmp(acct, x->account)) {
				acct = x->account;
				in_acct = 0;
			}
			if (shown >= RES_PER_RULE || in_acct >= per_acct)
				continue;
			result_row(m, sb, x);
			shown++;
			in_acct++;
			flush(sb, out);
		}
	}
	strbuf_addstr(sb, "</tbody></table></div>\n");
	if (total > shown)
		strbuf_addf(sb, "<p class=\"more\">%ld more in the JSON and CSV reports (and the "
				"bundle): this page lists at most %ld per account and %d per rule."
				"</p>\n",
			    total - shown, per_acct, RES_PER_RULE);
}

static void fix_rule(const struct rp_model *m, const struct rp_fix *f, struct strbuf *sb,
		     FILE *out)
{
	const struct rp_rule *r = &m->rules[f->rule];
	long per_acct = f->accounts ? RES_PER_RULE / (long)f->accounts : RES_PER_RULE;

	if (per_acct < RES_PER_ACCOUNT)
		per_acct = RES_PER_ACCOUNT;
	strbuf_addstr(sb, "<details class=\"rule\"");
	rule_attrs(m, f->rule, 1, sb);
	strbuf_addstr(sb, "><summary>");
	sev_badge(sb, r);
	strbuf_addstr(sb, "<span class=\"name\">");
	rule_label(sb, r->pack, r->name);
	strbuf_addf(sb, "</span><span class=\"counts\"><b class=\"%s\">%ld open</b>",
		    f->open ? "bad" : "muted", f->open);
	if (f->waived)
		strbuf_addf(sb, ", %ld waived", f->waived);
	strbuf_addf(sb, " in %zu account%s</span></summary>\n", f->accounts,
		    f->accounts == 1 ? "" : "s");
	strbuf_addstr(sb, "<p class=\"fix\"><b>Fix:</b> ");
	esc(sb, r->remediation ? r->remediation : "(no remediation recorded for this rule)");
	if (r->documentation) {
		/* The only link that leaves the page: AWS's own page. */
		strbuf_addstr(sb, " <a rel=\"noopener noreferrer\" href=\"");
		esc(sb, r->documentation);
		strbuf_addstr(sb, "\">AWS documentation</a>");
	}
	strbuf_addstr(sb, "</p>\n<p class=\"muted\">Rule <code>");
	esc(sb, r->identifier);
	strbuf_addstr(sb, "</code>");
	if (r->severity_source) {
		strbuf_addstr(sb, "; severity from ");
		esc(sb, r->severity_source);
	}
	strbuf_addstr(sb, "</p>\n");
	rule_resources(m, f->rule, per_acct, sb, out);
	strbuf_addstr(sb, "</details>\n");
}

static void filter_form(const struct rp_model *m, struct strbuf *sb)
{
	strbuf_addstr(sb, "<form id=\"filters\" hidden><label>Account<select name=\"account\">"
			  "<option value=\"\">all</option>");
	for (size_t a = 0; a < m->n_accounts; a++) {
		strbuf_addstr(sb, "<option>");
		esc(sb, m->accounts[a]);
		strbuf_addstr(sb, "</option>");
	}
	strbuf_addstr(sb, "</select></label><label>Severity<select name=\"severity\">"
			  "<option value=\"\">all</option><option>critical</option>"
			  "<option>high</option><option>medium</option><option>low</option>"
			  "<option>unrated</option></select></label>"
			  "<label>Status<select name=\"status\"><option value=\"\">all</option>"
			  "<option value=\"open\">non-compliant, open</option>"
			  "<option value=\"waived\">non-compliant, waived</option>"
			  "<option value=\"compliant\">compliant</option>"
			  "<option value=\"nodata\">insufficient data</option>"
			  "<option value=\"na\">not applicable</option></select></label>"
			  "<label>Rule<input name=\"rule\" type=\"search\" "
			  "placeholder=\"name contains\"></label></form>\n");
}

static void fix_section(const struct rp_model *m, struct strbuf *sb, FILE *out)
{
	size_t n;
	struct rp_fix *v = rp_fix_list(m, &n);

	strbuf_addf(sb, "<section id=\"fix\"><h2>What to fix (%zu rule%s)</h2>\n", n,
		    n == 1 ? "" : "s");
	strbuf_addstr(sb, "<p class=\"muted\">Rules with non-compliant resources, most severe "
			  "first, then by open (not waived) results. Open a rule for how to fix "
			  "it and its resources.</p>\n");
	filter_form(m, sb);
	if (!n)
		strbuf_addstr(sb, "<p class=\"good\">No non-compliant resource in the "
				  "selection.</p>\n");
	for (size_t i = 0; i < n; i++)
		fix_rule(m, &v[i], sb, out);
	strbuf_addstr(sb, "</section>\n");
	free(v);
}

static void card(struct strbuf *sb, const char *label, long v, int bad_if_nonzero)
{
	strbuf_addf(sb, "<div class=\"card\">%s<b class=\"%s\">%ld</b></div>\n", label,
		    bad_if_nonzero && v ? "bad" : "", v);
}

static void headline(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	long open = 0, waived = 0, severe = 0;
	char score[24];

	for (size_t k = 0; k < m->n_accounts; k++) {
		open += a[k].open_total;
		waived += a[k].waived;
		severe += a[k].open[RULE_SEVERITY_CRITICAL] + a[k].open[RULE_SEVERITY_HIGH];
	}
	strbuf_addstr(sb, "<section id=\"summary\"><div class=\"cards\">\n");
	card(sb, "Open non-compliant results", open, 1);
	card(sb, "of them critical or high", severe, 1);
	if (m->waivers_used)
		card(sb, "Waived results", waived, 0);
	card(sb, "Accounts", (long)m->n_accounts, 0);
	for (size_t k = 0; k < m->n_overall_scores; k++) {
		rp_score_text(m->scores[k].compliant, m->scores[k].noncompliant, score);
		strbuf_addf(sb, "<div class=\"card\">Score<b>%s</b><small class=\"muted\">",
			    score);
		esc(sb, m->scores[k].pack);
		strbuf_addstr(sb, "</small></div>\n");
	}
	strbuf_addstr(sb, "</div></section>\n");
}

/* A pack score cell, sortable by value (no data sorts first). */
static void td_score(struct strbuf *sb, const struct rp_score *sc)
{
	char text[24];

	rp_score_text(sc->compliant, sc->noncompliant, text);
	strbuf_addf(sb, "<td class=\"n\" data-v=\"%s\">%s</td>",
		    sc->compliant + sc->noncompliant ? text : "-1",
		    sc->compliant + sc->noncompliant ? text : "no data");
}

/* A sortable score column per pack, named by the pack when there are
 * several. */
static void score_headers(const struct rp_model *m, struct strbuf *sb)
{
	for (size_t p = 0; p < m->n_packs; p++) {
		strbuf_addstr(sb, "<th class=\"n\" data-sort>Score");
		if (m->n_packs > 1) {
			strbuf_addstr(sb, " <small>");
			esc(sb, m->packs[p]);
			strbuf_addstr(sb, "</small>");
		}
		strbuf_addstr(sb, "</th>");
	}
}

/* Where names and OU paths come from, when the report shows them. */
static void org_sources(const struct rp_model *m, struct strbuf *sb)
{
	size_t n;
	const struct rp_org_source *src = rp_org_sources(m, &n);

	if (!rp_org_shown(m))
		return;
	strbuf_addstr(sb, "<p class=\"muted\">Names and OU paths: ");
	if (n == 0)
		strbuf_addstr(sb, "no aws organizations list-accounts evidence at or before the "
				  "as-of time.");
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? "; " : "");
		strbuf_addstr(sb, "aws organizations list-accounts of ");
		esc(sb, src[i].management);
		strbuf_addstr(sb, " captured ");
		esc(sb, src[i].captured_at);
		if (!src[i].fresh)
			strbuf_addstr(sb, " (too old, not used)");
	}
	strbuf_addstr(sb, n ? ".</p>\n" : "</p>\n");
}

static void accounts(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	static const char *const sev_head[] = {"Critical", "High", "Medium", "Low"};

	strbuf_addstr(sb, "<section id=\"accounts\"><h2>Accounts</h2>\n<div class=\"scroll\">"
			  "<table class=\"sortable\"><thead><tr><th data-sort>Account</th>");
	if (rp_org_shown(m))
		strbuf_addstr(sb, "<th data-sort>Name</th><th data-sort>OU path</th>");
	score_headers(m, sb);
	strbuf_addstr(sb, "<th class=\"n\" data-sort>Open</th>");
	for (int s = 0; s < 4; s++)
		strbuf_addf(sb, "<th class=\"n\" data-sort>%s</th>", sev_head[s]);
	if (m->waivers_used)
		strbuf_addstr(sb, "<th class=\"n\" data-sort>Waived</th>");
	strbuf_addstr(sb, "<th class=\"n\" data-sort>Rules non-compliant</th>"
			  "<th class=\"n\" data-sort>Rules without data</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_accounts; k++) {
		strbuf_addstr(sb, "<tr>");
		td_key(sb, m->accounts[k]);
		if (rp_org_shown(m)) {
			const struct rp_org_account *e = rp_org_account(m, k);

			strbuf_addstr(sb, "<td>");
			esc(sb, e->name && *e->name ? e->name : "-");
			strbuf_addstr(sb, "</td><td>");
			esc(sb, rp_org_ou_label(m, k));
			strbuf_addstr(sb, "</td>");
		}
		for (size_t p = 0; p < m->n_packs; p++)
			td_score(sb, &m->scores[m->n_packs * (1 + k) + p]);
		td_num(sb, a[k].open_total, 1);
		for (int s = RULE_SEVERITY_CRITICAL; s >= RULE_SEVERITY_LOW; s--)
			td_num(sb, a[k].open[s], s >= RULE_SEVERITY_HIGH);
		if (m->waivers_used)
			td_num(sb, a[k].waived, 0);
		td_num(sb, a[k].rules[RP_NON_COMPLIANT], 0);
		td_num(sb, a[k].rules[RP_INSUFFICIENT_DATA], 0);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n<p class=\"muted\">Score: compliant rule and "
			  "resource pairs in percent of the decided ones, per conformance pack. "
			  "Open: non-compliant results not covered by a waiver, by the rule's "
			  "severity. Rules are counted once per account and region.</p>\n");
	org_sources(m, sb);
	strbuf_addstr(sb, "</section>\n");
}

/* --by ou: the accounts of each OU path with their scores and counts. */
static void ou_section(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	size_t ng;
	const struct rp_ou_group *g = rp_ou_groups(m, &ng);

	strbuf_addstr(sb, "<section id=\"ous\"><h2>Organizational units</h2>\n<div class=\"scroll\">"
			  "<table class=\"sortable\"><thead><tr><th data-sort>OU path</th>"
			  "<th>Accounts</th>");
	score_headers(m, sb);
	strbuf_addstr(sb, "<th class=\"n\" data-sort>Open</th><th class=\"n\" data-sort>Rules "
			  "non-compliant</th><th class=\"n\" data-sort>Rules without data</th>"
			  "<th>Rules reaching a verdict</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < ng; k++) {
		struct strbuf l = STRBUF_INIT;
		long open = 0;

		strbuf_addstr(sb, "<tr>");
		td_key(sb, g[k].path);
		strbuf_addstr(sb, "<td>");
		for (size_t i = 0; i < g[k].n_accounts; i++) {
			strbuf_reset(&l);
			rp_account_label(m, m->accounts[g[k].accounts[i]], &l);
			if (i)
				strbuf_addstr(sb, "<br>");
			esc(sb, l.buf);
			open += a[g[k].accounts[i]].open_total;
		}
		strbuf_addstr(sb, "</td>");
		for (size_t p = 0; p < m->n_packs; p++)
			td_score(sb, &g[k].scores[p]);
		td_num(sb, open, 1);
		td_num(sb, g[k].rules_noncompliant, 0);
		td_num(sb, g[k].rules_nodata, 0);
		strbuf_reset(&l);
		rp_tally_text(&g[k].tally, &l);
		strbuf_addstr(sb, "<td>");
		esc(sb, l.buf);
		strbuf_addstr(sb, "</td></tr>\n");
		strbuf_release(&l);
	}
	strbuf_addstr(sb, "</tbody></table></div>\n<p class=\"muted\">OU paths from "
			  "Organizations evidence; an account that no recent aws organizations "
			  "list-accounts answer names is under " RP_OU_NO_EVIDENCE ", never "
			  "guessed.</p>\n");
	org_sources(m, sb);
	strbuf_addstr(sb, "</section>\n");
}

/* The data the run used: a row per stale or incomplete account-region,
 * then how many were fresh and complete. */
static void data_coverage(const struct rp_model *m, struct strbuf *sb)
{
	size_t fresh = m->n_coverage - m->n_coverage_flagged;

	strbuf_addstr(sb, "<section id=\"data\"><h2>Data</h2>\n");
	if (!m->coverage_recorded) {
		strbuf_addstr(sb, "<p>Not recorded: the run was made by a cfgaudit without data"
				  " coverage.</p>\n</section>\n");
		return;
	}
	strbuf_addstr(sb, "<p>Stale: the latest delivery is more than ");
	esc(sb, m->max_age);
	strbuf_addstr(sb, " before the as-of time, or there is none.</p>\n");
	if (m->n_coverage_flagged) {
		strbuf_addstr(sb, "<div class=\"scroll\"><table><thead><tr><th>Status</th>"
				  "<th>Account</th><th>Region</th><th>Snapshot</th>"
				  "<th>Latest delivery</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < m->n_coverage; i++) {
			const struct rp_coverage *c = &m->coverage[i];

			if (!c->stale && c->complete)
				continue;
			strbuf_addstr(sb, "<tr>");
			td(sb, c->status);
			td_key(sb, c->account);
			td_key(sb, c->region);
			td(sb, c->snapshot_time ? c->snapshot_time : "none");
			td(sb, c->latest ? c->latest : "none");
			strbuf_addstr(sb, "</tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table></div>\n");
	}
	strbuf_addf(sb, "<p>%s%zu account-region%s fresh and complete.</p>\n</section>\n",
		    m->n_coverage_flagged ? "" : "All ", fresh, fresh == 1 ? "" : "s");
}

static void waivers(const struct rp_model *m, struct strbuf *sb)
{
	if (!m->waivers_used)
		return;
	strbuf_addf(sb, "<section id=\"waivers\"><h2>Waivers</h2>\n<p>%ld non-compliant "
			"result%s waived by <code>", m->n_waived, m->n_waived == 1 ? "" : "s");
	esc(sb, m->waivers_path);
	strbuf_addstr(sb, "</code>, SHA-256 <code>");
	esc(sb, m->waivers_sha256);
	strbuf_addstr(sb, "</code>.</p>\n<div class=\"scroll\"><table><thead><tr><th>Status</th>"
			  "<th class=\"n\">Line</th><th>Rule</th><th>Account</th><th>Resource</th>"
			  "<th class=\"n\">Results</th><th>Reason</th><th>Approved by</th>"
			  "<th>Expires</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n_waivers; i++) {
		const struct rp_waiver *w = &m->waivers[i];

		strbuf_addf(sb, "<tr><td class=\"key%s\">%s</td>",
			    strcmp(w->status, "active") ? " bad" : "",
			    !strcmp(w->status, "expired")  ? "expired"
			    : !strcmp(w->status, "unused") ? "matches nothing"
							   : "active");
		td_num(sb, w->line, 0);
		td(sb, w->rule);
		td_key(sb, w->account);
		td(sb, w->resource);
		td_num(sb, w->matched, 0);
		td(sb, w->reason);
		td(sb, w->approved_by);
		td_key(sb, w->expires);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n<p class=\"muted\">Results of an expired "
			  "waiver: those it would have waived.</p>\n</section>\n");
}

static void all_rules(const struct rp_model *m, struct strbuf *sb)
{
	strbuf_addstr(sb, "<section id=\"rules\"><h2>All rules</h2>\n<div class=\"scroll\">"
			  "<table class=\"sortable\"><thead><tr><th data-sort>Severity</th>"
			  "<th data-sort>Rule</th><th class=\"n\" data-sort>Non-compliant "
			  "resources</th><th class=\"n\" data-sort>Non-compliant</th>"
			  "<th class=\"n\" data-sort>Compliant</th><th class=\"n\" data-sort>Without "
			  "data</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];
		long verdict[RP_CT_N] = {0}, nc = 0;

		if (!r->evaluated)
			continue;
		for (size_t i = 0; i < m->n_rulepairs; i++)
			if (m->rulepairs[i].rule == k) {
				verdict[m->rulepairs[i].ct]++;
				nc += m->rulepairs[i].n[RP_NON_COMPLIANT];
			}
		strbuf_addstr(sb, "<tr");
		rule_attrs(m, k, 0, sb);
		strbuf_addf(sb, "><td data-v=\"%d\">", r->severity_rank);
		sev_badge(sb, r);
		strbuf_addstr(sb, "</td><td>");
		rule_label(sb, r->pack, r->name);
		strbuf_addstr(sb, "</td>");
		td_num(sb, nc, 0);
		td_num(sb, verdict[RP_NON_COMPLIANT], 0);
		td_num(sb, verdict[RP_COMPLIANT], 0);
		td_num(sb, verdict[RP_INSUFFICIENT_DATA], 0);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n<p class=\"muted\">Verdicts per account and "
			  "region (the AWS Config roll-up); non-compliant resources over all of "
			  "them.</p>\n</section>\n");
}

/* With --compliance: the selected results of rules that have no
 * non-compliant ones (the others are listed under What to fix). */
static void selected(const struct rp_model *m, struct strbuf *sb, FILE *out)
{
	size_t n;
	struct rp_fix *v;

	if (!m->opt->n_compliance)
		return;
	v = rp_fix_list(m, &n);
	strbuf_addstr(sb, "<section id=\"selected\"><h2>Selected results</h2>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		long any = 0;
		int fixed = 0;

		for (size_t i = 0; i < n; i++)
			fixed |= v[i].rule == k;
		for (size_t i = 0; i < m->n_rulepairs && !fixed && !any; i++)
			if (m->rulepairs[i].rule == k)
				for (size_t x = m->rulepairs[i].first; x < m->rulepairs[i].end; x++)
					any += m->results[x].listed;
		if (!any)
			continue;
		strbuf_addstr(sb, "<details class=\"rule\"");
		rule_attrs(m, k, 0, sb);
		strbuf_addstr(sb, "><summary>");
		sev_badge(sb, &m->rules[k]);
		strbuf_addstr(sb, "<span class=\"name\">");
		rule_label(sb, m->rules[k].pack, m->rules[k].name);
		strbuf_addstr(sb, "</span></summary>\n");
		rule_resources(m, k, RES_PER_RULE, sb, out);
		strbuf_addstr(sb, "</details>\n");
	}
	strbuf_addstr(sb, "</section>\n");
	free(v);
}

static void meta_row(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "<tr><td>%s</td>", key);
	td(sb, value);
	strbuf_addstr(sb, "</tr>\n");
}

static void provenance_files(const struct rp_model *m, struct strbuf *sb)
{
	strbuf_addstr(sb, "<h3>Pack and rule files</h3>\n<div class=\"scroll\"><table><thead>"
			  "<tr><th>Kind</th><th>Name</th><th>Path</th><th>SHA-256</th></tr>"
			  "</thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n_files; i++) {
		strbuf_addstr(sb, "<tr>");
		td(sb, m->files[i].role);
		td(sb, m->files[i].name);
		td(sb, m->files[i].path);
		strbuf_addstr(sb, "<td><code>");
		esc(sb, m->files[i].sha256);
		strbuf_addstr(sb, "</code></td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n<h3>Rules and parameters</h3>\n"
			  "<div class=\"scroll\"><table><thead><tr><th>Rule</th><th>Pack</th>"
			  "<th>Identifier</th><th>Severity</th><th>Parameters</th><th>Scope</th>"
			  "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];

		strbuf_addstr(sb, "<tr>");
		td(sb, r->name);
		td(sb, r->pack);
		td(sb, r->identifier);
		strbuf_addstr(sb, "<td>");
		esc(sb, sev_name(r));
		if (r->severity_source) {
			strbuf_addstr(sb, " (");
			esc(sb, r->severity_source);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, "</td><td><code>");
		esc(sb, r->parameters);
		strbuf_addstr(sb, "</code></td><td><code>");
		esc(sb, r->scope);
		strbuf_addstr(sb, "</code></td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n");
}

static void not_evaluated(const struct rp_model *m, struct strbuf *sb)
{
	size_t ne = 0;

	for (size_t k = 0; k < m->n_rules; k++)
		ne += !m->rules[k].evaluated;
	strbuf_addf(sb, "<h3>Rules not evaluated (%zu)</h3>\n", ne);
	if (!ne) {
		strbuf_addstr(sb, "<p>Every rule was evaluated.</p>\n");
		return;
	}
	strbuf_addstr(sb, "<div class=\"scroll\"><table><thead><tr><th>Rule</th><th>Pack</th>"
			  "<th>Identifier</th><th>Reason</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];

		if (r->evaluated)
			continue;
		strbuf_addstr(sb, "<tr>");
		td(sb, r->name);
		td(sb, r->pack);
		td(sb, r->identifier);
		td(sb, r->reason ? r->reason : "not evaluated");
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n");
}

static void provenance(const struct rp_model *m, struct strbuf *sb)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)m->run_id);
	strbuf_addstr(sb, "<section id=\"provenance\"><h2>Provenance</h2>\n<div class=\"scroll\">"
			  "<table class=\"meta\">\n");
	meta_row(sb, "Run", id);
	meta_row(sb, "As of", m->as_of);
	meta_row(sb, "Started", m->started_at);
	meta_row(sb, "Finished", m->finished_at);
	meta_row(sb, "Tool version", m->tool_version);
	meta_row(sb, "Run filters", m->filters);
	strbuf_addstr(sb, "</table></div>\n");
	not_evaluated(m, sb);
	strbuf_addstr(sb, "<details><summary>Pack and rule files, rules and parameters"
			  "</summary>\n");
	provenance_files(m, sb);
	strbuf_addstr(sb, "</details>\n</section>\n");
}

static void head(const struct rp_model *m, struct strbuf *sb)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			  "'none'; style-src ");
	csp_hash(sb, style);
	strbuf_addstr(sb, "; script-src ");
	csp_hash(sb, script);
	strbuf_addstr(sb, "; base-uri 'none'; form-action 'none'\">\n"
			  "<meta name=\"referrer\" content=\"no-referrer\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	strbuf_addf(sb, "<title>Compliance report, run %lld</title>\n<style>", (long long)m->run_id);
	strbuf_addstr(sb, style);
	strbuf_addstr(sb, "</style>\n</head>\n<body>\n<header><h1>Compliance report</h1>\n");
	strbuf_addf(sb, "<p>Run %lld, as of ", (long long)m->run_id);
	esc(sb, m->as_of);
	strbuf_addstr(sb, ", evaluated ");
	esc(sb, m->started_at);
	strbuf_addstr(sb, " by cfgaudit ");
	esc(sb, m->tool_version);
	strbuf_addstr(sb, ".</p>\n");
}

/* A filtered page says so, so that it is not taken for the whole run. */
static void selection(const struct rp_model *m, struct strbuf *sb)
{
	if (!m->opt->n_accounts && !m->opt->n_regions && !m->opt->n_compliance)
		return;
	strbuf_addstr(sb, "<p><strong>Selection:</strong>");
	for (size_t i = 0; i < m->opt->n_accounts; i++) {
		strbuf_addstr(sb, " account ");
		esc(sb, m->opt->accounts[i]);
	}
	for (size_t i = 0; i < m->opt->n_regions; i++) {
		strbuf_addstr(sb, " region ");
		esc(sb, m->opt->regions[i]);
	}
	for (size_t i = 0; i < m->opt->n_compliance; i++) {
		strbuf_addch(sb, ' ');
		esc(sb, m->opt->compliance[i]);
	}
	strbuf_addstr(sb, "</p>\n");
}

int rp_render_html(const struct rp_model *m, FILE *out, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct acct *a = account_figures(m);
	int bad;

	several_packs = m->n_packs > 1;
	head(m, &sb);
	selection(m, &sb);
	strbuf_addstr(&sb, "<nav><a href=\"#fix\">What to fix</a><a href=\"#accounts\">Accounts"
			   "</a>");
	if (m->opt->group_by == REPORT_BY_OU)
		strbuf_addstr(&sb, "<a href=\"#ous\">Organizational units</a>");
	strbuf_addstr(&sb, "<a href=\"#data\">Data</a>");
	if (m->waivers_used)
		strbuf_addstr(&sb, "<a href=\"#waivers\">Waivers</a>");
	strbuf_addstr(&sb, "<a href=\"#rules\">All rules</a><a href=\"#provenance\">Provenance"
			   "</a></nav></header>\n<main>\n");
	rp_html_honest(m, &sb); /* errors, failed files, rules reaching a verdict */
	rp_controls_html(m, &sb);
	headline(m, a, &sb);
	fix_section(m, &sb, out);
	accounts(m, a, &sb);
	if (m->opt->group_by == REPORT_BY_OU)
		ou_section(m, a, &sb);
	data_coverage(m, &sb);
	waivers(m, &sb);
	selected(m, &sb, out);
	all_rules(m, &sb);
	rp_compare_html(m, &sb);
	provenance(m, &sb);
	strbuf_addstr(&sb, "</main>\n<script>");
	strbuf_addstr(&sb, script);
	strbuf_addstr(&sb, "</script>\n</body>\n</html>\n");
	bad = fwrite(sb.buf, 1, sb.len, out) != sb.len;
	strbuf_release(&sb);
	free(a);
	if (bad || ferror(out))
		return diag_set(d, NULL, 0, "cannot write the HTML report");
	return 0;
}
