/*
 * report_controls: the report by framework control (cfgaudit-controls(5),
 * 'report --by control', 'report --controls FILE'). The formats call the
 * hooks below; each hook does nothing when no mapping is in effect.
 *
 * Status of a control, over the rules its mapping names and the results of
 * the selection (--account/--region; --compliance only chooses which
 * resources are listed):
 *   - a rule is NON_COMPLIANT if a result is, INSUFFICIENT_DATA if it has
 *     no result or an INSUFFICIENT_DATA one, COMPLIANT if it has COMPLIANT
 *     results only (NOT_APPLICABLE ones aside), NOT_APPLICABLE if every
 *     result is, and NOT_EVALUATED when the run did not evaluate it or
 *     does not contain it at all;
 *   - a control is NON_COMPLIANT if any of its rules is; else NOT_EVALUATED
 *     if any is; else INSUFFICIENT_DATA if any is; else COMPLIANT if one
 *     rule is COMPLIANT; else (every rule NOT_APPLICABLE) NOT_APPLICABLE.
 *     So COMPLIANT means that every mapped rule reached a verdict and none
 *     found a non-compliant resource. The rules that keep a control from
 *     COMPLIANT are named with their reason ("held back by").
 *
 * Waivers (cfgaudit-waivers(5)) as in the rule view: a waived
 * NON_COMPLIANT result keeps its verdict, so its rule and control stay
 * NON_COMPLIANT (as ComplianceByConfigRule and the scores do); it is
 * counted apart (waived vs open), shown with its waiver in every format,
 * and a rule whose non-compliant results are all waived is a skipped JUnit
 * test case, not a failure. The exit status is the model's (open results
 * only). Each control lists the waivers that waived results of its rules
 * in the selection, in file order, with how many each waived.
 */
#include "config.h"

#include "report/report_priv.h"

#include "packs/controls.h"
#include "rules/rule.h"
#include "store/evidence.h"
#include "store/files.h"
#include "store/run.h"
#include "util/csv.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOT_IN_RUN SIZE_MAX
#define WIDTH 80

/* One rule a control maps, as found in the run. */
struct rp_crule {
	const char *identifier; /* from the mapping */
	size_t rule;		/* index into model.rules, or NOT_IN_RUN */
	enum rp_cstatus status;
};

/* A waiver of the run that waived results of a control's rules. */
struct rp_cwaiver {
	size_t w; /* index into model.waivers */
	long n;	  /* results of the control's rules it waived (selection) */
};

struct rp_control {
	const struct control *c; /* borrowed from the mapping */
	enum rp_cstatus status;
	struct rp_crule *rules;
	size_t n_rules;
	long n[RP_CT_N]; /* results over its rules, by type */
	long waived;	 /* of n[RP_NON_COMPLIANT], those a waiver covers */
	struct rp_cwaiver *waivers; /* in file order */
	size_t n_waivers;
};

struct rp_controls {
	struct controls *owned;	    /* a shipped mapping found for the run's packs */
	const struct controls *map; /* the mapping in effect */
	struct rp_control *v;
	size_t n;
	long (*tally)[RP_CT_N];	   /* per model rule: results by type */
	long *rwaived;		   /* per model rule: waived NON_COMPLIANT results */
	enum rp_cstatus *rstatus;  /* per model rule */
	size_t *by_rule;	   /* result indexes sorted by rule */
	size_t *rule_first;	   /* per model rule: its run in by_rule (n_rules + 1) */
};

const char *rp_cstatus_name(enum rp_cstatus s)
{
	static const char *const names[] = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
					    "INSUFFICIENT_DATA", "NOT_EVALUATED"};

	return s <= RP_CS_NOT_EVALUATED ? names[s] : "NOT_EVALUATED";
}

static enum rp_cstatus rule_status(const struct rp_model *m, const long *n, size_t k)
{
	if (!m->rules[k].evaluated)
		return RP_CS_NOT_EVALUATED;
	if (n[RP_NON_COMPLIANT])
		return RP_CS_NON_COMPLIANT;
	if (n[RP_INSUFFICIENT_DATA] || !(n[RP_COMPLIANT] + n[RP_NOT_APPLICABLE]))
		return RP_CS_INSUFFICIENT_DATA;
	return n[RP_COMPLIANT] ? RP_CS_COMPLIANT : RP_CS_NOT_APPLICABLE;
}

/* The control's status from its rules' (order of precedence above). */
static enum rp_cstatus control_status(const struct rp_control *c)
{
	int has[RP_CS_NOT_EVALUATED + 1] = {0};

	for (size_t i = 0; i < c->n_rules; i++)
		has[c->rules[i].status] = 1;
	if (has[RP_CS_NON_COMPLIANT])
		return RP_CS_NON_COMPLIANT;
	if (has[RP_CS_NOT_EVALUATED])
		return RP_CS_NOT_EVALUATED;
	if (has[RP_CS_INSUFFICIENT_DATA])
		return RP_CS_INSUFFICIENT_DATA;
	return has[RP_CS_COMPLIANT] ? RP_CS_COMPLIANT : RP_CS_NOT_APPLICABLE;
}

/* The waivers that waived results of c's rules, with their counts, into
 * c->waivers. scratch: room for m->n_waivers counts. */
static void control_waivers(const struct rp_model *m, const struct rp_controls *cs,
			    struct rp_control *c, long *scratch)
{
	size_t n = 0;

	if (!m->n_waivers)
		return;
	memset(scratch, 0, m->n_waivers * sizeof(*scratch));
	for (size_t r = 0; r < c->n_rules; r++) {
		size_t k = c->rules[r].rule;

		if (k == NOT_IN_RUN)
			continue;
		c->waived += cs->rwaived[k];
		for (size_t j = cs->rule_first[k]; cs->rwaived[k] && j < cs->rule_first[k + 1]; j++) {
			const struct rp_result *x = &m->results[cs->by_rule[j]];

			if (x->ct == RP_NON_COMPLIANT && x->waiver >= 0)
				scratch[x->waiver]++;
		}
	}
	for (size_t w = 0; w < m->n_waivers; w++)
		n += scratch[w] > 0;
	if (!n)
		return;
	c->waivers = xcalloc(n, sizeof(*c->waivers));
	for (size_t w = 0; w < m->n_waivers; w++)
		if (scratch[w])
			c->waivers[c->n_waivers++] = (struct rp_cwaiver){w, scratch[w]};
}

/* Results of model rule k, tallied over the selection. */
static void rule_tally(const struct rp_model *m, struct rp_controls *cs)
{
	size_t *count = xcalloc(m->n_rules + 1, sizeof(*count));

	cs->tally = xcalloc(m->n_rules + 1, sizeof(*cs->tally));
	cs->rwaived = xcalloc(m->n_rules + 1, sizeof(*cs->rwaived));
	cs->rstatus = xcalloc(m->n_rules + 1, sizeof(*cs->rstatus));
	cs->rule_first = xcalloc(m->n_rules + 2, sizeof(*cs->rule_first));
	cs->by_rule = xcalloc(m->n_results + 1, sizeof(*cs->by_rule));
	for (size_t i = 0; i < m->n_results; i++) {
		cs->tally[m->results[i].rule_idx][m->results[i].ct]++;
		if (m->results[i].ct == RP_NON_COMPLIANT && m->results[i].waiver >= 0)
			cs->rwaived[m->results[i].rule_idx]++;
		count[m->results[i].rule_idx]++;
	}
	for (size_t k = 0; k < m->n_rules; k++) {
		cs->rule_first[k + 1] = cs->rule_first[k] + count[k];
		count[k] = cs->rule_first[k];
		cs->rstatus[k] = rule_status(m, cs->tally[k], k);
	}
	/* results are in report order: each rule's run keeps that order */
	for (size_t i = 0; i < m->n_results; i++)
		cs->by_rule[count[m->results[i].rule_idx]++] = i;
	free(count);
}

