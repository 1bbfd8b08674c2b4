/*
 * ec2_facts: the EC2 derived tables (see ec2_facts.h). Each is one SQL
 * statement over current_items; every column is the expression the rules
 * computed themselves before, so that reading it gives the same value.
 */
#include "eval/ec2_facts.h"
#include "eval/jscan.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * ec2_instances: one row per current AWS::EC2::Instance item, its
 * configuration parsed once (one statement: SQLite's JSON cache keeps the
 * parse for the row's other json_extract calls). json_each and json_tree
 * parse their argument again each time: the relationship members are read
 * through the cached relationships text by their fullkey, and the tree walks
 * only the networkInterfaces subtree (-> gives it as JSON text; shape c's
 * build 0.46 s -> 0.34 s).
 *   item_key, resource_type, resource_id, account_id, region, status,
 *   capture_time    -- as in current_items
 *   recorded        -- 1 when the item has a configuration
 *   state           -- lower(state.name)
 *   state_reason    -- stateTransitionReason
 *   vpc_id          -- configuration ->> '$.vpcId' as recorded ('' kept)
 *   related_vpc     -- the least resourceId of the item's relationships of
 *                      type AWS::EC2::VPC (as the relationships view reads them)
 *   public_ip_address -- publicIpAddress
 *   nic_public_ip   -- the least non-empty text publicIp anywhere under
 *                      networkInterfaces (an interface's association, or one
 *                      of its privateIpAddresses')
 *   instance_type   -- lower(instanceType)
 *   ebs_optimized   -- ebsOptimized as json_extract gives it
 *   http_tokens     -- lower(metadataOptions.httpTokens)
 *   http_endpoint   -- metadataOptions.httpEndpoint
 *   monitoring      -- lower(monitoring.state)
 *   profile_arn     -- iamInstanceProfile.arn
 *   public_ip_unreadable -- NULL, or (no public IP found) what cannot be
 *                      read where one would be, as
 *                      ec2-instance-no-public-ip's annotation names it
 *
 * That statement defines the table, and makes its schema; the rows are
 * read in C (ec2_build_instances) where an item is plain enough to read
 * in place (jscan), which spares SQLite's parse of each configuration
 * (most of this table's time), and by the same expressions over the
 * item's columns otherwise.
 */
/* public_ip_unreadable: where no public IP is found (nic_public_ip
 * NULL, publicIpAddress empty or absent), what cannot be read where one
 * would be (ec2-instance-no-public-ip's INSUFFICIENT_DATA): a
 * publicIpAddress that json_extract gives as a number or as JSON text;
 * networkInterfaces that json_each does not give as a list (a scalar, or
 * an object with members); an interface that is not an object, whose
 * association is not an object (or null) or whose association.publicIp
 * is not text (or null), whose privateIpAddresses is not a list (or
 * null), or one of whose privateIpAddresses is not an object with such
 * an association (a null privateIpAddresses is one null element to
 * json_each). */
#define EC2_PUBLIC_IP "json_extract(c.configuration, '$.publicIpAddress')"
#define EC2_NIC_PUBLIC_IP \
	"(SELECT min(t.atom) FROM json_tree(c.configuration -> '$.networkInterfaces') AS t" \
	" WHERE t.key = 'publicIp' AND t.type = 'text' AND t.atom <> '')"
#define EC2_NOT_STRING "configuration.publicIpAddress cannot be read: not a string"
#define EC2_NICS_PREFIX "configuration.networkInterfaces cannot be read: "
#define EC2_NICS_NOT_LIST "not a list"
#define EC2_NICS_BAD \
	"an interface, its association or its privateIpAddresses is not what the recorder writes"
#define EC2_UNREADABLE \
	"  CASE WHEN c.configuration IS NULL OR " EC2_NIC_PUBLIC_IP " IS NOT NULL THEN NULL" \
	"   WHEN typeof(" EC2_PUBLIC_IP ") IN ('integer', 'real')" \
	"    OR " EC2_PUBLIC_IP " GLOB '[[{]*'" \
	"    THEN '" EC2_NOT_STRING "'" \
	"   WHEN coalesce(" EC2_PUBLIC_IP ", '') <> '' THEN NULL" \
	"   ELSE (SELECT '" EC2_NICS_PREFIX "'" \
	"     || CASE WHEN min(n.key IS NULL OR typeof(n.key) = 'text')" \
	"        THEN '" EC2_NICS_NOT_LIST "' ELSE '" EC2_NICS_BAD "' END" \
	"    FROM json_each(c.configuration, '$.networkInterfaces') AS n" \
	"    WHERE NOT (n.key IS NULL AND n.type = 'null')" \
	"     AND (typeof(n.key) <> 'integer' OR n.type <> 'object'" \
	"      OR coalesce(json_type(c.configuration, n.fullkey || '.association'), 'null')" \
	"         NOT IN ('object', 'null')" \
	"      OR coalesce(json_type(c.configuration, n.fullkey || '.association.publicIp'), 'null')" \
	"         NOT IN ('text', 'null')" \
	"      OR coalesce(json_type(c.configuration, n.fullkey || '.privateIpAddresses'), 'null')" \
	"         NOT IN ('array', 'null')" \
	"      OR EXISTS (SELECT 1" \
	"       FROM json_each(c.configuration, n.fullkey || '.privateIpAddresses') AS a" \
	"       WHERE a.type <> 'object'" \
	"        OR coalesce(json_type(c.configuration, a.fullkey || '.association'), 'null')" \
	"           NOT IN ('object', 'null')" \
	"        OR coalesce(json_type(c.configuration, a.fullkey || '.association.publicIp'), 'null')" \
	"           NOT IN ('text', 'null')))" \
	"    HAVING count(*) > 0)" \
	"  END"
#define EC2_SELECT \
	" SELECT c.item_key AS item_key, c.resource_type AS resource_type," \
	"  c.resource_id AS resource_id, c.account_id AS account_id, c.region AS region," \
	"  c.status AS status, c.capture_time AS capture_time," \
	"  c.configuration IS NOT NULL AS recorded," \
	"  lower(json_extract(c.configuration, '$.state.name')) AS state," \
	"  json_extract(c.configuration, '$.stateTransitionReason') AS state_reason," \
	"  c.configuration ->> '$.vpcId' AS vpc_id," \
	"  (SELECT min(json_extract(c.relationships, r.fullkey || '.resourceId'))" \
	"   FROM json_each(c.relationships) AS r" \
	"   WHERE r.type = 'object'" \
	"    AND json_extract(c.relationships, r.fullkey || '.resourceType') = 'AWS::EC2::VPC')" \
	"   AS related_vpc," \
	"  " EC2_PUBLIC_IP " AS public_ip_address," \
	"  " EC2_NIC_PUBLIC_IP " AS nic_public_ip," \
	"  lower(json_extract(c.configuration, '$.instanceType')) AS instance_type," \
	"  json_extract(c.configuration, '$.ebsOptimized') AS ebs_optimized," \
	"  lower(json_extract(c.configuration, '$.metadataOptions.httpTokens')) AS http_tokens," \
	"  json_extract(c.configuration, '$.metadataOptions.httpEndpoint') AS http_endpoint," \
	"  lower(json_extract(c.configuration, '$.monitoring.state')) AS monitoring," \
	"  json_extract(c.configuration, '$.iamInstanceProfile.arn') AS profile_arn," \
	EC2_UNREADABLE " AS public_ip_unreadable"
#define EC2_FROM " FROM current_items AS c WHERE c.resource_type = 'AWS::EC2::Instance'"
#define EC2_INDEX \
	"CREATE INDEX temp.ec2_instances_by_id ON ec2_instances(resource_id, account_id, region);"

const char ec2_instances_sql[] = "CREATE TEMP TABLE ec2_instances AS" EC2_SELECT EC2_FROM ";" EC2_INDEX;

/* The columns of current_items the expressions read, in the order of
 * their parameters in the per-item statement. */
static const char *const ec2_columns[] = { "c.item_key", "c.resource_type", "c.resource_id",
					   "c.account_id", "c.region", "c.status",
					   "c.capture_time", "c.configuration", "c.relationships" };
#define EC2_N_COLUMNS 9
#define EC2_N_VALUES 21

static const char ec2_items_sql[] =
	"SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	" c.capture_time, c.configuration, c.relationships" EC2_FROM;
static const char ec2_insert_sql[] =
	"INSERT INTO ec2_instances VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

/* The statement that inserts one item's row by the table's own
 * expressions, the item's columns bound as ?1-?9. */
static char *ec2_by_sql(void)
{
	char *sql = xstrdup("INSERT INTO ec2_instances" EC2_SELECT);

	for (int i = 0; i < EC2_N_COLUMNS; i++) {
		char param[16], *next;

		snprintf(param, sizeof(param), "?%d", i + 1);
		next = xstrreplace(sql, ec2_columns[i], param);
		free(sql);
		sql = next;
	}
	return sql;
}

/* One value read in place: what json_extract gives for it, or (lower)
 * lower() of that. */
struct ec2_val {
	struct jscan_val v; /* kind 0: NULL */
	int lower;
};

/* 1 when v is a value bound as json_extract (and lower()) gives it */
static int ec2_simple(const struct jscan_val *v, int lower)
{
	if (!jscan_extractable(v))
		return 0;
	if (!lower || v->kind == 0 || v->kind == JS_NULL)
		return 1;
	if (v->kind != JS_STR)
		return 0; /* lower() of a number: text */
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] >= 0x80)
			return 0; /* SQLite's lower() folds ASCII only: not taken here */
	return 1;
}

/* Bind v as json_extract gives it, lower-cased by SQLite's rule when
 * lower. */
static void ec2_bind(sqlite3_stmt *st, int i, const struct jscan_val *v, int lower)
{
	char *t;

	if (!lower || v->kind != JS_STR) {
		jscan_bind_extract(st, i, v);
		return;
	}
	t = xmalloc(v->len + 1);
	for (size_t k = 0; k < v->len; k++)
		t[k] = (v->s[k] >= 'A' && v->s[k] <= 'Z') ? (char)(v->s[k] + 32) : v->s[k];
	sqlite3_bind_text(st, i, t, (int)v->len, free);
}

/* a before b in SQLite's BINARY collation */
static int ec2_before(const struct jscan_val *a, const struct jscan_val *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);

	return c < 0 || (c == 0 && a->len < b->len);
}

