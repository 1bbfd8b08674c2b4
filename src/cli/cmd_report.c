/*
 * cmd_report: the 'report' command. Parses the options and hands them to
 * report_render (src/report); writes to stdout, or atomically to -o FILE
 * so that a reader never sees half a report.
 */
#include "config.h"

#include "cli/cli.h"
#include "report/report.h"
#include "util/diag.h"
#include "util/fsutil.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"cfgaudit report [--run ID] [--format text|json|csv|html|junit]\n"
	"                [--by account|region|rule|resource] [--account A]... [--region R]...\n"
	"                [--compliance TYPE]... [-o FILE]";

static void help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Render a stored evaluation run (default: the latest complete run).\n\n"
	       "Options:\n"
	       "  --run ID           the run to render\n"
	       "  --format FORMAT    text (default), json, csv, html or junit\n"
	       "  --by GROUP         group text and order csv by account (default),\n"
	       "                     region, rule or resource\n"
	       "  --account A        only account A (repeatable)\n"
	       "  --region R         only region R; 'global' selects IAM results (repeatable)\n"
	       "  --compliance TYPE  only results of TYPE: COMPLIANT, NON_COMPLIANT,\n"
	       "                     NOT_APPLICABLE, INSUFFICIENT_DATA (repeatable)\n"
	       "  -o, --output FILE  write to FILE (replaced atomically) instead of stdout\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 nothing non-compliant in the selection, 1 NON_COMPLIANT\n"
	       "results, 2 error. Formats: cfgaudit-report(5).\n");
}

static const char *const compliance_types[] = { "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
						"INSUFFICIENT_DATA", NULL };

/* Render into the temporary file of -o, then rename it into place. */
static int render_to_file(struct store *s, const struct report_options *o, const char *path,
			  int *noncompliant)
{
	struct atomic_file af;
	struct diag d;
	FILE *f;
	int fd;

	diag_clear(&d);
	if (atomic_open(&af, path, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	fd = dup(af.fd);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		error_msg("'%s': %s", path, strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	if (report_render(s, o, f, noncompliant, &d)) {
		fclose(f);
		atomic_abort(&af);
		diag_print(&d, "error");
		return -1;
	}
	if (fflush(f) != 0 || ferror(f)) {
		error_msg("'%s': cannot write: %s", path, strerror(errno));
		fclose(f);
		atomic_abort(&af);
		return -1;
	}
	if (fclose(f) != 0) {
		error_msg("'%s': cannot write: %s", path, strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	if (atomic_commit(&af, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	return 0;
}

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "run", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' },
		{ "account", required_argument, NULL, 'a' },
		{ "region", required_argument, NULL, 'g' },
		{ "compliance", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strlist accounts = STRLIST_INIT, regions = STRLIST_INIT, compliance = STRLIST_INIT;
	struct report_options o;
	const char *output = NULL;
	struct store *s;
	int c, status = EXIT_ERROR, noncompliant = 0;
	long run = 0;

	memset(&o, 0, sizeof(o));
	o.format = REPORT_TEXT;
	o.group_by = REPORT_BY_ACCOUNT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (cli_parse_int("--run", optarg, 1, LONG_MAX, &run))
				goto out;
			break;
		case 'f':
			if (report_parse_format(optarg, &o.format)) {
				cli_usage_error(usage,
						"--format: '%s' is not one of: text, json, csv, html, junit",
						optarg);
				goto out;
			}
			break;
		case 'b':
			if (report_parse_group(optarg, &o.group_by)) {
				cli_usage_error(usage,
						"--by: '%s' is not one of: account, region, rule, resource",
						optarg);
				goto out;
			}
			break;
		case 'a': strlist_push(&accounts, optarg); break;
		case 'g': strlist_push(&regions, optarg); break;
		case 'c':
			if (cli_check_choice("--compliance", optarg, compliance_types))
				goto out;
			strlist_push(&compliance, optarg);
			break;
		case 'o': output = optarg; break;
		case 'q': ctx->quiet = 1; break;
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
	o.run_id = run;
	o.accounts = accounts.items;
	o.n_accounts = accounts.nr;
	o.regions = regions.items;
	o.n_regions = regions.nr;
	o.compliance = compliance.items;
	o.n_compliance = compliance.nr;

	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		goto out;
	if (output) {
		if (render_to_file(s, &o, output, &noncompliant) == 0)
			status = noncompliant ? EXIT_NONCOMPLIANT : EXIT_OK;
	} else {
		struct diag d;

		diag_clear(&d);
		if (report_render(s, &o, stdout, &noncompliant, &d) == 0)
			status = cli_finish_stdout(noncompliant ? EXIT_NONCOMPLIANT : EXIT_OK);
		else
			diag_print(&d, "error");
	}
	store_close(s);
out:
	strlist_release(&accounts);
	strlist_release(&regions);
	strlist_release(&compliance);
	return status;
}
