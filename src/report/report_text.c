/*
 * report_text: the terminal back end. Tables that fit 80 columns: per
 * account, the rules and resources that are compliant or not and the pack
 * scores; then the results (NON_COMPLIANT ones unless --compliance says
 * otherwise) grouped as --by asks, each with its annotation; then the
 * rules that were not evaluated and why.
 *
 * Every string from the data goes through rp_term_fit: control
 * characters and invalid UTF-8 are shown as \xNN escapes, so a resource
 * name cannot move the cursor or recolour the terminal, and long values
 * are cut with an ellipsis so that the columns stay aligned.
 */
#include "config.h"

#include "report/report_priv.h"

#include "util/term.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH 80
#define ANNOTATION_LINES 4 /* an annotation (at most 256 characters) wraps this far */
#define ID_LINES 32	   /* an id, ARN or name wraps this far (AWS ARNs: 2048 at most) */

/* Write s fitted to width columns; pad with spaces to width if pad.
 * Returns the columns written. */
static size_t put(FILE *out, const char *s, size_t width, int pad)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w;

	rp_term_fit(&sb, s, width);
	fputs(sb.buf, out);
	w = rp_utf8_width(sb.buf);
	for (; pad && w < width; w++)
		fputc(' ', out);
	strbuf_release(&sb);
	return w;
}

/* Write s fitted to width, right-aligned. */
static void put_right(FILE *out, const char *s, size_t width)
{
	struct strbuf sb = STRBUF_INIT;

	rp_term_fit(&sb, s, width);
	for (size_t w = rp_utf8_width(sb.buf); w < width; w++)
		fputc(' ', out);
	fputs(sb.buf, out);
	strbuf_release(&sb);
}

/* The display name of a rule: "name", or "name [pack]" when the run has
 * more than one pack (with one, the header names it). */
static int several_packs;

static void rule_label(struct strbuf *sb, const char *pack, const char *name)
{
	strbuf_addstr(sb, name);
	if (*pack && several_packs) {
		strbuf_addstr(sb, " [");
		strbuf_addstr(sb, pack);
		strbuf_addch(sb, ']');
	}
}

/* Write s made terminal-safe, indented, in lines of at most WIDTH columns;
 * after max_lines the rest is cut with an ellipsis. */
static void put_wrapped(FILE *out, const char *s, size_t indent, int max_lines)
{
	char *safe = term_safe_dup(s);
	size_t width = WIDTH - indent, i = 0;

	for (int line = 0; safe[i] && line < max_lines; line++) {
		size_t start, cps = 0, brk = 0;

		while (safe[i] == ' ')
			i++;
		start = i;
		while (safe[i] && cps < width) {
			if (safe[i] == ' ')
				brk = i; /* break after the last space that fits */
			i++;
			while (((unsigned char)safe[i] & 0xc0) == 0x80)
				i++;
			cps++;
		}
		if (safe[i] && safe[i] != ' ' && brk > start && line < max_lines - 1)
			i = brk;
		for (size_t k = 0; k < indent; k++)
			fputc(' ', out);
		if (safe[i] && line == max_lines - 1) {
			/* The last line: one code point shorter, then the ellipsis. */
			size_t end = start;

			for (size_t k = 0; k + 1 < width; k++) {
				end++;
				while (((unsigned char)safe[end] & 0xc0) == 0x80)
					end++;
			}
			fwrite(safe + start, 1, end - start, out);
			fputs("\xe2\x80\xa6", out);
		} else {
			fwrite(safe + start, 1, i - start, out);
		}
		fputc('\n', out);
	}
	free(safe);
}

/* What to find a resource by, under its id: its name when that is not
 * the id (IAM users are AIDA... ids), and its full ARN. */
static void resource_names(FILE *out, const struct rp_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (r->name && *r->name && strcmp(r->name, r->rid)) {
		strbuf_addf(&sb, "name: %s", r->name);
		put_wrapped(out, sb.buf, 6, ID_LINES);
		strbuf_reset(&sb);
	}
	if (r->arn && *r->arn && strcmp(r->arn, r->rid))
		put_wrapped(out, r->arn, 6, ID_LINES); /* "arn:..." names itself */
	strbuf_release(&sb);
}