/* The mapping for this report: --controls, else (--by control) the
 * shipped mapping that names one of the run's packs. */
static const struct controls *find_mapping(const struct rp_model *m, struct rp_controls *cs,
					   struct diag *d)
{
	const struct report_options *o = m->opt;

	if (o->controls)
		return o->controls;
	if (o->group_by != REPORT_BY_CONTROL)
		return NULL;
	for (size_t k = 0; o->controls_dir && k < m->n_packs; k++) {
		char *path = controls_find_for_pack(o->controls_dir, m->packs[k]);

		if (!path)
			continue;
		cs->owned = controls_load(path, NULL, d);
		free(path);
		if (!cs->owned)
			return NULL;
		return cs->owned;
	}
	diag_set(d, NULL, 0,
		 "--by control: no shipped control mapping names %s%s (give --controls FILE)",
		 m->n_packs ? "the run's pack " : "a pack of this run",
		 m->n_packs ? m->packs[0] : "");
	return NULL;
}

int rp_controls_attach(struct rp_model *m, struct diag *d)
{
	struct rp_controls *cs = xcalloc(1, sizeof(*cs));
	const struct controls *map = find_mapping(m, cs, d);
	long *scratch;

	if (!map) {
		int failed = m->opt->controls || m->opt->group_by == REPORT_BY_CONTROL;

		controls_free(cs->owned);
		free(cs);
		return failed ? -1 : 0;
	}
	cs->map = map;
	rule_tally(m, cs);
	scratch = xcalloc(m->n_waivers + 1, sizeof(*scratch));
	cs->n = map->n_controls;
	cs->v = xcalloc(cs->n + 1, sizeof(*cs->v));
	for (size_t i = 0; i < cs->n; i++) {
		struct rp_control *c = &cs->v[i];
		const struct control *mc = &map->controls[i];
		size_t alloc = 0;

		c->c = mc;
		for (size_t r = 0; r < mc->n_rules; r++) {
			size_t found = 0;

			for (size_t k = 0; k < m->n_rules; k++) {
				if (!m->rules[k].identifier || strcmp(m->rules[k].identifier, mc->rules[r]))
					continue;
				ALLOC_GROW(c->rules, c->n_rules + 1, alloc);
				c->rules[c->n_rules++] = (struct rp_crule){mc->rules[r], k, cs->rstatus[k]};
				for (int t = 0; t < RP_CT_N; t++)
					c->n[t] += cs->tally[k][t];
				found++;
			}
			if (!found) {
				ALLOC_GROW(c->rules, c->n_rules + 1, alloc);
				c->rules[c->n_rules++] =
				    (struct rp_crule){mc->rules[r], NOT_IN_RUN, RP_CS_NOT_EVALUATED};
			}
		}
		c->status = control_status(c);
		control_waivers(m, cs, c, scratch);
	}
	free(scratch);
	m->controls = cs;
	return 0;
}

void rp_controls_free(struct rp_controls *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].rules);
		free(cs->v[i].waivers);
	}
	free(cs->v);
	free(cs->tally);
	free(cs->rwaived);
	free(cs->rstatus);
	free(cs->by_rule);
	free(cs->rule_first);
	controls_free(cs->owned);
	free(cs);
}

/* Why rule cr holds its control back from COMPLIANT ("" if it does not). */
static void held_reason(const struct rp_model *m, const struct rp_controls *cs,
			const struct rp_crule *cr, struct strbuf *sb)
{
	const long *n;

	if (cr->rule == NOT_IN_RUN) {
		strbuf_addstr(sb, "not in this run");
		return;
	}
	n = cs->tally[cr->rule];
	switch (cr->status) {
	case RP_CS_NOT_EVALUATED:
		strbuf_addstr(sb, m->rules[cr->rule].reason ? m->rules[cr->rule].reason
							     : "not evaluated");
		break;
	case RP_CS_INSUFFICIENT_DATA:
		if (n[RP_INSUFFICIENT_DATA])
			strbuf_addf(sb, "%ld resource%s INSUFFICIENT_DATA", n[RP_INSUFFICIENT_DATA],
				    n[RP_INSUFFICIENT_DATA] == 1 ? "" : "s");
		else
			strbuf_addstr(sb, "no results in the selection");
		break;
	case RP_CS_NON_COMPLIANT:
		strbuf_addf(sb, "%ld resource%s NON_COMPLIANT", n[RP_NON_COMPLIANT],
			    n[RP_NON_COMPLIANT] == 1 ? "" : "s");
		if (cs->rwaived[cr->rule])
			strbuf_addf(sb, ", %ld waived", cs->rwaived[cr->rule]);
		break;
	default:
		break;
	}
}

static int holds_back(const struct rp_crule *cr)
{
	return cr->status != RP_CS_COMPLIANT && cr->status != RP_CS_NOT_APPLICABLE;
}

/* A NON_COMPLIANT rule whose non-compliant results are all waived. */
static int all_waived(const struct rp_controls *cs, const struct rp_crule *cr)
{
	return cr->status == RP_CS_NON_COMPLIANT &&
	       cs->rwaived[cr->rule] == cs->tally[cr->rule][RP_NON_COMPLIANT];
}

/* A NON_COMPLIANT control whose non-compliant results are all waived. */
static int control_all_waived(const struct rp_control *c)
{
	return c->status == RP_CS_NON_COMPLIANT && c->waived == c->n[RP_NON_COMPLIANT];
}

/* "REASON (approved by X, expires D)" */
static void waiver_text(const struct rp_waiver *w, struct strbuf *sb)
{
	strbuf_addf(sb, "%s (approved by %s, expires %s)", w->reason, w->approved_by, w->expires);
}

/* The display name of a mapped rule: the run's ConfigRuleName (with its
 * pack when the run has several), or the identifier when not in the run. */
static void crule_label(const struct rp_model *m, const struct rp_crule *cr, struct strbuf *sb)
{
	if (cr->rule == NOT_IN_RUN) {
		strbuf_addstr(sb, cr->identifier);
		return;
	}
	strbuf_addstr(sb, m->rules[cr->rule].name);
	if (m->n_packs > 1 && *m->rules[cr->rule].pack)
		strbuf_addf(sb, " [%s]", m->rules[cr->rule].pack);
}

/* ---- text ---- */

static void tput(FILE *out, const char *s, size_t width, int pad)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w;

	rp_term_fit(&sb, s, width);
	fputs(sb.buf, out);
	for (w = rp_utf8_width(sb.buf); pad && w < width; w++)
		fputc(' ', out);
	strbuf_release(&sb);
}

static size_t count_status(const struct rp_controls *cs, enum rp_cstatus s)
{
	size_t n = 0;

	for (size_t i = 0; i < cs->n; i++)
		n += cs->v[i].status == s;
	return n;
}