/* nic_public_ip: the least non-empty text publicIp member anywhere
 * under v (json_tree visits every member, duplicates too). */
static void ec2_public_ip(void *ctx, const struct jscan_val *key, const struct jscan_val *x)
{
	struct jscan_val *best = ctx;

	if (JSCAN_IS(key, "publicIp") && x->kind == JS_STR && x->len &&
	    (!best->kind || ec2_before(x, best)))
		*best = *x;
}

static int ec2_public_ips(const struct jscan_val *v, struct jscan_val *best)
{
	return jscan_walk(v, ec2_public_ip, best);
}

/* 1 if an association member a (kind 0: absent) is not an object or
 * null, or its publicIp is not text or null; -1 when not plain */
static int ec2_bad_association(const struct jscan_val *a)
{
	struct jscan_val ip;

	if (a->kind == 0 || a->kind == JS_NULL)
		return 0;
	if (a->kind != JS_OBJ)
		return 1;
	if (jscan_member(a, "publicIp", 8, 0, &ip))
		return -1;
	return !(ip.kind == 0 || ip.kind == JS_NULL || ip.kind == JS_STR);
}

/* 1 if the interface x is not what the recorder writes (EC2_UNREADABLE),
 * 0 if it is, -1 when not plain */
static int ec2_bad_interface(const struct jscan_val *x)
{
	struct jscan_val assoc, pia, e, ea;
	struct jscan_iter it;
	int n, bad;

	if (x->kind != JS_OBJ)
		return 1;
	if (jscan_member(x, "association", 11, 0, &assoc) ||
	    jscan_member(x, "privateIpAddresses", 18, 0, &pia))
		return -1;
	if ((bad = ec2_bad_association(&assoc)) != 0)
		return bad;
	if (pia.kind == 0)
		return 0;
	if (pia.kind == JS_NULL)
		return 1; /* json_each gives it as one element, not an object */
	if (pia.kind != JS_ARR)
		return 1;
	jscan_iter_start(&it, &pia);
	while ((n = jscan_next(&it, NULL, &e)) > 0) {
		if (e.kind != JS_OBJ)
			return 1;
		if (jscan_member(&e, "association", 11, 0, &ea))
			return -1;
		if ((bad = ec2_bad_association(&ea)) != 0)
			return bad;
	}
	return n ? -1 : 0;
}

