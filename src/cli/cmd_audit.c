/*
 * cmd_audit: 'cfgaudit audit' -- ingest, evaluate and report in one step,
 * the main job (cfgaudit-audit(1)). Each step is the library's; this file
 * only joins them and decides the exit status.
 */
#include "cli/cli.h"
#include "cli/cli_controls.h"
#include "cli/cli_eval.h"
#include "cli/cli_progress.h"
#include "cli/cli_report.h"
#include "ingest/ingest.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"cfgaudit audit [--jobs N] [--pack FILE]... [--rule ID]... [--param [RULE.]KEY=VALUE]...\n"
	"                      [--as-of T] [--account A]... [--region R]... [--rules-dir DIR]...\n"
	"                      [--max-age D] [--format text|json|csv|html|junit] [--by GROUP]\n"
	"                      [--controls FILE] [--compliance TYPE]... [-o FILE] PATH...";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Ingest PATH... (files and directory trees), evaluate (default: the %s\n"
	       "pack at the latest time in the data) and print the report of the new run.\n\n"
	       "  --jobs N           threads for the ingest and database connections for the\n"
	       "                     evaluation (default: the number of processors)\n"
	       "  --pack, --rule, --param, --as-of, --account, --region, --rules-dir, --timings\n"
	       "                     as for 'cfgaudit eval'\n"
	       "  --max-age D        data older than D (26h, 2d) before the as-of time is\n"
	       "                     stale; the report names it (default: 26h)\n"
	       "  --format, --by, --compliance, -o FILE\n"
	       "                     as for 'cfgaudit report'\n"
	       "  --controls FILE    report by the controls of this mapping, as for\n"
	       "                     'cfgaudit report' (cfgaudit-controls(5)); checked\n"
	       "                     before any work: a bad one exits 3\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 nothing non-compliant, 1 NON_COMPLIANT results, 2 error or a\n"
	       "file that failed to load (the rest is still audited), 3 invalid rule, pack,\n"
	       "waivers file or control mapping.\n",
	       usage, CLI_DEFAULT_PACK);
}

static void on_progress(void *arg, const struct ingest_stats *st)
{
	struct cli_progress *p = arg;

	if (cli_progress_due(p))
		cli_progress_show(p, "audit: ingest %lld/%lld files, %lld items, %lld new",
				  st->files_done, st->files_total, st->items_read,
				  st->items_new);
}

/* eval's problems, after clearing the progress line (cb_ctx is ours:
 * the eval options' callbacks ignore it). */
static void audit_diag(const struct diag *d, const char *level, void *arg)
{
	cli_progress_clear(arg);
	diag_print(d, level);
}

static void print_failure(void *arg, const struct diag *d)
{
	cli_progress_clear(arg);
	diag_print(d, "error");
}

/* A file that changed while it was read failed too, told as a warning as
 * ingest tells it. */
static void print_changed(void *arg, const struct diag *d)
{
	cli_progress_clear(arg);
	diag_print(d, "warning");
}

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		CLI_EVAL_LONG_OPTIONS,
		CLI_REPORT_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_eval_opts eo;
	struct cli_report_opts ro;
	struct ingest_options io;
	struct ingest_stats st;
	struct eval_request req;
	struct eval_outcome out;
	struct store *s = NULL;
	struct cli_progress prog;
	struct diag d;
	int c, r, status = EXIT_ERROR, ingest_failed, noncompliant = 0;

	cli_eval_opts_init(&eo);
	cli_report_opts_init(&ro);
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if ((r = cli_eval_option(&eo, c, optarg)) != 0 ||
		    (r = cli_report_option(&ro, c, optarg)) != 0) {
			if (r < 0)
				goto out;
			continue;
		}
		if (c == 'h') {
			help();
			status = cli_finish_stdout(EXIT_OK);
			goto out;
		} else {
			status = cli_usage_error(usage, NULL);
			goto out;
		}
	}
	if (optind >= argc) {
		status = cli_usage_error(usage, "no PATH to audit");
		goto out;
	}
	if (cli_eval_prepare(&eo)) {
		status = eo.prepare_status;
		goto out;
	}
	if (cli_controls_prepare(&ro, &eo.ruleset, eo.pack_paths, eo.n_pack_paths, &status))
		goto out;
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s)
		goto out;

	memset(&io, 0, sizeof(io));
	io.jobs = (int)eo.jobs;
	cli_progress_init(&prog, ctx->quiet);
	cli_progress_show(&prog, "audit: ingest %zu path%s", (size_t)(argc - optind),
		      argc - optind == 1 ? "" : "s");
	io.on_failure = print_failure;
	io.on_changed = print_changed;
	io.on_progress = on_progress;
	io.arg = &prog;
	diag_clear(&d);
	r = ingest_run(s, (const char *const *)argv + optind, (size_t)(argc - optind), &io, &st, &d);
	if (r < 0) {
		diag_print(&d, "error");
		goto out;
	}
	cli_progress_clear(&prog);
	ingest_failed = r > 0;
	if (!ctx->quiet)
		fprintf(stderr,
			"cfgaudit: ingest: %lld files loaded, %lld already loaded, %lld ignored, "
			"%lld failed; %lld items, %lld new versions\n",
			st.files_loaded, st.files_skipped, st.ignored, st.files_failed,
			st.items_read, st.items_new);

	cli_eval_request(&eo, &req, ctx->quiet);
	req.on_diag = audit_diag;
	req.cb_ctx = &prog;
	cli_progress_show(&prog, "audit: evaluating the rules");
	r = eval_run(s, &req, &out, &d);
	cli_progress_clear(&prog);
	if (r) {
		diag_print(&d, "error");
		goto out;
	}
	if (!ctx->quiet)
		fprintf(stderr, "cfgaudit: run %lld as of %s: %ld rules evaluated, %ld not "
				"evaluated\n",
			(long long)out.run_id, out.as_of, out.rules_evaluated,
			out.rules_not_evaluated);

	ro.o.run_id = out.run_id;
	ro.o.accounts = eo.accounts.items;
	ro.o.n_accounts = eo.accounts.nr;
	ro.o.regions = eo.regions.items;
	ro.o.n_regions = eo.regions.nr;
	if (cli_report_write(s, &ro, &noncompliant))
		goto out;
	if (ingest_failed)
		status = EXIT_ERROR;
	else if (out.invalid)
		status = EXIT_INVALID_RULE;
	else
		status = noncompliant ? EXIT_NONCOMPLIANT : EXIT_OK;
out:
	store_close(s);
	cli_eval_opts_release(&eo);
	cli_report_opts_release(&ro);
	return status;
}