/* The resource of a result, after its group headers: one line if the
 * fields fit, else the resource id on lines of its own; then its name
 * and ARN. */
static void resource_line(const struct rp_model *m, FILE *out, const struct rp_result *r,
			  const char *const *f)
{
	struct strbuf head = STRBUF_INIT;
	size_t w = 4;

	fputs("    ", out);
	if (m->opt->n_compliance != 0) {
		put(out, rp_ct_name(r->ct), 17, 1);
		fputc(' ', out);
		w += 18;
	}
	if (m->opt->group_by == REPORT_BY_RESOURCE) {
		rule_label(&head, r->pack, r->rule);
		put(out, head.buf, WIDTH - w, 0);
		fputc('\n', out);
		strbuf_release(&head);
		return;
	}
	if (f[0]) {
		strbuf_addstr(&head, f[0]);
		strbuf_addch(&head, ' ');
	}
	strbuf_addstr(&head, f[1]);
	{
		char *a = term_safe_dup(head.buf), *b = term_safe_dup(f[2]);
		size_t wa = rp_utf8_width(a), wb = rp_utf8_width(b);

		if (w + wa + 1 + wb <= WIDTH) {
			fprintf(out, "%s %s\n", a, b);
		} else {
			/* never cut: the id wraps on lines of its own */
			put(out, head.buf, WIDTH - w, 0);
			fputc('\n', out);
			put_wrapped(out, f[2], 4, ID_LINES);
		}
		free(a);
		free(b);
	}
	strbuf_release(&head);
	resource_names(out, r);
}

struct res_count {
	long compliant, noncompliant;
};

/* Resources per account: one is non-compliant if any rule says so, and
 * compliant if it has compliant results and no non-compliant one. */
static struct res_count *count_resources(const struct rp_model *m)
{
	struct res_count *rc = calloc(m->n_accounts + 1, sizeof(*rc));
	size_t *order = rp_results_order(m, REPORT_BY_RESOURCE);

	if (!rc)
		abort();
	for (size_t i = 0; i < m->n_results;) {
		const struct rp_result *r = &m->results[order[i]];
		int nc = 0, c = 0;
		size_t a;

		for (; i < m->n_results; i++) {
			const struct rp_result *x = &m->results[order[i]];

			if (strcmp(x->rtype, r->rtype) || strcmp(x->rid, r->rid) ||
			    strcmp(x->account, r->account) || strcmp(x->region, r->region))
				break;
			nc |= x->ct == RP_NON_COMPLIANT;
			c |= x->ct == RP_COMPLIANT;
		}
		a = m->pairs[r->pair].account_idx;
		if (nc)
			rc[a].noncompliant++;
		else if (c)
			rc[a].compliant++;
	}
	free(order);
	return rc;
}

/* An incomplete run says so in its first lines, with every error. */
static void errors_lines(const struct rp_model *m, FILE *out)
{
	if (m->n_errors == 0)
		return;
	fprintf(out, "INCOMPLETE RUN: %zu error%s; it could not evaluate everything it was asked\n",
		m->n_errors, m->n_errors == 1 ? "" : "s");
	for (size_t i = 0; i < m->n_errors; i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "error: ");
		rp_error_text(&m->errors[i], &sb);
		put_wrapped(out, sb.buf, 2, ANNOTATION_LINES);
		strbuf_release(&sb);
	}
}

/* Input files that failed to load and were not loaded since. */
static void failed_files(const struct rp_model *m, FILE *out)
{
	if (m->n_failed == 0)
		return;
	fprintf(out, "Input files that failed to load (%zu)\n", m->n_failed);
	for (size_t i = 0; i < m->n_failed; i++) {
		struct strbuf sb = STRBUF_INIT;

		put_wrapped(out, m->failed[i].path, 2, ANNOTATION_LINES);
		strbuf_addf(&sb, "%s (%s)", m->failed[i].error, m->failed[i].ingested_at);
		put_wrapped(out, sb.buf, 4, ANNOTATION_LINES);
		strbuf_release(&sb);
	}
	fputc('\n', out);
}

/* How many rules reached a verdict, overall and per account: the
 * coverage behind every score. */
