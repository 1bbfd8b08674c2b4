/*
 * cli_report: the report options that report and audit share (--format,
 * --by, --compliance, -o) and writing a rendered report to standard output
 * or, atomically, to a file.
 */
#ifndef CFGAUDIT_CLI_REPORT_H
#define CFGAUDIT_CLI_REPORT_H

#include <getopt.h>

#include "cli/cli.h"
#include "report/report.h"

enum {
	OPT_FORMAT = 2000,
	OPT_BY,
	OPT_COMPLIANCE,
	OPT_CONTROLS,
	OPT_OUTPUT = 'o',
};

#define CLI_REPORT_LONG_OPTIONS                                       \
	{ "format", required_argument, NULL, OPT_FORMAT },            \
	{ "by", required_argument, NULL, OPT_BY },                    \
	{ "compliance", required_argument, NULL, OPT_COMPLIANCE },    \
	{ "controls", required_argument, NULL, OPT_CONTROLS },        \
	{ "output", required_argument, NULL, OPT_OUTPUT }

struct cli_report_opts {
	struct report_options o;   /* format, grouping, compliance selection */
	struct strlist compliance; /* --compliance values (borrowed) */
	const char *output;        /* -o FILE, or NULL for stdout */
	const char *controls_path; /* --controls FILE, or NULL */
	struct controls *controls; /* loaded by cli_report_write (owned) */
	char *controls_dir;        /* DATADIR/packs/controls (owned) */
	int error_status;          /* after a failed cli_report_write: the exit status
				    * when it is not EXIT_ERROR (3: a bad mapping), else 0 */
};

void cli_report_opts_init(struct cli_report_opts *r);
void cli_report_opts_release(struct cli_report_opts *r);

/* Handle one getopt result: 1 consumed, 0 not ours, -1 bad value (printed). */
int cli_report_option(struct cli_report_opts *r, int c, const char *arg);

/* Render r->o to r->output or stdout. Returns 0 and sets *noncompliant,
 * or -1 after printing the error (a file is then left untouched). */
int cli_report_write(struct store *s, struct cli_report_opts *r, int *noncompliant);

#endif
