/*
 * cmd_history: the 'history' command -- every stored version of one
 * resource, oldest first, with the files each version came from: the
 * history and export files of item_sources, and for snapshots every
 * loaded snapshot file of the series inside the version's presence runs.
 */
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "store/files.h"
#include "store/items.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/utf8.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "cfgaudit [--db FILE] history [--type TYPE] [--account A] [--format text|json] RESOURCE-ID";

static void print_help(void)
{
	printf("usage: %s\n\n", usage);
	printf("List every stored version of a resource, oldest first: capture time, status,\n"
	       "account, region, type, configuration state id, and the source files.\n\n"
	       "Options:\n"
	       "  --type TYPE      only versions of this resource type\n"
	       "  --account A      only versions of this account\n"
	       "  --format F       text (default) or json\n"
	       "  --help           this text\n\n"
	       "See cfgaudit-history(1).\n");
}

static const char other_texts[] =
    "    other texts of this version (the one evaluated was loaded first):\n";

static void put_safe(const char *s)
{
	char *c = term_safe_dup(s ? s : "-");

	fputs(c, stdout);
	free(c);
}

static void put_field(const char *sep, const char *name, const char *value)
{
	printf("%s\"%s\": ", sep, name);
	cli_put_json_string(stdout, value);
}

/* What is printed: the format, and how many versions and files so far. */
struct history {
	struct store *s;
	int json;
	int n; /* versions printed */
	int k; /* sources or conflicts of the current version printed */
};

static void print_source(const struct file_record *f, void *ctx)
{
	struct history *h = ctx;

	if (h->json) {
		printf("%s\n       {", h->k ? "," : "");
		put_field("", "path", f->path);
		put_field(", ", "kind", f->kind);
		put_field(", ", "deliveredAt", f->delivered_at);
		printf("}");
	} else {
		fputs("    ", stdout);
		put_safe(f->kind);
		fputs(": ", stdout);
		put_safe(f->path);
		fputs("\n", stdout);
	}
	h->k++;
}

static void print_conflict(const struct item_conflict *c, void *ctx)
{
	struct history *h = ctx;

	if (h->json) {
		printf("%s\n       {", h->k ? "," : ",\n     \"conflicts\": [");
		put_field("", "path", c->path);
		put_field(", ", "kind", c->kind);
		put_field(", ", "firstDifference", c->member);
		put_field(", ", "sha256", c->sha256);
		/* stored by ingest as one compact JSON object */
		printf(", \"text\": %s}", c->text ? c->text : "null");
	} else {
		if (!h->k)
			fputs(other_texts, stdout);
		fputs("    conflict: ", stdout);
		put_safe(c->kind);
		fputs(": ", stdout);
		put_safe(c->path);
		fputs(" (", stdout);
		put_safe(c->member);
		fputs(" differs first; sha256 ", stdout);
		put_safe(c->sha256);
		fputs(")\n", stdout);
	}
	h->k++;
}

static void print_version_json(const struct item_record *it, int first)
{
	printf("%s\n    {", first ? "" : ",");
	put_field("", "configurationItemCaptureTime", it->capture_time);
	put_field(", ", "configurationItemStatus", it->status);
	put_field(", ", "awsAccountId", it->account_id);
	put_field(", ", "awsRegion", it->region);
	put_field(", ", "resourceType", it->resource_type);
	put_field(", ", "resourceId", it->resource_id);
	put_field(", ", "resourceName", it->resource_name);
	if (it->has_state_id)
		printf(", \"configurationStateId\": %lld", (long long)it->state_id);
	else
		printf(", \"configurationStateId\": null");
	printf(",\n     \"sources\": [");
}

static void print_version_text(const struct item_record *it, int first)
{
	/* Pad after making the value safe, so columns stay aligned. */
	const char *cell[4] = { it->status, it->account_id, it->region, it->resource_type };
	const int w[4] = { 26, 12, 14, 30 };

	if (first)
		printf("%-24s  %-26s  %-12s  %-14s  %-30s  %s\n", "CAPTURE_TIME", "STATUS",
		       "ACCOUNT", "REGION", "TYPE", "STATE_ID");
	put_safe(it->capture_time);
	fputs("  ", stdout);
	for (int c = 0; c < 4; c++) {
		char *v = term_safe_dup(cell[c]);

		printf("%-*s  ", w[c], v);
		free(v);
	}
	if (it->has_state_id)
		printf("%lld\n", (long long)it->state_id);
	else
		printf("-\n");
}

/* One version, its source files and its other texts. */
static int print_version(const struct item_record *it, void *ctx, struct diag *d)
{
	struct history *h = ctx;
	struct store *s = h->s;

	if (h->json)
		print_version_json(it, h->n == 0);
	else
		print_version_text(it, h->n == 0);
	h->n++;
	h->k = 0;
	if (it->key && files_of_item_each(s, it->key, print_source, h, d))
		return -1;
	if (h->json)
		printf("%s]", h->k ? "\n     " : "");
	h->k = 0;
	if (it->key && item_conflicts_each(s, it->key, print_conflict, h, d))
		return -1;
	if (h->json && h->k)
		printf("\n     ]");
	if (h->json)
		printf("}");
	return 0;
}

/* Print the history of id; returns the exit status. */
static int history(struct store *s, const char *id, const char *type, const char *account,
		   int json)
{
	struct history h = { s, json, 0, 0 };
	struct diag d;

	diag_clear(&d);
	if (json) {
		printf("{\n  \"ResourceId\": ");
		cli_put_json_string(stdout, id);
		printf(",\n  \"Versions\": [");
	}
	if (item_versions_each(s, id, type, account, print_version, &h, &d)) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	if (json)
		printf("%s]\n}\n", h.n ? "\n  " : "");
	if (h.n == 0) {
		char *safe = term_safe_dup(id);

		error_msg("no stored versions of resource '%s'", safe);
		free(safe);
		cli_finish_stdout(EXIT_OK);
		return EXIT_ERROR;
	}
	return cli_finish_stdout(EXIT_OK);
}

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "account", required_argument, NULL, 'a' },
	{ "format", required_argument, NULL, 'f' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, print_help, longopts, "", 0 };

struct history_args {
	const char *type, *account, *format; /* --type, --account, --format */
};

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct history_args *a = arg;

	switch (c) {
	case 't':
		a->type = value;
		break;
	case 'a':
		if (cli_check_account("--account", value))
			return EXIT_ERROR;
		a->account = value;
		break;
	default: /* 'f' */
		if (cli_check_choice("--format", value, formats))
			return cli_usage_error(usage, NULL);
		a->format = value;
	}
	return 0;
}

int cmd_history(int argc, char **argv, struct cli_ctx *ctx)
{
	struct history_args a = { NULL, NULL, "text" };
	struct store *s;
	int rc = cli_parse_options(&command, argc, argv, ctx, on_option, &a);

	if (rc >= 0)
		return rc;
	if (optind == argc)
		return cli_usage_error(usage, "no RESOURCE-ID given");
	if (argc - optind > 1)
		return cli_usage_error(usage, "more than one RESOURCE-ID given");
	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		return EXIT_ERROR;
	rc = history(s, argv[optind], a.type, a.account, !strcmp(a.format, "json"));
	store_close(s);
	return rc;
}
