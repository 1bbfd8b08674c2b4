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
 * second. The temporary tables and the sort go to temporary files, not
 * memory, and the database is read without mmap (mapped pages would count
 * as the process's memory).
 *
 * Every value came from input files: text output goes through
 * term_safe_dup, JSON and CSV output is valid UTF-8 (invalid bytes
 * become U+FFFD) with control characters escaped or quoted.
 */
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "store/pit.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/utf8.h"
#include "util/xalloc.h"

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

/* The listed columns, in F_* order. */
#define ROWS_SQL                                                                                   \
	"SELECT account_id, region, resource_type, resource_id, resource_name FROM current_items"

static const char *const head[NF] = {"ACCOUNT", "REGION", "TYPE", "ID", "NAME"};

/* Text, first pass: the width of each column (terminal-safe bytes), over
 * the rows in any order. Returns the last sqlite3_step result. */
static int text_widths(sqlite3_stmt *st, size_t width[NF])
{
	int step;

	for (int i = 0; i < NF; i++)
		width[i] = strlen(head[i]);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < NF - 1; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			char *c = term_safe_dup(v ? v : "-");
			size_t w = strlen(c);

			if (w > width[i])
				width[i] = w;
			free(c);
		}
	}
	return step;
}

/* Text, second pass: one row (cells NULL: the header). */
static void text_row(sqlite3_stmt *st, const size_t width[NF])
{
	for (int i = 0; i < NF; i++) {
		const char *v = st ? (const char *)sqlite3_column_text(st, i) : head[i];
		char *c = term_safe_dup(v ? v : "-");

		if (i == NF - 1)
			printf("%s\n", c);
		else
			printf("%-*s  ", (int)width[i], c);
		free(c);
	}
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

int cmd_resources(int argc, char **argv, struct cli_ctx *ctx)
{
	static const char *const formats[] = {"text", "json", "csv", "tsv", NULL};
	struct strlist accounts = STRLIST_INIT, regions = STRLIST_INIT;
	struct pit_filter f;
	const char *type = NULL, *format = "text";
	struct store *s = NULL;
	sqlite3_stmt *st = NULL;
	struct diag d;
	int64_t as_of = INT64_MAX;
	int rc = EXIT_ERROR, step, n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char *eq = strchr(a, '=');
		char opt[32] = "";

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help();
			rc = cli_finish_stdout(EXIT_OK);
			goto out;
		}
		if (strncmp(a, "--", 2) != 0) {
			rc = cli_usage_error(
			    usage, a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
			    a);
			goto out;
		}
		if (eq && (size_t)(eq - a) < sizeof(opt)) {
			memcpy(opt, a, (size_t)(eq - a));
			v = eq + 1;
		} else {
			snprintf(opt, sizeof(opt), "%s", a);
		}
		if (strcmp(opt, "--as-of") && strcmp(opt, "--account") && strcmp(opt, "--region") &&
		    strcmp(opt, "--type") && strcmp(opt, "--format")) {
			rc = cli_usage_error(usage, "unknown option '%s'", a);
			goto out;
		}
		if (!v) {
			if (i + 1 >= argc) {
				rc = cli_usage_error(usage, "%s needs a value", opt);
				goto out;
			}
			v = argv[++i];
		}
		if (!strcmp(opt, "--as-of")) {
			if (cli_parse_time("--as-of", v, &as_of)) {
				rc = cli_usage_error(usage, NULL);
				goto out;
			}
		} else if (!strcmp(opt, "--account")) {
			if (cli_check_account("--account", v)) {
				rc = EXIT_ERROR;
				goto out;
			}
			strlist_push(&accounts, v);
		} else if (!strcmp(opt, "--region")) {
			strlist_push(&regions, v);
		} else if (!strcmp(opt, "--type")) {
			type = v;
		} else if (cli_check_choice("--format", v, formats)) {
			rc = cli_usage_error(usage, NULL);
			goto out;
		} else {
			format = v;
		}
	}

	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		goto out;
	memset(&f, 0, sizeof(f));
	f.as_of_ms = as_of;
	f.accounts = accounts.items;
	f.n_accounts = accounts.nr;
	f.regions = regions.items;
	f.n_regions = regions.nr;
	f.resource_type = type;
	diag_clear(&d);
	if (store_exec(s, "PRAGMA temp_store=FILE; PRAGMA mmap_size=0;", &d) ||
	    pit_build(s, &f, &d)) {
		diag_print(&d, "error");
		goto out;
	}
	st = store_prepare(s, ROWS_SQL " ORDER BY account_id, region, resource_type, resource_id",
			   &d);
	if (!st) {
		diag_print(&d, "error");
		goto out;
	}
	if (!strcmp(format, "text")) {
		size_t width[NF];
		sqlite3_stmt *all = store_prepare(s, ROWS_SQL, &d); /* any order */

		if (!all) {
			diag_print(&d, "error");
			goto out;
		}
		step = text_widths(all, width);
		sqlite3_finalize(all);
		if (step == SQLITE_DONE) {
			text_row(NULL, width); /* the header alone for an empty inventory */
			while ((step = sqlite3_step(st)) == SQLITE_ROW)
				text_row(st, width);
		}
	} else if (!strcmp(format, "tsv")) {
		fputs("account_id\tregion\tresource_type\tresource_id\tresource_name\n", stdout);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < NF; i++) {
				if (i)
					putchar('\t');
				tsv_field((const char *)sqlite3_column_text(st, i));
			}
			putchar('\n');
		}
	} else if (!strcmp(format, "json")) {
		printf("{\n  \"ResourceIdentifiers\": [");
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 4);

			printf("%s\n    {\"SourceAccountId\": ", n++ ? "," : "");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(st, 0));
			printf(", \"SourceRegion\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(st, 1));
			printf(", \"ResourceId\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(st, 3));
			printf(", \"ResourceType\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(st, 2));
			if (name) {
				printf(", \"ResourceName\": ");
				cli_put_json_string(stdout, name);
			}
			printf("}");
		}
		printf("%s]\n}\n", n ? "\n  " : "");
	} else {
		fputs("account_id,region,resource_type,resource_id,resource_name\r\n", stdout);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < NF; i++)
				cli_put_csv_field(stdout, (const char *)sqlite3_column_text(st, i),
					      i == 0);
			fputs("\r\n", stdout);
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, &d, "cannot read the inventory");
		diag_print(&d, "error");
		goto out;
	}
	rc = cli_finish_stdout(EXIT_OK);
out:
	sqlite3_finalize(st);
	store_close(s);
	strlist_release(&accounts);
	strlist_release(&regions);
	return rc;
}