/* public_ip_unreadable (EC2_UNREADABLE) from publicIpAddress pub and
 * networkInterfaces nics, no public IP found under them: 0 with *why the
 * text or NULL, or -1 when not plain. */
static int ec2_unreadable(const struct jscan_val *pub, const struct jscan_val *nics,
			  const char **why)
{
	struct jscan_val k, x;
	struct jscan_iter it;
	int n, bad;

	*why = NULL;
	switch (pub->kind) {
	case JS_INT:
	case JS_REAL:
	case JS_TRUE:
	case JS_FALSE:
	case JS_ARR:
	case JS_OBJ:
		*why = EC2_NOT_STRING;
		return 0;
	case JS_STR:
		if (pub->len && (pub->s[0] == '[' || pub->s[0] == '{')) {
			*why = EC2_NOT_STRING;
			return 0;
		}
		if (pub->len)
			return 0;
		break;
	default:
		break;
	}
	if (nics->kind == 0 || nics->kind == JS_NULL)
		return 0;
	switch (nics->kind) {
	case JS_OBJ:
		/* json_each gives its members, none when it is empty */
		jscan_iter_start(&it, nics);
		n = jscan_next(&it, &k, &x);
		if (n < 0)
			return -1;
		if (n > 0)
			*why = EC2_NICS_PREFIX EC2_NICS_NOT_LIST;
		return 0;
	case JS_ARR:
		jscan_iter_start(&it, nics);
		while ((n = jscan_next(&it, NULL, &x)) > 0) {
			if ((bad = ec2_bad_interface(&x)) < 0)
				return -1;
			if (bad) {
				*why = EC2_NICS_PREFIX EC2_NICS_BAD;
				return 0;
			}
		}
		return n ? -1 : 0;
	default:
		*why = EC2_NICS_PREFIX EC2_NICS_NOT_LIST;
		return 0;
	}
}

