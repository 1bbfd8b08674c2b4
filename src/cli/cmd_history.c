/*
 * cmd_history: the 'history' command -- every stored version of one
 * resource, oldest first, with the files each version came from: the
 * history and export files of item_sources, and for snapshots every
 * loaded snapshot file of the series inside the version's presence runs.
 */
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/utf8.h"

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

static const char versions_sql[] =
    "SELECT item_key, capture_time, status, account_id, region, resource_type, state_id,"
    " resource_name, resource_id FROM items"
    " WHERE resource_id = ?1 AND (?2 IS NULL OR resource_type = ?2)"
    "   AND (?3 IS NULL OR account_id = ?3)"
    " ORDER BY capture_time, state_id, account_id, region, resource_type";

/* History/export files, then snapshot files in delivery order. */
static const char sources_sql[] =
    "SELECT path, kind, delivered_at FROM ("
    " SELECT f.path, f.kind, f.delivered_at, 0 AS grp FROM item_sources s"
    "  JOIN files f ON f.file_key = s.file_key WHERE s.item_key = ?1 AND f.status = 'loaded'"
    " UNION"
    " SELECT f.path, f.kind, f.delivered_at, 1 FROM snapshot_presence p"
    "  JOIN files f ON f.kind = 'ConfigSnapshot' AND f.status = 'loaded'"
    "   AND f.account_id = p.account_id AND f.region = p.region"
    "   AND f.delivered_at BETWEEN p.first_time AND p.last_time"
    "  WHERE p.item_key = ?1)"
    " ORDER BY grp, delivered_at, path";

/* Other texts of a version (see cfgaudit-ingest(1), CONFLICTS): the
 * table exists once ingest has met one. */
static const char conflicts_sql[] =
    "SELECT f.path, f.kind, c.member, c.sha256, c.text FROM item_conflicts c"
    " JOIN files f ON f.file_key = c.file_key"
    " WHERE c.item_key = ?1 AND f.status = 'loaded' ORDER BY f.rowid, c.sha256";

static const char other_texts[] =
    "    other texts of this version (the one evaluated was loaded first):\n";

static void put_safe(const char *s)
{
	char *c = term_safe_dup(s ? s : "-");

	fputs(c, stdout);
	free(c);
}

