/*
 * cmd_eval: 'cfgaudit eval' -- evaluate packs and rules, store a run, and
 * print its id and a summary (cfgaudit-eval(1)).
 */
#include "cli/cli.h"
#include "cli/cli_eval.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] =
	"cfgaudit eval [--pack FILE]... [--rule ID]... [--param [RULE.]KEY=VALUE]...\n"
	"                     [--as-of T] [--account A]... [--region R]... [--rules-dir DIR]...\n"
	"                     [--max-age D] [--timings] [--jobs N]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Evaluate rules and conformance packs against the state at --as-of (default:\n"
	       "the latest time in the database), store the run and print its summary.\n\n"
	       "  --pack FILE        a conformance-pack template, or the name of a built-in pack\n"
	       "                     (default: %s)\n"
	       "  --rule ID          evaluate one rule by identifier (INCOMING_SSH_DISABLED)\n"
	       "  --param N=V        set pack parameter N; RULE.KEY=V sets a rule's input\n"
	       "                     parameter; with one --rule and no pack, KEY=V\n"
	       "  --as-of T          evaluate the state at T (ISO 8601 UTC or a date)\n"
	       "  --account A        only these accounts (repeatable)\n"
	       "  --region R         only these regions; global IAM resources are kept\n"
	       "  --rules-dir DIR    search DIR for rule files before the built-in rules\n"
	       "  --max-age D        the run records, per account and region, its data and\n"
	       "                     flags it stale when the latest delivery is older than D\n"
	       "                     before the as-of time: whole hours or days, like 26h or\n"
	       "                     2d (default: 26h; see cfgaudit-coverage(1))\n"
	       "  --timings          print each rule's evaluation time on stderr\n"
	       "  --jobs N           evaluate on N database connections in parallel\n"
	       "                     (default: the number of processors)\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 nothing non-compliant, 1 NON_COMPLIANT results, 2 error,\n"
	       "3 an invalid rule, pack or parameter (the other rules still run).\n",
	       usage, CLI_DEFAULT_PACK);
}

int cmd_eval(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		CLI_EVAL_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_eval_opts o;
	struct eval_request req;
	struct eval_outcome out;
	struct store *s = NULL;
	struct diag d;
	int c, status = EXIT_ERROR;

	cli_eval_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_eval_option(&o, c, optarg);

		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		if (c == 'h') {
			help();
			status = cli_finish_stdout(EXIT_OK);
			goto out;
		}
		status = cli_usage_error(usage, NULL);
		goto out;
	}
	if (optind < argc) {
		status = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cli_eval_prepare(&o)) {
		status = o.prepare_status;
		goto out;
	}
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s)
		goto out;
	cli_eval_request(&o, &req, ctx->quiet);
	diag_clear(&d);
	if (eval_run(s, &req, &out, &d)) {
		diag_print(&d, "error");
		goto out;
	}
	cli_eval_print_summary(stdout, &out);
	status = cli_finish_stdout(cli_eval_status(&out));
out:
	store_close(s);
	cli_eval_opts_release(&o);
	return status;
}