static void tally_section(const struct rp_model *m, FILE *out)
{
	fputs("Rules reaching a verdict\n", out);
	for (size_t a = 0; a <= m->n_accounts; a++) {
		struct strbuf sb = STRBUF_INIT;

		put(out, a == 0 ? "(all)" : m->accounts[a - 1], 12, 1);
		fputc(' ', out);
		rp_tally_text(a == 0 ? &m->tally : &m->tally_by_account[a - 1], &sb);
		fputs(sb.buf, out);
		fputc('\n', out);
		strbuf_release(&sb);
	}
	fputc('\n', out);
}

static void header(const struct rp_model *m, FILE *out)
{
	char buf[64];

	fprintf(out, "cfgaudit compliance report, run %lld\n", (long long)m->run_id);
	errors_lines(m, out);
	fputs("as of ", out);
	put(out, m->as_of, 24, 0);
	fputs(", evaluated ", out);
	put(out, m->started_at, 24, 0);
	fputs(" by cfgaudit ", out);
	put(out, m->tool_version, 16, 0);
	fputc('\n', out);
	for (size_t i = 0; i < m->n_files; i++) {
		if (strcmp(m->files[i].role, "pack"))
			continue;
		fputs("pack ", out);
		put(out, m->files[i].name, 40, 0);
		snprintf(buf, sizeof(buf), " sha256 %.12s", m->files[i].sha256);
		put(out, buf, 24, 0);
		fputc('\n', out);
	}
	if (m->opt->n_accounts || m->opt->n_regions || m->opt->n_compliance) {
		struct strbuf sel = STRBUF_INIT;

		/* A filtered report says so, so that it is not taken for the
		 * whole run. */
		strbuf_addstr(&sel, "selection:");
		for (size_t i = 0; i < m->opt->n_accounts; i++)
			strbuf_addf(&sel, " account %s", m->opt->accounts[i]);
		for (size_t i = 0; i < m->opt->n_regions; i++)
			strbuf_addf(&sel, " region %s", m->opt->regions[i]);
		for (size_t i = 0; i < m->opt->n_compliance; i++)
			strbuf_addf(&sel, " %s", m->opt->compliance[i]);
		put_wrapped(out, sel.buf, 0, 2);
		strbuf_release(&sel);
	}
	fputc('\n', out);
}

/* The data the run used: every stale or incomplete account-region by
 * name, then how many were fresh and complete. */
static void data_section(const struct rp_model *m, FILE *out)
{
	size_t fresh = m->n_coverage - m->n_coverage_flagged;

	if (!m->coverage_recorded) {
		fputs("Data\nnot recorded: the run was made by a cfgaudit without data coverage\n\n",
		      out);
		return;
	}
	fputs("Data (stale: latest delivery more than ", out);
	put(out, m->max_age, 12, 0);
	fputs(" before the as-of time)\n", out);
	if (m->n_coverage == 0) {
		fputs("no account-region of the selection has data\n\n", out);
		return;
	}
	if (m->n_coverage_flagged) {
		fputs("STATUS     ACCOUNT      REGION         SNAPSHOT             LATEST DELIVERY\n",
		      out);
		for (size_t i = 0; i < m->n_coverage; i++) {
			const struct rp_coverage *c = &m->coverage[i];

			if (!c->stale && c->complete)
				continue;
			put(out, c->status, 10, 1);
			fputc(' ', out);
			put(out, c->account, 12, 1);
			fputc(' ', out);
			put(out, c->region, 14, 1);
			fputc(' ', out);
			put(out, c->snapshot_time ? c->snapshot_time : "none", 20, 1);
			fputc(' ', out);
			put(out, c->latest ? c->latest : "none", 20, 0);
			fputc('\n', out);
		}
	}
	fprintf(out, "%s%zu account-region%s fresh and complete\n\n",
		m->n_coverage_flagged ? "" : "all ", fresh, fresh == 1 ? "" : "s");
}

