/*
 * cmd_eval: 'cfgaudit eval' -- evaluate packs and rules, store a run, and
 * print its id and a summary (cfgaudit-eval(1)).
 */
#include "cli/cli.h"
#include "cli/cli_eval.h"
#include "util/diag.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"cfgaudit eval [--pack FILE]... [--rule ID]... [--param [RULE.]KEY=VALUE]...\n"
	"                     [--as-of T] [--account A]... [--region R]... [--rules-dir DIR]...\n"
	"                     [--max-age D] [--timings] [--jobs N] [--since-run ID|latest]";

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
	       "  --waivers FILE     accepted exceptions (cfgaudit-waivers(5)): matching\n"
	       "                     NON_COMPLIANT results are waived, not counted for the\n"
	       "                     exit status; a bad file exits 3\n"
	       "  --timings          print each rule's evaluation time on stderr\n"
	       "  --jobs N           evaluate on N database connections in parallel\n"
	       "                     (default: the number of processors)\n"
	       "  --since-run ID     re-evaluate only what the data loaded since run ID can\n"
	       "                     change and copy that run's other results: resources with\n"
	       "                     new versions or gone since, on rules that read only the\n"
	       "                     resource itself (or its place or account, or the age of\n"
	       "                     its dates: cfgaudit-eval(1)); the other rules (account-\n"
	       "                     and organization-level facts, evidence, coverage) in\n"
	       "                     full. The run is the\n"
	       "                     same as a full evaluation. Refused (exit 2) when run ID\n"
	       "                     had other rules, packs, parameters, scope, waivers,\n"
	       "                     --max-age, cfgaudit version or schema, errors, a later\n"
	       "                     as-of time, or when data older than its as-of time was\n"
	       "                     loaded since (late files)\n"
	       "  --since-run latest the newest complete run that can be reused; without one,\n"
	       "                     a full evaluation (with a warning): for cron jobs\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 nothing non-compliant, 1 NON_COMPLIANT results, 2 error (also a\n"
	       "rule the data could not be evaluated for), 3 an invalid rule, pack or parameter\n"
	       "(the other rules still run).\n",
	       usage, CLI_DEFAULT_PACK);
}

enum { OPT_SINCE_RUN = OPT_EVAL_LAST };

/* --since-run ID or latest. Returns 1, or -1 after reporting. */
static int parse_since_run(const char *arg, int64_t *id)
{
	char *end;
	long long v;

	if (!strcmp(arg, "latest")) {
		*id = EVAL_SINCE_LATEST;
		return 1;
	}
	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0) {
		error_msg("--since-run: '%s' is neither a run id nor 'latest'", arg);
		return -1;
	}
	*id = v;
	return 1;
}

static const struct option longopts[] = {
	CLI_EVAL_LONG_OPTIONS,
	{ "since-run", required_argument, NULL, OPT_SINCE_RUN },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 1 };

struct eval_args {
	struct cli_eval_opts o;
	int64_t since_run; /* --since-run, or 0 */
};

/* --since-run, else one of cli_eval's options. */
static int on_option(void *arg, int c, const char *value)
{
	struct eval_args *a = arg;
	int r = c == OPT_SINCE_RUN ? parse_since_run(value, &a->since_run)
				   : cli_eval_option(&a->o, c, value);

	return r < 0 ? EXIT_ERROR : 0;
}

int cmd_eval(int argc, char **argv, struct cli_ctx *ctx)
{
	struct eval_args a;
	struct eval_request req;
	struct eval_outcome out;
	struct store *s = NULL;
	struct diag d;
	int status;

	cli_eval_opts_init(&a.o);
	a.since_run = 0;
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status >= 0)
		goto out;
	status = EXIT_ERROR;
	if (cli_eval_prepare(&a.o)) {
		status = a.o.prepare_status;
		goto out;
	}
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s)
		goto out;
	cli_eval_request(&a.o, &req, ctx->quiet);
	req.since_run = a.since_run;
	diag_clear(&d);
	if (eval_run(s, &req, &out, &d)) {
		diag_print(&d, "error");
		goto out;
	}
	cli_eval_print_summary(stdout, &out);
	status = cli_finish_stdout(cli_eval_status(&out));
out:
	store_close(s);
	cli_eval_opts_release(&a.o);
	return status;
}
