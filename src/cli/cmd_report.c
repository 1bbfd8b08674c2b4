/*
 * cmd_report: the 'report' command. Parses the options (the ones shared
 * with 'audit' through cli_report) and hands them to report_render
 * (src/report); writes to stdout, or atomically to -o FILE so that a
 * reader never sees half a report.
 */
#include "config.h"

#include "cli/cli.h"
#include "cli/cli_report.h"
#include "report/report.h"
#include "store/run_errors.h"
#include "util/diag.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "cfgaudit report [--run ID] [--format text|json|csv|html|junit]\n"
    "                [--by account|region|rule|resource|control|ou] [--controls FILE]\n"
    "                [--account A]... [--region R]... [--compliance TYPE]... [-o FILE]";

static void help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Render a stored evaluation run (default: the latest complete run).\n\n"
	       "Options:\n"
	       "  --run ID           the run to render\n"
	       "  --format FORMAT    text (default), json, csv, html or junit\n"
	       "  --by GROUP         group text and order csv by account (default),\n"
	       "                     region, rule, resource or control (every format\n"
	       "                     by framework control, see cfgaudit-controls(5)),\n"
	       "                     or ou: by the accounts' OU paths from Organizations\n"
	       "                     evidence (a section in every format; accounts\n"
	       "                     without it under \"(no Organizations evidence)\")\n"
	       "  --controls FILE    report by the controls of this mapping (default for\n"
	       "                     --by control: the shipped one that names the pack)\n"
	       "  --account A        only account A (repeatable)\n"
	       "  --region R         only region R and global IAM results (repeatable)\n"
	       "  --compliance TYPE  only results of TYPE: COMPLIANT, NON_COMPLIANT,\n"
	       "                     NOT_APPLICABLE, INSUFFICIENT_DATA (repeatable)\n"
	       "  -o, --output FILE  write to FILE (replaced atomically) instead of stdout\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 nothing non-compliant in the selection, 1 NON_COMPLIANT\n"
	       "results, 2 error. Formats: cfgaudit-report(5).\n");
}

static const struct option longopts[] = {
	{ "run", required_argument, NULL, 'r' },
	{ "account", required_argument, NULL, 'a' },
	{ "region", required_argument, NULL, 'g' },
	CLI_REPORT_LONG_OPTIONS,
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "o:", 1 };

struct report_args {
	struct cli_report_opts r;
	struct strlist accounts, regions; /* --account, --region */
	long run;                         /* --run, or 0 */
};

static int on_option(void *arg, int c, const char *value)
{
	struct report_args *a = arg;
	int used = cli_report_option(&a->r, c, value);

	if (used < 0)
		return cli_usage_error(usage, NULL);
	if (used)
		return 0;
	switch (c) {
	case 'r':
		return cli_parse_int("--run", value, 1, LONG_MAX, &a->run) ? EXIT_ERROR : 0;
	case 'a':
		if (cli_check_account("--account", value))
			return EXIT_ERROR;
		strlist_push(&a->accounts, value);
		return 0;
	default: /* 'g' */
		strlist_push(&a->regions, value);
		return 0;
	}
}

/* The default run is the latest complete one: say so when a newer run
 * has errors. */
static void warn_newer_incomplete(struct store *s)
{
	struct diag d;
	int64_t newer = 0;

	diag_clear(&d);
	if (run_errors_latest_complete(s, &newer, &d) >= 0 && newer > 0)
		warning_msg("run %lld is newer but incomplete (it has errors); showing the"
			    " latest complete run (name it with --run %lld to see it)",
			    (long long)newer, (long long)newer);
}

/* Write the report; returns the exit status. */
static int write_report(struct store *s, struct report_args *a, int quiet)
{
	int noncompliant = 0, status;

	if (cli_report_write(s, &a->r, &noncompliant))
		return a->r.error_status ? a->r.error_status /* a bad --controls mapping: 3 */
					 : EXIT_ERROR;
	status = noncompliant & REPORT_NONCOMPLIANT ? EXIT_NONCOMPLIANT : EXIT_OK;
	if (noncompliant & REPORT_INCOMPLETE) {
		if (!quiet)
			warning_msg("run %lld is incomplete: it could not evaluate everything"
				    " it was asked (the report lists its errors)",
				    (long long)a->run);
		status = EXIT_INVALID_RULE;
	}
	return status;
}

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	struct report_args a = { .accounts = STRLIST_INIT, .regions = STRLIST_INIT };
	struct store *s;
	int status;

	cli_report_opts_init(&a.r);
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status >= 0)
		goto out;
	status = EXIT_ERROR;
	a.r.o.run_id = a.run;
	a.r.o.accounts = a.accounts.items;
	a.r.o.n_accounts = a.accounts.nr;
	a.r.o.regions = a.regions.items;
	a.r.o.n_regions = a.regions.nr;

	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		goto out;
	if (a.run <= 0 && !ctx->quiet)
		warn_newer_incomplete(s);
	status = write_report(s, &a, ctx->quiet);
	store_close(s);
out:
	strlist_release(&a.accounts);
	strlist_release(&a.regions);
	cli_report_opts_release(&a.r);
	return status;
}
