/*
 * derived: the derived tables (see derived.h).
 *
 * security_group_sources is built in C: the SQL version parsed each
 * security group's configuration and every permission in it several
 * times over and was the most expensive step of an evaluation. The same
 * pass lists the groups themselves (security_groups).
 * iam_policy_default_documents is one SQL statement.
 */
#include "eval/derived.h"
#include "eval/backup_tables.h"
#include "eval/ec2_facts.h"
#include "eval/evidence_tables.h"
#include "eval/jscan.h"
#include "eval/landing_tables.h"
#include "eval/logs_facts.h"
#include "eval/opensearch_facts.h"
#include "eval/rds_facts.h"
#include "eval/redshift_facts.h"
#include "eval/s3_config_facts.h"
#include "eval/s3_facts.h"
#include "util/jparse.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * security_group_sources: one row per CIDR source of every ingress
 * permission of the current security groups:
 *   item_key, account_id, region, resource_id,
 *   permission   -- the permission's JSON path, '$.ipPermissions[0]'
 *   ip_protocol, from_port, to_port, cidr
 *   open         -- cidr_is_open(cidr) (1 for a source open to the world)
 * ip_protocol, from_port, to_port and cidr are the JSON values as SQLite's ->> gives them (text,
 * integer, real, 1/0 for booleans, JSON text for objects and arrays, NULL
 * for null or absent), so a malformed permission yields NULLs, never an
 * error. Sources are the objects of ipv4Ranges (cidrIp) and ipv6Ranges
 * (cidrIpv6); the legacy ipRanges (strings, or objects with cidrIp) count
 * only when the permission has no ipv4Ranges or a null one. An array is
 * read element by element, an object member by member, a scalar as one
 * element -- as json_each reads them.
 */
/* The statements of both tables, for the items of a view and the
 * tables they fill: security_group_sources and security_groups from
 * current_items, or per-item copies from fewer items
 * (derived_build_per_item). */
enum sg_stmt { SG_CREATE, SG_INDEX, SG_ITEMS, SG_INSERT, SGS_CREATE, SGS_INSERT };

static char *sg_sql(enum sg_stmt which, const char *items, const char *table)
{
	switch (which) {
	case SG_CREATE:
		return xstrfmt("CREATE TEMP TABLE %s(item_key, account_id, region, resource_id,"
			       " permission, ip_protocol, from_port, to_port, cidr, open)", table);
	/* The rules read only the sources open to the world (open = 1), a
	 * fraction of them, grouped by group and permission: the index gives
	 * those rows in that order without reading the table. (An index of
	 * every row by item_key, which no statement used, took a sixth of
	 * the table's time.) */
	case SG_INDEX:
		return xstrfmt("CREATE INDEX temp.%1$s_open ON %1$s(item_key, permission,"
			       " ip_protocol, from_port, to_port, cidr, account_id, region,"
			       " resource_id) WHERE open = 1", table);
	case SG_ITEMS:
		return xstrfmt("SELECT item_key, account_id, region, resource_id, configuration,"
			       " resource_type, status FROM %s"
			       " WHERE resource_type = 'AWS::EC2::SecurityGroup'", items);
	case SG_INSERT:
		return xstrfmt("INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			       " cidr_is_open(?9))", table);
	/*
	 * security_groups: one row per current security group, built in the
	 * same pass (so that the rules over security_group_sources need not
	 * read each group's item again only to tell whether it was recorded):
	 *   item_key, resource_type, resource_id, account_id, region, status,
	 *   recorded  -- 1 when the item has a configuration
	 */
	case SGS_CREATE:
		return xstrfmt("CREATE TEMP TABLE %s(item_key, resource_type, resource_id,"
			       " account_id, region, status, recorded)", table);
	default:
		return xstrfmt("INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", table);
	}
}

static int sg_exec(struct store *s, enum sg_stmt which, const char *items, const char *table,
		   struct diag *d)
{
	char *sql = sg_sql(which, items, table);
	int rc = store_exec(s, sql, d);

	free(sql);
	return rc;
}

static sqlite3_stmt *sg_prepare(struct store *s, enum sg_stmt which, const char *items,
				const char *table, struct diag *d)
{
	char *sql = sg_sql(which, items, table);
	sqlite3_stmt *st = store_prepare(s, sql, d);

	free(sql);
	return st;
}

/* Bind v as SQLite's ->> would return it (derived.h). */
void bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	char *text;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v),
				  SQLITE_TRANSIENT);
		break;
	case JSON_INTEGER:
		sqlite3_bind_int64(st, i, json_integer_value(v));
		break;
	case JSON_REAL:
		sqlite3_bind_double(st, i, json_real_value(v));
		break;
	case JSON_TRUE:
		sqlite3_bind_int(st, i, 1);
		break;
	case JSON_FALSE:
		sqlite3_bind_int(st, i, 0);
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (text)
			sqlite3_bind_text(st, i, text, -1, free);
		else
			sqlite3_bind_null(st, i);
		break;
	default:
		sqlite3_bind_null(st, i);
	}
}

/* The elements of v as json_each visits them: an array's elements, an
 * object's member values (with their keys), or v itself. */
struct elements {
	json_t *v;
	size_t i, n;
	void *iter;
};

static void elements_start(struct elements *e, json_t *v)
{
	e->v = v;
	e->i = 0;
	e->n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
	e->iter = json_is_object(v) ? json_object_iter(v) : NULL;
}

static json_t *elements_next(struct elements *e, const char **key)
{
	*key = NULL;
	if (json_is_object(e->v)) {
		json_t *x;

		if (!e->iter)
			return NULL;
		*key = json_object_iter_key(e->iter);
		x = json_object_iter_value(e->iter);
		e->iter = json_object_iter_next(e->v, e->iter);
		return x;
	}
	if (e->i >= e->n)
		return NULL;
	return json_is_array(e->v) ? json_array_get(e->v, e->i++) : (e->i++, e->v);
}

/* The JSON path json_each gives a member: .key, or ."key" when the key
 * is not a plain identifier. */
