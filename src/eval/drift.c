/*
 * drift: what changed between two stored runs (see drift.h). Verdicts are
 * compared per (pack, rule, account, region, resource); the inventories
 * are compared from the point-in-time state at each run's as-of time, with
 * the selection of the later run.
 */
#include "eval/drift.h"
#include "store/pit.h"
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
	sqlite3_stmt *st = store_prepare(
		s, "SELECT as_of, filters FROM runs WHERE run_id = ?1 AND status = 'complete'", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_error(s, d, "cannot read runs");
		return diag_set(d, s->path, 0, "no complete run %lld", (long long)id);
	}
	snprintf(ri->as_of, sizeof(ri->as_of), "%s", (const char *)sqlite3_column_text(st, 0));
	ri->filters = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
	if (!ri->filters)
		ri->filters = json_object();
	sqlite3_finalize(st);
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

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	return v ? json_string(v) : json_null();
}

/* Verdict changes: columns account, list name, then the member values. */
static const char verdicts_sql[] =
	"WITH a AS (SELECT * FROM results WHERE run_id = ?1),"
	" b AS (SELECT * FROM results WHERE run_id = ?2)"
	" SELECT b.account_id, 'BecameNonCompliant', b.pack_name, b.config_rule_name,"
	"  b.aws_region, b.resource_type, b.resource_id, a.compliance_type, b.compliance_type,"
	"  b.annotation"
	" FROM b LEFT JOIN a USING (pack_name, config_rule_name, account_id, aws_region,"
	"  resource_type, resource_id)"
	" WHERE b.compliance_type = 'NON_COMPLIANT'"
	"  AND a.compliance_type IS NOT 'NON_COMPLIANT'"
	" UNION ALL"
	" SELECT b.account_id, 'BecameCompliant', b.pack_name, b.config_rule_name,"
	"  b.aws_region, b.resource_type, b.resource_id, a.compliance_type, b.compliance_type,"
	"  b.annotation"
	" FROM b JOIN a USING (pack_name, config_rule_name, account_id, aws_region,"
	"  resource_type, resource_id)"
	" WHERE a.compliance_type = 'NON_COMPLIANT' AND b.compliance_type = 'COMPLIANT'"
	" UNION ALL"
	" SELECT a.account_id, 'ResolvedByRemoval', a.pack_name, a.config_rule_name,"
	"  a.aws_region, a.resource_type, a.resource_id, a.compliance_type, NULL, a.annotation"
	" FROM a LEFT JOIN b USING (pack_name, config_rule_name, account_id, aws_region,"
	"  resource_type, resource_id)"
	" WHERE a.compliance_type = 'NON_COMPLIANT' AND b.compliance_type IS NULL"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7";

static int add_verdicts(struct store *s, int64_t from, int64_t to, json_t *accounts, long *nc,
			struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, verdicts_sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *list = (const char *)sqlite3_column_text(st, 1);
		json_t *a = account_obj(accounts, (const char *)sqlite3_column_text(st, 0));
		json_t *e = json_object();

		json_object_set_new(e, "ConformancePackName", text_or_null(st, 2));
		json_object_set_new(e, "ConfigRuleName", text_or_null(st, 3));
		json_object_set_new(e, "AwsRegion", text_or_null(st, 4));
		json_object_set_new(e, "ResourceType", text_or_null(st, 5));
		json_object_set_new(e, "ResourceId", text_or_null(st, 6));
		json_object_set_new(e, "Before", text_or_null(st, 7));
		json_object_set_new(e, "After", text_or_null(st, 8));
		json_object_set_new(e, "Annotation", text_or_null(st, 9));
		json_array_append_new(json_object_get(a, list), e);
		if (!strcmp(list, "BecameNonCompliant"))
			(*nc)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot compare results");
	return 0;
}

/* Compliance score per pack and account: compliant pairs over compliant
 * and non-compliant pairs, as AWS Config computes it. */
static const char scores_sql[] =
	"WITH s AS (SELECT run_id, pack_name, account_id,"
	"  sum(compliance_type = 'COMPLIANT') AS c,"
	"  sum(compliance_type IN ('COMPLIANT', 'NON_COMPLIANT')) AS t"
	"  FROM results WHERE run_id IN (?1, ?2) AND pack_name <> ''"
	"  GROUP BY run_id, pack_name, account_id),"
	" k AS (SELECT DISTINCT pack_name, account_id FROM s)"
	" SELECT k.account_id, k.pack_name,"
	"  (SELECT CASE WHEN t > 0 THEN 100.0 * c / t END FROM s"
	"    WHERE s.run_id = ?1 AND s.pack_name = k.pack_name AND s.account_id = k.account_id),"
	"  (SELECT CASE WHEN t > 0 THEN 100.0 * c / t END FROM s"
	"    WHERE s.run_id = ?2 AND s.pack_name = k.pack_name AND s.account_id = k.account_id)"
	" FROM k ORDER BY 1, 2";

static json_t *score_json(sqlite3_stmt *st, int col)
{
	char buf[32];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_string("INSUFFICIENT_DATA");
	snprintf(buf, sizeof(buf), "%.1f", sqlite3_column_double(st, col));
	return json_string(buf);
}

static int add_scores(struct store *s, int64_t from, int64_t to, json_t *accounts,
		      struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, scores_sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *a = account_obj(accounts, (const char *)sqlite3_column_text(st, 0));
		json_t *e = json_object();

		json_object_set_new(e, "ConformancePackName", text_or_null(st, 1));
		json_object_set_new(e, "From", score_json(st, 2));
		json_object_set_new(e, "To", score_json(st, 3));
		json_array_append_new(json_object_get(a, "PackScores"), e);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot compute pack scores");
	return 0;
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

		json_object_set_new(e, "AwsRegion", text_or_null(st, 2));
		json_object_set_new(e, "ResourceType", text_or_null(st, 3));
		json_object_set_new(e, "ResourceId", text_or_null(st, 4));
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
	const char *key;
	json_t *val;

	*became_noncompliant = 0;
	if (load_run(s, from, &a, d) || load_run(s, to, &b, d))
		goto out;
	if (add_verdicts(s, from, to, accounts, became_noncompliant, d) ||
	    add_scores(s, from, to, accounts, d) || add_inventory(s, &a, &b, accounts, d))
		goto out;
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
