/*
 * sg_facts: security_group_sources and security_groups (see sg_facts.h).
 *
 * Built in C: the SQL version parsed each security group's configuration
 * and every permission in it several times over and was the most
 * expensive step of an evaluation. The same pass lists the groups
 * themselves (security_groups).
 */
#include "eval/sg_facts.h"
#include "eval/backup_tables.h" /* bind_json, which backup_tables.c uses too */
#include "eval/jscan.h"
#include "util/jparse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 *
 * What cannot be read that way (a damaged or forged item: ipPermissions,
 * ipv4Ranges or ipv6Ranges a string or a number where a list is recorded,
 * one of their elements not an object, a cidrIp or cidrIpv6 not a
 * string; in the legacy ipRanges a value neither a string nor an object)
 * gives no row, and security_groups.unreadable names the first of it, so
 * that a rule says INSUFFICIENT_DATA rather than "no such source".
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
	 *   unreadable -- NULL, or what of its ingress permissions cannot be
	 *                read ("ipPermissions is a string, not a list")
	 */
	case SGS_CREATE:
		return xstrfmt("CREATE TEMP TABLE %s(item_key, resource_type, resource_id,"
			       " account_id, region, status, recorded, unreadable)", table);
	default:
		return xstrfmt("INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", table);
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

/* Bind v as SQLite's ->> would return it (backup_tables.h). */
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

/* What a value is, for security_groups.unreadable. */
static const char *json_what(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_ARRAY: return "a list";
	case JSON_OBJECT: return "an object";
	default: return "null";
	}
}

#define SG_UNREADABLE_MAX 200

/* Note the first thing that cannot be read: "PATH is WHAT, not WANT"
 * (PATH without its leading "$."). */
static void sg_unreadable(char *buf, const char *path, const char *key, const char *what,
			  const char *want)
{
	if (!buf[0])
		snprintf(buf, SG_UNREADABLE_MAX, "%.120s%s%.20s is %s, not %s", path + 2,
			 key ? "." : "", key ? key : "", what, want);
}

/* The JSON path of element i (key NULL) or member key of base. */
static void element_path(char *out, size_t size, const char *base, const char *key, size_t i)
{
	if (key)
		member_path(out, size, base, key);
	else
		snprintf(out, size, "%s[%zu]", base, i);
}

struct sg_row {
	sqlite3_stmt *item; /* the current security group (columns 0-3) */
	sqlite3_stmt *ins;  /* NULL: no rows, only what cannot be read */
	const char *permission;
	json_t *perm;
	char unreadable[SG_UNREADABLE_MAX];
};

