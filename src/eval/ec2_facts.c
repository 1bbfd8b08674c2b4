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

/* Call fn with the resourceId member (kind 0 when absent) of each
 * relationship object of type (as the relationships view reads them)
 * in the item's relationships text. 0, or 1 when the relationships are
 * not a plain list or fn returns 1 (a resourceId it cannot take). */
static int ec2_each_related(const char *rels, size_t len, const char *type, size_t tlen,
			    int (*fn)(void *ctx, const struct jscan_val *id), void *ctx)
{
	struct jscan_val all, x, t, id;
	struct jscan_iter it;
	int n;

	if (jscan_doc(rels, len, &all) || all.kind != JS_ARR)
		return 1;
	jscan_iter_start(&it, &all);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind != JS_OBJ)
			continue;
		if (jscan_member(&x, "resourceType", 12, 0, &t))
			return 1;
		if (!jscan_is(&t, type, tlen))
			continue;
		if (jscan_member(&x, "resourceId", 10, 0, &id) || fn(ctx, &id))
			return 1;
	}
	return n ? 1 : 0;
}

/* related_vpc: the least text resourceId (ec2_each_related) */
static int ec2_least_id(void *ctx, const struct jscan_val *id)
{
	struct jscan_val *best = ctx;

	if (id->kind == 0 || id->kind == JS_NULL)
		return 0;
	if (id->kind != JS_STR)
		return 1;
	if (!best->kind || ec2_before(id, best))
		*best = *id;
	return 0;
}

/* related_vpc: the least resourceId of the relationship objects of type
 * AWS::EC2::VPC. 0, or 1 when the relationships are not simple. */