int cmd_history(int argc, char **argv, struct cli_ctx *ctx)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *type = NULL, *account = NULL, *format = "text", *id = NULL;
	sqlite3_stmt *vs = NULL, *ss = NULL, *cs = NULL;
	struct store *s = NULL;
	struct diag d;
	int rc = EXIT_ERROR, step, n = 0, json;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char *eq = strchr(a, '=');
		char opt[32] = "";

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help();
			return cli_finish_stdout(EXIT_OK);
		}
		if (a[0] != '-' || !strcmp(a, "--")) {
			if (!strcmp(a, "--")) {
				if (++i >= argc)
					break;
				a = argv[i];
			}
			if (id)
				return cli_usage_error(usage, "more than one RESOURCE-ID given");
			id = a;
			continue;
		}
		if (eq && (size_t)(eq - a) < sizeof(opt)) {
			memcpy(opt, a, (size_t)(eq - a));
			v = eq + 1;
		} else {
			snprintf(opt, sizeof(opt), "%s", a);
		}
		if (strcmp(opt, "--type") && strcmp(opt, "--account") && strcmp(opt, "--format"))
			return cli_usage_error(usage, "unknown option '%s'", a);
		if (!v) {
			if (i + 1 >= argc)
				return cli_usage_error(usage, "%s needs a value", opt);
			v = argv[++i];
		}
		if (!strcmp(opt, "--type"))
			type = v;
		else if (!strcmp(opt, "--account")) {
			if (cli_check_account("--account", v))
				return EXIT_ERROR;
			account = v;
		}
		else if (cli_check_choice("--format", v, formats))
			return cli_usage_error(usage, NULL);
		else
			format = v;
	}
	if (!id)
		return cli_usage_error(usage, "no RESOURCE-ID given");
	json = !strcmp(format, "json");

	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s)
		return EXIT_ERROR;
	diag_clear(&d);
	vs = store_prepare(s, versions_sql, &d);
	ss = vs ? store_prepare(s, sources_sql, &d) : NULL;
	if (!ss) {
		diag_print(&d, "error");
		goto out;
	}
	/* No item_conflicts table: no conflicts were ever met. */
	if (sqlite3_prepare_v2(s->db, conflicts_sql, -1, &cs, NULL) != SQLITE_OK) {
		sqlite3_finalize(cs);
		cs = NULL;
	}
	sqlite3_bind_text(vs, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(vs, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(vs, 3, account, -1, SQLITE_STATIC);
	if (json)
		printf("{\n  \"ResourceId\": "), cli_put_json_string(stdout, id),
		    printf(",\n  \"Versions\": [");
	while ((step = sqlite3_step(vs)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(vs, 6);
		int sstep, k = 0;

		if (json) {
			printf("%s\n    {\"configurationItemCaptureTime\": ", n ? "," : "");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 1));
			printf(", \"configurationItemStatus\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 2));
			printf(", \"awsAccountId\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 3));
			printf(", \"awsRegion\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 4));
			printf(", \"resourceType\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 5));
			printf(", \"resourceId\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 8));
			printf(", \"resourceName\": ");
			cli_put_json_string(stdout, (const char *)sqlite3_column_text(vs, 7));
			if (state)
				printf(", \"configurationStateId\": %lld",
				       (long long)sqlite3_column_int64(vs, 6));
			else
				printf(", \"configurationStateId\": null");
			printf(",\n     \"sources\": [");
		} else {
			if (n == 0)
				printf("%-24s  %-26s  %-12s  %-14s  %-30s  %s\n", "CAPTURE_TIME",
				       "STATUS", "ACCOUNT", "REGION", "TYPE", "STATE_ID");
			put_safe((const char *)sqlite3_column_text(vs, 1));
			fputs("  ", stdout);
			{
				/* Pad after making the value safe, so columns stay aligned. */
				const int w[4] = {26, 12, 14, 30};

				for (int c = 0; c < 4; c++) {
					char *v = term_safe_dup(
					    (const char *)sqlite3_column_text(vs, 2 + c));

					printf("%-*s  ", w[c], v);
					free(v);
				}
			}
			printf("%s\n", state ? state : "-");
		}
		n++;
		sqlite3_bind_blob(ss, 1, sqlite3_column_blob(vs, 0), sqlite3_column_bytes(vs, 0),
				  SQLITE_TRANSIENT);
		while ((sstep = sqlite3_step(ss)) == SQLITE_ROW) {
			const char *path = (const char *)sqlite3_column_text(ss, 0);
			const char *kind = (const char *)sqlite3_column_text(ss, 1);
			const char *at = (const char *)sqlite3_column_text(ss, 2);

			if (json) {
				printf("%s\n       {\"path\": ", k ? "," : "");
				cli_put_json_string(stdout, path);
				printf(", \"kind\": ");
				cli_put_json_string(stdout, kind);
				printf(", \"deliveredAt\": ");
				cli_put_json_string(stdout, at);
				printf("}");
			} else {
				fputs("    ", stdout);
				put_safe(kind);
				fputs(": ", stdout);
				put_safe(path);
				fputs("\n", stdout);
			}
			k++;
		}
		sqlite3_reset(ss);
		if (sstep != SQLITE_DONE) {
			step = sstep;
			break;
		}
		if (json)
			printf("%s]", k ? "\n     " : "");
		k = 0;
		if (cs) {
			sqlite3_bind_blob(cs, 1, sqlite3_column_blob(vs, 0),
					  sqlite3_column_bytes(vs, 0), SQLITE_TRANSIENT);
			while ((sstep = sqlite3_step(cs)) == SQLITE_ROW) {
				const char *path = (const char *)sqlite3_column_text(cs, 0);
				const char *kind = (const char *)sqlite3_column_text(cs, 1);
				const char *member = (const char *)sqlite3_column_text(cs, 2);
				const char *sha = (const char *)sqlite3_column_text(cs, 3);
				const char *text = (const char *)sqlite3_column_text(cs, 4);

				if (json) {
					printf("%s\n       {\"path\": ",
					       k ? "," : ",\n     \"conflicts\": [");
					cli_put_json_string(stdout, path);
					printf(", \"kind\": ");
					cli_put_json_string(stdout, kind);
					printf(", \"firstDifference\": ");
					cli_put_json_string(stdout, member);
					printf(", \"sha256\": ");
					cli_put_json_string(stdout, sha);
					/* stored by ingest as one compact JSON object */
					printf(", \"text\": %s}", text ? text : "null");
				} else {
					if (!k)
						fputs(other_texts, stdout);
					fputs("    conflict: ", stdout);
					put_safe(kind);
					fputs(": ", stdout);
					put_safe(path);
					fputs(" (", stdout);
					put_safe(member);
					fputs(" differs first; sha256 ", stdout);
					put_safe(sha);
					fputs(")\n", stdout);
				}
				k++;
			}
			sqlite3_reset(cs);
			if (sstep != SQLITE_DONE) {
				step = sstep;
				break;
			}
			if (json && k)
				printf("\n     ]");
		}
		if (json)
			printf("}");
	}
	if (step != SQLITE_DONE) {
		store_error(s, &d, "cannot read the history");
		diag_print(&d, "error");
		goto out;
	}
	if (json)
		printf("%s]\n}\n", n ? "\n  " : "");
	if (n == 0) {
		char *safe = term_safe_dup(id);

		error_msg("no stored versions of resource '%s'", safe);
		free(safe);
		cli_finish_stdout(EXIT_OK);
		goto out;
	}
	rc = cli_finish_stdout(EXIT_OK);
out:
	sqlite3_finalize(vs);
	sqlite3_finalize(ss);
	sqlite3_finalize(cs);
	store_close(s);
	return rc;
}