static void member_path(char *out, size_t size, const char *base, const char *key)
{
	int plain = key[0] != '\0';

	for (const char *p = key; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			plain = 0;
	snprintf(out, size, plain ? "%s.%s" : "%s.\"%s\"", base, key);
}

struct sg_row {
	sqlite3_stmt *item; /* the current security group (columns 0-3) */
	sqlite3_stmt *ins;
	const char *permission;
	json_t *perm;
};

static int insert_source(struct sg_row *r, json_t *cidr)
{
	for (int c = 0; c < 4; c++)
		sqlite3_bind_value(r->ins, c + 1, sqlite3_column_value(r->item, c));
	sqlite3_bind_text(r->ins, 5, r->permission, -1, SQLITE_TRANSIENT);
	bind_json(r->ins, 6, json_object_get(r->perm, "ipProtocol"));
	bind_json(r->ins, 7, json_object_get(r->perm, "fromPort"));
	bind_json(r->ins, 8, json_object_get(r->perm, "toPort"));
	bind_json(r->ins, 9, cidr);
	if (sqlite3_step(r->ins) != SQLITE_DONE)
		return -1;
	sqlite3_reset(r->ins);
	return 0;
}

/* Rows for the objects of one range list, reading field from each. */
static int insert_ranges(struct sg_row *r, json_t *ranges, const char *field)
{
	struct elements e;
	const char *key;
	json_t *x;

	elements_start(&e, ranges);
	while ((x = elements_next(&e, &key)))
		if (json_is_object(x) && insert_source(r, json_object_get(x, field)))
			return -1;
	return 0;
}

static int insert_permission(struct sg_row *r)
{
	json_t *v4 = json_object_get(r->perm, "ipv4Ranges");
	struct elements e;
	const char *key;
	json_t *x;

	if (insert_ranges(r, v4, "cidrIp") ||
	    insert_ranges(r, json_object_get(r->perm, "ipv6Ranges"), "cidrIpv6"))
		return -1;
	if (v4 && !json_is_null(v4))
		return 0;
	elements_start(&e, json_object_get(r->perm, "ipRanges"));
	while ((x = elements_next(&e, &key))) {
		json_t *cidr = json_is_object(x) ? json_object_get(x, "cidrIp")
						 : json_is_string(x) ? x : NULL;

		if (insert_source(r, cidr))
			return -1;
	}
	return 0;
}

/*
 * The same rows read in place (jscan), without building the
 * configuration: most of a group's configuration is not its ingress
 * permissions, and building it was most of this table's time. Only a
 * plain configuration (jscan.h) whose values are all of the kinds this
 * reads simply is taken this way; any other is read by the code above,
 * which remains the definition. Members are looked up as jansson does (the
 * last of duplicate keys).
 */
struct sg_perm {
	char path[48];
	struct jscan_val proto, from, to; /* kind 0: absent */
};

struct sg_src {
	size_t perm;
	struct jscan_val cidr; /* kind 0: absent */
};

struct sg_scan {
	struct sg_perm *perms;
	size_t n_perms, alloc_perms;
	struct sg_src *srcs;
	size_t n_srcs, alloc_srcs;
};

/* 1 for a value bound as is (not an object, an array or a real) */
static int sg_scalar(const struct jscan_val *v)
{
	return v->kind != JS_ARR && v->kind != JS_OBJ && v->kind != JS_REAL;
}

static void sg_add(struct sg_scan *sc, const struct jscan_val *cidr)
{
	ALLOC_GROW(sc->srcs, sc->n_srcs + 1, sc->alloc_srcs);
	sc->srcs[sc->n_srcs].perm = sc->n_perms - 1;
	if (cidr)
		sc->srcs[sc->n_srcs].cidr = *cidr;
	else
		sc->srcs[sc->n_srcs].cidr.kind = 0;
	sc->n_srcs++;
}

/* The sources of one range list (insert_ranges): 0, or 1 when not simple. */
static int sg_ranges(struct sg_scan *sc, const struct jscan_val *ranges, const char *field)
{
	struct jscan_iter it;
	struct jscan_val x, cidr;
	int n;

	if (ranges->kind == JS_OBJ)
		return 1;
	if (ranges->kind != JS_ARR)
		return 0; /* absent, or one element that is not an object */
	jscan_iter_start(&it, ranges);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind != JS_OBJ)
			continue;
		if (jscan_member(&x, field, strlen(field), 1, &cidr) || !sg_scalar(&cidr))
			return 1;
		sg_add(sc, &cidr);
	}
	return n ? 1 : 0;
}

/* The legacy ipRanges (insert_permission): 0, or 1 when not simple. */
static int sg_legacy(struct sg_scan *sc, const struct jscan_val *ranges)
{
	struct jscan_iter it;
	struct jscan_val x, cidr;
	int n;

	if (ranges->kind == 0)
		return 0;
	if (ranges->kind == JS_OBJ)
		return 1;
	if (ranges->kind != JS_ARR) {
		sg_add(sc, ranges->kind == JS_STR ? ranges : NULL);
		return 0;
	}
	jscan_iter_start(&it, ranges);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind == JS_OBJ) {
			if (jscan_member(&x, "cidrIp", 6, 1, &cidr) || !sg_scalar(&cidr))
				return 1;
			sg_add(sc, &cidr);
		} else {
			sg_add(sc, x.kind == JS_STR ? &x : NULL);
		}
	}
	return n ? 1 : 0;
}

/* One permission object, element n of ipPermissions: 0, or 1. */
static int sg_permission(struct sg_scan *sc, const struct jscan_val *perm, size_t n)
{
	struct jscan_val k, x, v4 = { 0 }, v6 = { 0 }, legacy = { 0 };
	struct jscan_iter it;
	struct sg_perm *p;
	int more;

	ALLOC_GROW(sc->perms, sc->n_perms + 1, sc->alloc_perms);
	p = &sc->perms[sc->n_perms++];
	snprintf(p->path, sizeof(p->path), "$.ipPermissions[%zu]", n);
	p->proto.kind = p->from.kind = p->to.kind = 0;
	jscan_iter_start(&it, perm);
	while ((more = jscan_next(&it, &k, &x)) > 0) {
		if (JSCAN_IS(&k, "ipProtocol"))
			p->proto = x;
		else if (JSCAN_IS(&k, "fromPort"))
			p->from = x;
		else if (JSCAN_IS(&k, "toPort"))
			p->to = x;
		else if (JSCAN_IS(&k, "ipv4Ranges"))
			v4 = x;
		else if (JSCAN_IS(&k, "ipv6Ranges"))
			v6 = x;
		else if (JSCAN_IS(&k, "ipRanges"))
			legacy = x;
	}
	if (more || !sg_scalar(&p->proto) || !sg_scalar(&p->from) || !sg_scalar(&p->to))
		return 1;
	if (sg_ranges(sc, &v4, "cidrIp") || sg_ranges(sc, &v6, "cidrIpv6"))
		return 1;
	if (v4.kind != 0 && v4.kind != JS_NULL)
		return 0;
	return sg_legacy(sc, &legacy);
}

/* The rows of one configuration into sc: 0, or 1 when it is not simple
 * (sc then holds nothing to insert). */
static int sg_scan_config(struct sg_scan *sc, const char *config, size_t len)
{
	struct jscan_iter it;
	struct jscan_val k, x, perms = { 0 };
	int more;
	size_t n = 0;

	sc->n_perms = sc->n_srcs = 0;
	if (jscan_object_doc(config, len, &it))
		return 1;
	while ((more = jscan_next(&it, &k, &x)) > 0)
		if (JSCAN_IS(&k, "ipPermissions"))
			perms = x;
	if (more || jscan_doc_end(&it) || perms.kind == JS_OBJ)
		return 1;
	if (perms.kind != JS_ARR)
		return 0; /* absent, or one element that is not an object */
	jscan_iter_start(&it, &perms);
	while ((more = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind == JS_OBJ && sg_permission(sc, &x, n)) {
			sc->n_perms = sc->n_srcs = 0;
			return 1;
		}
		n++;
	}
	if (more) {
		sc->n_perms = sc->n_srcs = 0;
		return 1;
	}
	return 0;
}

