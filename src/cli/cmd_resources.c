/*
 * cmd_resources: the 'resources' command -- the inventory at a point in
 * time (pit_build, the one definition eval and reports share), printed
 * as aligned text, as the JSON of aws configservice
 * list-aggregate-discovered-resources, or as CSV.
 *
 * Every value came from input files: text output goes through
 * term_safe_dup, JSON and CSV output is valid UTF-8 (invalid bytes
 * become U+FFFD) with control characters escaped or quoted.
 */
#include "cli/cli.h"
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
    "       [--type TYPE] [--format text|json|csv]";

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
	       "  --format F       text (default), json (ResourceIdentifiers), or csv\n"
	       "  --help           this text\n\n"
	       "See cfgaudit-resources(1).\n");
}

/* U+FFFD for each byte that does not start valid UTF-8. */
static void utf8_clean(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = (unsigned char)s[i] < 0x80 ? 1 : utf8_valid_prefix(s + i, len - i);

		if (n == 0) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(sb, s + i, n);
			i += n;
		}
	}
}

/* Printable ASCII without the characters a format must escape: the
 * common case, written as it is. */
static int plain(const char *s, const char *special)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || strchr(special, *s))
			return 0;
	return 1;
}

static void put_json_string(FILE *out, const char *s)
{
	struct strbuf v = STRBUF_INIT;

	if (plain(s, "\"\\<")) {
		fputc('"', out);
		fputs(s, out);
		fputc('"', out);
		return;
	}

	utf8_clean(&v, s, strlen(s));
	fputc('"', out);
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.buf[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else if (c == '<')
			fputs("\\u003c", out); /* harmless if the JSON lands in HTML */
		else
			fputc(c, out);
	}
	fputc('"', out);
	strbuf_release(&v);
}

static void put_csv_field(FILE *out, const char *s, int first)
{
	struct strbuf v = STRBUF_INIT;
	int quote = 0;

	if (!first)
		fputc(',', out);
	if (s && !strchr("=+-@", s[0]) && plain(s, ",\"")) {
		fputs(s, out);
		return;
	}
	/* A leading = + - @ TAB or CR would run as a spreadsheet formula. */
	if (s && s[0] && strchr("=+-@\t\r", s[0]))
		strbuf_addch(&v, '\'');
	if (s)
		utf8_clean(&v, s, strlen(s));
	for (size_t i = 0; i < v.len; i++)
		if (v.buf[i] == ',' || v.buf[i] == '"' || v.buf[i] == '\r' || v.buf[i] == '\n')
			quote = 1;
	if (!quote) {
		fwrite(v.buf, 1, v.len, out);
	} else {
		fputc('"', out);
		for (size_t i = 0; i < v.len; i++) {
			if (v.buf[i] == '"')
				fputc('"', out);
			fputc(v.buf[i], out);
		}
		fputc('"', out);
	}
	strbuf_release(&v);
}

enum { F_ACCOUNT, F_REGION, F_TYPE, F_ID, F_NAME, NF };

/* Text: the rows are kept (made terminal-safe) to align the columns. */
struct rows {
	char **cell; /* NF per row */
	size_t n, alloc;
	size_t width[NF];
};

static void rows_add(struct rows *r, sqlite3_stmt *st)
{
	ALLOC_GROW(r->cell, (r->n + 1) * NF, r->alloc);
	for (int i = 0; i < NF; i++) {
		const char *v = (const char *)sqlite3_column_text(st, i);
		char *c = term_safe_dup(v ? v : "-");
		size_t w = strlen(c);

		r->cell[r->n * NF + i] = c;
		if (w > r->width[i])
			r->width[i] = w;
	}
	r->n++;
}

static void rows_print(struct rows *r)
{
	static const char *const head[NF] = {"ACCOUNT", "REGION", "TYPE", "ID", "NAME"};

	for (int i = 0; i < NF; i++)
		if (strlen(head[i]) > r->width[i])
			r->width[i] = strlen(head[i]);
	for (size_t row = 0; row <= r->n; row++) {
		for (int i = 0; i < NF; i++) {
			const char *c = row == 0 ? head[i] : r->cell[(row - 1) * NF + i];

			if (i == NF - 1)
				printf("%s\n", c);
			else
				printf("%-*s  ", (int)r->width[i], c);
		}
	}
	for (size_t i = 0; i < r->n * NF; i++)
		free(r->cell[i]);
	free(r->cell);
}

int cmd_resources(int argc, char **argv, struct cli_ctx *ctx)
{
	static const char *const formats[] = {"text", "json", "csv", NULL};
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
	if (pit_build(s, &f, &d)) {
		diag_print(&d, "error");
		goto out;
	}
	st = store_prepare(s,
			   "SELECT account_id, region, resource_type, resource_id, resource_name"
			   " FROM current_items ORDER BY account_id, region, resource_type,"
			   " resource_id",
			   &d);
	if (!st) {
		diag_print(&d, "error");
		goto out;
	}
	if (!strcmp(format, "text")) {
		struct rows r;

		memset(&r, 0, sizeof(r));
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			rows_add(&r, st);
		rows_print(&r); /* the header alone for an empty inventory */
	} else if (!strcmp(format, "json")) {
		printf("{\n  \"ResourceIdentifiers\": [");
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 4);

			printf("%s\n    {\"SourceAccountId\": ", n++ ? "," : "");
			put_json_string(stdout, (const char *)sqlite3_column_text(st, 0));
			printf(", \"SourceRegion\": ");
			put_json_string(stdout, (const char *)sqlite3_column_text(st, 1));
			printf(", \"ResourceId\": ");
			put_json_string(stdout, (const char *)sqlite3_column_text(st, 3));
			printf(", \"ResourceType\": ");
			put_json_string(stdout, (const char *)sqlite3_column_text(st, 2));
			if (name) {
				printf(", \"ResourceName\": ");
				put_json_string(stdout, name);
			}
			printf("}");
		}
		printf("%s]\n}\n", n ? "\n  " : "");
	} else {
		fputs("account_id,region,resource_type,resource_id,resource_name\r\n", stdout);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < NF; i++)
				put_csv_field(stdout, (const char *)sqlite3_column_text(st, i),
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
