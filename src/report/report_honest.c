/*
 * report_honest: what a report must not hide (cfgaudit-report(5)): the
 * errors of an incomplete run, the input files that failed to load, how
 * many rules reached a verdict next to every score, and a selection that
 * names an account or region the run does not have.
 */
#include "config.h"

#include "report/report_priv.h"
#include "store/run.h"
#include "store/run_errors.h"
#include "util/nearest.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void rp_tally_text(const struct rp_tally *t, struct strbuf *sb)
{
	strbuf_addf(sb,
		    "%ld of %ld rule%s reached a verdict; %ld rule%s no data; %ld not evaluated",
		    t->verdict, t->rules, t->rules == 1 ? "" : "s", t->no_data,
		    t->no_data == 1 ? "" : "s", t->not_evaluated);
}

void rp_error_text(const struct rp_error *e, struct strbuf *sb)
{
	if (*e->path && e->line > 0)
		strbuf_addf(sb, "%s:%ld: ", e->path, e->line);
	else if (*e->path)
		strbuf_addf(sb, "%s: ", e->path);
	strbuf_addstr(sb, e->message);
}

static int load_errors(struct store *s, struct rp_model *m, struct diag *d)
{
	struct run_errors e;

	if (run_errors_load(s, m->run_id, &e, d)) {
		run_errors_release(&e);
		return -1;
	}
	m->errors = xcalloc(e.n + 1, sizeof(*m->errors));
	for (size_t i = 0; i < e.n; i++) {
		struct rp_error *x = &m->errors[m->n_errors++];

		x->kind = rp_model_string(m, e.v[i].kind);
		x->path = rp_model_string(m, e.v[i].path);
		x->line = e.v[i].line;
		x->message = rp_model_string(m, e.v[i].message);
	}
	run_errors_release(&e);
	return 0;
}

static int account_selected(const struct rp_model *m, const char *account)
{
	if (!account || m->opt->n_accounts == 0)
		return 1;
	for (size_t i = 0; i < m->opt->n_accounts; i++)
		if (!strcmp(m->opt->accounts[i], account))
			return 1;
	return 0;
}

struct failed_ctx {
	struct rp_model *m;
	size_t alloc;
};

static void take_failed(const struct run_failed_file *rf, void *arg)
{
	struct failed_ctx *c = arg;
	struct rp_model *m = c->m;
	const char *t = rf->ingested_at;
	struct rp_failed_file *f;
	char when[TIME_ISO_LEN];
	int64_t ms;

	if (!account_selected(m, rf->account_id))
		return;
	ALLOC_GROW(m->failed, m->n_failed + 1, c->alloc);
	f = &m->failed[m->n_failed++];
	f->path = rp_model_string(m, rf->path);
	f->error = rp_model_string(m, rf->error);
	if (t && time_parse_iso(t, &ms) == 0) {
		time_format_iso_seconds(ms, when);
		t = when;
	}
	f->ingested_at = rp_model_string(m, t ? t : "");
	if (!f->path)
		f->path = "";
}

/* Files that failed to load at or before the run's start and were not
 * loaded (under the same path) since, up to then. */
static int load_failed(struct store *s, struct rp_model *m, struct diag *d)
{
	struct failed_ctx c = { m, 0 };

	return run_failed_files_each(s, m->run_id, take_failed, &c, d);
}

/* The run's accounts or regions, and whether want is one of them. */
struct known_values {
	struct rp_model *m;
	const char *want;
	const char **v;
	size_t n, alloc;
	int found;
};

static void take_value(const char *value, void *arg)
{
	struct known_values *k = arg;

	ALLOC_GROW(k->v, k->n + 1, k->alloc);
	k->v[k->n++] = rp_model_string(k->m, value);
	k->found |= !strcmp(k->v[k->n - 1], k->want);
}

/* Every --account and --region must be in the run: a typo is an error
 * naming the run's values nearest to it, never an empty report. */
static int check_selection(struct store *s, struct rp_model *m, struct diag *d)
{
	static const char *const what[2] = {"account", "region"};

	for (int w = 0; w < 2; w++) {
		const char **want = w ? m->opt->regions : m->opt->accounts;
		size_t n_want = w ? m->opt->n_regions : m->opt->n_accounts;

		for (size_t i = 0; i < n_want; i++) {
			struct known_values k = { m, want[i], NULL, 0, 0, 0 };
			struct strbuf sb = STRBUF_INIT;

			for (size_t p = 0; p < m->n_pairs && !k.found; p++)
				k.found =
				    !strcmp(w ? m->pairs[p].region : m->pairs[p].account, want[i]);
			if (k.found)
				continue;
			if (run_scope_values_each(s, m->run_id, w, take_value, &k, d)) {
				free(k.v);
				return -1;
			}
			if (k.found) { /* in the run, but not with the other options */
				free(k.v);
				continue;
			}
			nearest_list(&sb, want[i], k.v, k.n);
			diag_set(d, NULL, 0, "%s '%s' is not in run %lld; it has %s%s", what[w],
				 want[i], (long long)m->run_id, k.n ? "" : "none", sb.buf);
			strbuf_release(&sb);
			free(k.v);
			return -1;
		}
	}
	return 0;
}

