/*
 * report_junit: the JUnit XML back end (placeholder until it lands).
 */
#include "config.h"

#include "report/report_priv.h"

int rp_render_junit(const struct rp_model *m, FILE *out, struct diag *d)
{
	return diag_set(d, NULL, 0, "the junit format is not implemented yet");
}