static int ec2_related_vpc(const char *rels, size_t len, struct jscan_val *best)
{
	best->kind = 0;
	return ec2_each_related(rels, len, "AWS::EC2::VPC", 13, ec2_least_id, best);
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

/*
 * ec2_volumes: one row per current AWS::EC2::Volume item, and
 * ec2_volume_attachments: one row per attachment of a recorded volume
 * that can name a live instance, read once per run for
 * ec2-volume-inuse-check (which read them per volume through json_each,
 * a second parse of each configuration).
 *   ec2_volumes: item_key, resource_type, resource_id, account_id,
 *   region, status (as in current_items); recorded (1 when the item has
 *   a configuration); state (configuration.state as json_extract gives
 *   it); attachments_garbled (1 when configuration.attachments is
 *   present but neither a list nor null).
 *   ec2_volume_attachments: item_key (the volume's); instance_id and
 *   delete_on_termination (as json_extract gives them) of each element of
 *   attachments (as json_each gives them: a null attachments is one null
 *   element) that is an object with a text or null instanceId and state,
 *   a non-NULL instanceId and a state other than detached in any case;
 *   one row with both NULL for each other element (it cannot be read);
 *   and for a volume without attachments (absent or null), one row per
 *   relationship to an AWS::EC2::Instance with a resourceId (as the
 *   relationships view gives it; delete_on_termination NULL). Nothing
 *   for a volume whose attachments are garbled.
 * The statements below define both tables; the rows are read in C where
 * the item is plain (jscan) and by those statements otherwise.
 */
#define VOL_FROM(extra) \
	" FROM current_items AS c WHERE c.resource_type = 'AWS::EC2::Volume'" extra
#define VOL_ATT_TYPE "coalesce(json_type(c.configuration, '$.attachments'), 'null')"
#define VOL_SELECT \
	" SELECT c.item_key AS item_key, c.resource_type AS resource_type," \
	"  c.resource_id AS resource_id, c.account_id AS account_id, c.region AS region," \
	"  c.status AS status, c.configuration IS NOT NULL AS recorded," \
	"  json_extract(c.configuration, '$.state') AS state," \
	"  " VOL_ATT_TYPE " NOT IN ('array', 'null') AS attachments_garbled"
#define VOL_ATT_SELECT(extra) \
	" SELECT item_key, CASE WHEN NOT bad THEN iid END AS instance_id," \
	"  CASE WHEN NOT bad THEN del END AS delete_on_termination" \
	" FROM (SELECT c.item_key AS item_key," \
	"   a.type <> 'object'" \
	"   OR coalesce(json_type(c.configuration, a.fullkey || '.instanceId'), 'null')" \
	"      NOT IN ('text', 'null')" \
	"   OR coalesce(json_type(c.configuration, a.fullkey || '.state'), 'null')" \
	"      NOT IN ('text', 'null') AS bad," \
	"   json_extract(c.configuration, a.fullkey || '.instanceId') AS iid," \
	"   json_extract(c.configuration, a.fullkey || '.state') AS st," \
	"   json_extract(c.configuration, a.fullkey || '.deleteOnTermination') AS del" \
	"  FROM current_items AS c, json_each(c.configuration, '$.attachments') AS a" \
	"  WHERE c.resource_type = 'AWS::EC2::Volume' AND " VOL_ATT_TYPE " IN ('array', 'null')" \
	extra ")" \
	" WHERE bad OR iid IS NOT NULL AND coalesce(lower(st), '') <> 'detached'" \
	" UNION ALL" \
	" SELECT c.item_key, r.related_id, NULL" \
	" FROM current_items AS c JOIN relationships AS r" \
	"  ON r.resource_type = c.resource_type AND r.resource_id = c.resource_id" \
	"  AND r.account_id = c.account_id AND r.region = c.region" \
	" WHERE c.resource_type = 'AWS::EC2::Volume' AND c.configuration IS NOT NULL" \
	"  AND " VOL_ATT_TYPE " = 'null'" \
	"  AND r.related_type = 'AWS::EC2::Instance' AND r.related_id IS NOT NULL" extra
/* The items read the general way (not plain) */
#define VOL_REDO " AND c.item_key IN (SELECT item_key FROM temp.ec2_volume_redo)"

const char ec2_volumes_sql[] =
	"CREATE TEMP TABLE ec2_volumes AS" VOL_SELECT VOL_FROM("") ";"
	"CREATE TEMP TABLE ec2_volume_attachments AS" VOL_ATT_SELECT("") ";";

/* Both tables are built together: what a failed build of the other
 * left is dropped first. */
static const char vol_create_sql[] =
	"DROP TABLE IF EXISTS temp.ec2_volumes;"
	"DROP TABLE IF EXISTS temp.ec2_volume_attachments;"
	"DROP TABLE IF EXISTS temp.ec2_volume_redo;"
	"CREATE TEMP TABLE ec2_volumes AS" VOL_SELECT VOL_FROM(" AND 0") ";"
	"CREATE TEMP TABLE ec2_volume_attachments AS SELECT * FROM (" VOL_ATT_SELECT("")
	") WHERE 0;"
	"CREATE TEMP TABLE ec2_volume_redo(item_key);";
static const char vol_items_sql[] =
	"SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	" c.configuration, c.relationships" VOL_FROM("");
static const char vol_insert_sql[] =
	"INSERT INTO ec2_volumes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char vol_att_insert_sql[] = "INSERT INTO ec2_volume_attachments VALUES (?1, ?2, ?3)";
static const char vol_redo_insert_sql[] = "INSERT INTO ec2_volume_redo VALUES (?1)";
static const char vol_redo_sql[] =
	"INSERT INTO ec2_volumes" VOL_SELECT VOL_FROM(VOL_REDO) ";"
	"INSERT INTO ec2_volume_attachments" VOL_ATT_SELECT(VOL_REDO) ";";
static const char vol_end_sql[] =
	"DROP TABLE temp.ec2_volume_redo;"
	"CREATE INDEX temp.ec2_volume_attachments_by_item ON ec2_volume_attachments(item_key);";

/* One row of ec2_volume_attachments read in place (kind 0: NULL). */
struct vol_att {
	struct jscan_val iid, del;
};

/* What a plain volume gives: its state and attachment rows. */
struct vol_scan {
	struct jscan_val state;
	int garbled;
	struct vol_att *att;
	size_t n, alloc;
};

static void vol_add(struct vol_scan *v, const struct jscan_val *iid, const struct jscan_val *del)
{
	if (v->n == v->alloc) {
		v->alloc = v->alloc ? 2 * v->alloc : 8;
		v->att = xrealloc(v->att, v->alloc * sizeof(*v->att));
	}
	memset(&v->att[v->n], 0, sizeof(v->att[v->n]));
	if (iid)
		v->att[v->n].iid = *iid;
	if (del)
		v->att[v->n].del = *del;
	v->n++;
}

/* One element x of attachments: 0, or 1 when not plain. */
static int vol_element(struct vol_scan *v, const struct jscan_val *x)
{
	struct jscan_val iid, st, del;

	if (x->kind != JS_OBJ) {
		vol_add(v, NULL, NULL);
		return 0;
	}
	if (jscan_member(x, "instanceId", 10, 0, &iid) || jscan_member(x, "state", 5, 0, &st) ||
	    jscan_member(x, "deleteOnTermination", 19, 0, &del))
		return 1;
	if ((iid.kind && iid.kind != JS_NULL && iid.kind != JS_STR) ||
	    (st.kind && st.kind != JS_NULL && st.kind != JS_STR)) {
		vol_add(v, NULL, NULL);
		return 0;
	}
	if (iid.kind != JS_STR || (st.kind == JS_STR && st.len == 8 && jscan_like_eq(st.s, "detached", 8)))
		return 0;
	if (!jscan_extractable(&del))
		return 1;
	vol_add(v, &iid, &del);
	return 0;
}

/* A relationship to an instance with a resourceId: a row (NULL
 * delete_on_termination) when json_extract gives it as read. */
static int vol_related(void *ctx, const struct jscan_val *id)
{
	if (id->kind == 0 || id->kind == JS_NULL)
		return 0;
	if (!jscan_extractable(id))
		return 1;
	vol_add(ctx, id, NULL);
	return 0;
}

/* The relationships to instances (the relationships view's rows):
 * 0, or 1 when not plain. */
static int vol_relationships(struct vol_scan *v, const char *rels, size_t len)
{
	return rels ? ec2_each_related(rels, len, "AWS::EC2::Instance", 18, vol_related, v) : 0;
}

/* Read a volume item (vol_items_sql's row) in place: 0, or 1 when it is
 * not plain. */
static int vol_scan(sqlite3_stmt *item, struct vol_scan *v)
{
	const char *config = (const char *)sqlite3_column_text(item, 6);
	struct jscan_val k, x, att = { 0 };
	struct jscan_iter it;
	int n, have_state = 0, have_att = 0;

	v->n = 0;
	v->garbled = 0;
	memset(&v->state, 0, sizeof(v->state));
	if (!config)
		return 0;
	if (jscan_object_doc(config, (size_t)sqlite3_column_bytes(item, 6), &it))
		return 1;
	while ((n = jscan_next(&it, &k, &x)) > 0) {
		if (!have_state && JSCAN_IS(&k, "state")) {
			v->state = x;
			have_state = 1;
		} else if (!have_att && JSCAN_IS(&k, "attachments")) {
			att = x;
			have_att = 1;
		}
	}
	if (n || jscan_doc_end(&it) || !jscan_extractable(&v->state))
		return 1;
	switch ((int)att.kind) {
	case JS_ARR:
		jscan_iter_start(&it, &att);
		while ((n = jscan_next(&it, NULL, &x)) > 0)
			if (vol_element(v, &x))
				return 1;
		return n ? 1 : 0;
	case JS_NULL:
		vol_add(v, NULL, NULL); /* json_each's one null element */
		/* fall through */
	case 0:
		return vol_relationships(v, (const char *)sqlite3_column_text(item, 7),
					 (size_t)sqlite3_column_bytes(item, 7));
	default:
		v->garbled = 1;
		return 0;
	}
}

/* Insert the rows of a volume read in place. Returns 0, or -1. */
static int vol_insert(sqlite3_stmt *item, const struct vol_scan *v, sqlite3_stmt *ins,
		      sqlite3_stmt *ins_att)
{
	for (int c = 0; c < 6; c++)
		sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, c));
	sqlite3_bind_int(ins, 7, sqlite3_column_type(item, 6) != SQLITE_NULL);
	jscan_bind_extract(ins, 8, &v->state);
	sqlite3_bind_int(ins, 9, v->garbled);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ins);
	for (size_t i = 0; i < v->n; i++) {
		sqlite3_bind_value(ins_att, 1, sqlite3_column_value(item, 0));
		jscan_bind_extract(ins_att, 2, &v->att[i].iid);
		jscan_bind_extract(ins_att, 3, &v->att[i].del);
		if (sqlite3_step(ins_att) != SQLITE_DONE)
			return -1;
		sqlite3_reset(ins_att);
	}
	return 0;
}

int ec2_build_volumes(struct store *s, struct diag *d)
{
	sqlite3_stmt *item = NULL, *ins = NULL, *ins_att = NULL, *redo = NULL;
	struct vol_scan v = { 0 };
	int rc = -1, step, any_redo = 0;

	if (store_exec(s, vol_create_sql, d) || !(item = store_prepare(s, vol_items_sql, d)) ||
	    !(ins = store_prepare(s, vol_insert_sql, d)) ||
	    !(ins_att = store_prepare(s, vol_att_insert_sql, d)) ||
	    !(redo = store_prepare(s, vol_redo_insert_sql, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		if (vol_scan(item, &v)) {
			any_redo = 1;
			sqlite3_bind_value(redo, 1, sqlite3_column_value(item, 0));
			if (sqlite3_step(redo) != SQLITE_DONE)
				break;
			sqlite3_reset(redo);
		} else if (vol_insert(item, &v, ins, ins_att)) {
			break;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build ec2_volumes");
		goto out;
	}
	if (any_redo && store_exec(s, vol_redo_sql, d))
		goto out;
	rc = store_exec(s, vol_end_sql, d);
out:
	free(v.att);
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(ins_att);
	sqlite3_finalize(redo);
	return rc;
}
