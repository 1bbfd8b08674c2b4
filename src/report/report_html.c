/*
 * report_html: the HTML back end -- one self-contained page for people:
 * an organization summary, a table per account with pack scores, an
 * inline SVG bar chart of rule compliance per account, a drill-down from
 * each rule to each resource with its annotation, and the run's
 * provenance (times, tool version, pack and rule files with SHA-256,
 * parameters, rules not evaluated).
 *
 * Nothing is loaded from the network or from other files: the CSS is
 * inline, the chart is inline SVG, there is no JavaScript, and a
 * Content-Security-Policy forbids any load. Every value from the data goes
 * through rp_html_escape (& < > " ' as entities, controls and invalid
 * UTF-8 replaced) and no data value is ever placed in a URL. The
 * drill-down uses <details open>, so that it is expanded when printed.
 */
#include "config.h"

#include "report/report_priv.h"

#include <stdlib.h>
#include <string.h>

#define CHART_WIDTH 640 /* px of the bar area */
#define CHART_LABEL 150 /* px for the account label */
#define CHART_ROW 26

static const char style[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;"
    "background:#fff;margin:2em auto;max-width:1100px;padding:0 1em}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}\n"
    "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "th,td.key,td.n,td.COMPLIANT,td.NON_COMPLIANT,td.NOT_APPLICABLE,td.INSUFFICIENT_DATA"
    "{overflow-wrap:normal}td.key{white-space:nowrap}\n"
    ".COMPLIANT{color:#1b5e20;font-weight:600}.NON_COMPLIANT{color:#b71c1c;font-weight:600}\n"
    ".NOT_APPLICABLE,.INSUFFICIENT_DATA{color:#555}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ccc;border-radius:4px;"
    "padding:.5em 1em;min-width:10em}.card b{display:block;font-size:1.5em}\n"
    "details{border:1px solid #ddd;border-radius:4px;margin:.4em 0;padding:.2em .6em}\n"
    "summary{cursor:pointer;font-weight:600}code{font-size:.95em}"
    "svg{max-width:100%;height:auto}\n"
    ".meta td:first-child{width:12em;font-weight:600}\n"
    "@media print{body{margin:0;max-width:none}details{break-inside:avoid-page}"
    "summary{list-style:none}h2{break-after:avoid}}\n";

static void esc(struct strbuf *sb, const char *s)
{
	rp_html_escape(sb, s ? s : "");
}

/* A table cell with an escaped value. */
static void td(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "<td>");
	esc(sb, s);
	strbuf_addstr(sb, "</td>");
}

/* A short key (account id, region) that must not break inside. */
static void td_key(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "<td class=\"key\">");
	esc(sb, s);
	strbuf_addstr(sb, "</td>");
}

static void td_num(struct strbuf *sb, long v)
{
	strbuf_addf(sb, "<td class=\"n\">%ld</td>", v);
}

/* A compliance type, styled by its (fixed) class name. */
static void td_ct(struct strbuf *sb, enum rp_ct ct)
{
	strbuf_addf(sb, "<td class=\"%s\">%s</td>", rp_ct_name(ct), rp_ct_name(ct));
}

static void rule_label(struct strbuf *sb, const char *pack, const char *name)
{
	esc(sb, name);
	if (pack && *pack) {
		strbuf_addstr(sb, " <small>[");
		esc(sb, pack);
		strbuf_addstr(sb, "]</small>");
	}
}

struct acct {
	long rules[RP_CT_N]; /* rule-pair verdicts */
	long res_c, res_nc;  /* resources */
};

static struct acct *account_figures(const struct rp_model *m)
{
	struct acct *a = calloc(m->n_accounts + 1, sizeof(*a));
	size_t *order = rp_results_order(m, REPORT_BY_RESOURCE);

