/*
 * cmd_resources: the 'resources' command -- the inventory at a point in
 * time (pit_build, the one definition eval and reports share), printed
 * as aligned text, as the JSON of aws configservice
 * list-aggregate-discovered-resources, as CSV or as TSV.
 *
 * Every format streams: rows are printed as SQLite returns them and none
 * is kept, so printing takes no memory per resource (a million resources
 * is an ordinary organization; what pit_build itself holds is its own). Text measures its column
 * widths in a first, unsorted pass over the rows, then prints them in a
 * second. store/inventory.c puts the temporary tables and the sort in
 * temporary files, not memory.
 *
 * Every value came from input files: text output goes through
 * term_safe_dup, JSON and CSV output is valid UTF-8 (invalid bytes
 * become U+FFFD) with control characters escaped or quoted.
 */
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "store/inventory.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "cfgaudit [--db FILE] resources [--as-of T] [--account A]... [--region R]...\n"
    "       [--type TYPE] [--format text|json|csv|tsv]";

static void print_help(void)
{
	printf("usage: %s\n\n", usage);
	printf("List the resources that existed at a point in time, one per line, ordered\n"
	       "by account, region, type and id.\n\n"
	       "Options:\n"
	       "  --as-of T        the time (ISO 8601 UTC or a date; default: latest data)\n"
	       "  --account A      only this account (repeatable)\n"
	       "  --region R       only this region (repeatable; global resources are kept)\n"
	       "  --type TYPE      only this resource type, e.g. AWS::S3::Bucket\n"
	       "  --format F       text (default): aligned columns under a header;\n"
	       "                   json: {\"ResourceIdentifiers\": [...]} as aws configservice\n"
	       "                   list-aggregate-discovered-resources prints it;\n"
	       "                   csv: RFC 4180 with a header row;\n"
	       "                   tsv: tab-separated with a header row, no quoting\n"
	       "                   (\\t \\n \\r \\\\ and \\xNN escapes)\n"
	       "  --help           this text\n\n"
	       "Every format is written as the rows are read; no row is kept in memory.\n"
	       "See cfgaudit-resources(1).\n");
}

enum { F_ACCOUNT, F_REGION, F_TYPE, F_ID, F_NAME, NF };

static const char *const head[NF] = {"ACCOUNT", "REGION", "TYPE", "ID", "NAME"};

/* A row's cells in F_* order. */
static void cells(const struct inventory_row *r, const char *v[NF])
{
	v[F_ACCOUNT] = r->account_id;
	v[F_REGION] = r->region;
	v[F_TYPE] = r->resource_type;
	v[F_ID] = r->resource_id;
	v[F_NAME] = r->resource_name;
}

/* Text: column widths (terminal-safe bytes), rows printed so far. */
struct listing {
	size_t width[NF];
	int n;
};

/* Text, first pass: the width of each column, over the rows in any order. */
static void text_width(const struct inventory_row *r, void *ctx)
{
	struct listing *l = ctx;
	const char *v[NF];

	cells(r, v);
	for (int i = 0; i < NF - 1; i++) {
		char *c = term_safe_dup(v[i] ? v[i] : "-");
		size_t w = strlen(c);

		if (w > l->width[i])
			l->width[i] = w;
		free(c);
	}
}

static void text_cells(const char *const v[NF], const size_t width[NF])
{
	for (int i = 0; i < NF; i++) {
		char *c = term_safe_dup(v[i] ? v[i] : "-");

		if (i == NF - 1)
			printf("%s\n", c);
		else
			printf("%-*s  ", (int)width[i], c);
		free(c);
	}
}

/* Text, second pass: one row. */
static void text_row(const struct inventory_row *r, void *ctx)
{
	struct listing *l = ctx;
	const char *v[NF];

	cells(r, v);
	text_cells(v, l->width);
}

/* TSV: one field, with the characters that would break the format (and
 * other control characters) escaped; NULL is the empty field. */
