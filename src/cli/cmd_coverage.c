/*
 * cmd_coverage: 'cfgaudit coverage' -- per account and region, the data
 * the store holds at a point in time: the deciding snapshot, the latest
 * delivery, and whether that is complete and fresh (cfgaudit-coverage(1)).
 * The work is in store/coverage.c; this file parses and prints.
 */
#include "cli/cli.h"
#include "cli/cli_eval.h"
#include "store/coverage.h"
#include "store/evidence.h"
#include "util/diag.h"
#include "util/term.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"cfgaudit coverage [--as-of T] [--account A]... [--region R]... [--max-age D]\n"
	"                         [--format text|json]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "List, per account and region the database knows, the latest configuration\n"
	       "snapshot and the latest delivery at or before --as-of, and whether the\n"
	       "inventory there is complete (a snapshot) and fresh.\n\n"
	       "  --as-of T          the time (ISO 8601 UTC or a date; default: latest data)\n"
	       "  --account A        only this account (repeatable)\n"
	       "  --region R         only this region (repeatable; 'global' is kept)\n"
	       "  --max-age D        data older than D before the as-of time is stale:\n"
	       "                     whole hours or days, like 26h or 2d (default: 26h)\n"
	       "  --format F         text (default) or json\n"
	       "  --help             this text\n\n"
	       "Exit status: 0 every account-region complete and fresh, 1 some stale,\n"
	       "missing or without a snapshot, 2 error. See cfgaudit-coverage(1).\n",
	       usage);
}

/* A stored time in report form, or "none". */
static void show_time(const char *t, char *out)
{
	int64_t ms;

	if (!t || time_parse_iso(t, &ms))
		snprintf(out, TIME_ISO_LEN, "%s", t ? t : "none");
	else
		time_format_iso_seconds(ms, out);
}

static void print_text(const struct coverage *c, const char *as_of)
{
	char age[32], t[TIME_ISO_LEN];

	coverage_format_max_age(c->max_age_ms, age);
	show_time(as_of, t);
	printf("as of %s; stale when the latest delivery is more than %s older\n", t, age);
	printf("%-12s  %-14s  %-20s  %-20s  %s\n", "ACCOUNT", "REGION", "SNAPSHOT",
	       "LATEST DELIVERY", "STATUS");
	for (size_t i = 0; i < c->n; i++) {
		const struct coverage_entry *e = &c->v[i];
		char *acc = term_safe_dup(e->account_id), *reg = term_safe_dup(e->region);
		char snap[TIME_ISO_LEN], latest[TIME_ISO_LEN];

		show_time(e->snapshot_time, snap);
		show_time(e->latest_delivery, latest);
		printf("%-12s  %-14s  %-20s  %-20s  %s\n", acc, reg, snap, latest,
		       coverage_status(e));
		free(acc);
		free(reg);
	}
}

/* Evidence calls (store/evidence.h): the newest of each at the as-of time,
 * as a line of text or a JSON object; "unused" for a call no rule reads. */
struct evidence_listing {
	int64_t as_of_ms, max_age_ms;
	int header;   /* the text heading is printed */
	json_t *list; /* JSON output, or NULL for text */
};

static int list_evidence(void *arg, const struct evidence_row *r)
{
	struct evidence_listing *L = arg;
	const char *status = "fresh";
	char t[TIME_ISO_LEN];
	int64_t ms;

	if (!r->known)
		status = "unused";
	else if (time_parse_iso(r->captured_at, &ms) || L->as_of_ms - ms > L->max_age_ms)
		status = "stale";
	show_time(r->captured_at, t);
	if (L->list) {
		json_t *o = json_object();

		json_object_set_new(o, "AccountId", json_string(r->account_id));
		json_object_set_new(o, "Region", json_string(r->region));
		json_object_set_new(o, "Call", json_sprintf("%s %s", r->service, r->operation));
		if (r->qualifier && *r->qualifier)
			json_object_set_new(o, "Argument", json_string(r->qualifier));
		json_object_set_new(o, "CapturedAt", json_string(t));
		if (r->error_code)
			json_object_set_new(o, "ErrorCode", json_string(r->error_code));
		json_object_set_new(o, "Status", json_string(status));
		json_array_append_new(L->list, o);
		return 0;
	}
	if (!L->header) {
		printf("\nevidence (the newest of each call at or before the as-of time)\n");
		printf("%-12s  %-14s  %-50s  %-20s  %s\n", "ACCOUNT", "REGION", "CALL", "CAPTURED",
		       "STATUS");
		L->header = 1;
	}
	{
		char *call = xstrfmt("%s %s%s%s", r->service, r->operation,
				     r->qualifier && *r->qualifier ? " " : "", r->qualifier);
		char *safe = term_safe_dup(call);

		printf("%-12s  %-14s  %-50s  %-20s  %s\n", r->account_id, r->region, safe, t,
		       status);
		free(safe);
		free(call);
	}
	return 0;
}

