/*
 * iam_facts: iam_policy_default_documents (see iam_facts.h).
 */
#include "eval/iam_facts.h"
#include "eval/jscan.h"

#include <string.h>

/* iam_policy_default_documents: one row per current IAM managed policy,
 * with what the policy rules decide applicability from -- recorded (1
 * when the item has a configuration), aws_managed (1 for an ARN of the
 * form arn:...:iam::aws:policy/...), boundary_uses
 * (permissionsBoundaryUsageCount, 0 when absent) -- and the default
 * version's document: the entry with isDefaultVersion true, else the one
 * whose versionId is defaultVersionId, as ingest left it (an object, or
 * the URL-encoded text Config records; the policy_* helpers read both),
 * NULL when the item has none. */
#define IAM_DOCS_SELECT \
	" SELECT c.item_key, c.account_id, c.resource_id, c.resource_type, c.region, c.status," \
	"  c.configuration IS NOT NULL AS recorded," \
	"  coalesce(json_extract(c.configuration, '$.arn') LIKE 'arn:%:iam::aws:policy/%', 0)" \
	"   AS aws_managed," \
	"  coalesce(json_extract(c.configuration, '$.permissionsBoundaryUsageCount'), 0)" \
	"   AS boundary_uses," \
	"  coalesce(" \
	"   (SELECT json_extract(c.configuration, v.fullkey || '.document')" \
	"    FROM json_each(c.configuration, '$.policyVersionList') AS v" \
	"    WHERE v.type = 'object'" \
	"     AND json_extract(c.configuration, v.fullkey || '.isDefaultVersion') IN (1, 'true')" \
	"     AND json_type(c.configuration, v.fullkey || '.document') IN ('object', 'text')" \
	"    LIMIT 1)," \
	"   (SELECT json_extract(c.configuration, v.fullkey || '.document')" \
	"    FROM json_each(c.configuration, '$.policyVersionList') AS v" \
	"    WHERE v.type = 'object'" \
	"     AND json_extract(c.configuration, v.fullkey || '.versionId')" \
	"         = json_extract(c.configuration, '$.defaultVersionId')" \
	"     AND json_type(c.configuration, v.fullkey || '.document') IN ('object', 'text')" \
	"    LIMIT 1)) AS document"
#define IAM_DOCS_INDEX \
	"CREATE INDEX temp.iam_policy_default_documents_by_item" \
	" ON iam_policy_default_documents(item_key);"
const char iam_docs_sql[] =
	"CREATE TEMP TABLE iam_policy_default_documents AS" IAM_DOCS_SELECT
	" FROM current_items AS c WHERE c.resource_type = 'AWS::IAM::Policy';" IAM_DOCS_INDEX;

/*
 * That statement defines the table and makes its schema; derived_build
 * reads the rows in C (iam_build_default_documents) where a configuration is plain and
 * compact enough to read in place (jscan), and by the same expressions
 * over the item's columns otherwise: SQLite looked each member of each
 * version up again from the top of the document.
 */
static const char iam_docs_items_sql[] =
	"SELECT item_key, account_id, resource_id, resource_type, region, status, configuration"
	" FROM current_items WHERE resource_type = 'AWS::IAM::Policy'";
static const char iam_docs_insert_sql[] =
	"INSERT INTO iam_policy_default_documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char iam_docs_by_sql[] =
	"INSERT INTO iam_policy_default_documents" IAM_DOCS_SELECT
	" FROM (SELECT ?1 AS item_key, ?2 AS account_id, ?3 AS resource_id, ?4 AS resource_type,"
	" ?5 AS region, ?6 AS status, ?7 AS configuration) AS c";

/* arn LIKE 'arn:%:iam::aws:policy/%' for a plain string */
static int iam_aws_managed(const struct jscan_val *arn)
{
	static const char mid[] = ":iam::aws:policy/";
	size_t m = sizeof(mid) - 1;

	if (arn->len < 4 || !jscan_like_eq(arn->s, "arn:", 4))
		return 0;
	for (size_t i = 4; i + m <= arn->len; i++)
		if (jscan_like_eq(arn->s + i, mid, m))
			return 1;
	return 0;
}

/* x IN (1, 'true') as SQLite decides it for json_extract's value of x;
 * -1 when that is not simple */
static int iam_is_true(const struct jscan_val *x)
{
	switch (x->kind) {
	case JS_TRUE:
		return 1;
	case JS_INT:
		return x->i == 1;
	case JS_STR:
		return JSCAN_IS(x, "true");
	case JS_REAL:
	case JS_ARR:
	case JS_OBJ:
		return -1;
	default:
		return 0;
	}
}

