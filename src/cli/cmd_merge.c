/*
 * cmd_merge: 'cfgaudit merge' -- shard stores into one organization
 * store (cfgaudit-merge(1)). The work is in store/merge.c.
 */
#include "cli/cli.h"
#include "store/merge.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "cfgaudit merge -o ORG.db SHARD.db...";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Combine shard databases (each loaded with 'ingest --shard K/N' or\n"
	       "'--accounts FILE' and evaluated with the same pack, parameters and as-of\n"
	       "time) into a new database holding one organization run, from which\n"
	       "report, bundle, verify and diff work as on an unsharded run.\n\n"
	       "  -o, --output ORG.db  the new database (must not exist)\n"
	       "  --quiet              no summary\n"
	       "  --help               this text\n\n"
	       "Shards that differ in pack, rules, parameters, as-of time, filters or tool\n"
	       "version, that overlap in accounts, or a missing K of N, are refused with the\n"
	       "reason (exit 2). See cfgaudit-merge(1).\n",
	       usage);
}

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "o:", 0 };

/* The only option of its own: -o. */
static int on_option(void *out, int c, const char *value)
{
	(void)c;
	*(const char **)out = value;
	return 0;
}

int cmd_merge(int argc, char **argv, struct cli_ctx *ctx)
{
	const char *out = NULL;
	struct merge_stats st;
	struct diag d;
	int rc = cli_parse_options(&command, argc, argv, ctx, on_option, &out);

	if (rc >= 0)
		return rc;
	if (!out)
		return cli_usage_error(usage, "-o ORG.db is required");
	if (optind >= argc)
		return cli_usage_error(usage, "no SHARD.db given");
	diag_clear(&d);
	if (store_merge(out, (const char *const *)argv + optind, (size_t)(argc - optind), &st,
			&d)) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	if (!ctx->quiet)
		fprintf(stderr,
			"cfgaudit: merge: %zu shards, %lld accounts, %lld results, %lld item "
			"versions into %s\n",
			st.shards, st.accounts, st.results, st.items, out);
	return EXIT_OK;
}