	if (!a)
		abort();
	for (size_t i = 0; i < m->n_rulepairs; i++)
		a[m->pairs[m->rulepairs[i].pair].account_idx].rules[m->rulepairs[i].ct]++;
	for (size_t i = 0; i < m->n_results;) {
		const struct rp_result *r = &m->results[order[i]];
		int nc = 0, c = 0;

		for (; i < m->n_results; i++) {
			const struct rp_result *x = &m->results[order[i]];

			if (strcmp(x->rtype, r->rtype) || strcmp(x->rid, r->rid) ||
			    strcmp(x->account, r->account) || strcmp(x->region, r->region))
				break;
			nc |= x->ct == RP_NON_COMPLIANT;
			c |= x->ct == RP_COMPLIANT;
		}
		a[m->pairs[r->pair].account_idx].res_nc += nc;
		a[m->pairs[r->pair].account_idx].res_c += !nc && c;
	}
	free(order);
	return a;
}

static void summary(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	long rc = 0, rnc = 0, rid = 0, res_c = 0, res_nc = 0, nres = 0;
	char score[24];

	for (size_t k = 0; k < m->n_accounts; k++) {
		rc += a[k].rules[RP_COMPLIANT];
		rnc += a[k].rules[RP_NON_COMPLIANT];
		rid += a[k].rules[RP_INSUFFICIENT_DATA];
		res_c += a[k].res_c;
		res_nc += a[k].res_nc;
	}
	for (size_t i = 0; i < m->n_results; i++)
		nres += m->results[i].listed && m->results[i].ct == RP_NON_COMPLIANT;
	strbuf_addstr(
	    sb, "<section id=\"summary\"><h2>Organization summary</h2>\n<div class=\"cards\">\n");
	strbuf_addf(sb, "<div class=\"card\">Accounts<b>%zu</b></div>\n", m->n_accounts);
	strbuf_addf(sb, "<div class=\"card\">Rules compliant<b class=\"COMPLIANT\">%ld</b></div>\n",
		    rc);
	strbuf_addf(
	    sb, "<div class=\"card\">Rules non-compliant<b class=\"NON_COMPLIANT\">%ld</b></div>\n",
	    rnc);
	strbuf_addf(sb, "<div class=\"card\">Rules without data<b>%ld</b></div>\n", rid);
	strbuf_addf(sb, "<div class=\"card\">Resources compliant<b>%ld</b></div>\n", res_c);
	strbuf_addf(sb, "<div class=\"card\">Resources non-compliant<b>%ld</b></div>\n", res_nc);
	for (size_t k = 0; k < m->n_overall_scores; k++) {
		rp_score_text(m->scores[k].compliant, m->scores[k].noncompliant, score);
		strbuf_addstr(sb, "<div class=\"card\">Score of ");
		esc(sb, m->scores[k].pack);
		strbuf_addf(sb, "<b>%s</b></div>\n", score);
	}
	strbuf_addstr(sb, "</div>\n<p>Rules are counted once per account and region. ");
	strbuf_addf(sb, "%ld non-compliant result%s in the selection.</p>\n</section>\n", nres,
		    nres == 1 ? "" : "s");
}