static int insert_source(struct sg_row *r, json_t *cidr)
{
	if (!r->ins)
		return 0;
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

/* The range lists of a permission, in the order their rows come, and
 * how each is read: the legacy ipRanges holds CIDR strings beside objects,
 * and a value there that is not a list counts as its one element (as
 * json_each reads it); it counts only when ipv4Ranges is absent or null. */
struct sg_list {
	const char *name;  /* the permission's member */
	size_t name_len;   /* strlen(name) */
	const char *field; /* the member of an object element that holds the CIDR */
	size_t field_len;  /* strlen(field) */
	int legacy;	   /* 1: ipRanges */
};

enum { SG_V4, SG_V6, SG_LEGACY, SG_LISTS };

#define SG_LIST(name, field, legacy) { name, sizeof(name) - 1, field, sizeof(field) - 1, legacy }
static const struct sg_list sg_lists[SG_LISTS] = {
	[SG_V4] = SG_LIST("ipv4Ranges", "cidrIp", 0),
	[SG_V6] = SG_LIST("ipv6Ranges", "cidrIpv6", 0),
	[SG_LEGACY] = SG_LIST("ipRanges", "cidrIp", 1),
};
#undef SG_LIST

/* What an element of list l that is not an object should be, and what l
 * itself should be when it is not a list. */
static const char *sg_want_element(const struct sg_list *l)
{
	return l->legacy ? "a string or an object" : "an object";
}

static const char *sg_want_list(const struct sg_list *l)
{
	return l->legacy ? "a string or an object" : "a list";
}

/* Rows for the sources of range list l of the permission. */
static int insert_ranges(struct sg_row *r, const struct sg_list *l)
{
	json_t *ranges = json_object_get(r->perm, l->name), *x, *cidr;
	int list = json_is_array(ranges) || json_is_object(ranges);
	char base[600], path[1200];
	struct elements e;
	const char *key;
	size_t i = 0;

	snprintf(base, sizeof(base), "%s.%s", r->permission, l->name);
	if (!l->legacy && ranges && !list && !json_is_null(ranges))
		sg_unreadable(r->unreadable, base, NULL, json_what(ranges), sg_want_list(l));
	elements_start(&e, ranges);
	for (; (x = elements_next(&e, &key)); i++) {
		if (json_is_object(x)) {
			cidr = json_object_get(x, l->field);
			if (cidr && !json_is_string(cidr) && !json_is_null(cidr)) {
				element_path(path, sizeof(path), base, key, i);
				sg_unreadable(r->unreadable, path, l->field, json_what(cidr),
					      "a string");
			}
		} else {
			/* a source only in the legacy list, and only a string */
			cidr = l->legacy && json_is_string(x) ? x : NULL;
			if (!cidr && !json_is_null(x) && (list || l->legacy)) {
				if (list)
					element_path(path, sizeof(path), base, key, i);
				else
					snprintf(path, sizeof(path), "%s", base);
				sg_unreadable(r->unreadable, path, NULL, json_what(x),
					      list ? sg_want_element(l) : sg_want_list(l));
			}
			if (!l->legacy)
				continue;
		}
		if (insert_source(r, cidr))
			return -1;
	}
	return 0;
}

static int insert_permission(struct sg_row *r)
{
	json_t *v4 = json_object_get(r->perm, sg_lists[SG_V4].name);

	for (int l = 0; l < SG_LISTS; l++) {
		if (l == SG_LEGACY && v4 && !json_is_null(v4))
			continue;
		if (insert_ranges(r, &sg_lists[l]))
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
	char unreadable[SG_UNREADABLE_MAX]; /* as struct sg_row's */
};

/* What a value is (json_what). */
static const char *jscan_what(const struct jscan_val *v)
{
	switch (v->kind) {
	case JS_STR: return "a string";
	case JS_INT:
	case JS_REAL: return "a number";
	case JS_TRUE:
	case JS_FALSE: return "a boolean";
	case JS_ARR: return "a list";
	case JS_OBJ: return "an object";
	default: return "null";
	}
}

/* 1 for a value present and neither null nor of kind want */
static int sg_odd(const struct jscan_val *v, enum jscan_kind want)
{
	return v->kind != 0 && v->kind != JS_NULL && v->kind != want;
}

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

/* The sources of range list l, the permission's member ranges
 * (insert_ranges): 0, or 1 when not simple. */
static int sg_ranges(struct sg_scan *sc, const struct jscan_val *ranges, const struct sg_list *l)
{
	const char *perm = sc->perms[sc->n_perms - 1].path;
	struct jscan_iter it;
	struct jscan_val x, cidr;
	char path[128];
	size_t i = 0;
	int n;

	if (ranges->kind == JS_OBJ)
		return 1;
	if (ranges->kind == 0)
		return 0;
	if (ranges->kind != JS_ARR) {
		/* one element that is not an object: a source only in the
		 * legacy list, and only a string (null: a row without one) */
		if (ranges->kind != JS_NULL && !(l->legacy && ranges->kind == JS_STR)) {
			snprintf(path, sizeof(path), "%s.%s", perm, l->name);
			sg_unreadable(sc->unreadable, path, NULL, jscan_what(ranges),
				      sg_want_list(l));
		}
		if (l->legacy)
			sg_add(sc, ranges->kind == JS_STR ? ranges : NULL);
		return 0;
	}
	jscan_iter_start(&it, ranges);
	for (; (n = jscan_next(&it, NULL, &x)) > 0; i++) {
		if (x.kind == JS_OBJ) {
			if (jscan_member(&x, l->field, l->field_len, 1, &cidr) ||
			    !sg_scalar(&cidr))
				return 1;
			if (sg_odd(&cidr, JS_STR)) {
				snprintf(path, sizeof(path), "%s.%s[%zu]", perm, l->name, i);
				sg_unreadable(sc->unreadable, path, l->field, jscan_what(&cidr),
					      "a string");
			}
			sg_add(sc, &cidr);
			continue;
		}
		if (x.kind != JS_NULL && !(l->legacy && x.kind == JS_STR)) {
			snprintf(path, sizeof(path), "%s.%s[%zu]", perm, l->name, i);
			sg_unreadable(sc->unreadable, path, NULL, jscan_what(&x), sg_want_element(l));
		}
		if (l->legacy)
			sg_add(sc, x.kind == JS_STR ? &x : NULL);
	}
	return n ? 1 : 0;
}

/* One permission object, element n of ipPermissions: 0, or 1. */
static int sg_permission(struct sg_scan *sc, const struct jscan_val *perm, size_t n)
{
	struct jscan_val k, x, ranges[SG_LISTS] = { { 0 } }; /* kind 0: absent */
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
		else
			for (int l = 0; l < SG_LISTS; l++)
				if (jscan_is(&k, sg_lists[l].name, sg_lists[l].name_len))
					ranges[l] = x;
	}
	if (more || !sg_scalar(&p->proto) || !sg_scalar(&p->from) || !sg_scalar(&p->to))
		return 1;
	for (int l = 0; l < SG_LISTS; l++) {
		if (l == SG_LEGACY && ranges[SG_V4].kind != 0 && ranges[SG_V4].kind != JS_NULL)
			continue;
		if (sg_ranges(sc, &ranges[l], &sg_lists[l]))
			return 1;
	}
	return 0;
}

/* The rows of one configuration into sc: 0, or 1 when it is not simple
 * (sc then holds nothing to insert). */
static int sg_scan_config(struct sg_scan *sc, const char *config, size_t len)
{
	struct jscan_iter it;
	struct jscan_val k, x, perms = { 0 };
	int more;
	size_t n = 0;

	char path[64];

	sc->n_perms = sc->n_srcs = 0;
	sc->unreadable[0] = '\0';
	if (jscan_object_doc(config, len, &it))
		return 1;
	while ((more = jscan_next(&it, &k, &x)) > 0)
		if (JSCAN_IS(&k, "ipPermissions"))
			perms = x;
	if (more || jscan_doc_end(&it) || perms.kind == JS_OBJ)
		return 1;
	if (perms.kind != JS_ARR) {
		/* absent, or one element that is not an object */
		if (sg_odd(&perms, JS_ARR))
			sg_unreadable(sc->unreadable, "$.ipPermissions", NULL, jscan_what(&perms),
				      "a list");
		return 0;
	}
	jscan_iter_start(&it, &perms);
	while ((more = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind == JS_OBJ && sg_permission(sc, &x, n)) {
			sc->n_perms = sc->n_srcs = 0;
			sc->unreadable[0] = '\0';
			return 1;
		}
		if (x.kind != JS_OBJ && x.kind != JS_NULL) {
			snprintf(path, sizeof(path), "$.ipPermissions[%zu]", n);
			sg_unreadable(sc->unreadable, path, NULL, jscan_what(&x), "an object");
		}
		n++;
	}
	if (more) {
		sc->n_perms = sc->n_srcs = 0;
		sc->unreadable[0] = '\0';
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

/* The security_groups row of the current group (the row of item), with
 * what of it cannot be read ("": nothing). */
static int insert_group(sqlite3_stmt *item, sqlite3_stmt *ins, const char *unreadable)
{
	static const int cols[] = { 0, 5, 3, 1, 2, 6 };

	for (int c = 0; c < 6; c++)
		sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, cols[c]));
	sqlite3_bind_int(ins, 7, sqlite3_column_type(item, 4) != SQLITE_NULL);
	if (unreadable[0])
		sqlite3_bind_text(ins, 8, unreadable, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ins, 8);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ins);
	return 0;
}