/* related_vpc: the least resourceId of the relationship objects of type
 * AWS::EC2::VPC. 0, or 1 when the relationships are not simple. */
static int ec2_related_vpc(const char *rels, size_t len, struct jscan_val *best)
{
	struct jscan_val all, x, type, id;
	struct jscan_iter it;
	int n;

	best->kind = 0;
	if (jscan_doc(rels, len, &all) || all.kind != JS_ARR)
		return 1;
	jscan_iter_start(&it, &all);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind != JS_OBJ)
			continue;
		if (jscan_member(&x, "resourceType", 12, 0, &type))
			return 1;
		if (!JSCAN_IS(&type, "AWS::EC2::VPC"))
			continue;
		if (jscan_member(&x, "resourceId", 10, 0, &id))
			return 1;
		if (id.kind == 0 || id.kind == JS_NULL)
			continue;
		if (id.kind != JS_STR)
			return 1;
		if (!best->kind || ec2_before(&id, best))
			*best = id;
	}
	return n ? 1 : 0;
}

/* The members the table reads, first of duplicates as SQLite reads them. */
enum { M_STATE, M_REASON, M_VPC, M_PUBLIC, M_NICS, M_TYPE, M_EBS, M_META, M_MON, M_PROFILE, M_N };
static const char *const ec2_members[M_N] = {
	"state", "stateTransitionReason", "vpcId", "publicIpAddress", "networkInterfaces",
	"instanceType", "ebsOptimized", "metadataOptions", "monitoring", "iamInstanceProfile"
};
static const size_t ec2_member_len[M_N] = { 5, 21, 5, 15, 17, 12, 12, 15, 10, 18 };