static void accounts_table(const struct rp_model *m, FILE *out)
{
	struct res_count *rc = count_resources(m);
	long *nodata = calloc(m->n_accounts + 1, sizeof(*nodata));
	static const char *const head[] = {"RULES OK", "RULES NC", "NO DATA", "RES OK", "RES NC"};
	const size_t widths[] = {9, 9, 8, 7, 7};
	/* with names, the account column takes what is left of 80 */
	size_t acct_w = rp_org_shown(m) ? 35 : 24;

	if (!nodata)
		abort();
	fputs("Accounts\n", out);
	put(out, "ACCOUNT", acct_w, 1);
	for (size_t i = 0; i < 5; i++) {
		fputc(' ', out);
		put_right(out, head[i], widths[i]);
	}
	fputc('\n', out);
	for (size_t i = 0; i < m->n_rulepairs; i++)
		if (m->rulepairs[i].ct == RP_INSUFFICIENT_DATA)
			nodata[m->pairs[m->rulepairs[i].pair].account_idx]++;
	for (size_t a = 0; a < m->n_accounts; a++) {
		long v[5];
		char num[32];

		v[0] = m->by_account[a].compliant;
		v[1] = m->by_account[a].noncompliant;
		v[2] = nodata[a];
		v[3] = rc[a].compliant;
		v[4] = rc[a].noncompliant;
		struct strbuf label = STRBUF_INIT;

		rp_account_label(m, m->accounts[a], &label);
		put(out, label.buf, acct_w, 1);
		strbuf_release(&label);
		for (size_t i = 0; i < 5; i++) {
			snprintf(num, sizeof(num), "%ld", v[i]);
			fputc(' ', out);
			put_right(out, num, widths[i]);
		}
		fputc('\n', out);
	}
	if (m->n_accounts == 0)
		fputs("  (no account in the selection)\n", out);
	fputs("RULES counts rules per region; RES counts resources.\n\n", out);
	free(rc);
	free(nodata);
}

/* Where the account names and OU paths come from, and each account's;
 * shown when there is Organizations evidence, or for --by ou. */
static void org_section(const struct rp_model *m, FILE *out)
{
	size_t n;
	const struct rp_org_source *src = rp_org_sources(m, &n);

	if (!rp_org_shown(m))
		return;
	fputs("Organizations (names and OU paths from evidence captured at most ", out);
	put(out, *m->max_age ? m->max_age : "26h", 12, 0);
	fputs(" before the as-of time)\n", out);
	for (size_t i = 0; i < n; i++) {
		struct strbuf l = STRBUF_INIT;

		strbuf_addf(&l, "aws organizations list-accounts of %s captured %s%s",
			    src[i].management, src[i].captured_at,
			    src[i].fresh ? "" : ": too old, not used");
		put_wrapped(out, l.buf, 2, 2);
		strbuf_release(&l);
	}
	if (n == 0)
		fputs("  no aws organizations list-accounts evidence at or before the as-of time\n",
		      out);
	put(out, "ACCOUNT", 12, 1);
	fputc(' ', out);
	put(out, "NAME", 24, 1);
	fputc(' ', out);
	put(out, "OU PATH", 42, 0);
	fputc('\n', out);
	for (size_t a = 0; a < m->n_accounts; a++) {
		const struct rp_org_account *e = rp_org_account(m, a);

		put(out, m->accounts[a], 12, 1);
		fputc(' ', out);
		put(out, e->name && *e->name ? e->name : "-", 24, 1);
		fputc(' ', out);
		put(out, rp_org_ou_label(m, a), 42, 0);
		fputc('\n', out);
	}
	fputc('\n', out);
}

/* --by ou: per OU path, its accounts and what the accounts table and the
 * scores show of them. */
/* The lines of OU group g below its row: its scores, rule coverage and
 * accounts. */
static void ou_details(const struct rp_model *m, const struct rp_ou_group *g, FILE *out)
{
	struct strbuf l = STRBUF_INIT;

	for (size_t p = 0; p < m->n_packs; p++) {
		char text[24];

		rp_score_text(g->scores[p].compliant, g->scores[p].noncompliant, text);
		strbuf_reset(&l);
		strbuf_addf(&l, "score %s", text);
		if (several_packs)
			strbuf_addf(&l, " (%s)", m->packs[p]);
		put_wrapped(out, l.buf, 2, 2);
	}
	strbuf_reset(&l);
	rp_tally_text(&g->tally, &l);
	put_wrapped(out, l.buf, 2, 2);
	strbuf_reset(&l);
	strbuf_addstr(&l, "accounts:");
	for (size_t i = 0; i < g->n_accounts; i++) {
		strbuf_addstr(&l, i ? ", " : " ");
		rp_account_label(m, m->accounts[g->accounts[i]], &l);
	}
	put_wrapped(out, l.buf, 2, ID_LINES);
	strbuf_release(&l);
}

