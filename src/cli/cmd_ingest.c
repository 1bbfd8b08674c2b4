/*
 * cmd_ingest: the 'ingest' command -- options, the progress line and
 * the summary; the work is in src/ingest/ingest.c.
 */
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "ingest/ingest.h"
#include "store/shards.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"cfgaudit [--db FILE] ingest [--jobs N] [--quiet]\n"
	"                       [--shard K/N | --accounts FILE] [--context-account A]... PATH...";

static void print_help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Load AWS Config snapshot, history and export files, and whole archive trees\n"
	       "(e.g. a copy of the log-archive S3 bucket), into the database.\n\n"
	       "Options:\n"
	       "  --jobs N    reading threads, N >= 1, besides the one that writes\n"
	       "              (default: the number of processors)\n"
	       "  --quiet     no progress line and no summary\n"
	       "  --shard K/N load only the accounts of shard K of N (0 <= K < N): those\n"
	       "              whose id's SHA-256, first 32 bits modulo N, is K; files whose\n"
	       "              path names another account are not read (cfgaudit-merge(1))\n"
	       "  --accounts FILE  load only the accounts listed in FILE (one per line)\n"
	       "  --context-account A  with --shard or --accounts: also load account A,\n"
	       "              whose items other accounts' verdicts depend on (repeatable)\n"
	       "  --help      this text\n\n"
	       "PATH is a file, a directory (walked recursively), a FIFO or a device, or '-'\n"
	       "for standard input; the last three are read once, as a stream, with the same\n"
	       "limits as a file, and stop at the first byte that is not AWS Config data.\n"
	       "Files already loaded (same path, size and SHA-256) are skipped. A file that\n"
	       "cannot be loaded, or that changed while it was read, is recorded with its\n"
	       "error and the others still load; the exit status is then 2. Warnings (an item\n"
	       "stored already with other content, times read as UTC) leave it 0. AWS Config\n"
	       "answers without items (rules, recorders, AWS's compliance verdicts) are\n"
	       "ignored in a directory and an error when named.\n"
	       "See cfgaudit-ingest(1).\n");
}

static void on_progress(void *arg, const struct ingest_stats *st)
{
	struct cli_progress *p = arg;

	if (cli_progress_due(p))
		cli_progress_show(p, "ingest: %lld/%lld files, %lld items, %lld new",
				  st->files_done, st->files_total, st->items_read, st->items_new);
}

static void on_failure(void *arg, const struct diag *d)
{
	cli_progress_clear(arg);
	diag_print(d, "error");
}

/* A changed file, or a warning about one that loaded. */
static void on_changed(void *arg, const struct diag *d)
{
	cli_progress_clear(arg);
	diag_print(d, "warning");
}

/* What the command line asks for. */
struct ingest_args {
	struct strlist paths;
	struct shard_selection select;
	long jobs;
	int quiet;
};

enum { OPT_SHARD = 256, OPT_ACCOUNTS, OPT_CONTEXT_ACCOUNT };

static const struct option longopts[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "accounts", required_argument, NULL, OPT_ACCOUNTS },
	{ "context-account", required_argument, NULL, OPT_CONTEXT_ACCOUNT },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, print_help, longopts, "j:", 0 };

static int on_option(void *arg, int c, const char *value)
{
	struct ingest_args *a = arg;
	struct diag d;
	int rc;

	if (c == 'j')
		return cli_parse_int("--jobs", value, 1, 1024, &a->jobs) ? cli_usage_error(usage, NULL)
									: 0;
	diag_clear(&d);
	if (c == OPT_SHARD)
		rc = shard_parse_spec(value, &a->select, &d);
	else if (c == OPT_ACCOUNTS)
		rc = shard_read_accounts(&a->select, value, &d);
	else /* OPT_CONTEXT_ACCOUNT */
		rc = shard_add_account(&a->select, value, 1, "--context-account", &d);
	if (rc) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	return 0;
}

/* Parse argv into a (options may follow the paths; '--' ends them).
 * Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct cli_ctx *ctx, struct ingest_args *a)
{
	int rc = cli_parse_options(&command, argc, argv, ctx, on_option, a);

	if (rc >= 0)
		return rc;
	a->quiet = ctx->quiet;
	for (int i = optind; i < argc; i++)
		strlist_push(&a->paths, argv[i]);
	if (a->paths.nr == 0)
		return cli_usage_error(usage, "no PATH given");
	if (a->select.n_context && !shard_active(&a->select))
		return cli_usage_error(usage, "--context-account needs --shard or --accounts");
	shard_finish(&a->select);
	return -1;
}

static void print_summary(const struct ingest_stats *st)
{
	fprintf(stderr,
		"cfgaudit: ingest: %lld files loaded, %lld items read, %lld new item versions,"
		" %lld files skipped (already loaded), %lld objects ignored (not Config),"
		" %lld files failed\n",
		st->files_loaded, st->items_read, st->items_new, st->files_skipped, st->ignored,
		st->files_failed);
	if (st->files_other_accounts || st->items_other_accounts)
		fprintf(stderr,
			"cfgaudit: ingest: %lld files and %lld items of accounts outside the "
			"selection not loaded\n",
			st->files_other_accounts, st->items_other_accounts);
}

int cmd_ingest(int argc, char **argv, struct cli_ctx *ctx)
{
	struct ingest_args a;
	struct ingest_options opt;
	struct ingest_stats st;
	struct cli_progress prog;
	struct store *s;
	struct diag d;
	int rc;

	memset(&a, 0, sizeof(a));
	a.jobs = cli_cpu_count();
	rc = parse_args(argc, argv, ctx, &a);
	if (rc >= 0)
		goto out;
	rc = EXIT_ERROR;
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s)
		goto out;
	diag_clear(&d);
	if (shard_record(s, &a.select, &d)) {
		diag_print(&d, "error");
		store_close(s);
		goto out;
	}
	cli_progress_init(&prog, a.quiet);
	memset(&opt, 0, sizeof(opt));
	opt.jobs = (int)a.jobs;
	opt.on_failure = on_failure;
	opt.on_changed = on_changed;
	opt.on_warning = on_changed;
	opt.on_progress = on_progress;
	opt.arg = &prog;
	opt.select = shard_active(&a.select) ? &a.select : NULL;
	rc = ingest_run(s, a.paths.items, a.paths.nr, &opt, &st, &d);
	cli_progress_clear(&prog);
	if (rc < 0)
		diag_print(&d, "error");
	if (!a.quiet)
		print_summary(&st);
	store_close(s);
	rc = rc == 0 ? EXIT_OK : EXIT_ERROR;
out:
	strlist_release(&a.paths);
	shard_release(&a.select);
	return rc;
}
