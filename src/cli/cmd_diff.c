/*
 * cmd_diff: 'cfgaudit diff' -- drift between two runs, or between two dates
 * evaluated with the same selection (cfgaudit-diff(1)). This is what a
 * nightly cron job mails.
 */
#include "cli/cli.h"
#include "cli/cli_eval.h"
#include "eval/drift.h"
#include "store/run_errors.h"
#include "util/diag.h"
#include "util/term.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"cfgaudit diff [--format text|json] RUN-A RUN-B\n"
	"       cfgaudit diff --from T1 --to T2 [--format text|json] [--pack FILE]...\n"
	"                     [--rule ID]... [--param [RULE.]KEY=VALUE]... [--account A]...\n"
	"                     [--region R]... [--rules-dir DIR]... [--jobs N] [--max-age D]";

enum { OPT_FROM = OPT_EVAL_LAST, OPT_TO, OPT_FORMAT };

static void help(void)
{
	printf("usage: %s\n\n"
	       "List, per account, what became NON_COMPLIANT, what became COMPLIANT,\n"
	       "non-compliant results whose resource went away, resources that appeared\n"
	       "or disappeared, and the change of each pack's compliance score.\n\n"
	       "  RUN-A RUN-B     compare two stored runs (ids from 'cfgaudit eval')\n"
	       "  --from T1       evaluate the state at T1 and at T2 with the same\n"
	       "  --to T2         selection (--pack, --rule, --param, --account, --region,\n"
	       "                  --rules-dir, --jobs, --max-age, as for 'cfgaudit eval'),\n"
	       "                  store both runs and compare them\n"
	       "  --format F      text (default) or json\n"
	       "  --help          this text\n\n"
	       "Exit status: 0 nothing became non-compliant, 1 something did, 2 error,\n"
	       "3 an invalid rule or pack while evaluating.\n",
	       usage);
}

static void put(const char *s)
{
	term_write_safe(stdout, s ? s : "-", s ? strlen(s) : 1);
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void print_list(json_t *acct, const char *key, const char *title, int with_rule)
{
	json_t *arr = json_object_get(acct, key), *e;
	size_t i;

	if (!json_array_size(arr))
		return;
	printf("  %s (%zu)\n", title, json_array_size(arr));
	json_array_foreach(arr, i, e) {
		fputs("    ", stdout);
		if (with_rule) {
			put(str(e, "ConfigRuleName"));
			fputs("  ", stdout);
		}
		put(str(e, "ResourceType"));
		fputs(" ", stdout);
		put(str(e, "ResourceId"));
		fputs(" (", stdout);
		put(str(e, "AwsRegion"));
		fputs(")", stdout);
		if (with_rule && str(e, "Annotation")) {
			fputs(": ", stdout);
			put(str(e, "Annotation"));
		}
		putchar('\n');
	}
}

static void print_text(json_t *doc)
{
	json_t *accounts = json_object_get(doc, "Accounts"), *a;
	size_t i;

	printf("drift from run %lld (as of %s) to run %lld (as of %s)\n",
	       (long long)json_integer_value(json_object_get(json_object_get(doc, "From"), "RunId")),
	       str(json_object_get(doc, "From"), "AsOf"),
	       (long long)json_integer_value(json_object_get(json_object_get(doc, "To"), "RunId")),
	       str(json_object_get(doc, "To"), "AsOf"));
	if (!json_array_size(accounts))
		printf("no changes\n");
	json_array_foreach(accounts, i, a) {
		json_t *scores = json_object_get(a, "PackScores"), *sc;
		size_t j;

		printf("\naccount %s\n", str(a, "AccountId"));
		print_list(a, "BecameNonCompliant", "became NON_COMPLIANT", 1);
		print_list(a, "BecameCompliant", "became COMPLIANT", 1);
		print_list(a, "ResolvedByRemoval", "non-compliant results gone with their resource", 1);
		print_list(a, "ResourcesAppeared", "resources appeared", 0);
		print_list(a, "ResourcesDisappeared", "resources disappeared", 0);
		json_array_foreach(scores, j, sc) {
			if (!strcmp(str(sc, "From"), str(sc, "To")))
				continue;
			fputs("  pack score ", stdout);
			put(str(sc, "ConformancePackName"));
			printf(": %s -> %s\n", str(sc, "From"), str(sc, "To"));
		}
	}
}

static int parse_run_id(const char *s, int64_t *id)
{
	long v;

	if (cli_parse_int("run id", s, 1, 2147483647L, &v))
		return -1;
	*id = v;
	return 0;
}

struct diff_args {
	struct cli_eval_opts o;        /* the selection, with --from/--to */
	const char *format;            /* text or json */
	int64_t from_ms, to_ms;        /* --from, --to */
	int have_from, have_to;
	int64_t run_a, run_b;          /* RUN-A RUN-B, or the runs evaluated */
};

static const struct option longopts[] = {
	CLI_EVAL_LONG_OPTIONS,
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 0 };

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct diff_args *a = arg;
	int r = cli_eval_option(&a->o, c, value);

	if (r)
		return r < 0 ? EXIT_ERROR : 0;
	switch (c) {
	case OPT_FROM:
		if (cli_parse_time("--from", value, &a->from_ms))
			return EXIT_ERROR;
		a->have_from = 1;
		break;
	case OPT_TO:
		if (cli_parse_time("--to", value, &a->to_ms))
			return EXIT_ERROR;
		a->have_to = 1;
		break;
	default: /* OPT_FORMAT */
		if (cli_check_choice("--format", value, formats))
			return EXIT_ERROR;
		a->format = value;
	}
	return 0;
}

