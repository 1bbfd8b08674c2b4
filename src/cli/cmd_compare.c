/*
 * cmd_compare: 'cfgaudit compare' -- AWS Config's own verdicts beside a
 * run's (cfgaudit-compare(1)). The matching is in report/compare.c; this
 * file parses and prints.
 */
#include "cli/cli.h"
#include "report/compare.h"
#include "report/report.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "cfgaudit compare [--run ID] [--format text|json] [--all]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Set the verdicts AWS Config itself recorded (AWS::Config::ResourceCompliance\n"
	       "items, and the answers of get-compliance-details-by-config-rule and the like)\n"
	       "beside a run's, rule by rule and resource by resource, and explain every\n"
	       "difference.\n\n"
	       "  --run ID     the run (default: the latest complete run)\n"
	       "  --format F   text (default) or json\n"
	       "  --all        list agreements too (default: only differences)\n"
	       "  --help       this text\n\n"
	       "Exit status: 0 no verdict both decided differs, 1 some do, 2 error (no run,\n"
	       "no AWS verdicts in the store). See cfgaudit-compare(1).\n",
	       usage);
}

struct compare_opts {
	int64_t run_id; /* 0: the default run */
	int json, all;
};

static const struct option longopts[] = {
	{ "run", required_argument, NULL, 'r' },
	{ "format", required_argument, NULL, 'f' },
	{ "all", no_argument, NULL, 'a' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 1 };

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct compare_opts *o = arg;
	long run;

	switch (c) {
	case 'r':
		if (cli_parse_int("--run", value, 1, INT32_MAX, &run))
			return EXIT_ERROR;
		o->run_id = run;
		break;
	case 'f':
		if (cli_check_choice("--format", value, formats))
			return EXIT_ERROR;
		o->json = !strcmp(value, "json");
		break;
	default: /* 'a' */
		o->all = 1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv, struct cli_ctx *ctx)
{
	struct compare_opts o;
	struct comparison cmp;
	struct store *s;
	struct diag d;
	int rc, status;

	memset(&o, 0, sizeof(o));
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &o);
	if (status >= 0)
		return status;
	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		return EXIT_ERROR;
	diag_clear(&d);
	if (!o.run_id && (o.run_id = report_latest_run(s, &d)) <= 0) {
		if (d.msg[0])
			diag_print(&d, "error");
		else
			error_msg("the database holds no run (run 'cfgaudit eval' first)");
		store_close(s);
		return EXIT_ERROR;
	}
	rc = compare_run(s, o.run_id, &cmp, &d);
	if (rc == 1)
		error_msg("--run: there is no run %lld", (long long)o.run_id);
	else if (rc == 2)
		error_msg("the database holds no verdicts of AWS: ingest AWS::Config::"
			  "ResourceCompliance items or the output of aws configservice "
			  "get-compliance-details-by-config-rule (cfgaudit-compare(1))");
	else if (rc < 0)
		diag_print(&d, "error");
	if (!rc) {
		status = o.json ? compare_write_json(&cmp, stdout, o.all)
				: compare_write_text(&cmp, stdout, o.all);
		status = status ? EXIT_ERROR
				: cli_finish_stdout(cmp.counts[CMP_DISAGREE] ? EXIT_NONCOMPLIANT
									     : EXIT_OK);
	} else {
		status = EXIT_ERROR;
	}
	compare_release(&cmp);
	store_close(s);
	return status;
}