static void chart(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	static const char *const colour[RP_CT_N] = {"#2e7d32", "#c62828", "#bdbdbd", "#9e9e9e"};
	static const enum rp_ct shown[] = {RP_COMPLIANT, RP_NON_COMPLIANT, RP_INSUFFICIENT_DATA};
	long height = (long)m->n_accounts * CHART_ROW + 40;

	strbuf_addf(sb,
		    "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
		    "height=\"%ld\" viewBox=\"0 0 %d %ld\" font-size=\"12\" "
		    "font-family=\"sans-serif\">\n<title>Rule compliance per account</title>\n",
		    CHART_LABEL + CHART_WIDTH + 10, height, CHART_LABEL + CHART_WIDTH + 10, height);
	for (size_t k = 0; k < m->n_accounts; k++) {
		long total = 0, x = CHART_LABEL, y = (long)k * CHART_ROW + 4;

		for (size_t i = 0; i < 3; i++)
			total += a[k].rules[shown[i]];
		strbuf_addf(sb, "<text x=\"0\" y=\"%ld\">", y + 15);
		{
			struct strbuf l = STRBUF_INIT;

			rp_term_fit(&l, m->accounts[k], 20);
			esc(sb, l.buf);
			strbuf_release(&l);
		}
		strbuf_addstr(sb, "</text>\n");
		for (size_t i = 0; i < 3 && total > 0; i++) {
			long v = a[k].rules[shown[i]];
			long w = v * CHART_WIDTH / total;

			if (v == 0)
				continue;
			if (i == 2)
				w = CHART_LABEL + CHART_WIDTH - x; /* absorb rounding */
			strbuf_addf(sb,
				    "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"20\" "
				    "fill=\"%s\"><title>%s: %ld</title></rect>\n",
				    x, y, w, colour[shown[i]], rp_ct_name(shown[i]), v);
			x += w;
		}
	}
	{
		long y = (long)m->n_accounts * CHART_ROW + 24, x = CHART_LABEL;

		for (size_t i = 0; i < 3; i++) {
			strbuf_addf(sb,
				    "<rect x=\"%ld\" y=\"%ld\" width=\"12\" height=\"12\" "
				    "fill=\"%s\"/><text x=\"%ld\" y=\"%ld\">%s</text>\n",
				    x, y - 10, colour[shown[i]], x + 16, y, rp_ct_name(shown[i]));
			x += 190;
		}
	}
	strbuf_addstr(sb, "</svg><figcaption>Rules per account and region: compliant, "
			  "non-compliant, insufficient data.</figcaption></figure>\n");
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
		strbuf_addstr(sb, "<table><thead><tr><th>Status</th><th>Account</th><th>Region</th>"
				  "<th>Snapshot</th><th>Latest delivery</th></tr></thead>\n<tbody>\n");
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
		strbuf_addstr(sb, "</tbody></table>\n");
	}
	strbuf_addf(sb, "<p>%s%zu account-region%s fresh and complete.</p>\n</section>\n",
		    m->n_coverage_flagged ? "" : "All ", fresh, fresh == 1 ? "" : "s");
}