/* Check the arguments after the options: two run ids, or --from and
 * --to with a selection. Returns -1 to go on, or the exit status. */
static int check_arguments(int argc, char **argv, struct diff_args *a)
{
	const struct cli_eval_opts *o = &a->o;

	if (a->have_from != a->have_to)
		return cli_usage_error(usage, "--from and --to go together");
	if (a->have_from) {
		if (optind != argc)
			return cli_usage_error(usage, "no run ids with --from/--to");
		if (o->as_of_ms != INT64_MAX)
			return cli_usage_error(usage, "--as-of does not go with --from/--to");
		return -1;
	}
	if (argc - optind != 2)
		return cli_usage_error(usage, "give two run ids, or --from and --to");
	if (o->packs.nr || o->rules.nr || o->params.nr || o->accounts.nr || o->regions.nr ||
	    o->as_of_ms != INT64_MAX)
		return cli_usage_error(usage, "selection options need --from/--to");
	if (parse_run_id(argv[optind], &a->run_a) || parse_run_id(argv[optind + 1], &a->run_b))
		return EXIT_ERROR;
	return -1;
}

/* Evaluate the selection at --from and at --to, storing both runs.
 * Returns EXIT_OK or EXIT_INVALID_RULE, or -1 with d filled. */
static int eval_from_to(struct store *s, struct diff_args *a, int quiet, struct diag *d)
{
	struct eval_request req;
	struct eval_outcome out;
	int status = EXIT_OK;

	if (cli_eval_prepare(&a->o))
		return -2;
	cli_eval_request(&a->o, &req, quiet);
	req.as_of_ms = a->from_ms;
	if (eval_run(s, &req, &out, d))
		return -1;
	a->run_a = out.run_id;
	if (out.data_failed)
		status = EXIT_ERROR;
	else if (out.invalid)
		status = EXIT_INVALID_RULE;
	req.as_of_ms = a->to_ms;
	if (eval_run(s, &req, &out, d))
		return -1;
	a->run_b = out.run_id;
	if (out.data_failed)
		status = EXIT_ERROR;
	else if (out.invalid && status != EXIT_ERROR)
		status = EXIT_INVALID_RULE;
	if (!quiet)
		fprintf(stderr, "cfgaudit: stored run %lld (--from) and run %lld (--to)\n",
			(long long)a->run_a, (long long)a->run_b);
	return status;
}

/* An incomplete run compares, but the reader must know. */
static void warn_incomplete(struct store *s, const struct diff_args *a)
{
	for (int k = 0; k < 2; k++) {
		int64_t run = k ? a->run_b : a->run_a;
		struct run_errors e;
		struct diag d;

		if (run_errors_load(s, run, &e, &d) == 0 && e.n)
			warning_msg("run %lld is incomplete (%zu error%s): it could not evaluate"
				    " everything it was asked; see 'cfgaudit report --run %lld'",
				    (long long)run, e.n, e.n == 1 ? "" : "s", (long long)run);
		run_errors_release(&e);
	}
}

/* Compare the runs (evaluating them first with --from/--to) and print
 * the drift. Returns the exit status. */
static int diff(struct store *s, struct diff_args *a, int quiet)
{
	int eval_status = EXIT_OK, status;
	long became_nc = 0;
	json_t *doc;
	struct diag d;

	diag_clear(&d);
	if (a->have_from) {
		eval_status = eval_from_to(s, a, quiet, &d);
		if (eval_status == -2) /* a bad pack, parameter or waivers file: 3 */
			return a->o.prepare_status;
		if (eval_status < 0)
			goto fail;
	}
	if (!quiet)
		warn_incomplete(s, a);
	doc = drift_compare(s, a->run_a, a->run_b, &became_nc, &d);
	if (!doc)
		goto fail;
	if (!strcmp(a->format, "json")) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_text(doc);
	}
	json_decref(doc);
	status = eval_status != EXIT_OK ? eval_status : (became_nc ? EXIT_NONCOMPLIANT : EXIT_OK);
	return cli_finish_stdout(status);
fail:
	diag_print(&d, "error");
	return EXIT_ERROR;
}

int cmd_diff(int argc, char **argv, struct cli_ctx *ctx)
{
	struct diff_args a;
	struct store *s;
	int status;

	memset(&a, 0, sizeof(a));
	a.format = "text";
	cli_eval_opts_init(&a.o);
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status < 0)
		status = check_arguments(argc, argv, &a);
	if (status < 0) {
		s = cli_open_store(ctx, a.have_from ? STORE_READ_WRITE : STORE_READ_ONLY);
		status = s ? diff(s, &a, ctx->quiet) : EXIT_ERROR;
		store_close(s);
	}
	cli_eval_opts_release(&a.o);
	return status;
}