static int sg_insert_scanned(const struct sg_scan *sc, sqlite3_stmt *item, sqlite3_stmt *ins)
{
	for (int c = 0; c < 4; c++)
		sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, c));
	for (size_t i = 0; i < sc->n_srcs; i++) {
		const struct sg_perm *p = &sc->perms[sc->srcs[i].perm];

		sqlite3_bind_text(ins, 5, p->path, -1, SQLITE_STATIC);
		/* as bind_json binds the same values */
		jscan_bind_extract(ins, 6, &p->proto);
		jscan_bind_extract(ins, 7, &p->from);
		jscan_bind_extract(ins, 8, &p->to);
		jscan_bind_extract(ins, 9, &sc->srcs[i].cidr);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return -1;
		sqlite3_reset(ins);
	}
	return 0;
}

/* The security_groups row of the current group (the row of item). */
static int insert_group(sqlite3_stmt *item, sqlite3_stmt *ins)
{
	static const int cols[] = { 0, 5, 3, 1, 2, 6 };

	for (int c = 0; c < 6; c++)
		sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, cols[c]));
	sqlite3_bind_int(ins, 7, sqlite3_column_type(item, 4) != SQLITE_NULL);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ins);
	return 0;
}

/* Both tables from the security groups of view items: the sources into
 * table sources and the groups into table groups (either may be NULL:
 * not built). */
static int build_sg_from(struct store *s, const char *items, const char *sources,
			 const char *groups, struct diag *d)
{
	sqlite3_stmt *item = NULL, *ins = NULL, *gins = NULL;
	struct sg_scan sc = { NULL, 0, 0, NULL, 0, 0 };
	int rc = -1, step;

	if ((sources && sg_exec(s, SG_CREATE, items, sources, d)) ||
	    (groups && sg_exec(s, SGS_CREATE, items, groups, d)))
		return -1;
	item = sg_prepare(s, SG_ITEMS, items, NULL, d);
	ins = sources ? sg_prepare(s, SG_INSERT, items, sources, d) : NULL;
	gins = groups ? sg_prepare(s, SGS_INSERT, items, groups, d) : NULL;
	if (!item || (sources && !ins) || (groups && !gins))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		struct jparse_error je;
		struct sg_row r = { item, ins, NULL, NULL };
		struct elements e;
		const char *key;
		char path[512];
		json_t *config;
		size_t n = 0;

		if (gins && insert_group(item, gins)) {
			store_error(s, d, "cannot build security_groups");
			goto out;
		}
		if (!ins || sqlite3_column_type(item, 4) == SQLITE_NULL)
			continue;
		if (!sg_scan_config(&sc, (const char *)sqlite3_column_text(item, 4),
				    (size_t)sqlite3_column_bytes(item, 4))) {
			if (sg_insert_scanned(&sc, item, ins)) {
				store_error(s, d, "cannot build security_group_sources");
				goto out;
			}
			continue;
		}
		config = jparse((const char *)sqlite3_column_text(item, 4),
				(size_t)sqlite3_column_bytes(item, 4), 0, 0, &je);
		if (!config) {
			diag_set(d, NULL, 0, "security_group_sources: configuration of %.200s"
				 " is not valid JSON at byte %zu: %s",
				 (const char *)sqlite3_column_text(item, 3), je.position, je.text);
			goto out;
		}
		elements_start(&e, json_object_get(config, "ipPermissions"));
		while ((r.perm = elements_next(&e, &key))) {
			if (key)
				member_path(path, sizeof(path), "$.ipPermissions", key);
			else
				snprintf(path, sizeof(path), "$.ipPermissions[%zu]", n);
			n++;
			r.permission = path;
			if (json_is_object(r.perm) && insert_permission(&r)) {
				json_decref(config);
				store_error(s, d, "cannot build security_group_sources");
				goto out;
			}
		}
		json_decref(config);
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build security_group_sources");
		goto out;
	}
	rc = sources ? sg_exec(s, SG_INDEX, items, sources, d) : 0;
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(gins);
	free(sc.perms);
	free(sc.srcs);
	return rc;
}

static int build_sg_sources(struct store *s, struct diag *d)
{
	return build_sg_from(s, "current_items", "security_group_sources", "security_groups", d);
}

/* security_groups is made by build_sg_sources, which it requires. */
static int build_sg_groups(struct store *s, struct diag *d)
{
	(void)s;
	(void)d;
	return 0;
}

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
static const char iam_docs_sql[] =
	"CREATE TEMP TABLE iam_policy_default_documents AS" IAM_DOCS_SELECT
	" FROM current_items AS c WHERE c.resource_type = 'AWS::IAM::Policy';" IAM_DOCS_INDEX;

/*
 * That statement defines the table and makes its schema; derived_build
 * reads the rows in C (build_iam_docs) where a configuration is plain and
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

/* 1 if a[0, n) and b[0, n) are equal ignoring ASCII case, as LIKE
 * compares (whatever the locale) */
static int like_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

