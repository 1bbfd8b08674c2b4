/*
 * report_html: the HTML back end (placeholder until the page lands).
 */
#include "config.h"

#include "report/report_priv.h"

int rp_render_html(const struct rp_model *m, FILE *out, struct diag *d)
{
	return diag_set(d, NULL, 0, "the html format is not implemented yet");
}