/* Both tables from the security groups of view items: the sources into
 * table sources and the groups into table groups (either may be NULL:
 * not built). */
int sg_build_from(struct store *s, const char *items, const char *sources,
			 const char *groups, struct diag *d)
{
	sqlite3_stmt *item = NULL, *ins = NULL, *gins = NULL;
	struct sg_scan sc = { NULL, 0, 0, NULL, 0, 0, "" };
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
		struct sg_row r = { item, ins, NULL, NULL, "" };
		struct elements e;
		const char *key, *unreadable = "";
		char path[512];
		json_t *config, *perms;
		size_t n = 0;

		/* The sources (if built) and what cannot be read, which the
		 * group's row holds. */
		if (sqlite3_column_type(item, 4) == SQLITE_NULL)
			goto group;
		if (!sg_scan_config(&sc, (const char *)sqlite3_column_text(item, 4),
				    (size_t)sqlite3_column_bytes(item, 4))) {
			if (ins && sg_insert_scanned(&sc, item, ins)) {
				store_error(s, d, "cannot build security_group_sources");
				goto out;
			}
			unreadable = sc.unreadable;
			goto group;
		}
		config = jparse((const char *)sqlite3_column_text(item, 4),
				(size_t)sqlite3_column_bytes(item, 4), 0, 0, &je);
		if (!config) {
			diag_set(d, NULL, 0, "security_group_sources: configuration of %.200s"
				 " is not valid JSON at byte %zu: %s",
				 (const char *)sqlite3_column_text(item, 3), je.position, je.text);
			goto out;
		}
		perms = json_object_get(config, "ipPermissions");
		if (perms && !json_is_array(perms) && !json_is_object(perms) && !json_is_null(perms))
			sg_unreadable(r.unreadable, "$.ipPermissions", NULL, json_what(perms),
				      "a list");
		elements_start(&e, perms);
		while ((r.perm = elements_next(&e, &key))) {
			if (key)
				member_path(path, sizeof(path), "$.ipPermissions", key);
			else
				snprintf(path, sizeof(path), "$.ipPermissions[%zu]", n);
			n++;
			r.permission = path;
			if (!json_is_object(r.perm)) {
				if (!json_is_null(r.perm) &&
				    (json_is_array(perms) || json_is_object(perms)))
					sg_unreadable(r.unreadable, path, NULL, json_what(r.perm),
						      "an object");
			} else if (insert_permission(&r)) {
				json_decref(config);
				store_error(s, d, "cannot build security_group_sources");
				goto out;
			}
		}
		json_decref(config);
		unreadable = r.unreadable;
group:
		if (gins && insert_group(item, gins, unreadable)) {
			store_error(s, d, "cannot build security_groups");
			goto out;
		}
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

int sg_build_sources(struct store *s, struct diag *d)
{
	return sg_build_from(s, "current_items", "security_group_sources", "security_groups", d);
}

/* security_groups is made by sg_build_sources, which it requires. */
int sg_build_groups(struct store *s, struct diag *d)
{
	(void)s;
	(void)d;
	return 0;
}