static size_t count_all_waived(const struct rp_controls *cs)
{
	size_t n = 0;

	for (size_t i = 0; i < cs->n; i++)
		n += control_all_waived(&cs->v[i]);
	return n;
}

/* The summary lines above the controls table. */
static void text_summary(const struct rp_controls *cs, struct strbuf *l, FILE *out)
{
	strbuf_reset(l);
	strbuf_addf(l, "Controls: %s", cs->map->framework);
	tput(out, l->buf, WIDTH, 0);
	fputc('\n', out);
	strbuf_reset(l);
	strbuf_addf(l,
		    "%zu controls: %zu compliant, %zu non-compliant, %zu no data, "
		    "%zu not evaluated",
		    cs->n, count_status(cs, RP_CS_COMPLIANT), count_status(cs, RP_CS_NON_COMPLIANT),
		    count_status(cs, RP_CS_INSUFFICIENT_DATA),
		    count_status(cs, RP_CS_NOT_EVALUATED));
	if (count_status(cs, RP_CS_NOT_APPLICABLE))
		strbuf_addf(l, ", %zu n/a", count_status(cs, RP_CS_NOT_APPLICABLE));
	tput(out, l->buf, WIDTH, 0);
	fputc('\n', out);
	if (count_all_waived(cs)) {
		strbuf_reset(l);
		strbuf_addf(l, "%zu non-compliant only through waived resources",
			    count_all_waived(cs));
		tput(out, l->buf, WIDTH, 0);
		fputc('\n', out);
	}
}

/* Below a control that is not compliant: the rules that hold it back and
 * the waivers that cover it. */
static void text_control_notes(const struct rp_model *m, const struct rp_control *c,
			       struct strbuf *l, FILE *out)
{
	for (size_t r = 0; r < c->n_rules; r++) {
		if (!holds_back(&c->rules[r]))
			continue;
		strbuf_reset(l);
		strbuf_addstr(l, "  held back by ");
		crule_label(m, &c->rules[r], l);
		strbuf_addstr(l, ": ");
		held_reason(m, m->controls, &c->rules[r], l);
		tput(out, l->buf, WIDTH, 0);
		fputc('\n', out);
	}
	for (size_t k = 0; k < c->n_waivers; k++) {
		const struct rp_waiver *w = &m->waivers[c->waivers[k].w];

		strbuf_reset(l);
		strbuf_addf(l, "  waived %ld by line %ld, approved by %s, expires %s",
			    c->waivers[k].n, w->line, w->approved_by, w->expires);
		tput(out, l->buf, WIDTH, 0);
		fputs("\n    ", out);
		tput(out, w->reason, WIDTH - 4, 0);
		fputc('\n', out);
	}
}

void rp_controls_text(const struct rp_model *m, FILE *out)
{
	const struct rp_controls *cs = m->controls;
	struct strbuf l = STRBUF_INIT;
	size_t idw = 7; /* "CONTROL"; ids up to 20 columns keep their column */

	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		size_t w = rp_utf8_width(cs->v[i].c->id);

		if (w > idw)
			idw = w > 20 ? 20 : w;
	}
	text_summary(cs, &l, out);
	if (cs->n) {
		tput(out, "CONTROL", idw, 1);
		fputs(" STATUS             RULES  RES NC  TITLE\n", out);
	}
	for (size_t i = 0; i < cs->n; i++) {
		const struct rp_control *c = &cs->v[i];
		char num[48];

		tput(out, c->c->id, idw, 1);
		fputc(' ', out);
		tput(out, rp_cstatus_name(c->status), 18, 1);
		snprintf(num, sizeof(num), " %5zu %7ld", c->n_rules, c->n[RP_NON_COMPLIANT]);
		fputs(num, out);
		if (c->c->title && *c->c->title) {
			fputs("  ", out);
			tput(out, c->c->title, WIDTH - 35 - idw, 0);
		}
		fputc('\n', out);
		if (c->status != RP_CS_COMPLIANT && c->status != RP_CS_NOT_APPLICABLE)
			text_control_notes(m, c, &l, out);
	}
	fputc('\n', out);
	strbuf_release(&l);
}

/* Is r listed in the text report? As report_text.c: NON_COMPLIANT unless
 * --compliance chose the types. */
static int text_shown(const struct rp_model *m, const struct rp_result *r)
{
	return m->opt->n_compliance ? r->listed : r->ct == RP_NON_COMPLIANT;
}

/* One shown result of the text report: its line, its annotation and the
 * waiver that covers it. */
static void text_result(const struct rp_model *m, const struct rp_result *x, struct strbuf *l,
			FILE *out)
{
	strbuf_reset(l);
	if (m->opt->n_compliance)
		strbuf_addf(l, "%s ", rp_ct_name(x->ct));
	strbuf_addf(l, "%s %s %s %s", x->account, x->region, x->rtype, x->rid);
	fputs("    ", out);
	tput(out, l->buf, WIDTH - 4, 0);
	fputc('\n', out);
	if (x->annotation && *x->annotation) {
		fputs("      ", out);
		tput(out, x->annotation, WIDTH - 6, 0);
		fputc('\n', out);
	}
	if (x->ct == RP_NON_COMPLIANT && x->waiver >= 0) {
		strbuf_reset(l);
		strbuf_addf(l, "waived by line %ld: %s", m->waivers[x->waiver].line,
			    m->waivers[x->waiver].reason);
		fputs("      ", out);
		tput(out, l->buf, WIDTH - 6, 0);
		fputc('\n', out);
	}
}

/* The shown results of control c, under a heading for the control and
 * one for each rule. Returns how many were shown. */
static size_t text_control_results(const struct rp_model *m, const struct rp_control *c,
				   struct strbuf *l, FILE *out)
{
	const struct rp_controls *cs = m->controls;
	size_t shown = 0;

	for (size_t r = 0; r < c->n_rules; r++) {
		const struct rp_crule *cr = &c->rules[r];
		int rhead = 0;

		for (size_t j = cr->rule == NOT_IN_RUN ? 0 : cs->rule_first[cr->rule];
		     cr->rule != NOT_IN_RUN && j < cs->rule_first[cr->rule + 1]; j++) {
			const struct rp_result *x = &m->results[cs->by_rule[j]];

			if (!text_shown(m, x))
				continue;
			if (!shown) {
				strbuf_reset(l);
				strbuf_addf(l, "Control %s (%s)", c->c->id,
					    rp_cstatus_name(c->status));
				if (c->c->title)
					strbuf_addf(l, " %s", c->c->title);
				fputc('\n', out);
				tput(out, l->buf, WIDTH, 0);
				fputc('\n', out);
			}
			if (!rhead) {
				strbuf_reset(l);
				crule_label(m, cr, l);
				fputs("  ", out);
				tput(out, l->buf, WIDTH - 2, 0);
				fputc('\n', out);
				rhead = 1;
			}
			text_result(m, x, l, out);
			shown++;
		}
	}
	return shown;
}

void rp_controls_text_results(const struct rp_model *m, FILE *out)
{
	const struct rp_controls *cs = m->controls;
	struct strbuf l = STRBUF_INIT;
	size_t shown = 0;

	fputs(m->opt->n_compliance ? "Selected results by control\n"
				   : "Non-compliant results by control\n",
	      out);
	for (size_t i = 0; cs && i < cs->n; i++)
		shown += text_control_results(m, &cs->v[i], &l, out);
	if (!shown)
		fputs("  (none)\n", out);
	fputc('\n', out);
	strbuf_release(&l);
}

