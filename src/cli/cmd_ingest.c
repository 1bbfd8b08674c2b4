/*
 * cmd_ingest: the 'ingest' command -- options, the progress line and
 * the summary; the work is in src/ingest/ingest.c.
 */
#include "cli/cli.h"
#include "ingest/ingest.h"
#include "util/diag.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] = "cfgaudit [--db FILE] ingest [--jobs N] [--quiet] PATH...";

static void print_help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Load AWS Config snapshot, history and export files, and whole archive trees\n"
	       "(e.g. a copy of the log-archive S3 bucket), into the database.\n\n"
	       "Options:\n"
	       "  --jobs N    reading threads, N >= 1, besides the one that writes\n"
	       "              (default: the number of processors)\n"
	       "  --quiet     no progress line and no summary\n"
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

struct progress {
	int enabled; /* stderr is a terminal and not --quiet */
	int shown;   /* a progress line is on the screen */
	struct timespec start;
};

static long long elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000LL + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void on_progress(void *arg, const struct ingest_stats *st)
{
	struct progress *p = arg;

	if (!p->enabled || elapsed_ms(&p->start) < 1000)
		return;
	fprintf(stderr, "\rcfgaudit: ingest: %lld/%lld files, %lld items, %lld new", st->files_done,
		st->files_total, st->items_read, st->items_new);
	fflush(stderr);
	p->shown = 1;
}

static void clear_progress(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}

static void on_failure(void *arg, const struct diag *d)
{
	clear_progress(arg);
	diag_print(d, "error");
}

/* A changed file, or a warning about one that loaded. */
static void on_changed(void *arg, const struct diag *d)
{
	clear_progress(arg);
	diag_print(d, "warning");
}

int cmd_ingest(int argc, char **argv, struct cli_ctx *ctx)
{
	struct strlist paths = STRLIST_INIT;
	struct ingest_options opt;
	struct ingest_stats st;
	struct progress prog;
	struct store *s;
	struct diag d;
	long jobs = cli_cpu_count();
	int quiet = ctx->quiet, rc, no_more_options = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (no_more_options || a[0] != '-' || !strcmp(a, "-")) {
			strlist_push(&paths, a);
		} else if (!strcmp(a, "--")) {
			no_more_options = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			strlist_release(&paths);
			print_help();
			return cli_finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = 1;
		} else if (!strcmp(a, "--jobs") || !strcmp(a, "-j") || !strncmp(a, "--jobs=", 7)) {
			const char *v = a[2] == 'j' && a[6] == '=' ? a + 7 : NULL;

			if (!v) {
				if (i + 1 >= argc) {
					strlist_release(&paths);
					return cli_usage_error(usage, "%s needs a value", a);
				}
				v = argv[++i];
			}
			if (cli_parse_int("--jobs", v, 1, 1024, &jobs)) {
				strlist_release(&paths);
				return cli_usage_error(usage, NULL);
			}
		} else {
			strlist_release(&paths);
			return cli_usage_error(usage, "unknown option '%s'", a);
		}
	}
	if (paths.nr == 0) {
		strlist_release(&paths);
		return cli_usage_error(usage, "no PATH given");
	}
	s = cli_open_store(ctx, STORE_READ_WRITE);
	if (!s) {
		strlist_release(&paths);
		return EXIT_ERROR;
	}
	memset(&prog, 0, sizeof(prog));
	prog.enabled = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	memset(&opt, 0, sizeof(opt));
	opt.jobs = (int)jobs;
	opt.on_failure = on_failure;
	opt.on_changed = on_changed;
	opt.on_warning = on_changed;
	opt.on_progress = on_progress;
	opt.arg = &prog;
	diag_clear(&d);
	rc = ingest_run(s, paths.items, paths.nr, &opt, &st, &d);
	clear_progress(&prog);
	if (rc < 0)
		diag_print(&d, "error");
	if (!quiet) {
		fprintf(
		    stderr,
		    "cfgaudit: ingest: %lld files loaded, %lld items read, %lld new item versions,"
		    " %lld files skipped (already loaded), %lld objects ignored (not Config),"
		    " %lld files failed\n",
		    st.files_loaded, st.items_read, st.items_new, st.files_skipped, st.ignored,
		    st.files_failed);
	}
	store_close(s);
	strlist_release(&paths);
	return rc == 0 ? EXIT_OK : EXIT_ERROR;
}
