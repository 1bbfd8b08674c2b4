/*
 * cmd_verify: the 'verify' command -- checks an evidence bundle written by
 * 'cfgaudit bundle' (bundle_verify in src/bundle). Needs no database.
 */
#include "config.h"

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "cfgaudit verify FILE";

static void help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Check an evidence bundle: member names are safe and inside one top\n"
	       "directory, members are regular files, SHA256SUMS, run.json and\n"
	       "manifest/source-files.json are present, and every member matches its\n"
	       "SHA-256 in SHA256SUMS with nothing added or removed.\n\n"
	       "Exit status: 0 the bundle is intact, 2 it is not (the first bad member\n"
	       "is named) or cannot be read. See cfgaudit-verify(1).\n");
}

int cmd_verify(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct diag d;
	size_t members = 0;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			ctx->quiet = 1;
			break;
		case 'h':
			help();
			return cli_finish_stdout(EXIT_OK);
		default:
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "expected exactly one bundle file");
	diag_clear(&d);
	if (bundle_verify(argv[optind], &members, &d)) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	if (!ctx->quiet)
		printf("%s: ok (%zu members verified)\n", argv[optind], members);
	return cli_finish_stdout(EXIT_OK);
}