static void accounts(const struct rp_model *m, const struct acct *a, struct strbuf *sb)
{
	char score[24];

	strbuf_addstr(
	    sb, "<section id=\"accounts\"><h2>Accounts</h2>\n<table>\n<thead><tr>"
		"<th>Account</th><th>Rules compliant</th><th>Rules non-compliant</th>"
		"<th>Rules without data</th><th>Resources compliant</th>"
		"<th>Resources non-compliant</th><th>Pack scores</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_accounts; k++) {
		strbuf_addstr(sb, "<tr>");
		td_key(sb, m->accounts[k]);
		td_num(sb, a[k].rules[RP_COMPLIANT]);
		td_num(sb, a[k].rules[RP_NON_COMPLIANT]);
		td_num(sb, a[k].rules[RP_INSUFFICIENT_DATA]);
		td_num(sb, a[k].res_c);
		td_num(sb, a[k].res_nc);
		strbuf_addstr(sb, "<td>");
		for (size_t p = 0; p < m->n_packs; p++) {
			const struct rp_score *sc = &m->scores[m->n_packs * (1 + k) + p];

			rp_score_text(sc->compliant, sc->noncompliant, score);
			if (p)
				strbuf_addstr(sb, "<br>");
			esc(sb, sc->pack);
			strbuf_addf(sb, ": %s", score);
		}
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table>\n");
	chart(m, a, sb);

	if (m->n_packpairs) {
		strbuf_addstr(sb,
			      "<h3>Conformance packs per account and region</h3>\n<table>\n"
			      "<thead><tr><th>Pack</th><th>Account</th><th>Region</th>"
			      "<th>Compliance</th><th>Rules compliant</th>"
			      "<th>Rules non-compliant</th><th>Rules</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < m->n_packpairs; i++) {
			const struct rp_packpair *pp = &m->packpairs[i];

			if (!rp_compliance_selected(m, rp_ct_name(pp->ct)))
				continue;
			strbuf_addstr(sb, "<tr>");
			td(sb, pp->pack);
			td_key(sb, m->pairs[pp->pair].account);
			td_key(sb, m->pairs[pp->pair].region);
			td_ct(sb, pp->ct);
			td_num(sb, pp->compliant_rules);
			td_num(sb, pp->noncompliant_rules);
			td_num(sb, pp->total_rules);
			strbuf_addstr(sb, "</tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

static void result_row(struct strbuf *sb, const struct rp_result *x)
{
	strbuf_addstr(sb, "<tr>");
	td_key(sb, x->account);
	td_key(sb, x->region);
	td(sb, x->rtype);
	td(sb, x->rid);
	td_ct(sb, x->ct);
	td(sb, x->annotation);
	strbuf_addstr(sb, "</tr>\n");
}

/* Per rule: its verdict in each pair, then every listed result. */
/* The drill-down is most of a large page: it is written out as it grows
 * rather than held whole in memory. */
static void rules(const struct rp_model *m, struct strbuf *sb, FILE *out)
{
	strbuf_addstr(sb, "<section id=\"rules\"><h2>Rules and resources</h2>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];
		long verdict[RP_CT_N] = {0}, listed = 0;

		if (!r->evaluated)
			continue;
		for (size_t i = 0; i < m->n_rulepairs; i++)
			if (m->rulepairs[i].rule == k)
				verdict[m->rulepairs[i].ct]++;
		/* A rule's results are the ranges of its rule pairs. */
		for (size_t i = 0; i < m->n_rulepairs; i++)
			if (m->rulepairs[i].rule == k)
				for (size_t x = m->rulepairs[i].first; x < m->rulepairs[i].end; x++)
					listed += m->results[x].listed;
		strbuf_addstr(sb, "<details open><summary>");
		rule_label(sb, r->pack, r->name);
		strbuf_addf(
		    sb,
		    " &mdash; <span class=\"NON_COMPLIANT\">%ld non-compliant</span>, "
		    "%ld compliant, %ld without data (account and region pairs)</summary>\n",
		    verdict[RP_NON_COMPLIANT], verdict[RP_COMPLIANT],
		    verdict[RP_INSUFFICIENT_DATA]);
		strbuf_addstr(sb, "<p>Rule <code>");
		esc(sb, r->identifier);
		strbuf_addstr(sb, "</code></p>\n");
		if (listed == 0) {
			strbuf_addstr(sb, "<p>No result in the selection.</p></details>\n");
			continue;
		}
		strbuf_addstr(sb, "<table><thead><tr><th>Account</th><th>Region</th>"
				  "<th>Resource type</th><th>Resource</th><th>Compliance</th>"
				  "<th>Annotation</th></tr></thead>\n<tbody>\n");
		/* Non-compliant resources first: they are what the reader
		 * looks for; then the rest, each in account and region order. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < m->n_rulepairs; i++) {
				if (m->rulepairs[i].rule != k)
					continue;
				for (size_t j = m->rulepairs[i].first; j < m->rulepairs[i].end;
				     j++) {
					const struct rp_result *x = &m->results[j];

					if (!x->listed ||
					    (x->ct == RP_NON_COMPLIANT) != (pass == 0))
						continue;
					result_row(sb, x);
					if (sb->len > 65536) {
						fwrite(sb->buf, 1, sb->len, out);
						strbuf_reset(sb);
					}
				}
			}
		strbuf_addstr(sb, "</tbody></table></details>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

static void meta_row(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "<tr><td>%s</td>", key);
	td(sb, value);
	strbuf_addstr(sb, "</tr>\n");
}

static void provenance(const struct rp_model *m, struct strbuf *sb)
{
	char id[32];
	size_t ne = 0;

	snprintf(id, sizeof(id), "%lld", (long long)m->run_id);
	strbuf_addstr(sb,
		      "<section id=\"provenance\"><h2>Provenance</h2>\n<table class=\"meta\">\n");
	meta_row(sb, "Run", id);
	meta_row(sb, "As of", m->as_of);
	meta_row(sb, "Started", m->started_at);
	meta_row(sb, "Finished", m->finished_at);
	meta_row(sb, "Tool version", m->tool_version);
	meta_row(sb, "Run filters", m->filters);
	strbuf_addstr(sb, "</table>\n<h3>Pack and rule files</h3>\n<table><thead><tr><th>Kind</th>"
			  "<th>Name</th><th>Path</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n_files; i++) {
		strbuf_addstr(sb, "<tr>");
		td(sb, m->files[i].role);
		td(sb, m->files[i].name);
		td(sb, m->files[i].path);
		strbuf_addstr(sb, "<td><code>");
		esc(sb, m->files[i].sha256);
		strbuf_addstr(sb, "</code></td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table>\n<h3>Rules and parameters</h3>\n<table><thead><tr>"
			  "<th>Rule</th><th>Pack</th><th>Identifier</th><th>Parameters</th>"
			  "<th>Scope</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];

		ne += !r->evaluated;
		strbuf_addstr(sb, "<tr>");
		td(sb, r->name);
		td(sb, r->pack);
		td(sb, r->identifier);
		strbuf_addstr(sb, "<td><code>");
		esc(sb, r->parameters);
		strbuf_addstr(sb, "</code></td><td><code>");
		esc(sb, r->scope);
		strbuf_addstr(sb, "</code></td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table>\n");
	strbuf_addf(sb, "<h3>Rules not evaluated (%zu)</h3>\n", ne);
	if (ne) {
		strbuf_addstr(sb, "<table><thead><tr><th>Rule</th><th>Pack</th><th>Identifier</th>"
				  "<th>Reason</th></tr></thead>\n<tbody>\n");
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
		strbuf_addstr(sb, "</tbody></table>\n");
	} else {
		strbuf_addstr(sb, "<p>Every rule was evaluated.</p>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

int rp_render_html(const struct rp_model *m, FILE *out, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct acct *a = account_figures(m);
	int bad;

	strbuf_addf(&sb,
		    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>Compliance report, run %lld</title>\n<style>\n%s</style>\n</head>\n"
		    "<body>\n<header><h1>Compliance report</h1>\n<p>Run %lld, as of ",
		    (long long)m->run_id, style, (long long)m->run_id);
	esc(&sb, m->as_of);
	strbuf_addstr(&sb, ", evaluated ");
	esc(&sb, m->started_at);
	strbuf_addstr(&sb, " by cfgaudit ");
	esc(&sb, m->tool_version);
	strbuf_addstr(&sb, ".</p>\n");
	if (m->opt->n_accounts || m->opt->n_regions || m->opt->n_compliance) {
		/* A filtered page says so, so that it is not taken for the
		 * whole run. */
		strbuf_addstr(&sb, "<p><strong>Selection:</strong>");
		for (size_t i = 0; i < m->opt->n_accounts; i++) {
			strbuf_addstr(&sb, " account ");
			esc(&sb, m->opt->accounts[i]);
		}
		for (size_t i = 0; i < m->opt->n_regions; i++) {
			strbuf_addstr(&sb, " region ");
			esc(&sb, m->opt->regions[i]);
		}
		for (size_t i = 0; i < m->opt->n_compliance; i++) {
			strbuf_addch(&sb, ' ');
			esc(&sb, m->opt->compliance[i]);
		}
		strbuf_addstr(&sb, "</p>\n");
	}
	strbuf_addstr(&sb,
		      "<nav><a href=\"#data\">Data</a> &middot; "
		      "<a href=\"#summary\">Summary</a> &middot; "
		      "<a href=\"#accounts\">Accounts</a> &middot; <a href=\"#rules\">Rules</a>"
		      " &middot; <a href=\"#provenance\">Provenance</a></nav></header>\n<main>\n");
	data_coverage(m, &sb);
	summary(m, a, &sb);
	accounts(m, a, &sb);
	rules(m, &sb, out);
	provenance(m, &sb);
	strbuf_addstr(&sb, "</main>\n</body>\n</html>\n");
	bad = fwrite(sb.buf, 1, sb.len, out) != sb.len;
	strbuf_release(&sb);
	free(a);
	if (bad || ferror(out))
		return diag_set(d, NULL, 0, "cannot write the HTML report");
	return 0;
}
