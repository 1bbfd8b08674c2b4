/*
 * verdicts: reading AWS's verdicts and a run's verdicts (see verdicts.h).
 */
#include "store/verdicts.h"
#include "store/schema.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Both item types as one list of verdicts. A ResourceCompliance version
 * holds every rule's verdict on its target resource; casing varies with
 * the shape AWS delivered it in, so both spellings are read.
 */
static const char aws_verdicts_sql[] =
	"SELECT account_id, region,"
	"  json_extract(configuration, '$.configRuleName'),"
	"  json_extract(configuration, '$.resourceType'),"
	"  json_extract(configuration, '$.resourceId'),"
	"  json_extract(configuration, '$.complianceType'),"
	"  json_extract(configuration, '$.annotation'),"
	"  capture_time,"
	"  coalesce(json_extract(configuration, '$.configRuleInvokedTime'), capture_time),"
	"  json_extract(configuration, '$.answer')"
	" FROM items"
	" WHERE resource_type = 'cfgaudit::Config::EvaluationResult'"
	"   AND configuration IS NOT NULL"
	" UNION ALL "
	"SELECT i.account_id, i.region,"
	"  coalesce(json_extract(r.value, '$.configRuleName'),"
	"           json_extract(r.value, '$.ConfigRuleName')),"
	"  coalesce(json_extract(i.configuration, '$.targetResourceType'),"
	"           json_extract(i.configuration, '$.TargetResourceType')),"
	"  coalesce(json_extract(i.configuration, '$.targetResourceId'),"
	"           json_extract(i.configuration, '$.TargetResourceId')),"
	"  coalesce(json_extract(r.value, '$.complianceType'),"
	"           json_extract(r.value, '$.ComplianceType')),"
	"  NULL, i.capture_time, i.capture_time, 'AWS::Config::ResourceCompliance'"
	" FROM items AS i, json_each(coalesce(json_extract(i.configuration, '$.configRuleList'),"
	"                                     json_extract(i.configuration, '$.ConfigRuleList'),"
	"                                     '[]')) AS r"
	" WHERE i.resource_type = 'AWS::Config::ResourceCompliance'"
	"   AND i.configuration IS NOT NULL"
	" ORDER BY 1, 2, 4, 5, 3, 8";

static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? xstrdup((const char *)t) : NULL;
}

/* A verdict without what identifies it (a ResourceCompliance version
 * with a malformed rule list) is skipped: it cannot be matched. */
static int complete_verdict(const struct aws_verdict *v)
{
	return v->rule_name && v->resource_type && v->resource_id && v->compliance_type;
}

static void verdict_free(struct aws_verdict *v)
{
	free(v->account_id);
	free(v->region);
	free(v->rule_name);
	free(v->resource_type);
	free(v->resource_id);
	free(v->compliance_type);
	free(v->annotation);
	free(v->recorded_time);
	free(v->invoked_time);
	free(v->source);
}

int aws_verdicts_load(struct store *s, struct aws_verdict_list *out, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, aws_verdicts_sql, d);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct aws_verdict v;

		v.account_id = dup_col(st, 0);
		v.region = dup_col(st, 1);
		v.rule_name = dup_col(st, 2);
		v.resource_type = dup_col(st, 3);
		v.resource_id = dup_col(st, 4);
		v.compliance_type = dup_col(st, 5);
		v.annotation = dup_col(st, 6);
		v.recorded_time = dup_col(st, 7);
		v.invoked_time = dup_col(st, 8);
		v.source = dup_col(st, 9);
		if (!complete_verdict(&v)) {
			verdict_free(&v);
			continue;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = v;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "reading AWS's verdicts");
	return 0;
}