/* ---- JSON ---- */

static json_t *js(const char *s)
{
	return rp_json_text(s);
}

/* A control's counts of non-compliant and waived resources and the
 * waivers that apply to them, on its object o. */
static void control_waivers_json(const struct rp_model *m, const struct rp_control *c, json_t *o)
{
	json_t *list = json_array();

	json_object_set_new(o, "NonCompliantResourceCount", json_integer(c->n[RP_NON_COMPLIANT]));
	json_object_set_new(o, "WaivedResourceCount", json_integer(c->waived));
	for (size_t k = 0; k < c->n_waivers; k++) {
		json_t *w = rp_waiver_json(&m->waivers[c->waivers[k].w], 0);

		json_object_set_new(w, "WaivedResourceCount", json_integer(c->waivers[k].n));
		json_array_append_new(list, w);
	}
	json_object_set_new(o, "Waivers", list);
}

void rp_controls_json_rule(const struct rp_model *m, size_t rule, json_t *o)
{
	const struct rp_controls *cs = m->controls;
	json_t *ids;

	if (!cs)
		return;
	ids = json_array();
	for (size_t i = 0; i < cs->n; i++)
		for (size_t r = 0; r < cs->v[i].n_rules; r++)
			if (cs->v[i].rules[r].rule == rule) {
				json_array_append_new(ids, js(cs->v[i].c->id));
				break;
			}
	json_object_set_new(o, "Controls", ids);
}

/* A listed result under its control (rp_controls_json's Resources). */
static json_t *json_resource(const struct rp_model *m, const struct rp_result *x)
{
	json_t *xo = json_object();

	json_object_set_new(xo, "ConfigRuleName", js(x->rule));
	json_object_set_new(xo, "ResourceType", js(x->rtype));
	json_object_set_new(xo, "ResourceId", js(x->rid));
	json_object_set_new(xo, "AccountId", js(x->account));
	json_object_set_new(xo, "AwsRegion", js(x->region));
	json_object_set_new(xo, "ComplianceType", json_string(rp_ct_name(x->ct)));
	if (x->annotation)
		json_object_set_new(xo, "Annotation", js(x->annotation));
	if (x->ct == RP_NON_COMPLIANT && x->waiver >= 0)
		json_object_set_new(xo, "Waiver", rp_waiver_json(&m->waivers[x->waiver], 0));
	return xo;
}

/* A mapped rule of a control; a rule that holds the control back is
 * added to held. */
static json_t *json_crule(const struct rp_model *m, const struct rp_crule *cr, json_t *held)
{
	json_t *ro = json_object();

	json_object_set_new(ro, "SourceIdentifier", js(cr->identifier));
	json_object_set_new(ro, "ConfigRuleName",
			    cr->rule == NOT_IN_RUN ? json_null() : js(m->rules[cr->rule].name));
	json_object_set_new(ro, "ConformancePackName",
			    cr->rule == NOT_IN_RUN ? json_null() : js(m->rules[cr->rule].pack));
	json_object_set_new(ro, "ComplianceType", json_string(rp_cstatus_name(cr->status)));
	if (holds_back(cr)) {
		struct strbuf why = STRBUF_INIT;

		held_reason(m, m->controls, cr, &why);
		json_object_set_new(ro, "Reason", js(why.buf));
		json_array_append_new(held, js(cr->identifier));
		strbuf_release(&why);
	}
	return ro;
}

/* One control of rp_controls_json. */
static json_t *json_control(const struct rp_model *m, const struct rp_control *c)
{
	const struct rp_controls *cs = m->controls;
	json_t *o = json_object(), *rules = json_array(), *held = json_array();
	json_t *res = json_array();

	json_object_set_new(o, "ControlId", js(c->c->id));
	json_object_set_new(o, "Title", js(c->c->title));
	json_object_set_new(o, "ComplianceType", json_string(rp_cstatus_name(c->status)));
	for (size_t r = 0; r < c->n_rules; r++) {
		const struct rp_crule *cr = &c->rules[r];

		json_array_append_new(rules, json_crule(m, cr, held));
		if (cr->rule == NOT_IN_RUN)
			continue;
		for (size_t j = cs->rule_first[cr->rule]; j < cs->rule_first[cr->rule + 1]; j++)
			if (m->results[cs->by_rule[j]].listed)
				json_array_append_new(
				    res, json_resource(m, &m->results[cs->by_rule[j]]));
	}
	json_object_set_new(o, "Rules", rules);
	json_object_set_new(o, "HeldBackBy", held);
	json_object_set_new(o, "Resources", res);
	control_waivers_json(m, c, o);
	return o;
}

json_t *rp_controls_json(const struct rp_model *m)
{
	const struct rp_controls *cs = m->controls;
	json_t *top = json_object(), *list = json_array();

	json_object_set_new(top, "Framework", js(cs->map->framework));
	json_object_set_new(top, "MappingFile", js(cs->map->path));
	json_object_set_new(top, "Source", js(cs->map->source));
	json_object_set_new(top, "SourceRead", js(cs->map->read));
	for (size_t i = 0; i < cs->n; i++)
		json_array_append_new(list, json_control(m, &cs->v[i]));
	json_object_set_new(top, "ControlCompliance", list);
	return top;
}

/* ---- CSV ---- */

/* One row of the controls CSV: control c, its rule cr (rr: in the run, or
 * NULL), why (the rule's reason) and result x (NULL: none listed). */
static void csv_control_row(const struct rp_model *m, const char *run_id,
			    const struct rp_control *c, const struct rp_crule *cr,
			    const struct rp_rule *rr, const char *why, const struct rp_result *x,
			    struct strbuf *row)
{
	const struct rp_waiver *w =
	    x && x->ct == RP_NON_COMPLIANT && x->waiver >= 0 ? &m->waivers[x->waiver] : NULL;

	strbuf_reset(row);
	csv_add_field(row, run_id, 1);
	csv_add_field(row, m->as_of, 0);
	csv_add_field(row, m->controls->map->framework, 0);
	csv_add_field(row, c->c->id, 0);
	csv_add_field(row, c->c->title, 0);
	csv_add_field(row, rp_cstatus_name(c->status), 0);
	csv_add_field(row, cr->identifier, 0);
	csv_add_field(row, rr ? rr->pack : NULL, 0);
	csv_add_field(row, rr ? rr->name : NULL, 0);
	csv_add_field(row, rp_cstatus_name(cr->status), 0);
	csv_add_field(row, why, 0);
	csv_add_field(row, x ? x->account : NULL, 0);
	csv_add_field(row, x ? x->region : NULL, 0);
	csv_add_field(row, x ? x->rtype : NULL, 0);
	csv_add_field(row, x ? x->rid : NULL, 0);
	csv_add_field(row, x ? rp_ct_name(x->ct) : NULL, 0);
	csv_add_field(row, x ? x->annotation : NULL, 0);
	csv_add_field(row, w ? w->reason : NULL, 0);
	csv_add_field(row, w ? w->approved_by : NULL, 0);
	csv_add_field(row, w ? w->expires : NULL, 0);
	strbuf_addstr(row, "\r\n");
}

/* The rows of rule cr of control c: one per listed resource; a rule with
 * none still has one row, so that every control and rule appears. */