/* The as-of time to the second. */
static json_t *time_json(const char *t)
{
	char out[TIME_ISO_LEN];

	show_time(t, out);
	return json_string(out);
}

static int print_json(const struct coverage *c, const char *as_of, json_t *evidence)
{
	json_t *doc = json_object(), *list = json_array();
	char age[32];
	int rc;

	coverage_format_max_age(c->max_age_ms, age);
	json_object_set_new(doc, "AsOf", time_json(as_of));
	json_object_set_new(doc, "MaxAge", json_string(age));
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(list, coverage_entry_json(&c->v[i]));
	json_object_set_new(doc, "DataCoverage", list);
	if (json_array_size(evidence))
		json_object_set_new(doc, "Evidence", json_incref(evidence));
	json_decref(evidence);
	rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	putchar('\n');
	return rc;
}

/* Print the coverage and the evidence calls at as_of in the format. */
static int print_coverage(struct store *s, const struct coverage *cov, const char *as_of,
			  int json)
{
	struct evidence_listing L;
	struct diag d;

	memset(&L, 0, sizeof(L));
	if (time_parse_iso(as_of, &L.as_of_ms))
		L.as_of_ms = INT64_MAX;
	L.max_age_ms = cov->max_age_ms;
	diag_clear(&d);
	if (json) {
		L.list = json_array();
		if (evidence_each_latest(s, as_of, list_evidence, &L, &d)) {
			json_decref(L.list);
			diag_print(&d, "error");
			return -1;
		}
		return print_json(cov, as_of, L.list) ? -1 : 0;
	}
	print_text(cov, as_of);
	if (evidence_each_latest(s, as_of, list_evidence, &L, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	return 0;
}

/* The coverage of the selection in o at its as-of time (the latest data
 * when not given), which goes to as_of. Returns 0, or -1 after printing
 * the error. */
static int compute(struct store *s, const struct cli_eval_opts *o, struct coverage *cov,
		   char as_of[TIME_ISO_LEN])
{
	struct coverage_request req;
	struct diag d;
	int64_t as_of_ms;
	int rc;

	diag_clear(&d);
	rc = eval_resolve_as_of(s, o->as_of_ms, &as_of_ms, &d);
	if (rc < 0) {
		diag_print(&d, "error");
		return -1;
	}
	if (rc > 0) {
		error_msg("the database holds no data (run 'cfgaudit ingest' first)");
		return -1;
	}
	time_format_iso(as_of_ms, as_of);
	memset(&req, 0, sizeof(req));
	req.as_of = as_of;
	req.accounts = o->accounts.items;
	req.n_accounts = o->accounts.nr;
	req.regions = o->regions.items;
	req.n_regions = o->regions.nr;
	req.max_age_ms = o->max_age_ms;
	if (coverage_compute(s, &req, cov, &d)) {
		diag_print(&d, "error");
		return -1;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "account", required_argument, NULL, OPT_ACCOUNT },
	{ "region", required_argument, NULL, OPT_REGION },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "format", required_argument, NULL, 'f' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 1 };

struct coverage_args {
	struct cli_eval_opts o; /* --as-of, --account, --region, --max-age */
	const char *format;
};

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct coverage_args *a = arg;

	if (c == 'f') {
		if (cli_check_choice("--format", value, formats))
			return EXIT_ERROR;
		a->format = value;
		return 0;
	}
	return cli_eval_option(&a->o, c, value) < 0 ? EXIT_ERROR : 0;
}

int cmd_coverage(int argc, char **argv, struct cli_ctx *ctx)
{
	struct coverage_args a;
	struct coverage cov;
	struct store *s = NULL;
	char as_of[TIME_ISO_LEN];
	int status;

	cli_eval_opts_init(&a.o);
	a.format = "text";
	memset(&cov, 0, sizeof(cov));
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status >= 0)
		goto out;
	status = EXIT_ERROR;
	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s || compute(s, &a.o, &cov, as_of) ||
	    print_coverage(s, &cov, as_of, !strcmp(a.format, "json")))
		goto out;
	status = cli_finish_stdout(coverage_flagged(&cov) ? EXIT_NONCOMPLIANT : EXIT_OK);
out:
	coverage_release(&cov);
	store_close(s);
	cli_eval_opts_release(&a.o);
	return status;
}
