/*
 * cli_report: shared report options and output (see cli_report.h).
 */
#include "cli/cli_report.h"
#include "cli/cli_controls.h"
#include "util/diag.h"
#include "util/fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const compliance_types[] = { "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
						"INSUFFICIENT_DATA", NULL };

void cli_report_opts_init(struct cli_report_opts *r)
{
	memset(r, 0, sizeof(*r));
	r->o.format = REPORT_TEXT;
	r->o.group_by = REPORT_BY_ACCOUNT;
}

void cli_report_opts_release(struct cli_report_opts *r)
{
	strlist_release(&r->compliance);
	controls_free(r->controls);
	free(r->controls_dir);
	r->controls = NULL;
	r->controls_dir = NULL;
}

int cli_report_option(struct cli_report_opts *r, int c, const char *arg)
{
	switch (c) {
	case OPT_FORMAT:
		if (report_parse_format(arg, &r->o.format)) {
			error_msg("--format: '%s' is not one of: text, json, csv, html, junit", arg);
			return -1;
		}
		return 1;
	case OPT_BY:
		if (report_parse_group(arg, &r->o.group_by)) {
			error_msg("--by: '%s' is not one of: account, region, rule, resource, control,"
				  " ou", arg);
			return -1;
		}
		return 1;
	case OPT_COMPLIANCE:
		if (cli_check_choice("--compliance", arg, compliance_types))
			return -1;
		strlist_push(&r->compliance, arg);
		r->o.compliance = r->compliance.items;
		r->o.n_compliance = r->compliance.nr;
		return 1;
	case OPT_OUTPUT:
		r->output = arg;
		return 1;
	case OPT_CONTROLS:
		r->controls_path = arg;
		return 1;
	default:
		return 0;
	}
}

/* Render into the temporary file of -o, then rename it into place, so
 * that a reader never sees half a report. */
static int render_to_file(struct store *s, const struct report_options *o, const char *path,
			  int *noncompliant)
{
	struct atomic_file af;
	struct diag d;
	FILE *f;
	int fd, werr;

	diag_clear(&d);
	if (atomic_open(&af, path, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	fd = dup(af.fd);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		error_msg("'%s': %s", path, strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	if (report_render(s, o, f, noncompliant, &d)) {
		fclose(f);
		atomic_abort(&af);
		diag_print(&d, "error");
		return -1;
	}
	werr = fflush(f) != 0 || ferror(f);
	if (fclose(f) != 0)
		werr = 1;
	if (werr) {
		error_msg("'%s': cannot write: %s", path, strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	if (atomic_commit(&af, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	return 0;
}

int cli_report_write(struct store *s, struct cli_report_opts *r, int *noncompliant)
{
	struct diag d;

	*noncompliant = 0;
	/* The mapping: --controls FILE (checked against the built-in rules,
	 * the catalogue and the run's rules), or for --by control the shipped
	 * one that names the run's pack (found by the report). */
	if (r->controls_path && !r->controls) {
		int status;

		r->controls = cli_controls_load_for_run(r->controls_path, s, r->o.run_id, &status);
		if (!r->controls) {
			r->error_status = status;
			return -1;
		}
	}
	if (!r->controls_dir)
		r->controls_dir = cli_controls_dir();
	r->o.controls = r->controls;
	r->o.controls_dir = r->controls_dir;
	if (r->output)
		return render_to_file(s, &r->o, r->output, noncompliant);
	diag_clear(&d);
	if (report_render(s, &r->o, stdout, noncompliant, &d)) {
		/* a reader that stopped early (report | head) is no error: the
		 * status still says whether the run is non-compliant */
		if (ferror(stdout) && errno == EPIPE)
			return 0;
		diag_print(&d, "error");
		return -1;
	}
	return cli_finish_stdout(0) ? -1 : 0;
}