static void csv_crule_rows(const struct rp_model *m, const char *run_id, const struct rp_control *c,
			   const struct rp_crule *cr, struct strbuf *row, struct strbuf *why,
			   FILE *out)
{
	const struct rp_controls *cs = m->controls;
	const struct rp_rule *rr = cr->rule == NOT_IN_RUN ? NULL : &m->rules[cr->rule];
	size_t first = rr ? cs->rule_first[cr->rule] : 0;
	size_t end = rr ? cs->rule_first[cr->rule + 1] : 0;
	int rows = 0;

	strbuf_reset(why);
	held_reason(m, cs, cr, why);
	for (size_t j = first; j <= end; j++) {
		const struct rp_result *x = NULL;

		if (j < end) {
			x = &m->results[cs->by_rule[j]];
			if (!x->listed)
				continue;
		} else if (rows) {
			break;
		}
		csv_control_row(m, run_id, c, cr, rr, why->buf, x, row);
		fwrite(row->buf, 1, row->len, out);
		rows++;
	}
}

int rp_controls_csv(const struct rp_model *m, FILE *out, struct diag *d)
{
	const struct rp_controls *cs = m->controls;
	struct strbuf row = STRBUF_INIT, why = STRBUF_INIT;
	char run_id[32];

	snprintf(run_id, sizeof(run_id), "%lld", (long long)m->run_id);
	fputs("run_id,as_of,framework,control_id,control_title,control_status,source_identifier,"
	      "pack_name,config_rule_name,rule_status,rule_reason,account_id,aws_region,"
	      "resource_type,resource_id,compliance_type,annotation,waiver_reason,"
	      "waiver_approved_by,waiver_expires\r\n",
	      out);
	for (size_t i = 0; i < cs->n; i++)
		for (size_t r = 0; r < cs->v[i].n_rules; r++)
			csv_crule_rows(m, run_id, &cs->v[i], &cs->v[i].rules[r], &row, &why, out);
	strbuf_release(&row);
	strbuf_release(&why);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the CSV report");
	return 0;
}

/* ---- HTML ---- */

static void hesc(struct strbuf *sb, const char *s)
{
	rp_html_escape(sb, s ? s : "");
}

#define HTML_RESOURCES_MAX 100 /* non-compliant resources listed per control */

/* The non-compliant resources behind control c, in a <details> under
 * their count (the first HTML_RESOURCES_MAX; a waived one says so). */
static void html_resources(const struct rp_model *m, const struct rp_controls *cs,
			   const struct rp_control *c, struct strbuf *sb)
{
	struct strbuf t = STRBUF_INIT;
	long shown = 0;

	if (!c->n[RP_NON_COMPLIANT])
		return;
	strbuf_addstr(sb, "<details><summary>resources</summary>");
	for (size_t r = 0; r < c->n_rules; r++) {
		size_t k = c->rules[r].rule;

		for (size_t j = k == NOT_IN_RUN ? 0 : cs->rule_first[k];
		     k != NOT_IN_RUN && j < cs->rule_first[k + 1]; j++) {
			const struct rp_result *x = &m->results[cs->by_rule[j]];

			if (x->ct != RP_NON_COMPLIANT || shown++ >= HTML_RESOURCES_MAX)
				continue;
			strbuf_reset(&t);
			strbuf_addf(&t, "%s %s %s %s", x->account, x->region, x->rtype, x->rid);
			strbuf_addstr(sb, shown > 1 ? "<br>" : "");
			hesc(sb, t.buf);
			if (x->waiver >= 0)
				strbuf_addf(sb, " <span class=\"waived\">(waived, line %ld)</span>",
					    m->waivers[x->waiver].line);
		}
	}
	if (shown > HTML_RESOURCES_MAX)
		strbuf_addf(sb, "<br>and %ld more", shown - HTML_RESOURCES_MAX);
	strbuf_addstr(sb, "</details>");
	strbuf_release(&t);
}

/* The Waived cell: how many of the non-compliant resources are waived,
 * then each waiver with its count. */
static void html_waivers(const struct rp_model *m, const struct rp_control *c, struct strbuf *sb)
{
	struct strbuf t = STRBUF_INIT;

	strbuf_addf(sb, "</td><td>%ld", c->waived);
	for (size_t k = 0; k < c->n_waivers; k++) {
		strbuf_reset(&t);
		strbuf_addf(&t, "%ld by line %ld: ", c->waivers[k].n, m->waivers[c->waivers[k].w].line);
		waiver_text(&m->waivers[c->waivers[k].w], &t);
		strbuf_addstr(sb, "<br><span class=\"waived\">");
		hesc(sb, t.buf);
		strbuf_addstr(sb, "</span>");
	}
	strbuf_release(&t);
}

/* The table head of the HTML controls section. */
static void html_head(const struct rp_model *m, struct strbuf *sb)
{
	const struct rp_controls *cs = m->controls;

	strbuf_addstr(sb, "<section id=\"controls\"><h2>Controls: ");
	hesc(sb, cs->map->framework);
	strbuf_addf(sb,
		    "</h2>\n<p>%zu controls: %zu compliant, %zu non-compliant, %zu insufficient "
		    "data, %zu not evaluated, %zu not applicable. Mapping <code>",
		    cs->n, count_status(cs, RP_CS_COMPLIANT), count_status(cs, RP_CS_NON_COMPLIANT),
		    count_status(cs, RP_CS_INSUFFICIENT_DATA), count_status(cs, RP_CS_NOT_EVALUATED),
		    count_status(cs, RP_CS_NOT_APPLICABLE));
	hesc(sb, cs->map->path);
	strbuf_addstr(sb, "</code>");
	if (cs->map->source) {
		strbuf_addstr(sb, ", from ");
		hesc(sb, cs->map->source);
	}
	strbuf_addstr(sb, ".</p>\n<table>\n<tr><th>Control</th><th>Title</th><th>Status</th>"
			  "<th>Rules</th><th>Non-compliant resources</th><th>Held back by</th>");
	if (m->waivers_used)
		strbuf_addstr(sb, "<th>Waived</th>");
	strbuf_addstr(sb, "</tr>\n");
}

/* The rules of control c that hold it back, with why, one a line. */
static void html_held(const struct rp_model *m, const struct rp_control *c, struct strbuf *sb)
{
	struct strbuf why = STRBUF_INIT;

	for (size_t r = 0, k = 0; r < c->n_rules; r++) {
		if (!holds_back(&c->rules[r]))
			continue;
		strbuf_reset(&why);
		crule_label(m, &c->rules[r], &why);
		strbuf_addstr(&why, ": ");
		held_reason(m, m->controls, &c->rules[r], &why);
		if (k++)
			strbuf_addstr(sb, "<br>");
		hesc(sb, why.buf);
	}
	strbuf_release(&why);
}