/* arn LIKE 'arn:%:iam::aws:policy/%' for a plain string */
static int iam_aws_managed(const struct jscan_val *arn)
{
	static const char mid[] = ":iam::aws:policy/";
	size_t m = sizeof(mid) - 1;

	if (arn->len < 4 || !like_eq(arn->s, "arn:", 4))
		return 0;
	for (size_t i = 4; i + m <= arn->len; i++)
		if (like_eq(arn->s + i, mid, m))
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

static int build_iam_docs(struct store *s, struct diag *d)
{
	static const struct jscan_fill f = {
		"cannot build iam_policy_default_documents",
		"CREATE TEMP TABLE iam_policy_default_documents AS" IAM_DOCS_SELECT
		" FROM current_items AS c WHERE 0",
		iam_docs_items_sql, iam_docs_insert_sql, iam_docs_by_sql, IAM_DOCS_INDEX, 6, 7, iam_row
	};

	return jscan_fill(s, &f, d);
}

/*
 * kms_keys: every name by which a current KMS key is known in its
 * account and Region, in kms_key_ref() form, so that rules compare a
 * resource's key with a listed key by joining, whatever spelling each
 * uses: one row for the key id of each AWS::KMS::Key item, and one for
 * the alias name of each AWS::KMS::Alias item (its TargetKeyId, an id or
 * an ARN, resolved to a key id). key_arn is the key's ARN when the key
 * is recorded; aws_managed is 1 for keyManager AWS and for every alias
 * alias/aws/..., 0 for keyManager CUSTOMER, NULL when unknown.
 */
static const char kms_keys_sql[] =
	"CREATE TEMP TABLE kms_keys AS"
	" WITH k AS ("
	"  SELECT account_id, region,"
	"   kms_key_ref(coalesce(json_extract(configuration, '$.keyId'), resource_id)) AS key_id,"
	"   coalesce(arn, json_extract(configuration, '$.arn')) AS key_arn,"
	"   CASE json_extract(configuration, '$.keyManager') WHEN 'AWS' THEN 1"
	"    WHEN 'CUSTOMER' THEN 0 END AS aws_managed"
	"  FROM current_items WHERE resource_type = 'AWS::KMS::Key'"
	" ), a AS ("
	"  SELECT account_id, region,"
	"   kms_key_ref(coalesce(json_extract(configuration, '$.AliasName'),"
	"    resource_id)) AS ref,"
	"   kms_key_ref(json_extract(configuration, '$.TargetKeyId')) AS key_id"
	"  FROM current_items WHERE resource_type = 'AWS::KMS::Alias'"
	" )"
	" SELECT account_id, region, key_id AS ref, key_id, key_arn, aws_managed FROM k"
	" WHERE key_id IS NOT NULL"
	" UNION ALL"
	" SELECT a.account_id, a.region, a.ref, a.key_id, k.key_arn,"
	"  CASE WHEN a.ref LIKE 'alias/aws/%' THEN 1 ELSE k.aws_managed END"
	" FROM a LEFT JOIN k ON k.account_id = a.account_id AND k.region = a.region"
	"  AND k.key_id = a.key_id"
	" WHERE a.ref IS NOT NULL;"
	"CREATE INDEX temp.kms_keys_by_ref ON kms_keys(account_id, region, ref);";

/*
 * elb_listeners: one row per listener of a current load balancer, shared
 * by the listener rules (TLS/HTTPS only, ACM certificates, HTTP to HTTPS
 * redirection) so that they read listeners, and decide what a secure
 * protocol is, one way. Classic load balancers carry their listeners in
 * configuration.listenerDescriptions[].listener (camelCase; the
 * certificate as sslcertificateId, or the API's sSLCertificateId /
 * SSLCertificateId); Application, Network and Gateway Load Balancer
 * listeners are AWS::ElasticLoadBalancingV2::Listener items (PascalCase
 * CloudFormation names: LoadBalancerArn, Protocol, Port, Certificates[],
 * SslPolicy, DefaultActions[]; camelCase is read too).
 *   item_key, account_id, region  -- of the item that holds the listener
 *   lb_type      -- AWS::ElasticLoadBalancing::LoadBalancer or ...V2::LoadBalancer
 *   lb_id        -- the load balancer's resource id (classic: its name;
 *                   V2: LoadBalancerArn, the V2 load balancer's resource id)
 *   lb_item_key  -- item_key of that load balancer's current item, NULL when
 *                   it is not in the data: rules join on it
 *   listener     -- classic: $.listenerDescriptions[N]; V2: the listener's resource id
 *   protocol     -- upper case, NULL when absent
 *   port, instance_protocol (classic only)
 *   secure       -- 1 when protocol is HTTPS, SSL or TLS
 *   certificates -- JSON array of the certificate ids/ARNs ([] for none; a
 *                   V2 Certificates that is one object counts as one)
 *   ssl_policy, default_actions (V2 only; DefaultActions as JSON text)
 */
/* A V2 listener's certificate list, as JSON (an array, or one object). */
#define ELB_V2_CERTS \
	"coalesce(c.configuration -> '$.Certificates', c.configuration -> '$.certificates')"
static const char elb_listeners_sql[] =
	"CREATE TEMP TABLE elb_listeners AS"
	" WITH l AS ("
	"  SELECT c.item_key, c.account_id, c.region,"
	"   'AWS::ElasticLoadBalancing::LoadBalancer' AS lb_type, c.resource_id AS lb_id,"
	"   c.item_key AS lb_item_key,"
	"   d.fullkey AS listener,"
	"   upper(json_extract(c.configuration, d.fullkey || '.listener.protocol')) AS protocol,"
	"   json_extract(c.configuration, d.fullkey || '.listener.loadBalancerPort') AS port,"
	"   upper(json_extract(c.configuration, d.fullkey || '.listener.instanceProtocol'))"
	"    AS instance_protocol,"
	"   CASE WHEN coalesce("
	"     json_extract(c.configuration, d.fullkey || '.listener.sslcertificateId'),"
	"     json_extract(c.configuration, d.fullkey || '.listener.sSLCertificateId'),"
	"     json_extract(c.configuration, d.fullkey || '.listener.SSLCertificateId'), '') <> ''"
	"    THEN json_array(coalesce("
	"     json_extract(c.configuration, d.fullkey || '.listener.sslcertificateId'),"
	"     json_extract(c.configuration, d.fullkey || '.listener.sSLCertificateId'),"
	"     json_extract(c.configuration, d.fullkey || '.listener.SSLCertificateId')))"
	"    ELSE '[]' END AS certificates,"
	"   NULL AS ssl_policy, NULL AS default_actions"
	"  FROM current_items AS c, json_each(c.configuration, '$.listenerDescriptions') AS d"
	"  WHERE c.resource_type = 'AWS::ElasticLoadBalancing::LoadBalancer'"
	"   AND c.configuration IS NOT NULL AND d.type = 'object'"
	"  UNION ALL"
	"  SELECT c.item_key, c.account_id, c.region,"
	"   'AWS::ElasticLoadBalancingV2::LoadBalancer',"
	"   coalesce(json_extract(c.configuration, '$.LoadBalancerArn'),"
	"    json_extract(c.configuration, '$.loadBalancerArn')),"
	"   (SELECT b.item_key FROM current_items AS b"
	"    WHERE b.resource_id = coalesce(json_extract(c.configuration, '$.LoadBalancerArn'),"
	"      json_extract(c.configuration, '$.loadBalancerArn'))"
	"     AND b.resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'"
	"     AND b.account_id = c.account_id AND b.region = c.region),"
	"   c.resource_id,"
	"   upper(coalesce(json_extract(c.configuration, '$.Protocol'),"
	"    json_extract(c.configuration, '$.protocol'))),"
	"   coalesce(json_extract(c.configuration, '$.Port'),"
	"    json_extract(c.configuration, '$.port')),"
	"   NULL,"
	"   (SELECT json_group_array(coalesce(json_extract(k.value, '$.CertificateArn'),"
	"      json_extract(k.value, '$.certificateArn')))"
	"    FROM json_each(CASE json_type(" ELB_V2_CERTS ")"
	"      WHEN 'array' THEN " ELB_V2_CERTS
	"      WHEN 'object' THEN json_array(json(" ELB_V2_CERTS "))"
	"      END) AS k"
	"    WHERE k.type = 'object' AND coalesce(json_extract(k.value, '$.CertificateArn'),"
	"      json_extract(k.value, '$.certificateArn')) IS NOT NULL),"
	"   coalesce(json_extract(c.configuration, '$.SslPolicy'),"
	"    json_extract(c.configuration, '$.sslPolicy')),"
	"   coalesce(json_extract(c.configuration, '$.DefaultActions'),"
	"    json_extract(c.configuration, '$.defaultActions'))"
	"  FROM current_items AS c"
	"  WHERE c.resource_type = 'AWS::ElasticLoadBalancingV2::Listener'"
	"   AND c.configuration IS NOT NULL)"
	" SELECT item_key, account_id, region, lb_type, lb_id, lb_item_key, listener, protocol, port,"
	"  instance_protocol, coalesce(protocol IN ('HTTPS', 'SSL', 'TLS'), 0) AS secure,"
	"  certificates, ssl_policy, default_actions"
	" FROM l;"
	"CREATE INDEX temp.elb_listeners_by_lb ON elb_listeners(lb_item_key);";

/*
 * ecs_task_definitions: one row per current AWS::ECS::TaskDefinition
 * item, with what the ECS rules decide applicability from: the family and
 * revision (the digits after the ARN's last colon), the status in upper
 * case, and per family (account, Region) the latest ACTIVE revision
 * (active_rev; latest_active is 1 on that item), whether one exists
 * (has_active) and the latest recorded revision of any status (last_rev).
 * on_ec2 is 1 when the task definition can run on the EC2 launch type
 * (RequiresCompatibilities empty, absent or listing EC2). not_latest_why
 * says why an item is not its family's latest active revision (NULL when
 * it is), in the words the rules report.
 *
 * ecs_containers: one row per container definition of those items (the
 * object elements of ContainerDefinitions): its name ('container N'
 * without one), privileged and readonly_root (1 only when true), and
 * runs_as_root (1 when User is absent, empty, root or 0, with or without
 * a group).
 */
static const char ecs_task_definitions_sql[] =
	"CREATE TEMP TABLE ecs_task_definitions AS"
	" WITH td AS ("
	"  SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"   configuration IS NOT NULL AS recorded,"
	"   coalesce(configuration ->> '$.TaskDefinitionArn', arn, resource_name) AS td_arn,"
	"   upper(coalesce(configuration ->> '$.Status', '')) AS td_status,"
	"   coalesce(configuration ->> '$.Family', resource_id) AS family,"
	"   lower(coalesce(configuration ->> '$.NetworkMode', '')) AS network_mode,"
	"   configuration -> '$.RequiresCompatibilities' AS compat,"
	"   coalesce(json_array_length(configuration, '$.RequiresCompatibilities'), 0) = 0"
	"    OR EXISTS (SELECT 1 FROM json_each(configuration, '$.RequiresCompatibilities') AS rc"
	"               WHERE upper(rc.value) = 'EC2') AS on_ec2"
	"  FROM current_items WHERE resource_type = 'AWS::ECS::TaskDefinition'"
	" ), tdr AS ("
	"  SELECT td.*, CAST(nullif(substr(td_arn, length(rtrim(td_arn, '0123456789')) + 1), '')"
	"   AS INTEGER) AS rev"
	"  FROM td"
	" ), fam AS ("
	"  SELECT account_id, region, family,"
	"   max(CASE WHEN td_status = 'ACTIVE' THEN rev END) AS active_rev,"
	"   max(td_status = 'ACTIVE') AS has_active, max(rev) AS last_rev"
	"  FROM tdr WHERE recorded GROUP BY account_id, region, family"
	" )"
	" SELECT tdr.item_key, tdr.resource_type, tdr.resource_id, tdr.account_id, tdr.region,"
	"  tdr.status, tdr.recorded, tdr.family, tdr.rev, tdr.td_status, tdr.network_mode,"
	"  tdr.compat, tdr.on_ec2, f.active_rev, coalesce(f.has_active, 0) AS has_active,"
	"  f.last_rev, tdr.td_status = 'ACTIVE' AND tdr.rev IS f.active_rev AS latest_active,"
	"  CASE WHEN tdr.td_status <> 'ACTIVE'"
	"   THEN 'revision ' || coalesce(tdr.rev, '?') || ' is '"
	"    || coalesce(nullif(tdr.td_status, ''), 'of unknown status')"
	"    || ': only the latest active revision is evaluated'"
	"   WHEN tdr.rev IS NOT f.active_rev"
	"   THEN 'revision ' || coalesce(tdr.rev, '?') || ' is not the latest active revision of '"
	"    || tdr.family || ' (' || f.active_rev || ' is)' END AS not_latest_why"
	" FROM tdr LEFT JOIN fam AS f"
	"  ON f.account_id = tdr.account_id AND f.region = tdr.region AND f.family = tdr.family;"
	"CREATE INDEX temp.ecs_task_definitions_by_item ON ecs_task_definitions(item_key);";

static const char ecs_containers_sql[] =
	"CREATE TEMP TABLE ecs_containers AS"
	" SELECT c.item_key,"
	"  coalesce(json_extract(c.configuration, e.fullkey || '.Name'), 'container ' || e.key)"
	"   AS name,"
	"  coalesce(json_extract(c.configuration, e.fullkey || '.Privileged') IN (1, 'true'), 0)"
	"   AS privileged,"
	"  coalesce(json_extract(c.configuration, e.fullkey || '.ReadonlyRootFilesystem')"
	"   IN (1, 'true'), 0) AS readonly_root,"
	"  lower(trim(substr(trim(coalesce(json_extract(c.configuration, e.fullkey || '.User'),"
	"   '')) || ':', 1, instr(trim(coalesce(json_extract(c.configuration, e.fullkey || '.User'),"
	"   '')) || ':', ':') - 1))) IN ('', 'root', '0') AS runs_as_root"
	" FROM current_items AS c, json_each(c.configuration, '$.ContainerDefinitions') AS e"
	" WHERE c.resource_type = 'AWS::ECS::TaskDefinition' AND e.type = 'object';"
	"CREATE INDEX temp.ecs_containers_by_item ON ecs_containers(item_key);";

/*
 * beanstalk_option_settings: one row per option setting of a current
 * AWS::ElasticBeanstalk::Environment item: item_key, namespace, option,
 * value. Config records optionSettings as a map of namespace -> option
 * -> {value}; the API prints a list of {namespace, optionName, value}:
 * both are read.
 */
static const char beanstalk_options_sql[] =
	"CREATE TEMP TABLE beanstalk_option_settings AS"
	" WITH env AS ("
	"  SELECT item_key, configuration FROM current_items"
	"  WHERE resource_type = 'AWS::ElasticBeanstalk::Environment'"
	" )"
	" SELECT e.item_key, n.key AS namespace, o.key AS option,"
	"  json_extract(e.configuration, o.fullkey || '.value') AS value"
	" FROM env AS e, json_each(e.configuration, '$.optionSettings') AS n,"
	"  json_each(e.configuration, n.fullkey) AS o"
	" WHERE json_type(e.configuration, '$.optionSettings') = 'object'"
	"  AND n.type = 'object' AND o.type = 'object'"
	" UNION ALL"
	" SELECT e.item_key, n.value ->> '$.namespace', n.value ->> '$.optionName',"
	"  n.value ->> '$.value'"
	" FROM env AS e, json_each(e.configuration, '$.optionSettings') AS n"
	" WHERE json_type(e.configuration, '$.optionSettings') = 'array' AND n.type = 'object';"
	"CREATE INDEX temp.beanstalk_option_settings_by_item"
	" ON beanstalk_option_settings(item_key, namespace, option);";

/* The AWS Backup tables are in backup_tables.c. */

/*
 * elbv2_load_balancers: one row per current
 * AWS::ElasticLoadBalancingV2::LoadBalancer item, with what the listener
 * rules need to decide from a listener's absence: kind (the load
 * balancer type, application by default), covered (a complete inventory
 * of its account and Region, inventory_coverage) and listeners_seen (the
 * account and Region has at least one V2 listener item, so the recorder
 * records listeners there), and attributes: the LoadBalancerAttributes
 * list (supplementary, a list or JSON text) as an object of key -> value
 * text ("true"/"false" for booleans), NULL when the item has no list.
 */
#define ELBV2_HEAD \
	" c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status," \
	"  c.configuration IS NOT NULL AS recorded," \
	"  lower(coalesce(c.configuration ->> '$.type', 'application')) AS kind,"
#define ELBV2_ATTRIBUTES \
	"  (SELECT CASE WHEN json_valid(x) AND json_type(x) = 'array' THEN" \
	"    (SELECT json_group_object(a.value ->> '$.key'," \
	"      CASE json_type(a.value, '$.value') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'" \
	"       ELSE lower(a.value ->> '$.value') END)" \
	"     FROM json_each(x) AS a WHERE a.type = 'object' AND json_type(a.value, '$.key') = 'text')" \
	"    END" \
	"   FROM (SELECT json_unstring(c.supplementary ->> '$.LoadBalancerAttributes') AS x))" \
	"   AS attributes"
#define ELBV2_SELECT \
	" WITH seen AS (SELECT DISTINCT account_id, region FROM elb_listeners" \
	"  WHERE lb_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer')" \
	" SELECT" ELBV2_HEAD \
	"  EXISTS (SELECT 1 FROM inventory_coverage AS ic" \
	"   WHERE ic.account_id = c.account_id AND ic.region = c.region) AS covered," \
	"  EXISTS (SELECT 1 FROM seen AS r" \
	"   WHERE r.account_id = c.account_id AND r.region = c.region) AS listeners_seen," \
	ELBV2_ATTRIBUTES
#define ELBV2_FROM \
	" FROM current_items AS c" \
	" WHERE c.resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'"
#define ELBV2_INDEX \
	"CREATE INDEX temp.elbv2_load_balancers_by_item ON elbv2_load_balancers(item_key);"
static const char elbv2_lbs_sql[] =
	"CREATE TEMP TABLE elbv2_load_balancers AS" ELBV2_SELECT ELBV2_FROM ";" ELBV2_INDEX;

/*
 * That statement defines the table and makes its schema; build_elbv2
 * reads the rows in C where the item's documents are plain (jscan) and
 * the places are text, by the same expressions over the item's columns
 * otherwise. covered and listeners_seen are looked up among the
 * account-Regions of inventory_coverage and of the V2 listeners, read
 * once.
 */
static const char elbv2_items_sql[] =
	"SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	" c.configuration, c.supplementary" ELBV2_FROM;
static const char elbv2_insert_sql[] =
	"INSERT INTO elbv2_load_balancers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
/* An item the C reading does not take goes through the statement's
 * expressions alone (covered and listeners_seen, ?1 and ?2, still from
 * the places read once), from a one-row table: bound parameters would be
 * constants to SQLite, which evaluates json_type() of them before
 * json_valid() guards it. */
static const char elbv2_one_sql[] =
	"DROP TABLE IF EXISTS temp.elbv2_one_item;"
	"CREATE TEMP TABLE elbv2_one_item AS SELECT c.item_key, c.resource_type, c.resource_id,"
	" c.account_id, c.region, c.status, c.configuration, c.supplementary" ELBV2_FROM " AND 0";
static const char elbv2_put_sql[] =
	"INSERT INTO elbv2_one_item VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char elbv2_by_sql[] =
	"INSERT INTO elbv2_load_balancers SELECT" ELBV2_HEAD " ?1, ?2," ELBV2_ATTRIBUTES
	" FROM temp.elbv2_one_item AS c";
static const char elbv2_covered_sql[] = "SELECT account_id, region FROM inventory_coverage";
/* (without DISTINCT: the keymap keeps each place once, cheaper than
 * SQLite's sorting every listener) */
static const char elbv2_seen_sql[] =
	"SELECT account_id, region FROM elb_listeners"
	" WHERE lb_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'";

/* The key of an account-Region: account NUL region, both text. */
static int elbv2_place(struct strbuf *b, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT ||
	    sqlite3_column_type(st, col + 1) != SQLITE_TEXT)
		return -1;
	strbuf_reset(b);
	strbuf_add(b, sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
	strbuf_add(b, "", 1);
	strbuf_add(b, sqlite3_column_text(st, col + 1), (size_t)sqlite3_column_bytes(st, col + 1));
	return 0;
}

/* The places a statement lists, into m: 0, or 1 when one is not text
 * (-1 on an error). */
static int elbv2_places(struct store *s, const char *sql, struct keymap *m, struct diag *d)
{
	struct strbuf b = STRBUF_INIT;
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int step, rc = 0, added;

	if (!st)
		return -1;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (elbv2_place(&b, st, 0))
			rc = 1;
		else
			*keymap_insert(m, b.buf, b.len, &added) = 1;
	}
	if (!rc && step != SQLITE_DONE) {
		store_error(s, d, "cannot build elbv2_load_balancers");
		rc = -1;
	}
	sqlite3_finalize(st);
	strbuf_release(&b);
	return rc;
}

