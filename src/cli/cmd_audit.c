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
	       "Exit status: 0 nothing non-compliant, 1 NON_COMPLIANT results, 2 error, a file\n"
	       "that failed to load or a rule the data could not be evaluated for (the rest is\n"
	       "still audited), 3 invalid rule, pack,\n"
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

/* Ingest the paths. Returns 0, 1 when a file failed to load (the rest
 * loaded), or -1 after printing the error. */
static int audit_ingest(struct store *s, char **paths, size_t n, long jobs,
			struct cli_progress *prog, int quiet)
{
	struct ingest_options io;
	struct ingest_stats st;
	struct diag d;
	int r;

	memset(&io, 0, sizeof(io));
	io.jobs = (int)jobs;
	cli_progress_show(prog, "audit: ingest %zu path%s", n, n == 1 ? "" : "s");
	io.on_failure = print_failure;
	io.on_changed = print_changed;
	io.on_progress = on_progress;
	io.arg = prog;
	diag_clear(&d);
	r = ingest_run(s, (const char *const *)paths, n, &io, &st, &d);
	if (r < 0) {
		diag_print(&d, "error");
		return -1;
	}
	cli_progress_clear(prog);
	if (!quiet)
		fprintf(stderr,
			"cfgaudit: ingest: %lld files loaded, %lld already loaded, %lld ignored, "
			"%lld failed; %lld items, %lld new versions\n",
			st.files_loaded, st.files_skipped, st.ignored, st.files_failed,
			st.items_read, st.items_new);
	return r > 0;
}

/* Evaluate as eo asks. Returns 0, or -1 after printing the error. */
static int audit_eval(struct store *s, struct cli_eval_opts *eo, struct cli_progress *prog,
		      int quiet, struct eval_outcome *out)
{
	struct eval_request req;
	struct diag d;
	int r;

	cli_eval_request(eo, &req, quiet);
	req.on_diag = audit_diag;
	req.cb_ctx = prog;
	cli_progress_show(prog, "audit: evaluating the rules");
	diag_clear(&d);
	r = eval_run(s, &req, out, &d);
	cli_progress_clear(prog);
	if (r) {
		diag_print(&d, "error");
		return -1;
	}
	if (!quiet)
		fprintf(stderr, "cfgaudit: run %lld as of %s: %ld rules evaluated, %ld not "
				"evaluated\n",
			(long long)out->run_id, out->as_of, out->rules_evaluated,
			out->rules_not_evaluated);
	return 0;
}

static const struct option longopts[] = {
	CLI_EVAL_LONG_OPTIONS,
	CLI_REPORT_LONG_OPTIONS,
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "o:", 0 };

struct audit_args {
	struct cli_eval_opts eo;
	struct cli_report_opts ro;
};

/* Every option of audit is one of cli_eval's or cli_report's. */
static int on_option(void *arg, int c, const char *value)
{
	struct audit_args *a = arg;
	int r = cli_eval_option(&a->eo, c, value);

	if (r == 0)
		r = cli_report_option(&a->ro, c, value);
	return r < 0 ? EXIT_ERROR : 0;
}

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
	struct audit_args a;
	struct eval_outcome out;
	struct store *s = NULL;
	struct cli_progress prog;
	int status, ingest_failed, noncompliant = 0;

	cli_eval_opts_init(&a.eo);
	cli_report_opts_init(&a.ro);
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status >= 0)
		goto out;
	status = EXIT_ERROR;
	if (optind >= argc) {
		status = cli_usage_error(usage, "no PATH to audit");
		goto out;
	}
	if (cli_eval_prepare(&a.eo)) {
		status = a.eo.prepare_status;
		goto out;
	}
	if (cli_controls_prepare(&a.ro, &a.eo.ruleset, a.eo.pack_paths, a.eo.n_pack_paths,
				 &status))
		goto out;
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s)
		goto out;
	cli_progress_init(&prog, ctx->quiet);
	ingest_failed = audit_ingest(s, argv + optind, (size_t)(argc - optind), a.eo.jobs, &prog,
				     ctx->quiet);
	if (ingest_failed < 0 || audit_eval(s, &a.eo, &prog, ctx->quiet, &out))
		goto out;
	a.ro.o.run_id = out.run_id;
	a.ro.o.accounts = a.eo.accounts.items;
	a.ro.o.n_accounts = a.eo.accounts.nr;
	a.ro.o.regions = a.eo.regions.items;
	a.ro.o.n_regions = a.eo.regions.nr;
	if (cli_report_write(s, &a.ro, &noncompliant))
		goto out;
	/* data_failed: a rule an item's data could not be evaluated for */
	if (ingest_failed || out.data_failed)
		status = EXIT_ERROR;
	else if (out.invalid)
		status = EXIT_INVALID_RULE;
	else
		status = noncompliant ? EXIT_NONCOMPLIANT : EXIT_OK;
out:
	store_close(s);
	cli_eval_opts_release(&a.eo);
	cli_report_opts_release(&a.ro);
	return status;
}