/* One control's row of the HTML table. */
static void html_control(const struct rp_model *m, const struct rp_control *c, struct strbuf *sb)
{
	const char *st = rp_cstatus_name(c->status);

	strbuf_addstr(sb, "<tr><td class=\"key\">");
	hesc(sb, c->c->id);
	strbuf_addstr(sb, "</td><td>");
	hesc(sb, c->c->title);
	/* NOT_EVALUATED has no class of its own: styled as no data; a
	 * control non-compliant only through waived resources as waived */
	strbuf_addf(sb, "</td><td class=\"%s\">%s%s</td><td>",
		    control_all_waived(c)	       ? "waived"
		    : c->status == RP_CS_NOT_EVALUATED ? "INSUFFICIENT_DATA"
						       : st,
		    st, control_all_waived(c) ? ", waived" : "");
	for (size_t r = 0; r < c->n_rules; r++) {
		struct strbuf l = STRBUF_INIT;

		crule_label(m, &c->rules[r], &l);
		if (r)
			strbuf_addstr(sb, "<br>");
		hesc(sb, l.buf);
		strbuf_release(&l);
	}
	strbuf_addf(sb, "</td><td class=\"n\">%ld", c->n[RP_NON_COMPLIANT]);
	html_resources(m, m->controls, c, sb);
	strbuf_addstr(sb, "</td><td>");
	html_held(m, c, sb);
	if (m->waivers_used)
		html_waivers(m, c, sb);
	strbuf_addstr(sb, "</td></tr>\n");
}

void rp_controls_html(const struct rp_model *m, struct strbuf *sb)
{
	const struct rp_controls *cs = m->controls;

	if (!cs)
		return;
	html_head(m, sb);
	for (size_t i = 0; i < cs->n; i++)
		html_control(m, &cs->v[i], sb);
	strbuf_addstr(sb, "</table>\n</section>\n");
}

/* ---- JUnit ---- */

static void xattr(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, " %s=\"", name);
	rp_xml_escape(sb, value ? value : "");
	strbuf_addch(sb, '"');
}

/* A mapped rule's JUnit outcome: failure (open non-compliant resources),
 * skipped (holds the control back otherwise, or non-compliant only
 * through waived resources) or passed. */
enum jcase { JC_PASSED, JC_FAILURE, JC_SKIPPED };

static enum jcase junit_case(const struct rp_controls *cs, const struct rp_crule *cr)
{
	if (!holds_back(cr))
		return JC_PASSED;
	if (cr->status == RP_CS_NON_COMPLIANT && !all_waived(cs, cr))
		return JC_FAILURE;
	return JC_SKIPPED;
}

/* The non-compliant resources of rule cr, one per line; waived ones say
 * so with their waiver. */
static void junit_resources(const struct rp_model *m, const struct rp_controls *cs,
			    const struct rp_crule *cr, struct strbuf *sb)
{
	struct strbuf line = STRBUF_INIT;

	for (size_t j = cs->rule_first[cr->rule]; j < cs->rule_first[cr->rule + 1]; j++) {
		const struct rp_result *x = &m->results[cs->by_rule[j]];

		if (x->ct != RP_NON_COMPLIANT)
			continue;
		strbuf_reset(&line);
		strbuf_addf(&line, "%s %s %s %s%s%s", x->account, x->region, x->rtype, x->rid,
			    x->annotation ? ": " : "", x->annotation ? x->annotation : "");
		if (x->waiver >= 0) {
			strbuf_addstr(&line, " (waived: ");
			waiver_text(&m->waivers[x->waiver], &line);
			strbuf_addch(&line, ')');
		}
		strbuf_addch(&line, '\n');
		rp_xml_escape(sb, line.buf);
	}
	strbuf_release(&line);
}

/* The skipped message of a rule non-compliant only through waived
 * resources: "NON_COMPLIANT, N waived: REASON (approved by X, expires
 * D); ..." with each waiver once. */
static void junit_waived_message(const struct rp_model *m, const struct rp_controls *cs,
				 const struct rp_crule *cr, struct strbuf *sb)
{
	long last = -1;

	strbuf_addf(sb, "NON_COMPLIANT, %ld waived", cs->rwaived[cr->rule]);
	for (size_t w = 0; w < m->n_waivers; w++)
		for (size_t j = cs->rule_first[cr->rule]; j < cs->rule_first[cr->rule + 1]; j++) {
			const struct rp_result *x = &m->results[cs->by_rule[j]];

			if (x->ct != RP_NON_COMPLIANT || x->waiver != (long)w)
				continue;
			strbuf_addstr(sb, last < 0 ? ": " : "; ");
			waiver_text(&m->waivers[w], sb);
			last = (long)w;
			break;
		}
}

/* One testcase per mapped rule (see junit_case): a failure lists the
 * non-compliant resources, a skipped case gives the reason. */
/* The test case of rule cr of control c. */
static void junit_crule(const struct rp_model *m, const struct rp_control *c,
			const struct rp_crule *cr, struct strbuf *sb, struct strbuf *l)
{
	const struct rp_controls *cs = m->controls;
	enum jcase jc = junit_case(cs, cr);

	strbuf_reset(l);
	crule_label(m, cr, l);
	strbuf_addstr(sb, "    <testcase");
	xattr(sb, "classname", c->c->id);
	xattr(sb, "name", l->buf);
	if (jc == JC_PASSED) {
		strbuf_addstr(sb, "/>\n");
		return;
	}
	strbuf_reset(l);
	if (jc == JC_FAILURE) {
		held_reason(m, cs, cr, l);
		strbuf_addstr(sb, ">\n      <failure");
		xattr(sb, "message", l->buf);
		xattr(sb, "type", "NON_COMPLIANT");
		strbuf_addstr(sb, ">");
		junit_resources(m, cs, cr, sb);
		strbuf_addstr(sb, "</failure>\n    </testcase>\n");
		return;
	}
	if (cr->status == RP_CS_NON_COMPLIANT) {
		junit_waived_message(m, cs, cr, l);
	} else {
		strbuf_addf(l, "%s: ", rp_cstatus_name(cr->status));
		held_reason(m, cs, cr, l);
	}
	strbuf_addstr(sb, ">\n      <skipped");
	xattr(sb, "message", l->buf);
	strbuf_addstr(sb, "/>\n    </testcase>\n");
}

/* The suite of control c, written out as sb grows. */
static void junit_control(const struct rp_model *m, const struct rp_control *c, struct strbuf *sb,
			  struct strbuf *l, FILE *out)
{
	const struct rp_controls *cs = m->controls;
	long f = 0, s = 0;

	for (size_t r = 0; r < c->n_rules; r++) {
		enum jcase jc = junit_case(cs, &c->rules[r]);

		f += jc == JC_FAILURE;
		s += jc == JC_SKIPPED;
	}
	strbuf_reset(l);
	strbuf_addf(l, "%s %s", cs->map->framework, c->c->id);
	strbuf_addstr(sb, "  <testsuite");
	xattr(sb, "name", l->buf);
	strbuf_addf(sb, " tests=\"%zu\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\"", c->n_rules,
		    f, s);
	xattr(sb, "timestamp", m->finished_at);
	strbuf_addstr(sb, ">\n    <properties>\n      <property name=\"control_status\"");
	xattr(sb, "value", rp_cstatus_name(c->status));
	strbuf_addstr(sb, "/>\n      <property name=\"title\"");
	xattr(sb, "value", c->c->title);
	if (m->waivers_used) {
		char n[32];

		snprintf(n, sizeof(n), "%ld", c->waived);
		strbuf_addstr(sb, "/>\n      <property name=\"waived\"");
		xattr(sb, "value", n);
	}
	strbuf_addstr(sb, "/>\n    </properties>\n");
	for (size_t r = 0; r < c->n_rules; r++) {
		junit_crule(m, c, &c->rules[r], sb, l);
		if (sb->len > 65536) {
			fwrite(sb->buf, 1, sb->len, out);
			strbuf_reset(sb);
		}
	}
	strbuf_addstr(sb, "  </testsuite>\n");
}