static void ou_table(const struct rp_model *m, FILE *out)
{
	static const char *const head[] = {"ACCTS", "RULES OK", "RULES NC", "NO DATA",
					   "RES OK", "RES NC"};
	const size_t widths[] = {5, 9, 9, 8, 7, 7};
	struct res_count *rc = count_resources(m);
	size_t ng;
	const struct rp_ou_group *g = rp_ou_groups(m, &ng);

	fputs("Organizational units\n", out);
	put(out, "OU PATH", 28, 1);
	for (size_t i = 0; i < 6; i++) {
		fputc(' ', out);
		put_right(out, head[i], widths[i]);
	}
	fputc('\n', out);
	for (size_t k = 0; k < ng; k++) {
		long v[6] = {(long)g[k].n_accounts, g[k].rules_compliant, g[k].rules_noncompliant,
			     g[k].rules_nodata, 0, 0};
		char num[32];

		for (size_t i = 0; i < g[k].n_accounts; i++) {
			v[4] += rc[g[k].accounts[i]].compliant;
			v[5] += rc[g[k].accounts[i]].noncompliant;
		}
		if (rp_utf8_width(g[k].path) <= 28 && !strpbrk(g[k].path, "\x1b\r\n\t")) {
			put(out, g[k].path, 28, 1);
		} else {
			put_wrapped(out, g[k].path, 0, ID_LINES);
			put(out, "", 28, 1);
		}
		for (size_t i = 0; i < 6; i++) {
			snprintf(num, sizeof(num), "%ld", v[i]);
			fputc(' ', out);
			put_right(out, num, widths[i]);
		}
		fputc('\n', out);
		ou_details(m, &g[k], out);
	}
	if (ng == 0)
		fputs("  (no account in the selection)\n", out);
	fputs("RULES counts rules per account and region; RES counts resources.\n\n", out);
	free(rc);
}

static void scores_table(const struct rp_model *m, FILE *out)
{
	char text[24];

	if (m->n_packs == 0)
		return;
	fputs("Conformance pack scores\n", out);
	put(out, "PACK", 42, 1);
	fputc(' ', out);
	put(out, "ACCOUNT", 18, 1);
	fputc(' ', out);
	put_right(out, "SCORE", 17);
	fputc('\n', out);
	for (size_t k = 0; k < m->n_packs; k++) {
		for (size_t a = 0; a <= m->n_accounts; a++) {
			const struct rp_score *sc =
			    a == 0 ? &m->scores[k] : &m->scores[m->n_packs * a + k];

			put(out, a == 0 ? m->packs[k] : "", 42, 1);
			fputc(' ', out);
			put(out, a == 0 ? "(all)" : sc->account, 18, 1);
			fputc(' ', out);
			rp_score_text(sc->compliant, sc->noncompliant, text);
			put_right(out, text, 17);
			fputc('\n', out);
		}
	}
	fputc('\n', out);
}

/* Is r listed in the text report? NON_COMPLIANT only, unless --compliance
 * chose the types. */
static int shown(const struct rp_model *m, const struct rp_result *r)
{
	if (m->opt->n_compliance == 0)
		return r->ct == RP_NON_COMPLIANT;
	return r->listed;
}

/* "waived: REASON (approved by X, expires D)" under a waived result. */
static void waived_line(const struct rp_model *m, FILE *out, const struct rp_result *r)
{
	const struct rp_waiver *w = &m->waivers[r->waiver];
	struct strbuf l = STRBUF_INIT;

	strbuf_addf(&l, "waived: %s (approved by %s, expires %s)", w->reason, w->approved_by,
		    w->expires);
	put_wrapped(out, l.buf, 6, ANNOTATION_LINES);
	strbuf_release(&l);
}

/* The run's waivers file and each entry's status: an expired or unused
 * waiver is listed as such, so that it gets renewed or removed. */