/* The document the table gives for v: an object as its compact text,
 * a string's content; kind 0 when v has neither. 0, or 1 when not simple. */
static int iam_document(const struct jscan_val *v, struct jscan_val *doc)
{
	doc->kind = 0;
	if (v->kind == JS_OBJ && !jscan_compact(v))
		return 1;
	if (v->kind == JS_OBJ || v->kind == JS_STR)
		*doc = *v;
	return 0;
}

/* Bind ?7-?10 of iam_docs_insert_sql for a configuration: 0, or 1 when
 * it is not simple. */
static int iam_scan(sqlite3_stmt *st, const char *config, size_t len)
{
	struct jscan_val k, x, arn = { 0 }, bound = { 0 }, list = { 0 }, defid = { 0 };
	struct jscan_val by_flag = { 0 }, by_id = { 0 }, field;
	struct jscan_iter it;
	int n;

	if (jscan_object_doc(config, len, &it))
		return 1;
	while ((n = jscan_next(&it, &k, &x)) > 0) {
		if (!arn.kind && JSCAN_IS(&k, "arn"))
			arn = x;
		else if (!bound.kind && JSCAN_IS(&k, "permissionsBoundaryUsageCount"))
			bound = x;
		else if (!list.kind && JSCAN_IS(&k, "policyVersionList"))
			list = x;
		else if (!defid.kind && JSCAN_IS(&k, "defaultVersionId"))
			defid = x;
	}
	if (n || jscan_doc_end(&it) || list.kind == JS_OBJ || !jscan_extractable(&bound) ||
	    (arn.kind && arn.kind != JS_STR && arn.kind != JS_NULL) ||
	    (defid.kind && defid.kind != JS_STR && defid.kind != JS_NULL))
		return 1;
	if (list.kind == JS_ARR) {
		jscan_iter_start(&it, &list);
		while ((n = jscan_next(&it, NULL, &x)) > 0) {
			struct jscan_val doc = { 0 }, flag, id;
			int t;

			if (x.kind != JS_OBJ)
				continue;
			if (jscan_member(&x, "document", 8, 0, &field) || iam_document(&field, &doc) ||
			    jscan_member(&x, "isDefaultVersion", 16, 0, &flag) ||
			    jscan_member(&x, "versionId", 9, 0, &id))
				return 1;
			if (!doc.kind)
				continue;
			if ((t = iam_is_true(&flag)) < 0)
				return 1;
			if (t && !by_flag.kind)
				by_flag = doc;
			/* = with json_extract's values: text equals text only */
			if (!by_id.kind && defid.kind == JS_STR && id.kind == JS_STR &&
			    id.len == defid.len && !memcmp(id.s, defid.s, id.len))
				by_id = doc;
		}
		if (n)
			return 1;
	}
	sqlite3_bind_int(st, 7, 1);
	sqlite3_bind_int(st, 8, arn.kind == JS_STR && iam_aws_managed(&arn));
	if (bound.kind && bound.kind != JS_NULL)
		jscan_bind_extract(st, 9, &bound);
	else
		sqlite3_bind_int(st, 9, 0);
	x = by_flag.kind ? by_flag : by_id;
	if (x.kind == JS_STR)
		jscan_bind_extract(st, 10, &x);
	else
		jscan_bind_json(st, 10, &x);
	return 0;
}

/* The rest of iam_docs_insert_sql's row (?7-?10): 0, or 1 when the
 * configuration is not simple. */
static int iam_row(sqlite3_stmt *item, sqlite3_stmt *ins)
{
	const char *config = (const char *)sqlite3_column_text(item, 6);

	if (config)
		return iam_scan(ins, config, (size_t)sqlite3_column_bytes(item, 6));
	for (int c = 7; c <= 9; c++)
		sqlite3_bind_int(ins, c, 0);
	sqlite3_bind_null(ins, 10);
	return 0;
}

int iam_build_default_documents(struct store *s, struct diag *d)
{
	static const struct jscan_fill f = {
		"cannot build iam_policy_default_documents",
		"CREATE TEMP TABLE iam_policy_default_documents AS" IAM_DOCS_SELECT
		" FROM current_items AS c WHERE 0",
		iam_docs_items_sql, iam_docs_insert_sql, iam_docs_by_sql, IAM_DOCS_INDEX, 6, 7, iam_row
	};

	return jscan_fill(s, &f, d);
}