int rp_controls_junit(const struct rp_model *m, FILE *out, struct diag *d)
{
	const struct rp_controls *cs = m->controls;
	struct strbuf sb = STRBUF_INIT, l = STRBUF_INIT;
	long tests = 0, failures = 0, skipped = 0;
	char run[32];

	for (size_t i = 0; i < cs->n; i++)
		for (size_t r = 0; r < cs->v[i].n_rules; r++) {
			enum jcase jc = junit_case(cs, &cs->v[i].rules[r]);

			tests++;
			failures += jc == JC_FAILURE;
			skipped += jc == JC_SKIPPED;
		}
	snprintf(run, sizeof(run), "cfgaudit run %lld", (long long)m->run_id);
	strbuf_addstr(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	xattr(&sb, "name", run);
	strbuf_addf(&sb, " tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\">\n", tests,
		    failures, skipped);
	for (size_t i = 0; i < cs->n; i++)
		junit_control(m, &cs->v[i], &sb, &l, out);
	strbuf_addstr(&sb, "</testsuites>\n");
	fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
	strbuf_release(&l);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the JUnit report");
	return 0;
}

/* ---- the evidence bundle's per-control index ---- */

static char *default_dir;		      /* report_controls_set_dir */
static const struct controls *given_mapping; /* report_controls_set_mapping */

void report_controls_set_dir(const char *dir)
{
	free(default_dir);
	default_dir = dir ? xstrdup(dir) : NULL;
}

void report_controls_set_mapping(const struct controls *c)
{
	given_mapping = c;
}

/* Append path to the JSON array ctx. */
static void add_path(const char *path, void *ctx)
{
	json_array_append_new(ctx, js(path));
}

/* An evidence call the run could read (evidence_each_latest). */
struct ev_call {
	char *account, *region; /* region "global" for global services */
	char *call;		/* "iam get-credential-report" */
	char *path;		/* the evidence file, as ingested */
};

/* The calls a rule names in its "missing:" header (aws SERVICE OPERATION). */
struct ev_rule {
	char *identifier;
	char **calls;
	size_t n;
};

/* What the index reads besides the model. */
struct ix {
	const struct rp_model *m;
	const struct rp_controls *cs;
	int64_t run_id;
	struct item_files *files;   /* the source files of an item version */
	struct ev_call *ev;	    /* sorted by (account, region, call, path) */
	size_t n_ev, ev_alloc;
	struct ev_rule *er;
	size_t n_er, er_alloc;
};

static int ev_take(void *arg, const struct evidence_row *r)
{
	struct ix *x = arg;
	struct strbuf call = STRBUF_INIT;

	if (!r->known)
		return 0;
	strbuf_addf(&call, "%s %s", r->service, r->operation);
	ALLOC_GROW(x->ev, x->n_ev + 1, x->ev_alloc);
	x->ev[x->n_ev++] = (struct ev_call){xstrdup(r->account_id), xstrdup(r->region),
					    strbuf_detach(&call, NULL), xstrdup(r->path)};
	return 0;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct ev_call *x = a, *y = b;
	int c = strcmp(x->account, y->account);

	if (!c)
		c = strcmp(x->region, y->region);
	if (!c)
		c = strcmp(x->call, y->call);
	return c ? c : strcmp(x->path, y->path);
}

/* "aws SERVICE OPERATION" phrases of a rule's missing: text, each once. */
static void rule_calls(const char *missing, struct ev_rule *er)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	size_t alloc = 0;

	for (const char *p = strstr(missing, "aws "); p; p = strstr(p + 1, "aws ")) {
		const char *svc = p + 4, *op;
		size_t ns = strspn(svc, word), no;
		struct strbuf call = STRBUF_INIT;
		int seen = 0;

		if (!ns || svc[ns] != ' ' || (p > missing && strchr(word, p[-1])))
			continue;
		op = svc + ns + 1;
		no = strspn(op, word);
		if (!no || op[0] == '-')
			continue;
		strbuf_add(&call, svc, ns + 1 + no);
		for (size_t i = 0; i < er->n && !seen; i++)
			seen = !strcmp(er->calls[i], call.buf);
		if (seen) {
			strbuf_release(&call);
			continue;
		}
		ALLOC_GROW(er->calls, er->n + 1, alloc);
		er->calls[er->n++] = strbuf_detach(&call, NULL);
	}
}

static void er_take(const struct run_file_record *f, void *arg)
{
	struct ix *x = arg;
	struct rule *r;
	struct diag d;
	struct ev_rule er = {NULL, NULL, 0};

	if (strcmp(f->role, "rule"))
		return;
	diag_clear(&d);
	r = rule_parse(f->path, f->content, f->len, &d);
	if (r && r->missing)
		rule_calls(r->missing, &er);
	rule_free(r);
	if (!er.n)
		return;
	er.identifier = xstrdup(f->name);
	ALLOC_GROW(x->er, x->n_er + 1, x->er_alloc);
	x->er[x->n_er++] = er;
}

static void ix_release(struct ix *x)
{
	for (size_t i = 0; i < x->n_ev; i++) {
		free(x->ev[i].account);
		free(x->ev[i].region);
		free(x->ev[i].call);
		free(x->ev[i].path);
	}
	free(x->ev);
	for (size_t i = 0; i < x->n_er; i++) {
		for (size_t k = 0; k < x->er[i].n; k++)
			free(x->er[i].calls[k]);
		free(x->er[i].calls);
		free(x->er[i].identifier);
	}
	free(x->er);
	item_files_free(x->files);
}

/* The evidence calls of the run (newest at or before its as-of time) and
 * the calls each of its rule files names. Returns 0 or -1 with d. */
static int ix_load(struct store *s, struct ix *x, struct diag *d)
{
	struct run_record run;
	int rc;

	if (run_find(s, x->run_id, &run, d))
		return -1;
	if (!run.as_of) {
		run_record_release(&run);
		return diag_set(d, NULL, 0, "run %lld has no as-of time", (long long)x->run_id);
	}
	rc = evidence_each_latest(s, run.as_of, ev_take, x, d);
	if (!rc)
		x->files = item_files_new(s, run.as_of, d);
	run_record_release(&run);
	if (rc || !x->files || run_files_each(s, x->run_id, er_take, x, d))
		return -1;
	if (x->n_ev > 1)
		qsort(x->ev, x->n_ev, sizeof(*x->ev), ev_cmp);
	return 0;
}

static const struct ev_rule *ix_rule(const struct ix *x, const char *identifier)
{
	for (size_t i = 0; identifier && i < x->n_er; i++)
		if (!strcmp(x->er[i].identifier, identifier))
			return &x->er[i];
	return NULL;
}

