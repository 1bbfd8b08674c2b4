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

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"run", required_argument, NULL, 'r'},
	    {"account", required_argument, NULL, 'a'},
	    {"region", required_argument, NULL, 'g'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    CLI_REPORT_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct strlist accounts = STRLIST_INIT, regions = STRLIST_INIT;
	struct cli_report_opts r;
	struct store *s;
	int c, status = EXIT_ERROR, noncompliant = 0;
	long run = 0;

	cli_report_opts_init(&r);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		int used = cli_report_option(&r, c, optarg);

		if (used < 0) {
			cli_usage_error(usage, NULL);
			goto out;
		}
		if (used)
			continue;
		switch (c) {
		case 'r':
			if (cli_parse_int("--run", optarg, 1, LONG_MAX, &run))
				goto out;
			break;
		case 'a':
			if (cli_check_account("--account", optarg))
				goto out;
			strlist_push(&accounts, optarg);
			break;
		case 'g':
			strlist_push(&regions, optarg);
			break;
		case 'q':
			ctx->quiet = 1;
			break;
		case 'h':
			help();
			status = cli_finish_stdout(EXIT_OK);
			goto out;
		case ':':
			cli_usage_error(usage, "option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	r.o.run_id = run;
	r.o.accounts = accounts.items;
	r.o.n_accounts = accounts.nr;
	r.o.regions = regions.items;
	r.o.n_regions = regions.nr;

	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		goto out;
	if (run <= 0 && !ctx->quiet) {
		struct diag d;
		int64_t newer = 0;

		diag_clear(&d);
		if (run_errors_latest_complete(s, &newer, &d) >= 0 && newer > 0)
			warning_msg("run %lld is newer but incomplete (it has errors); showing the"
				    " latest complete run (name it with --run %lld to see it)",
				    (long long)newer, (long long)newer);
	}
	if (cli_report_write(s, &r, &noncompliant) == 0) {
		status = noncompliant & REPORT_NONCOMPLIANT ? EXIT_NONCOMPLIANT : EXIT_OK;
		if (noncompliant & REPORT_INCOMPLETE) {
			if (!ctx->quiet)
				warning_msg("run %lld is incomplete: it could not evaluate everything"
					    " it was asked (the report lists its errors)",
					    (long long)run);
			status = EXIT_INVALID_RULE;
		}
	} else if (r.error_status) {
		status = r.error_status; /* a bad --controls mapping: 3 */
	}
	store_close(s);
out:
	strlist_release(&accounts);
	strlist_release(&regions);
	cli_report_opts_release(&r);
	return status;
}
