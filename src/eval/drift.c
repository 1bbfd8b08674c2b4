/*
 * drift: what changed between two stored runs (see drift.h). Verdicts are
 * compared per (pack, rule, account, region, resource); the inventories
 * are compared from the point-in-time state at each run's as-of time, with
 * the selection of the later run.
 */
#include "eval/drift.h"
#include "store/pit.h"
#include "store/run.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct run_info {
	char as_of[TIME_ISO_LEN];
	json_t *filters; /* {accounts: [...], regions: [...]} */
};

static int load_run(struct store *s, int64_t id, struct run_info *ri, struct diag *d)
{
	struct run_record r;
	int rc = run_find(s, id, &r, d);

	if (rc < 0)
		return -1;
	if (rc > 0 || !r.status || strcmp(r.status, "complete")) {
		run_record_release(&r);
		return diag_set(d, s->path, 0, "no complete run %lld", (long long)id);
	}
	snprintf(ri->as_of, sizeof(ri->as_of), "%s", r.as_of ? r.as_of : "");
	ri->filters = r.filters ? json_loads(r.filters, 0, NULL) : NULL;
	if (!ri->filters)
		ri->filters = json_object();
	run_record_release(&r);
	return 0;
}

/* The account object for id in accounts (created on first use). */
static json_t *account_obj(json_t *accounts, const char *id)
{
	json_t *a = json_object_get(accounts, id);

	if (!a) {
		a = json_object();
		json_object_set_new(a, "AccountId", json_string(id));
		json_object_set_new(a, "BecameNonCompliant", json_array());
		json_object_set_new(a, "BecameCompliant", json_array());
		json_object_set_new(a, "ResolvedByRemoval", json_array());
		json_object_set_new(a, "ResourcesAppeared", json_array());
		json_object_set_new(a, "ResourcesDisappeared", json_array());
		json_object_set_new(a, "PackScores", json_array());
		json_object_set_new(accounts, id, a);
	}
	return a;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static json_t *text_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

struct drift_ctx {
	json_t *accounts;
	long nc; /* BecameNonCompliant entries */
};

/* Verdict changes go to the account's list of their kind. */
static void add_change(const struct run_change *c, void *ctx)
{
	struct drift_ctx *dc = ctx;
	json_t *a = account_obj(dc->accounts, c->r.account_id);
	json_t *e = json_object();

	json_object_set_new(e, "ConformancePackName", text_or_null(c->r.pack_name));
	json_object_set_new(e, "ConfigRuleName", text_or_null(c->r.config_rule_name));
	json_object_set_new(e, "AwsRegion", text_or_null(c->r.aws_region));
	json_object_set_new(e, "ResourceType", text_or_null(c->r.resource_type));
	json_object_set_new(e, "ResourceId", text_or_null(c->r.resource_id));
	json_object_set_new(e, "Before", text_or_null(c->before));
	json_object_set_new(e, "After", text_or_null(c->after));
	json_object_set_new(e, "Annotation", text_or_null(c->r.annotation));
	json_array_append_new(json_object_get(a, c->kind), e);
	if (!strcmp(c->kind, "BecameNonCompliant"))
		dc->nc++;
}

static json_t *score_json(int has, double score)
{
	char buf[32];

	if (!has)
		return json_string("INSUFFICIENT_DATA");
	snprintf(buf, sizeof(buf), "%.1f", score);
	return json_string(buf);
}

static void add_score(const struct run_pack_score *p, void *ctx)
{
	struct drift_ctx *dc = ctx;
	json_t *a = account_obj(dc->accounts, p->account_id);
	json_t *e = json_object();

	json_object_set_new(e, "ConformancePackName", text_or_null(p->pack_name));
	json_object_set_new(e, "From", score_json(p->has_a, p->score_a));
	json_object_set_new(e, "To", score_json(p->has_b, p->score_b));
	json_array_append_new(json_object_get(a, "PackScores"), e);
}

static const char **string_array(json_t *arr, size_t *n)
{
	const char **out = xcalloc(json_array_size(arr) + 1, sizeof(char *));
	size_t i;
	json_t *v;

	*n = 0;
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			out[(*n)++] = json_string_value(v);
	return out;
}

/* Snapshot the inventory at as_of into temp table name. */
static int snapshot_inventory(struct store *s, const char *as_of, json_t *filters,
			      const char *name, struct diag *d)
{
	struct pit_filter f;
	struct strbuf sql = STRBUF_INIT;
	int64_t ms;
	int ret;

	memset(&f, 0, sizeof(f));
	if (time_parse_iso(as_of, &ms))
		return diag_set(d, s->path, 0, "bad as-of time '%s' in a run", as_of);
	f.as_of_ms = ms;
	f.accounts = string_array(json_object_get(filters, "accounts"), &f.n_accounts);
	f.regions = string_array(json_object_get(filters, "regions"), &f.n_regions);
	ret = pit_build(s, &f, d);
	free(f.accounts);
	free(f.regions);
	if (ret)
		return -1;
	strbuf_addf(&sql,
		    "DROP TABLE IF EXISTS temp.%s;"
		    " CREATE TEMP TABLE %s AS SELECT account_id, region, resource_type, resource_id"
		    " FROM current_items",
		    name, name);
	ret = store_exec(s, sql.buf, d);
	strbuf_release(&sql);
	return ret;
}

static const char inventory_sql[] =
	"SELECT account_id, 'ResourcesAppeared', region, resource_type, resource_id"
	" FROM (SELECT * FROM temp.drift_inv_b EXCEPT SELECT * FROM temp.drift_inv_a)"
	" UNION ALL"
	" SELECT account_id, 'ResourcesDisappeared', region, resource_type, resource_id"
	" FROM (SELECT * FROM temp.drift_inv_a EXCEPT SELECT * FROM temp.drift_inv_b)"
	" ORDER BY 1, 2, 3, 4, 5";

static int add_inventory(struct store *s, struct run_info *a, struct run_info *b,
			 json_t *accounts, struct diag *d)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (store_exec(s, "BEGIN", d))
		return -1;
	if (snapshot_inventory(s, a->as_of, b->filters, "drift_inv_a", d) ||
	    snapshot_inventory(s, b->as_of, b->filters, "drift_inv_b", d))
		goto out;
	st = store_prepare(s, inventory_sql, d);
	if (!st)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *acct = account_obj(accounts, (const char *)sqlite3_column_text(st, 0));
		json_t *e = json_object();

		json_object_set_new(e, "AwsRegion", text_or_null(col(st, 2)));
		json_object_set_new(e, "ResourceType", text_or_null(col(st, 3)));
		json_object_set_new(e, "ResourceId", text_or_null(col(st, 4)));
		json_array_append_new(json_object_get(acct, (const char *)sqlite3_column_text(st, 1)),
				      e);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_error(s, d, "cannot compare inventories");
		goto out;
	}
	ret = 0;