static void waivers_section(const struct rp_model *m, FILE *out)
{
	if (!m->waivers_used)
		return;
	fprintf(out, "Waivers (%ld non-compliant result%s waived)\n", m->n_waived,
		m->n_waived == 1 ? "" : "s");
	fputs("  file ", out);
	put(out, m->waivers_path, WIDTH - 7, 0);
	fprintf(out, "\n  sha256 %s\n", m->waivers_sha256);
	for (size_t i = 0; i < m->n_waivers; i++) {
		const struct rp_waiver *w = &m->waivers[i];
		struct strbuf l = STRBUF_INIT;

		strbuf_addf(&l, "%-8s line %ld: %s, account %s, resource %s", w->status, w->line,
			    w->rule, w->account, w->resource);
		put_wrapped(out, l.buf, 2, 4);
		strbuf_reset(&l);
		if (!strcmp(w->status, "active"))
			strbuf_addf(&l, "%ld result%s waived", w->matched,
				    w->matched == 1 ? "" : "s");
		else if (!strcmp(w->status, "expired"))
			strbuf_addf(&l, "expired %s; would waive %ld result%s", w->expires,
				    w->matched, w->matched == 1 ? "" : "s");
		else
			strbuf_addstr(&l, "matches no non-compliant result");
		put_wrapped(out, l.buf, 11, 2);
		strbuf_release(&l);
	}
	fputc('\n', out);
}

/* The two headings result r goes under for --by (g1, g2, filled) and the
 * fields of its line that the headings do not say (f: NULL to leave out). */
static void result_groups(const struct rp_model *m, const struct rp_result *r, struct strbuf *g1,
			  struct strbuf *g2, const char *f[3])
{
	strbuf_reset(g1);
	strbuf_reset(g2);
	switch (m->opt->group_by) {
	case REPORT_BY_REGION:
		strbuf_addf(g1, "Region %s", r->region);
		rule_label(g2, r->pack, r->rule);
		f[0] = r->account, f[1] = r->rtype, f[2] = r->rid;
		break;
	case REPORT_BY_RULE:
		strbuf_addstr(g1, "Rule ");
		rule_label(g1, r->pack, r->rule);
		strbuf_addf(g2, "%s %s", r->account, r->region);
		f[0] = NULL, f[1] = r->rtype, f[2] = r->rid;
		break;
	case REPORT_BY_RESOURCE:
		strbuf_addf(g1, "Resource %s %s", r->rtype, r->rid);
		strbuf_addf(g2, "%s %s", r->account, r->region);
		f[0] = NULL, f[1] = NULL, f[2] = NULL;
		break;
	case REPORT_BY_OU:
		strbuf_addf(g1, "Organizational unit %s",
			    rp_org_ou_label(m, m->pairs[r->pair].account_idx));
		rp_account_label(m, r->account, g2);
		strbuf_addstr(g2, ": ");
		rule_label(g2, r->pack, r->rule);
		f[0] = r->region, f[1] = r->rtype, f[2] = r->rid;
		break;
	case REPORT_BY_ACCOUNT:
	default:
		strbuf_addstr(g1, "Account ");
		rp_account_label(m, r->account, g1);
		rule_label(g2, r->pack, r->rule);
		f[0] = r->region, f[1] = r->rtype, f[2] = r->rid;
		break;
	}
}

/* Print heading h at indent when it differs from the previous one (prev,
 * updated); a new first-level heading (level 1) starts a paragraph and
 * resets the second level's prev2. */
static void heading(FILE *out, const struct strbuf *h, struct strbuf *prev, int level,
		    struct strbuf *prev2)
{
	if (!strcmp(h->buf, prev->buf) && prev->len)
		return;
	if (level == 1)
		fputc('\n', out);
	put_wrapped(out, h->buf, level == 1 ? 0 : 2, ID_LINES);
	strbuf_reset(prev);
	strbuf_addstr(prev, h->buf);
	if (prev2)
		strbuf_reset(prev2);
}