/* Append the evidence files of call in (account, region) to files. */
static void ix_calls(const struct ix *x, const char *account, const char *region,
		     const char *call, json_t *files)
{
	struct ev_call key = {(char *)account, (char *)region, (char *)call, ""};
	size_t lo = 0, hi = x->n_ev;

	while (lo < hi) { /* the first row not before key */
		size_t mid = lo + (hi - lo) / 2;

		if (ev_cmp(&x->ev[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->n_ev && !strcmp(x->ev[lo].account, account) &&
	       !strcmp(x->ev[lo].region, region) && !strcmp(x->ev[lo].call, call);
	     lo++)
		json_array_append_new(files, js(x->ev[lo].path));
}

/* The evidence files behind result r of rule er: for each call the rule
 * names, the newest answer of r's account in r's region and in global. */
static json_t *ix_evidence(const struct ix *x, const struct ev_rule *er, const struct rp_result *r)
{
	json_t *files = json_array();

	for (size_t i = 0; er && i < er->n; i++) {
		ix_calls(x, r->account, r->region, er->calls[i], files);
		if (strcmp(r->region, "global"))
			ix_calls(x, r->account, "global", er->calls[i], files);
	}
	return files;
}

/* One result of the index. */
static json_t *ix_result(const struct ix *x, const struct ev_rule *er, const struct rp_result *r)
{
	json_t *o = json_object(), *files = json_array();
	char hex[2 * STORE_KEY_LEN + 1] = "";
	struct diag ignored; /* a store error: the result is listed without its files */

	json_object_set_new(o, "AccountId", js(r->account));
	json_object_set_new(o, "AwsRegion", js(r->region));
	json_object_set_new(o, "ResourceType", js(r->rtype));
	json_object_set_new(o, "ResourceId", js(r->rid));
	json_object_set_new(o, "ComplianceType", json_string(rp_ct_name(r->ct)));
	json_object_set_new(o, "Annotation", js(r->annotation));
	if (r->ct == RP_NON_COMPLIANT && r->waiver >= 0)
		json_object_set_new(o, "Waiver", rp_waiver_json(&x->m->waivers[r->waiver], 0));
	if (r->has_key && item_files_each(x->files, r->item_key, add_path, files, &ignored) == 1) {
		for (int k = 0; k < STORE_KEY_LEN; k++)
			snprintf(hex + 2 * k, 3, "%02x", r->item_key[k]);
		json_object_set_new(o, "ItemKey", json_string(hex));
		json_object_set_new(o, "SourceFiles", files);
	} else {
		json_decref(files);
		json_object_set_new(o, "ItemKey", json_null());
		json_object_set_new(o, "SourceFiles", json_array());
	}
	json_object_set_new(o, "EvidenceFiles", ix_evidence(x, er, r));
	return o;
}

/* One mapped rule of the index, with its results; a rule that holds the
 * control back goes to held. */
static json_t *ix_rule_json(const struct ix *x, const struct rp_crule *cr, json_t *held)
{
	const struct rp_model *m = x->m;
	const struct rp_rule *rr = cr->rule == NOT_IN_RUN ? NULL : &m->rules[cr->rule];
	const struct ev_rule *er = ix_rule(x, cr->identifier);
	json_t *ro = json_object(), *res = json_array(), *calls = json_array();
	struct strbuf why = STRBUF_INIT;

	json_object_set_new(ro, "SourceIdentifier", js(cr->identifier));
	json_object_set_new(ro, "ConfigRuleName", rr ? js(rr->name) : json_null());
	json_object_set_new(ro, "ConformancePackName", rr ? js(rr->pack) : json_null());
	json_object_set_new(ro, "ComplianceType", json_string(rp_cstatus_name(cr->status)));
	held_reason(m, x->cs, cr, &why);
	json_object_set_new(ro, "Reason", why.len ? js(why.buf) : json_null());
	if (holds_back(cr))
		json_array_append_new(held, js(cr->identifier));
	strbuf_release(&why);
	json_object_set_new(ro, "RuleFile", rr ? js(rr->path) : json_null());
	json_object_set_new(ro, "RuleFileSha256", rr ? js(rr->file_sha256) : json_null());
	for (size_t i = 0; rr && er && i < er->n; i++)
		json_array_append_new(calls, js(er->calls[i]));
	json_object_set_new(ro, "EvidenceCalls", calls);
	for (size_t j = rr ? x->cs->rule_first[cr->rule] : 0;
	     rr && j < x->cs->rule_first[cr->rule + 1]; j++)
		json_array_append_new(res, ix_result(x, er, &m->results[x->cs->by_rule[j]]));
	json_object_set_new(ro, "Results", res);
	return ro;
}

/* The control index of x's model as a JSON document. */
static json_t *ix_json(const struct ix *x)
{
	const struct rp_controls *cs = x->cs;
	json_t *top = json_object(), *list = json_array();

	json_object_set_new(top, "RunId", json_integer(x->run_id));
	json_object_set_new(top, "AsOf", js(x->m->as_of));
	json_object_set_new(top, "Framework", js(cs->map->framework));
	json_object_set_new(top, "MappingFile", js(cs->map->path));
	json_object_set_new(top, "MappingMember", json_string("controls/mapping.yaml"));
	json_object_set_new(top, "MappingSha256", json_string(cs->map->sha256));
	json_object_set_new(top, "Source", js(cs->map->source));
	json_object_set_new(top, "SourceRead", js(cs->map->read));
	json_object_set_new(top, "ItemsMember", json_string("items/items.jsonl"));
	json_object_set_new(top, "EvidenceMember",
			    x->n_ev ? json_string("evidence.json") : json_null());
	for (size_t i = 0; i < cs->n; i++) {
		const struct rp_control *c = &cs->v[i];
		json_t *o2 = json_object(), *rules = json_array(), *held = json_array();

		json_object_set_new(o2, "ControlId", js(c->c->id));
		json_object_set_new(o2, "Title", js(c->c->title));
		json_object_set_new(o2, "ComplianceType", json_string(rp_cstatus_name(c->status)));
		for (size_t r = 0; r < c->n_rules; r++)
			json_array_append_new(rules, ix_rule_json(x, &c->rules[r], held));
		json_object_set_new(o2, "HeldBackBy", held);
		json_object_set_new(o2, "Rules", rules);
		control_waivers_json(x->m, c, o2);
		json_array_append_new(list, o2);
	}
	json_object_set_new(top, "Controls", list);
	return top;
}

int report_controls_index(struct store *s, int64_t run_id, FILE *out, struct strbuf *mapping,
			  int *written, struct diag *d)
{
	struct report_options o;
	struct rp_model m;
	struct ix x;
	json_t *top;
	char *text;
	int ret = -1;

	*written = 0;
	memset(&o, 0, sizeof(o));
	memset(&x, 0, sizeof(x));
	o.run_id = run_id;
	o.format = REPORT_JSON;
	o.group_by = REPORT_BY_CONTROL;
	o.controls_dir = default_dir;
	o.controls = given_mapping;
	if (rp_model_load(s, &o, &m, d))
		goto out;
	if ((!default_dir && !given_mapping) || rp_controls_attach(&m, d)) {
		/* no shipped mapping names the run's pack: no index */
		diag_clear(d);
		ret = 0;
		goto out;
	}
	x.m = &m;
	x.cs = m.controls;
	x.run_id = run_id;
	if (ix_load(s, &x, d))
		goto out;
	top = ix_json(&x);
	text = json_dumps(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(top);
	if (!text)
		abort();
	fputs(text, out);
	fputc('\n', out);
	free(text);
	if (fflush(out) || ferror(out)) {
		diag_set(d, NULL, 0, "cannot write the control index");
		goto out;
	}
	strbuf_add(mapping, x.cs->map->text, x.cs->map->len);
	*written = 1;
	ret = 0;
out:
	ix_release(&x);
	rp_controls_free(m.controls);
	rp_model_free(&m);
	return ret;
}