out:
	store_exec(s, "COMMIT", NULL);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.drift_inv_a;"
			    " DROP TABLE IF EXISTS temp.drift_inv_b", NULL, NULL, NULL);
	return ret;
}

json_t *drift_compare(struct store *s, int64_t from, int64_t to, long *became_noncompliant,
		      struct diag *d)
{
	struct run_info a = { "", NULL }, b = { "", NULL };
	json_t *accounts = json_object(), *doc = NULL, *list;
	struct drift_ctx dc = { accounts, 0 };
	const char *key;
	json_t *val;

	*became_noncompliant = 0;
	if (load_run(s, from, &a, d) || load_run(s, to, &b, d))
		goto out;
	if (run_changes_each(s, from, to, add_change, &dc, d) ||
	    run_pack_scores_each(s, from, to, add_score, &dc, d) ||
	    add_inventory(s, &a, &b, accounts, d))
		goto out;
	*became_noncompliant = dc.nc;
	doc = json_object();
	{
		json_t *f = json_object(), *t = json_object();

		json_object_set_new(f, "RunId", json_integer(from));
		json_object_set_new(f, "AsOf", json_string(a.as_of));
		json_object_set_new(t, "RunId", json_integer(to));
		json_object_set_new(t, "AsOf", json_string(b.as_of));
		json_object_set_new(doc, "From", f);
		json_object_set_new(doc, "To", t);
	}
	/* Accounts in id order (json objects iterate in insertion order). */
	list = json_array();
	{
		size_t n = json_object_size(accounts), i = 0;
		const char **keys = xcalloc(n + 1, sizeof(char *));

		json_object_foreach(accounts, key, val)
			keys[i++] = key;
		for (size_t x = 1; x < n; x++)
			for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
				const char *tmp = keys[y];

				keys[y] = keys[y - 1];
				keys[y - 1] = tmp;
			}
		for (i = 0; i < n; i++)
			json_array_append(list, json_object_get(accounts, keys[i]));
		free(keys);
	}
	json_object_set_new(doc, "Accounts", list);
	json_object_set_new(doc, "BecameNonCompliantCount", json_integer(*became_noncompliant));
out:
	json_decref(accounts);
	json_decref(a.filters);
	json_decref(b.filters);
	return doc;
}