static void results_section(const struct rp_model *m, FILE *out)
{
	enum report_group by = m->opt->group_by;
	size_t *order = by == REPORT_BY_OU ? rp_org_results_order(m) : rp_results_order(m, by);
	struct strbuf g1 = STRBUF_INIT, g2 = STRBUF_INIT, prev1 = STRBUF_INIT, prev2 = STRBUF_INIT;
	size_t n = 0;

	if (m->opt->n_compliance == 0)
		fputs("Non-compliant results", out);
	else
		fputs("Selected results", out);
	fputs(by == REPORT_BY_REGION	 ? " by region\n"
	      : by == REPORT_BY_RULE	 ? " by rule\n"
	      : by == REPORT_BY_RESOURCE ? " by resource\n"
	      : by == REPORT_BY_OU	 ? " by organizational unit\n"
					 : " by account\n",
	      out);
	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[order[i]];
		const char *f[3];

		if (!shown(m, r))
			continue;
		n++;
		result_groups(m, r, &g1, &g2, f);
		heading(out, &g1, &prev1, 1, &prev2);
		heading(out, &g2, &prev2, 2, NULL);
		resource_line(m, out, r, f);
		if (r->annotation && *r->annotation)
			put_wrapped(out, r->annotation, 6, ANNOTATION_LINES);
		if (r->ct == RP_NON_COMPLIANT && r->waiver >= 0)
			waived_line(m, out, r);
	}
	if (n == 0)
		fputs("  (none)\n", out);
	fputc('\n', out);
	strbuf_release(&g1);
	strbuf_release(&g2);
	strbuf_release(&prev1);
	strbuf_release(&prev2);
	free(order);
}

/* The rules with non-compliant resources, most severe first, each with
 * how to fix it and its documentation page (report_triage.c). */
static void fix_section(const struct rp_model *m, FILE *out)
{
	size_t n;
	struct rp_fix *v = rp_fix_list(m, &n);

	fprintf(out, "What to fix (%zu rule%s with non-compliant resources, most severe first)\n",
		n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const struct rp_rule *r = &m->rules[v[i].rule];
		struct strbuf l = STRBUF_INIT;

		strbuf_addf(&l, "%-8s ", *r->severity ? r->severity : "unrated");
		rule_label(&l, r->pack, r->name);
		strbuf_addf(&l, ": %ld resource%s in %zu account%s", v[i].noncompliant,
			    v[i].noncompliant == 1 ? "" : "s", v[i].accounts,
			    v[i].accounts == 1 ? "" : "s");
		if (v[i].waived)
			strbuf_addf(&l, " (%ld waived)", v[i].waived);
		put_wrapped(out, l.buf, 2, 3);
		if (r->remediation)
			put_wrapped(out, r->remediation, 11, 6);
		if (r->documentation) {
			/* A link is never cut: one line, however long. */
			char *safe = term_safe_dup(r->documentation);

			fprintf(out, "           %s\n", safe);
			free(safe);
		}
		strbuf_release(&l);
	}
	if (n == 0)
		fputs("  (none)\n", out);
	fputc('\n', out);
	free(v);
}

static void not_evaluated(const struct rp_model *m, FILE *out)
{
	size_t n = 0;

	for (size_t k = 0; k < m->n_rules; k++)
		n += !m->rules[k].evaluated;
	if (n == 0)
		return;
	fprintf(out, "Not evaluated (%zu rule%s)\n", n, n == 1 ? "" : "s");
	for (size_t k = 0; k < m->n_rules; k++) {
		const struct rp_rule *r = &m->rules[k];
		struct strbuf l = STRBUF_INIT;

		if (r->evaluated)
			continue;
		rule_label(&l, r->pack, r->name);
		strbuf_addf(&l, " (%s)", r->identifier);
		fputs("  ", out);
		put(out, l.buf, WIDTH - 2, 0);
		fputs("\n    ", out);
		put(out, r->reason ? r->reason : "not evaluated", WIDTH - 4, 0);
		fputc('\n', out);
		strbuf_release(&l);
	}
	fputc('\n', out);
}

int rp_render_text(const struct rp_model *m, FILE *out, struct diag *d)
{
	several_packs = m->n_packs > 1;
	header(m, out);
	data_section(m, out);
	org_section(m, out);
	failed_files(m, out);
	accounts_table(m, out);
	if (m->opt->group_by == REPORT_BY_OU)
		ou_table(m, out);
	scores_table(m, out);
	tally_section(m, out);
	rp_controls_text(m, out);
	fix_section(m, out);
	waivers_section(m, out);
	if (m->opt->group_by == REPORT_BY_CONTROL)
		rp_controls_text_results(m, out);
	else
		results_section(m, out);
	not_evaluated(m, out);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the text report");
	return 0;
}