/* Append text as json_group_object quotes it: plain text (no quote,
 * backslash or control byte, as jscan's strings) needs no escape. */
static void elbv2_quote(struct strbuf *b, const char *text, size_t len, int lower)
{
	strbuf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (lower && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		strbuf_add(b, &ch, 1);
	}
	strbuf_add(b, "\"", 1);
}

/* attributes into b (NULL: *null set): 0, or 1 when not simple. */
static int elbv2_attributes(const char *supp, size_t len, struct strbuf *b, int *null)
{
	struct jscan_iter it;
	struct jscan_val k, x, attrs = { 0 }, list, key, val;
	int n, first = 1;

	*null = 1;
	if (jscan_object_doc(supp, len, &it))
		return 1;
	while ((n = jscan_next(&it, &k, &x)) > 0)
		if (!attrs.kind && JSCAN_IS(&k, "LoadBalancerAttributes"))
			attrs = x;
	if (n || jscan_doc_end(&it))
		return 1;
	/* json_unstring(->>): an array as its text; a string's content,
	 * unwrapped again only when it is itself a JSON string */
	if (attrs.kind == JS_ARR) {
		list = attrs;
	} else if (attrs.kind == JS_STR) {
		size_t i = 0;

		while (i < attrs.len && (attrs.s[i] == ' ' || attrs.s[i] == '\t' ||
					 attrs.s[i] == '\n' || attrs.s[i] == '\r'))
			i++;
		if (i < attrs.len && attrs.s[i] == '"')
			return 1;
		if (jscan_doc(attrs.s, attrs.len, &list))
			return 1;
		if (list.kind != JS_ARR)
			return 0;
	} else {
		return 0;
	}
	*null = 0;
	strbuf_reset(b);
	strbuf_add(b, "{", 1);
	jscan_iter_start(&it, &list);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind != JS_OBJ)
			continue;
		if (jscan_member(&x, "key", 3, 0, &key) || jscan_member(&x, "value", 5, 0, &val))
			return 1;
		if (key.kind != JS_STR)
			continue;
		if (!first)
			strbuf_add(b, ",", 1);
		first = 0;
		elbv2_quote(b, key.s, key.len, 0);
		strbuf_add(b, ":", 1);
		switch ((int)val.kind) {
		case JS_TRUE:
			elbv2_quote(b, "true", 4, 0);
			break;
		case JS_FALSE:
			elbv2_quote(b, "false", 5, 0);
			break;
		case JS_STR:
			elbv2_quote(b, val.s, val.len, 1);
			break;
		case 0:
		case JS_NULL:
			strbuf_add(b, "null", 4);
			break;
		default:
			return 1; /* lower() of a number or of JSON text */
		}
	}
	if (n)
		return 1;
	strbuf_add(b, "}", 1);
	return 0;
}