void aws_verdicts_release(struct aws_verdict_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		verdict_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char run_verdicts_sql[] =
	"SELECT u.pack_name, u.config_rule_name, u.identifier, r.account_id, r.aws_region,"
	"  s.resource_type, s.resource_id, " STORE_VERDICT_NAME("r.verdict") ", a.annotation,"
	"  i.capture_time, r.rule_no"
	" FROM run_results_all AS r"
	" JOIN run_rules AS u ON u.run_id = r.run_id AND u.rule_no = r.rule_no"
	" JOIN run_resources AS s ON s.resource_no = r.resource_no"
	" LEFT JOIN run_annotations AS a ON a.annotation_no = r.annotation_no"
	" LEFT JOIN items AS i ON i.item_key = s.item_key"
	" WHERE r.run_id = ?1";

static int run_as_of(struct store *s, int64_t run_id, struct run_verdict_list *out,
		     struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT as_of FROM runs WHERE run_id = ?1", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		out->as_of = dup_col(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW || !out->as_of)
		return store_error(s, d, "reading the run");
	return 0;
}

int run_verdicts_load(struct store *s, int64_t run_id, struct run_verdict_list *out,
		      struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = run_as_of(s, run_id, out, d);
	if (rc)
		return rc;
	st = store_prepare(s, run_verdicts_sql, d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_verdict v;

		v.pack_name = dup_col(st, 0);
		v.config_rule_name = dup_col(st, 1);
		v.identifier = dup_col(st, 2);
		v.account_id = dup_col(st, 3);
		v.region = dup_col(st, 4);
		v.resource_type = dup_col(st, 5);
		v.resource_id = dup_col(st, 6);
		v.compliance_type = dup_col(st, 7);
		v.annotation = dup_col(st, 8);
		v.item_time = dup_col(st, 9);
		v.rule_no = sqlite3_column_int64(st, 10);
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = v;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "reading the run's results");
	return 0;
}

void run_verdicts_release(struct run_verdict_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct run_verdict *v = &l->v[i];

		free(v->pack_name);
		free(v->config_rule_name);
		free(v->identifier);
		free(v->account_id);
		free(v->region);
		free(v->resource_type);
		free(v->resource_id);
		free(v->compliance_type);
		free(v->annotation);
		free(v->item_time);
	}
	free(l->v);
	free(l->as_of);
	memset(l, 0, sizeof(*l));
}

/* The name line of a rule file's header ("-- name: s3-bucket-..."). */
static void header_name(const char *content, char *out, size_t outlen)
{
	const char *p = strstr(content, "\n-- name:");
	size_t n;

	*out = '\0';
	if (!strncmp(content, "-- name:", 8))
		p = content - 1;
	if (!p)
		return;
	p += 9;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \r\n");
	if (n >= outlen)
		return;
	memcpy(out, p, n);
	out[n] = '\0';
}

static const char run_rules_sql[] =
	"SELECT u.pack_name, u.config_rule_name, u.identifier, f.content, u.rule_no"
	" FROM run_rules AS u"
	" LEFT JOIN run_files AS f"
	"   ON f.run_id = u.run_id AND f.role = 'rule' AND f.name = u.identifier"
	" WHERE u.run_id = ?1 ORDER BY u.rule_no";

int run_rule_names_each(struct store *s, int64_t run_id,
		   void (*fn)(int64_t rule_no, const char *pack, const char *config_rule_name,
			      const char *identifier, const char *managed_name, void *arg),
		   void *arg, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, run_rules_sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *content = (const char *)sqlite3_column_text(st, 3);
		char name[256] = "";

		if (content)
			header_name(content, name, sizeof(name));
		fn(sqlite3_column_int64(st, 4), (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2), name, arg);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "reading the run's rules");
	return 0;
}

/* Global resources (IAM) are stored under region 'global' while AWS
 * evaluates them in the region the rule runs in. */
static const char item_time_sql[] =
	"SELECT capture_time FROM items"
	" WHERE resource_type = ?3 AND resource_id = ?4 AND account_id = ?1"
	"   AND region IN (?2, 'global') AND capture_time <= ?5"
	" ORDER BY capture_time DESC LIMIT 1";

int item_time_at(struct store *s, sqlite3_stmt **cache, const char *account, const char *region,
		 const char *type, const char *id, const char *t, char *out, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (!*cache && !(*cache = store_prepare(s, item_time_sql, d)))
		return -1;
	st = *cache;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, TIME_ISO_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return store_error(s, d, "reading a resource's versions");
}