/* The values of ?8-?20 of ec2_insert_sql read in place, and ?21's text
 * (or NULL) in *why: 0, or 1 when the item is not simple enough. */
static int ec2_scan(sqlite3_stmt *item, struct ec2_val out[13], const char **why)
{
	const char *config = (const char *)sqlite3_column_text(item, 7);
	size_t clen = (size_t)sqlite3_column_bytes(item, 7);
	const char *rels = (const char *)sqlite3_column_text(item, 8);
	struct jscan_val m[M_N], k, x, sub;
	struct jscan_iter it;
	int n;

	memset(out, 0, 13 * sizeof(*out));
	*why = NULL;
	if (!rels || ec2_related_vpc(rels, (size_t)sqlite3_column_bytes(item, 8), &out[4].v))
		return 1;
	out[0].v.kind = JS_INT;
	out[0].v.i = config != NULL;
	if (!config)
		return 0;
	for (int i = 0; i < M_N; i++)
		m[i].kind = 0;
	if (jscan_object_doc(config, clen, &it))
		return 1;
	while ((n = jscan_next(&it, &k, &x)) > 0)
		for (int i = 0; i < M_N; i++)
			if (!m[i].kind && k.len == ec2_member_len[i] &&
			    !memcmp(k.s, ec2_members[i], k.len))
				m[i] = x;
	if (n || jscan_doc_end(&it))
		return 1;
	/* ?9 state: lower(state.name); ?10 reason; ?11 vpc_id; ?12 related_vpc
	 * (above); ?13 public_ip_address; ?14 nic_public_ip; ?15 type; ?16
	 * ebs_optimized; ?17 http_tokens; ?18 http_endpoint; ?19 monitoring;
	 * ?20 profile_arn */
	if (jscan_member(&m[M_STATE], "name", 4, 0, &out[1].v))
		return 1;
	out[1].lower = 1;
	out[2].v = m[M_REASON];
	out[3].v = m[M_VPC];
	out[5].v = m[M_PUBLIC];
	if (ec2_public_ips(&m[M_NICS], &out[6].v))
		return 1;
	if (!out[6].v.kind && ec2_unreadable(&m[M_PUBLIC], &m[M_NICS], why))
		return 1;
	out[7].v = m[M_TYPE];
	out[7].lower = 1;
	out[8].v = m[M_EBS];
	if (jscan_member(&m[M_META], "httpTokens", 10, 0, &out[9].v) ||
	    jscan_member(&m[M_META], "httpEndpoint", 12, 0, &out[10].v) ||
	    jscan_member(&m[M_MON], "state", 5, 0, &sub) ||
	    jscan_member(&m[M_PROFILE], "arn", 3, 0, &out[12].v))
		return 1;
	out[9].lower = 1;
	out[11].v = sub;
	out[11].lower = 1;
	for (int i = 0; i < 13; i++)
		if (!ec2_simple(&out[i].v, out[i].lower))
			return 1;
	return 0;
}

/* The rest of ec2_insert_sql's row (?8-?20) read in place: 0, or 1. */
static int ec2_row(sqlite3_stmt *item, sqlite3_stmt *ins)
{
	struct ec2_val v[13];
	const char *why;

	if (ec2_scan(item, v, &why))
		return 1;
	for (int i = 0; i < 13; i++)
		ec2_bind(ins, 8 + i, &v[i].v, v[i].lower);
	if (why)
		sqlite3_bind_text(ins, 21, why, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ins, 21);
	return 0;
}

int ec2_build_instances(struct store *s, struct diag *d)
{
	char *create = xstrfmt("CREATE TEMP TABLE ec2_instances AS%s%s AND 0", EC2_SELECT, EC2_FROM);
	char *fallback = ec2_by_sql();
	struct jscan_fill f = { "cannot build ec2_instances", create, ec2_items_sql, ec2_insert_sql,
				fallback, EC2_INDEX, 7, EC2_N_COLUMNS, ec2_row };
	int rc = jscan_fill(s, &f, d);

	free(create);
	free(fallback);
	return rc;
}
