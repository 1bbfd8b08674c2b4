/*
 * main: the command table and the steps every command shares -- global
 * options (--db, --quiet, --help, --version), then dispatch.
 */
#include "config.h"

#include "cli/cli.h"
#include "util/diag.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *name;                                  /* as typed */
	int (*fn)(int argc, char **argv, struct cli_ctx *); /* argv[0] is the name */
	const char *summary;                               /* one line for --help */
};

static const struct command commands[] = {
	{ "ingest", cmd_ingest, "load AWS Config snapshot, history and export files" },
	{ "resources", cmd_resources, "list the inventory at a point in time" },
	{ "coverage", cmd_coverage, "list the data held per account and region, and its age" },
	{ "history", cmd_history, "list every recorded version of one resource" },
	{ "eval", cmd_eval, "evaluate rules and packs and store a run" },
	{ "report", cmd_report, "render a stored run (text, json, csv, html, junit)" },
	{ "audit", cmd_audit, "ingest, evaluate and report in one step" },
	{ "diff", cmd_diff, "compare two runs or two dates (drift)" },
	{ "compare", cmd_compare, "set AWS Config's own verdicts beside a run's" },
	{ "merge", cmd_merge, "combine shard databases into one organization run" },
	{ "bundle", cmd_bundle, "write an evidence bundle for a run" },
	{ "verify", cmd_verify, "check the integrity of an evidence bundle" },
	{ "rules", cmd_rules, "list the known rules or show one" },
	{ "pack", cmd_pack, "validate conformance-pack templates" },
};

static const char usage[] =
	"cfgaudit [--db FILE] [--quiet] COMMAND [OPTIONS] [ARGS]\n"
	"       cfgaudit --help | --version";

static void print_help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Offline compliance auditor for AWS Config snapshot and history files.\n\n");
	printf("Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nGlobal options:\n"
	       "  --db FILE   the database (default: $CFGAUDIT_DB, else ./cfgaudit.db)\n"
	       "  --quiet     no progress line and no summary on stderr\n"
	       "  --help      this text; 'cfgaudit COMMAND --help' for a command\n"
	       "  --version   print the version\n\n"
	       "Exit status: 0 ok, 1 non-compliant results, 2 usage/input/system error,\n"
	       "3 invalid rule or pack. See cfgaudit(1).\n");
}

/* Options of any command that take the next argument as their value:
 * a "--quiet" there is a value, not the option. */
static int takes_value(const char *a)
{
	static const char *const opts[] = {
		"--pack", "--rule", "--param", "--as-of", "--account", "--region", "--rules-dir",
		"--jobs", "--max-age", "--format", "--by", "--compliance", "--output", "-o",
		"--run", "--from", "--to", "--type", "--sign", "--key", "--db",
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return 0;
}

/* --quiet (-q) is accepted after the command name by every command, as
 * before it: take it out of the command's arguments (up to "--") and set
 * ctx->quiet. Returns the new argc. */
static int take_quiet(int argc, char **argv, struct cli_ctx *ctx)
{
	int k = 1;

	for (int j = 1; j < argc; j++) {
		const char *a = argv[j];

		if (!strcmp(a, "--")) {
			while (j < argc)
				argv[k++] = argv[j++];
			break;
		}
		if ((!strcmp(a, "--quiet") || !strcmp(a, "-q")) && !takes_value(argv[j - 1])) {
			ctx->quiet = 1;
			continue;
		}
		argv[k++] = argv[j];
	}
	argv[k] = NULL;
	return k;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { NULL, 0 };
	const char *env_db = getenv("CFGAUDIT_DB");
	int i = 1;

	/* A closed pipe (cfgaudit report | head) is a write error we report,
	 * not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	ctx.db_path = env_db && *env_db ? env_db : "cfgaudit.db";

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--db")) {
			if (i + 1 >= argc)
				return cli_usage_error(usage, "--db needs a file name");
			ctx.db_path = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			ctx.db_path = a + 5;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			ctx.quiet = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help();
			return cli_finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--version")) {
			printf("cfgaudit %s\n", PACKAGE_VERSION);
			return cli_finish_stdout(EXIT_OK);
		} else {
			return cli_usage_error(usage, "unknown option '%s'", a);
		}
	}
	if (i >= argc)
		return cli_usage_error(usage, "no command given (try 'cfgaudit --help')");
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(take_quiet(argc - i, argv + i, &ctx), argv + i, &ctx);
	return cli_usage_error(usage, "unknown command '%s' (try 'cfgaudit --help')", argv[i]);
}
