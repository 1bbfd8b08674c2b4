/*
 * cli: helpers shared by the commands (see cli.h).
 */
#include "config.h"

#include "cli/cli.h"
#include "util/diag.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void strlist_push(struct strlist *l, const char *s)
{
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = s;
}

void strlist_release(struct strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

struct store *cli_open_store(const struct cli_ctx *ctx, enum store_mode mode)
{
	struct diag d;
	struct store *s;

	diag_clear(&d);
	s = store_open(ctx->db_path, mode, &d);
	if (!s)
		diag_print(&d, "error");
	return s;
}

int cli_parse_time(const char *option, const char *value, int64_t *ms)
{
	if (time_parse_iso(value, ms) == 0)
		return 0;
	error_msg("%s: '%s' is not an ISO 8601 time (2026-11-01 or 2026-11-01T00:00:00Z)",
		  option, value);
	return -1;
}

int cli_parse_int(const char *option, const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max) {
		error_msg("%s: '%s' is not a whole number from %ld to %ld", option, value, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_check_account(const char *option, const char *value)
{
	size_t n = strlen(value);

	for (size_t i = 0; i < n; i++)
		if (value[i] < '0' || value[i] > '9')
			n = 0;
	if (n == 12)
		return 0;
	error_msg("%s: '%s' is not a 12-digit account id", option, value);
	return -1;
}

int cli_check_choice(const char *option, const char *value, const char *const *choices)
{
	char list[256] = "";

	for (size_t i = 0; choices[i]; i++) {
		if (!strcmp(value, choices[i]))
			return 0;
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
	}
	error_msg("%s: '%s' is not one of: %s", option, value, list);
	return -1;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		char buf[512];

		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		error_msg("%s", buf);
	}
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_ERROR;
}

/* The option getopt_long stopped at, as typed: argv[optind - 1] for a
 * long option or the last of a group of short ones, else "-c". */
static const char *option_name(char **argv, char *buf)
{
	const char *a = argv[optind - 1];

	if (optopt && optopt < 256 && strncmp(a, "--", 2) &&
	    (a[0] != '-' || a[strlen(a) - 1] != optopt)) {
		buf[0] = '-';
		buf[1] = (char)optopt;
		buf[2] = '\0';
		return buf;
	}
	return a;
}

int cli_option_error(const char *usage, char **argv, int c)
{
	char buf[3];
	const char *name = option_name(argv, buf);

	if (c == ':')
		return cli_usage_error(usage, "option '%s' needs a value", name);
	return cli_usage_error(usage, "unknown option '%s'", name);
}

int cli_parse_options(const struct cli_command *cmd, int argc, char **argv,
		      struct cli_ctx *ctx, cli_option_fn *fn, void *arg)
{
	char shortopts[64];
	int c;

	/* ':' first: getopt_long reports a missing value as ':' and prints
	 * nothing itself (opterr 0); cli_option_error says what went wrong. */
	snprintf(shortopts, sizeof(shortopts), ":%sqh", cmd->shortopts);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, cmd->longopts, NULL)) != -1) {
		int status;

		switch (c) {
		case 'q':
			ctx->quiet = 1;
			break;
		case 'h':
			cmd->help();
			return cli_finish_stdout(EXIT_OK);
		case ':':
		case '?':
			return cli_option_error(cmd->usage, argv, c);
		default:
			status = fn(arg, c, optarg);
			if (status)
				return status;
		}
	}
	if (cmd->no_arguments && optind < argc)
		return cli_usage_error(cmd->usage, "unexpected argument '%s'", argv[optind]);
	return -1;
}

int cli_finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* The reader went away (cfgaudit report | head): what it read
		 * is what it asked for; say nothing and keep the status. */
		if (errno == EPIPE)
			return status;
		error_msg("cannot write to standard output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return status;
}

long cli_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *cli_data_dir(void)
{
	static char exe_dir[PATH_MAX];
	const char *env = getenv("CFGAUDIT_DATADIR");
	ssize_t n;

	if (env && *env)
		return env;
	/* Running uninstalled from the build tree: use the source tree's data. */
	n = readlink("/proc/self/exe", exe_dir, sizeof(exe_dir) - 1);
	if (n > 0) {
		char *slash;

		exe_dir[n] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash)
			*slash = '\0';
		if (!strcmp(exe_dir, CFGAUDIT_BUILDDIR) && is_dir(CFGAUDIT_SRCDIR "/rules"))
			return CFGAUDIT_SRCDIR;
	}
	return CFGAUDIT_PKGDATADIR;
}