/* Bind ?7-?11 of elbv2_insert_sql: 0, or 1 when not simple. */
static int elbv2_scan(sqlite3_stmt *item, sqlite3_stmt *ins, const struct keymap *covered,
		      const struct keymap *seen, struct strbuf *place, struct strbuf *attrs)
{
	const char *config = (const char *)sqlite3_column_text(item, 6);
	const char *supp = (const char *)sqlite3_column_text(item, 7);
	struct jscan_val doc, kind = { 0 };
	int null;

	if (elbv2_place(place, item, 3) || !supp)
		return 1;
	if (config && (jscan_doc(config, (size_t)sqlite3_column_bytes(item, 6), &doc) ||
		       doc.kind != JS_OBJ || jscan_member(&doc, "type", 4, 0, &kind)))
		return 1;
	if (kind.kind && kind.kind != JS_NULL && kind.kind != JS_STR)
		return 1; /* lower() of a number or of JSON text */
	if (elbv2_attributes(supp, (size_t)sqlite3_column_bytes(item, 7), attrs, &null))
		return 1;
	sqlite3_bind_int(ins, 7, config != NULL);
	if (kind.kind == JS_STR) {
		char *t = xmalloc(kind.len + 1);

		for (size_t i = 0; i < kind.len; i++)
			t[i] = kind.s[i] >= 'A' && kind.s[i] <= 'Z' ? (char)(kind.s[i] + 32) : kind.s[i];
		sqlite3_bind_text(ins, 8, t, (int)kind.len, free);
	} else {
		sqlite3_bind_text(ins, 8, "application", -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(ins, 9, keymap_find(covered, place->buf, place->len) != NULL);
	sqlite3_bind_int(ins, 10, keymap_find(seen, place->buf, place->len) != NULL);
	if (null)
		sqlite3_bind_null(ins, 11);
	else
		sqlite3_bind_text(ins, 11, attrs->buf, (int)attrs->len, SQLITE_TRANSIENT);
	return 0;
}

static int build_elbv2(struct store *s, struct diag *d)
{
	struct keymap covered = KEYMAP_INIT, seen = KEYMAP_INIT;
	struct strbuf place = STRBUF_INIT, attrs = STRBUF_INIT;
	sqlite3_stmt *item = NULL, *ins = NULL, *put = NULL, *by_sql = NULL;
	int rc = -1, step, odd;

	if ((odd = elbv2_places(s, elbv2_covered_sql, &covered, d)) < 0 ||
	    (!odd && (odd = elbv2_places(s, elbv2_seen_sql, &seen, d)) < 0))
		goto out;
	if (odd) { /* a place that is not text: the statement decides */
		rc = store_exec(s, elbv2_lbs_sql, d);
		goto out;
	}
	if (store_exec(s, "CREATE TEMP TABLE elbv2_load_balancers AS" ELBV2_SELECT ELBV2_FROM
			  " AND 0", d) ||
	    store_exec(s, elbv2_one_sql, d) || !(item = store_prepare(s, elbv2_items_sql, d)) ||
	    !(ins = store_prepare(s, elbv2_insert_sql, d)) ||
	    !(put = store_prepare(s, elbv2_put_sql, d)) ||
	    !(by_sql = store_prepare(s, elbv2_by_sql, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		int ok;

		if (!elbv2_scan(item, ins, &covered, &seen, &place, &attrs)) {
			for (int c = 0; c < 6; c++)
				sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, c));
			ok = sqlite3_step(ins) == SQLITE_DONE;
			sqlite3_reset(ins);
		} else if (elbv2_place(&place, item, 3)) {
			/* items' account_id and region are TEXT columns */
			diag_set(d, NULL, 0, "elbv2_load_balancers: the account or Region of %.200s"
				 " is not text", (const char *)sqlite3_column_text(item, 2));
			goto out;
		} else {
			sqlite3_bind_int(by_sql, 1, keymap_find(&covered, place.buf, place.len) != NULL);
			sqlite3_bind_int(by_sql, 2, keymap_find(&seen, place.buf, place.len) != NULL);
			if (jscan_by_one_row(s, "cannot build elbv2_load_balancers",
					     "DELETE FROM elbv2_one_item", put, by_sql, item, 8, d))
				goto out;
			ok = 1;
		}
		if (!ok) {
			store_error(s, d, "cannot build elbv2_load_balancers");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build elbv2_load_balancers");
		goto out;
	}
	rc = store_exec(s, ELBV2_INDEX, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(put);
	sqlite3_finalize(by_sql);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.elbv2_one_item", NULL, NULL, NULL);
	keymap_release(&covered);
	keymap_release(&seen);
	strbuf_release(&place);
	strbuf_release(&attrs);
	return rc;
}

/* A table is made by its builder, or (build NULL) by running its sql. */
static const struct derived_table {
	const char *name; /* as rules name it */
	int (*build)(struct store *s, struct diag *d);
	const char *requires[2]; /* derived tables its SQL reads, built first */
	const char *sql;
} derived_tables[] = {
	{ "security_group_sources", build_sg_sources, { NULL, NULL }, NULL },
	{ "security_groups", build_sg_groups, { "security_group_sources", NULL }, NULL },
	{ "iam_policy_default_documents", build_iam_docs, { NULL, NULL }, NULL },
	/* S3 buckets (eval/s3_facts.c) */
	{ "s3_bucket_facts", s3_build_bucket_facts, { NULL, NULL }, NULL },
	{ "s3_bucket_access", NULL, { "s3_bucket_facts", NULL }, s3_bucket_access_sql },
	{ "s3_public_grants", s3_build_public_grants, { "s3_bucket_facts", NULL }, NULL },
	{ "s3_policy_statements", s3_build_policy_statements, { "s3_bucket_facts", NULL }, NULL },
	{ "s3_public_statements", NULL,
	  { "s3_policy_statements", NULL }, s3_public_statements_sql },
	{ "kms_keys", NULL, { NULL, NULL }, kms_keys_sql },
	{ "elb_listeners", NULL, { NULL, NULL }, elb_listeners_sql },
	{ "elbv2_load_balancers", build_elbv2, { "elb_listeners", NULL }, NULL },
	{ "ecs_task_definitions", NULL, { NULL, NULL }, ecs_task_definitions_sql },
	{ "ecs_containers", NULL, { NULL, NULL }, ecs_containers_sql },
	{ "beanstalk_option_settings", NULL, { NULL, NULL }, beanstalk_options_sql },
	/* the AWS Backup tables (eval/backup_tables.c) */
	{ "backup_selected_resources", backup_build_selected, { NULL, NULL }, NULL },
	/* one builder for these two: one matching */
	{ "backup_group_hits", backup_build_groups, { "backup_absence_scope", NULL }, NULL },
	{ "backup_plan_membership", backup_build_groups, { "backup_absence_scope", NULL }, NULL },
	{ "backup_plan_rules", backup_build_plan_rules, { NULL, NULL }, NULL },
	{ "backup_group_plans", NULL,
	  { "backup_group_hits", "backup_plan_rules" }, backup_group_plans_sql },
	{ "backup_absence_scope", NULL, { NULL, NULL }, backup_absence_scope_sql },
	{ "backup_resource_plans", NULL,
	  { "backup_plan_membership", "backup_group_plans" }, backup_resource_plans_sql },
	/* evidence files (eval/evidence_tables.c) */
	{ "evidence", evidence_build_latest, { NULL, NULL }, NULL },
	{ "credential_report", evidence_build_credential_report, { "evidence", NULL }, NULL },
	{ "organization_accounts", evidence_build_org_accounts, { "evidence", NULL }, NULL },
	{ "iam_account_summary", evidence_build_account_summary, { "evidence", NULL }, NULL },
	{ "cloudtrail_trail_status", evidence_build_trail_status, { "evidence", NULL }, NULL },
	{ "guardduty_findings", evidence_build_guardduty_findings, { "evidence", NULL }, NULL },
	{ "cloudtrail_event_selectors", evidence_build_event_selectors,
	  { "evidence", NULL }, NULL },
	{ "cloudtrail_org_members", evidence_build_org_members,
	  { "evidence", "organization_accounts" }, NULL },
	{ "iam_user_credentials", evidence_build_user_credentials,
	  { "evidence", "credential_report" }, NULL },
	/* landing-zone evidence (eval/landing_tables.c) */
	{ "logs_metric_filters", landing_build_metric_filters, { "evidence", NULL }, NULL },
	{ "sns_topic_subscriptions", landing_build_topic_subscriptions,
	  { "evidence", NULL }, NULL },
	{ "config_recording", landing_build_config_recording, { "evidence", NULL }, NULL },
	{ "config_aggregators", landing_build_config_aggregators, { "evidence", NULL }, NULL },
	{ "guardduty_organization", landing_build_guardduty_organization,
	  { "evidence", NULL }, NULL },
	/* EC2 facts (eval/ec2_facts.c) */
	{ "ec2_instances", ec2_build_instances, { NULL, NULL }, NULL },
	/* CloudWatch Logs facts (eval/logs_facts.c) */
	{ "log_groups", NULL, { NULL, NULL }, log_groups_sql },
	/* S3 configuration parts (eval/s3_config_facts.c) */
	{ "s3_lifecycle_rules", NULL, { "s3_bucket_facts", NULL }, s3_lifecycle_rules_sql },
	/* RDS facts (eval/rds_facts.c) */
	{ "rds_db_instances", NULL, { NULL, NULL }, rds_db_instances_sql },
	/* Redshift facts (eval/redshift_facts.c) */
	{ "redshift_clusters", NULL, { NULL, NULL }, redshift_clusters_sql },
	/* OpenSearch facts (eval/opensearch_facts.c) */
	{ "opensearch_domains", NULL, { NULL, NULL }, opensearch_domains_sql },
};
#define N_DERIVED (sizeof(derived_tables) / sizeof(derived_tables[0]))
/* runner.c keeps the tables a rule needs as a derived_set */
_Static_assert(N_DERIVED <= DERIVED_MAX, "derived tables are bits of a derived_set");

size_t derived_count(void)
{
	return N_DERIVED;
}

const char *derived_name(size_t i)
{
	return derived_tables[i].name;
}

/* No derived table, nor a rule reading one, looks items up by item_key
 * or by (account, region, type) any more: the backup chain, which did,
 * reads current_items by type and joins its own tables by item_key. */
int derived_needs_lookups(derived_set mask)
{
	(void)mask;
	return 0;
}

static int find_derived(const char *name)
{
	for (size_t i = 0; i < N_DERIVED; i++)
		if (!strcmp(derived_tables[i].name, name))
			return (int)i;
	return -1;
}

derived_set derived_requires(size_t i)
{
	derived_set m = 0;

	for (size_t r = 0; r < 2 && derived_tables[i].requires[r]; r++) {
		int j = find_derived(derived_tables[i].requires[r]);

		if (j >= 0 && (size_t)j != i)
			m |= DERIVED_BIT(j) | derived_requires((size_t)j);
	}
	return m;
}

/* 1 if the temp schema holds a table of that name, 0 if not, -1 on error. */
static int temp_table_exists(struct store *s, const char *name, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?1", d);
	int step;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_error(s, d, "cannot look up the derived tables"), -1;
	return step == SQLITE_ROW;
}

/* Build a table once, after the tables it reads: a derived table may
 * build those before the engine asks for them. */
int derived_build(struct store *s, size_t i, struct diag *d)
{
	int have = temp_table_exists(s, derived_tables[i].name, d);

	if (have)
		return have < 0 ? -1 : 0;
	for (size_t r = 0; r < 2 && derived_tables[i].requires[r]; r++) {
		int j = find_derived(derived_tables[i].requires[r]);

		if (j < 0 || derived_build(s, (size_t)j, d))
			return -1;
	}
	return derived_tables[i].build ? derived_tables[i].build(s, d)
				      : store_exec(s, derived_tables[i].sql, d);
}

/* The derived tables made by their SQL alone that are built item by item
 * (eval/rds_facts.c, redshift_facts.c, opensearch_facts.c). */
static const char *const sql_per_item[] = {
	"rds_db_instances", "redshift_clusters", "opensearch_domains",
};

int derived_build_per_item(struct store *s, const char *name, const char *items,
			   const char *table, struct diag *d)
{
	const char *sql = NULL;
	char *from, *a, *b;
	int rc;

	if (!strcmp(name, "security_group_sources"))
		return build_sg_from(s, items, table, NULL, d);
	if (!strcmp(name, "security_groups"))
		return build_sg_from(s, items, NULL, table, d);
	/* one statement over current_items AS c, one row per item from that
	 * item alone (one row per policy item for the IAM documents): the
	 * same statement over the view's items */
	if (!strcmp(name, "iam_policy_default_documents")) {
		sql = iam_docs_sql;
	} else {
		for (size_t k = 0; k < sizeof(sql_per_item) / sizeof(sql_per_item[0]); k++) {
			int i = find_derived(name);

			if (!strcmp(name, sql_per_item[k]) && i >= 0)
				sql = derived_tables[i].sql;
		}
	}
	if (!sql)
		return 1;
	from = xstrfmt("FROM %s AS c", items);
	a = xstrreplace(sql, name, table);
	b = xstrreplace(a, "FROM current_items AS c", from);
	rc = store_exec(s, b, d);
	free(from);
	free(a);
	free(b);
	return rc;
}

void derived_drop_all(struct store *s)
{
	for (size_t i = 0; i < N_DERIVED; i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.%s", derived_tables[i].name);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
}