static void count_tallies(struct rp_model *m)
{
	/* per rule: reached a verdict overall, and in each account */
	unsigned char *overall = xcalloc(m->n_rules + 1, 1);
	unsigned char *per = xcalloc((m->n_rules + 1) * (m->n_accounts + 1), 1);

	for (size_t i = 0; i < m->n_rulepairs; i++) {
		const struct rp_rulepair *rp = &m->rulepairs[i];

		if (rp->ct != RP_COMPLIANT && rp->ct != RP_NON_COMPLIANT)
			continue;
		overall[rp->rule] = 1;
		per[m->pairs[rp->pair].account_idx * m->n_rules + rp->rule] = 1;
	}
	m->tally_by_account = xcalloc(m->n_accounts + 1, sizeof(*m->tally_by_account));
	for (size_t a = 0; a <= m->n_accounts; a++) {
		struct rp_tally *t = a == m->n_accounts ? &m->tally : &m->tally_by_account[a];
		const unsigned char *v = a == m->n_accounts ? overall : per + a * m->n_rules;

		t->rules = (long)m->n_rules;
		for (size_t k = 0; k < m->n_rules; k++) {
			if (!m->rules[k].evaluated)
				t->not_evaluated++;
			else if (v[k])
				t->verdict++;
			else
				t->no_data++;
		}
	}
	free(overall);
	free(per);
}

int rp_honest_load(struct store *s, struct rp_model *m, struct diag *d)
{
	if (check_selection(s, m, d) || load_errors(s, m, d) || load_failed(s, m, d))
		return -1;
	count_tallies(m);
	return 0;
}

void rp_honest_free(struct rp_model *m)
{
	free(m->errors);
	free(m->failed);
	free(m->tally_by_account);
	m->errors = NULL;
	m->failed = NULL;
	m->tally_by_account = NULL;
}

static void html_tally_row(struct strbuf *sb, const char *group, const struct rp_tally *t)
{
	struct strbuf text = STRBUF_INIT;

	rp_tally_text(t, &text);
	strbuf_addstr(sb, "<tr><td>");
	rp_html_escape(sb, group);
	strbuf_addstr(sb, "</td><td>");
	rp_html_escape(sb, text.buf);
	strbuf_addstr(sb, "</td></tr>\n");
	strbuf_release(&text);
}

void rp_html_honest(const struct rp_model *m, struct strbuf *sb)
{
	if (m->n_errors) {
		strbuf_addf(sb,
			    "<section id=\"errors\"><h2>Incomplete run: %zu error%s</h2>\n"
			    "<p><strong>This run could not evaluate everything it was asked."
			    "</strong></p>\n<ul>\n",
			    m->n_errors, m->n_errors == 1 ? "" : "s");
		for (size_t i = 0; i < m->n_errors; i++) {
			struct strbuf text = STRBUF_INIT;

			rp_error_text(&m->errors[i], &text);
			strbuf_addstr(sb, "<li>");
			rp_html_escape(sb, text.buf);
			strbuf_addstr(sb, "</li>\n");
			strbuf_release(&text);
		}
		strbuf_addstr(sb, "</ul></section>\n");
	}
	if (m->n_failed) {
		strbuf_addf(sb,
			    "<section id=\"failed-files\"><h2>Input files that failed to load"
			    " (%zu)</h2>\n<table><thead><tr><th>File</th><th>Error</th>"
			    "<th>Ingested</th></tr></thead><tbody>\n",
			    m->n_failed);
		for (size_t i = 0; i < m->n_failed; i++) {
			strbuf_addstr(sb, "<tr><td>");
			rp_html_escape(sb, m->failed[i].path);
			strbuf_addstr(sb, "</td><td>");
			rp_html_escape(sb, m->failed[i].error);
			strbuf_addstr(sb, "</td><td>");
			rp_html_escape(sb, m->failed[i].ingested_at);
			strbuf_addstr(sb, "</td></tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table></section>\n");
	}
	strbuf_addstr(sb, "<section id=\"rule-coverage\"><h2>Rules reaching a verdict</h2>\n"
			  "<table><thead><tr><th>Account</th><th>Rules</th></tr></thead><tbody>\n");
	html_tally_row(sb, "(all)", &m->tally);
	for (size_t a = 0; a < m->n_accounts; a++)
		html_tally_row(sb, m->accounts[a], &m->tally_by_account[a]);
	strbuf_addstr(sb, "</tbody></table></section>\n");
}