static void tsv_field(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++) {
		const char *esc = *p == '\t'   ? "\\t"
				  : *p == '\n' ? "\\n"
				  : *p == '\r' ? "\\r"
				  : *p == '\\' ? "\\\\"
					       : NULL;

		if (esc)
			fputs(esc, stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

static void tsv_row(const struct inventory_row *r, void *ctx)
{
	const char *v[NF];

	(void)ctx;
	cells(r, v);
	for (int i = 0; i < NF; i++) {
		if (i)
			putchar('\t');
		tsv_field(v[i]);
	}
	putchar('\n');
}

static void csv_row(const struct inventory_row *r, void *ctx)
{
	const char *v[NF];

	(void)ctx;
	cells(r, v);
	for (int i = 0; i < NF; i++)
		cli_put_csv_field(stdout, v[i], i == 0);
	fputs("\r\n", stdout);
}

static void json_row(const struct inventory_row *r, void *ctx)
{
	struct listing *l = ctx;

	printf("%s\n    {\"SourceAccountId\": ", l->n++ ? "," : "");
	cli_put_json_string(stdout, r->account_id);
	printf(", \"SourceRegion\": ");
	cli_put_json_string(stdout, r->region);
	printf(", \"ResourceId\": ");
	cli_put_json_string(stdout, r->resource_id);
	printf(", \"ResourceType\": ");
	cli_put_json_string(stdout, r->resource_type);
	if (r->resource_name) {
		printf(", \"ResourceName\": ");
		cli_put_json_string(stdout, r->resource_name);
	}
	printf("}");
}

/* Print the built inventory in format. Returns 0 or -1 with d filled. */
static int print_inventory(struct store *s, const char *format, struct diag *d)
{
	struct listing l;
	int ret;

	memset(&l, 0, sizeof(l));
	if (!strcmp(format, "text")) {
		for (int i = 0; i < NF; i++)
			l.width[i] = strlen(head[i]);
		if (inventory_each(s, 0, text_width, &l, d))
			return -1;
		text_cells(head, l.width); /* the header alone for an empty inventory */
		return inventory_each(s, 1, text_row, &l, d);
	}
	if (!strcmp(format, "tsv")) {
		fputs("account_id\tregion\tresource_type\tresource_id\tresource_name\n", stdout);
		return inventory_each(s, 1, tsv_row, &l, d);
	}
	if (!strcmp(format, "csv")) {
		fputs("account_id,region,resource_type,resource_id,resource_name\r\n", stdout);
		return inventory_each(s, 1, csv_row, &l, d);
	}
	printf("{\n  \"ResourceIdentifiers\": [");
	ret = inventory_each(s, 1, json_row, &l, d);
	printf("%s]\n}\n", l.n ? "\n  " : "");
	return ret;
}

/* List the inventory at f; returns the exit status. */
static int resources(struct cli_ctx *ctx, const struct pit_filter *f, const char *format)
{
	struct store *s = cli_open_store(ctx, STORE_READ_ONLY);
	struct diag d;
	int rc = EXIT_ERROR;

	if (!s)
		return EXIT_ERROR;
	diag_clear(&d);
	if (inventory_build(s, f, &d) || print_inventory(s, format, &d))
		diag_print(&d, "error");
	else
		rc = cli_finish_stdout(EXIT_OK);
	store_close(s);
	return rc;
}

struct resources_args {
	struct strlist accounts, regions; /* --account, --region */
	struct pit_filter f;              /* as_of_ms and resource_type set */
	const char *format;
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, 'T' },
	{ "account", required_argument, NULL, 'a' },
	{ "region", required_argument, NULL, 'g' },
	{ "type", required_argument, NULL, 't' },
	{ "format", required_argument, NULL, 'f' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, print_help, longopts, "", 1 };

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", "csv", "tsv", NULL };
	struct resources_args *a = arg;

	switch (c) {
	case 'T':
		if (cli_parse_time("--as-of", value, &a->f.as_of_ms))
			return cli_usage_error(usage, NULL);
		break;
	case 'a':
		if (cli_check_account("--account", value))
			return EXIT_ERROR;
		strlist_push(&a->accounts, value);
		break;
	case 'g':
		strlist_push(&a->regions, value);
		break;
	case 't':
		a->f.resource_type = value;
		break;
	default: /* 'f' */
		if (cli_check_choice("--format", value, formats))
			return cli_usage_error(usage, NULL);
		a->format = value;
	}
	return 0;
}

int cmd_resources(int argc, char **argv, struct cli_ctx *ctx)
{
	struct resources_args a = { STRLIST_INIT, STRLIST_INIT,
				    { INT64_MAX, NULL, 0, NULL, 0, NULL, NULL }, "text" };
	int rc = cli_parse_options(&command, argc, argv, ctx, on_option, &a);

	if (rc < 0) {
		a.f.accounts = a.accounts.items;
		a.f.n_accounts = a.accounts.nr;
		a.f.regions = a.regions.items;
		a.f.n_regions = a.regions.nr;
		rc = resources(ctx, &a.f, a.format);
	}
	strlist_release(&a.accounts);
	strlist_release(&a.regions);
	return rc;
}
