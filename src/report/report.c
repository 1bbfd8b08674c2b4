/*
 * report: the public interface (report.h). Picks the run, loads it into
 * the shared model (report_model.c) and hands it to one back end.
 */
#include "config.h"

#include "report/report.h"
#include "report/compare.h"
#include "report/report_priv.h"
#include "store/run_errors.h"

#include <string.h>

int report_parse_format(const char *s, enum report_format *out)
{
	static const struct {
		const char *name;
		enum report_format f;
	} formats[] = {
	    {"text", REPORT_TEXT}, {"json", REPORT_JSON},   {"csv", REPORT_CSV},
	    {"html", REPORT_HTML}, {"junit", REPORT_JUNIT},
	};

	for (size_t i = 0; s && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].f;
			return 0;
		}
	return -1;
}

int report_parse_group(const char *s, enum report_group *out)
{
	static const struct {
		const char *name;
		enum report_group g;
	} groups[] = {
	    {"account", REPORT_BY_ACCOUNT},
	    {"region", REPORT_BY_REGION},
	    {"rule", REPORT_BY_RULE},
	    {"resource", REPORT_BY_RESOURCE},
	    {"control", REPORT_BY_CONTROL},
	    {"ou", REPORT_BY_OU},
	};

	for (size_t i = 0; s && i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcmp(s, groups[i].name)) {
			*out = groups[i].g;
			return 0;
		}
	return -1;
}

int64_t report_latest_run(struct store *s, struct diag *d)
{
	/* complete, and without errors: an incomplete run is never the default */
	return run_errors_latest_complete(s, NULL, d);
}

/* Is every --compliance value a compliance type? Returns 0, or -1 with d
 * filled. */
static int check_compliance(const struct report_options *o, struct diag *d)
{
	for (size_t i = 0; i < o->n_compliance; i++) {
		int known = 0;

		for (int c = 0; c < RP_CT_N; c++)
			known |= !strcmp(o->compliance[i], rp_ct_name((enum rp_ct)c));
		if (!known)
			return diag_set(d, NULL, 0, "'%s' is not a compliance type",
					o->compliance[i]);
	}
	return 0;
}

int report_render(struct store *s, const struct report_options *o, FILE *out, int *noncompliant,
		  struct diag *d)
{
	struct report_options opt = *o;
	struct rp_model m;
	int rc;

	*noncompliant = 0;
	if (check_compliance(o, d))
		return -1;
	if (opt.run_id <= 0) {
		opt.run_id = report_latest_run(s, d);
		if (opt.run_id < 0)
			return -1;
		if (opt.run_id == 0)
			return diag_set(d, s->path, 0,
					"no complete evaluation run in the database (run 'cfgaudit "
					"eval' first; a run with errors is incomplete and is rendered"
					" only when named with --run)");
	}
	if (rp_model_load(s, &opt, &m, d) || rp_controls_attach(&m, d) || rp_org_attach(s, &m, d) ||
	    (o->format == REPORT_HTML && compare_attach(s, opt.run_id, &m.aws, d))) {
		rp_controls_free(m.controls);
		rp_org_free(m.org);
		compare_free(m.aws);
		rp_model_free(&m);
		return -1;
	}
	switch (o->format) {
	case REPORT_JSON:
		rc = rp_render_json(&m, out, d);
		break;
	case REPORT_CSV:
		rc = rp_render_csv(&m, out, d);
		break;
	case REPORT_HTML:
		rc = rp_render_html(&m, out, d);
		break;
	case REPORT_JUNIT:
		rc = rp_render_junit(&m, out, d);
		break;
	case REPORT_TEXT:
	default:
		rc = rp_render_text(&m, out, d);
		break;
	}
	/* known from the model even when writing failed (a closed pipe) */
	*noncompliant = (m.noncompliant ? REPORT_NONCOMPLIANT : 0) |
			(m.n_errors ? REPORT_INCOMPLETE : 0);
	rp_controls_free(m.controls);
	rp_org_free(m.org);
	compare_free(m.aws);
	rp_model_free(&m);
	return rc;
}
