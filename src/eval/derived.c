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
#include "eval/backup.h"
#include "eval/ec2_facts.h"
#include "eval/evidence_tables.h"
#include "eval/landing_tables.h"
#include "eval/s3_facts.h"
#include "util/jparse.h"
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
static const char sg_create_sql[] =
	"CREATE TEMP TABLE security_group_sources(item_key, account_id, region, resource_id,"
	" permission, ip_protocol, from_port, to_port, cidr, open)";
/* The rules read only the sources open to the world (open = 1), a
 * fraction of them, grouped by group and permission: the second index
 * gives those rows in that order without reading the table. */
static const char sg_index_sql[] =
	"CREATE INDEX temp.security_group_sources_by_item ON security_group_sources(item_key);"
	"CREATE INDEX temp.security_group_sources_open ON security_group_sources(item_key,"
	" permission, ip_protocol, from_port, to_port, cidr, account_id, region, resource_id)"
	" WHERE open = 1";
static const char sg_items_sql[] =
	"SELECT item_key, account_id, region, resource_id, configuration, resource_type, status"
	" FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'";
static const char sg_insert_sql[] =
	"INSERT INTO security_group_sources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" cidr_is_open(?9))";

/*
 * security_groups: one row per current security group, built in the same
 * pass (so that the rules over security_group_sources need not read each
 * group's item again only to tell whether it was recorded):
 *   item_key, resource_type, resource_id, account_id, region, status,
 *   recorded  -- 1 when the item has a configuration
 */
static const char sgs_create_sql[] =
	"CREATE TEMP TABLE security_groups(item_key, resource_type, resource_id, account_id,"
	" region, status, recorded)";
static const char sgs_insert_sql[] =
	"INSERT INTO security_groups VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* Bind v as SQLite's ->> would return it. */
static void bind_json(sqlite3_stmt *st, int i, json_t *v)
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

static int build_sg_sources(struct store *s, struct diag *d)
{
	sqlite3_stmt *item = NULL, *ins = NULL, *gins = NULL;
	int rc = -1, step;

	if (store_exec(s, sg_create_sql, d) || store_exec(s, sgs_create_sql, d))
		return -1;
	item = store_prepare(s, sg_items_sql, d);
	ins = store_prepare(s, sg_insert_sql, d);
	gins = store_prepare(s, sgs_insert_sql, d);
	if (!item || !ins || !gins)
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		struct jparse_error je;
		struct sg_row r = { item, ins, NULL, NULL };
		struct elements e;
		const char *key;
		char path[512];
		json_t *config;
		size_t n = 0;

		if (insert_group(item, gins)) {
			store_error(s, d, "cannot build security_groups");
			goto out;
		}
		if (sqlite3_column_type(item, 4) == SQLITE_NULL)
			continue;
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
	rc = store_exec(s, sg_index_sql, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(gins);
	return rc;
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
static const char iam_docs_sql[] =
	"CREATE TEMP TABLE iam_policy_default_documents AS"
	" SELECT c.item_key, c.account_id, c.resource_id, c.resource_type, c.region, c.status,"
	"  c.configuration IS NOT NULL AS recorded,"
	"  coalesce(json_extract(c.configuration, '$.arn') LIKE 'arn:%:iam::aws:policy/%', 0)"
	"   AS aws_managed,"
	"  coalesce(json_extract(c.configuration, '$.permissionsBoundaryUsageCount'), 0)"
	"   AS boundary_uses,"
	"  coalesce("
	"   (SELECT json_extract(c.configuration, v.fullkey || '.document')"
	"    FROM json_each(c.configuration, '$.policyVersionList') AS v"
	"    WHERE v.type = 'object'"
	"     AND json_extract(c.configuration, v.fullkey || '.isDefaultVersion') IN (1, 'true')"
	"     AND json_type(c.configuration, v.fullkey || '.document') IN ('object', 'text')"
	"    LIMIT 1),"
	"   (SELECT json_extract(c.configuration, v.fullkey || '.document')"
	"    FROM json_each(c.configuration, '$.policyVersionList') AS v"
	"    WHERE v.type = 'object'"
	"     AND json_extract(c.configuration, v.fullkey || '.versionId')"
	"         = json_extract(c.configuration, '$.defaultVersionId')"
	"     AND json_type(c.configuration, v.fullkey || '.document') IN ('object', 'text')"
	"    LIMIT 1)) AS document"
	" FROM current_items AS c WHERE c.resource_type = 'AWS::IAM::Policy';"
	"CREATE INDEX temp.iam_policy_default_documents_by_item"
	" ON iam_policy_default_documents(item_key);";

static int build_iam_docs(struct store *s, struct diag *d)
{
	return store_exec(s, iam_docs_sql, d);
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

static int build_kms_keys(struct store *s, struct diag *d)
{
	return store_exec(s, kms_keys_sql, d);
}

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

static int build_elb_listeners(struct store *s, struct diag *d)
{
	return store_exec(s, elb_listeners_sql, d);
}

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

static int build_ecs_task_definitions(struct store *s, struct diag *d)
{
	return store_exec(s, ecs_task_definitions_sql, d);
}

static int build_ecs_containers(struct store *s, struct diag *d)
{
	return store_exec(s, ecs_containers_sql, d);
}

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

static int build_beanstalk_options(struct store *s, struct diag *d)
{
	return store_exec(s, beanstalk_options_sql, d);
}

/*
 * The AWS Backup tables, shared by the *_IN_BACKUP_PLAN,
 * *_RESOURCES_PROTECTED_BY_BACKUP_PLAN and backup plan rules.
 *
 * backup_selected_resources: one row per (current resource of a type AWS
 * Backup protects, current backup selection of the same account and
 * region that assigns it to its plan) -- item_key, account_id, region,
 * resource_type, resource_id (the resource), selection_key (the
 * selection item's key), selection_id, selection_name, plan_id, and
 * matched_by (what selected it, for annotations). Selections come from
 * AWS::Backup::BackupSelection items (the BackupPlan item does not record
 * its selections); the matching is backup_selection_selects() in C. Plans
 * are regional: a selection assigns resources of its own account and
 * region only, whatever its ARN patterns say.
 */
static const char bsel_create_sql[] =
	"CREATE TEMP TABLE backup_selected_resources(item_key, account_id, region,"
	" resource_type, resource_id, selection_key, selection_id, selection_name, plan_id,"
	" matched_by)";
static const char bsel_index_sql[] =
	"CREATE INDEX temp.backup_selected_resources_by_item"
	" ON backup_selected_resources(item_key)";
static const char bsel_selections_sql[] =
	"SELECT item_key, account_id, region, resource_id, configuration FROM current_items"
	" WHERE resource_type = 'AWS::Backup::BackupSelection' AND configuration IS NOT NULL";
/* The Config resource types of what AWS Backup can protect. */
#define BACKUP_TYPES \
	"'AWS::EC2::Volume', 'AWS::EC2::Instance', 'AWS::DynamoDB::Table'," \
	" 'AWS::EFS::FileSystem', 'AWS::FSx::FileSystem', 'AWS::RDS::DBInstance'," \
	" 'AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::Redshift::Cluster'," \
	" 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::Timestream::Table'," \
	" 'AWS::CloudFormation::Stack', 'AWS::BackupGateway::VirtualMachine'," \
	" 'AWS::StorageGateway::Volume'"
static const char bsel_candidates_sql[] =
	"SELECT item_key, resource_type, resource_id, arn, tags FROM current_items"
	" WHERE account_id = ?1 AND region = ?2 AND resource_type IN (" BACKUP_TYPES ")";
static const char bsel_insert_sql[] =
	"INSERT INTO backup_selected_resources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static json_t *parse_column(sqlite3_stmt *st, int col)
{
	struct jparse_error je;
	const char *text = (const char *)sqlite3_column_text(st, col);

	return text ? jparse(text, (size_t)sqlite3_column_bytes(st, col), 0, 0, &je) : NULL;
}

/* The candidates of one account and Region, read once for all the
 * selections there: a store with many selections per Region read and
 * parsed each candidate's tags once per selection. */
struct bsel_candidate {
	sqlite3_value *key, *type, *id;
	char *arn;
	char *tags_text; /* NULL when not recorded */
	json_t *tags;    /* parsed on first use */
	int tags_parsed;
};

struct bsel_place {
	char *account, *region;
	struct bsel_candidate *c;
	size_t n;
};

struct bsel_cache {
	struct bsel_place *p;
	size_t n, cap;
};

static char *dup_column(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	return t ? xstrdup(t) : NULL;
}

static int str_eq_null(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* The candidates of the current selection's account and Region (NULL on
 * a database error). */
static struct bsel_place *bsel_place(struct bsel_cache *cache, sqlite3_stmt *sel,
				     sqlite3_stmt *cand)
{
	const char *acc = (const char *)sqlite3_column_text(sel, 1);
	const char *reg = (const char *)sqlite3_column_text(sel, 2);
	struct bsel_place *pl;
	size_t cap = 0;
	int step;

	for (size_t i = 0; i < cache->n; i++)
		if (str_eq_null(cache->p[i].account, acc) && str_eq_null(cache->p[i].region, reg))
			return &cache->p[i];
	if (cache->n == cache->cap) {
		cache->cap = cache->cap ? 2 * cache->cap : 16;
		cache->p = xrealloc(cache->p, cache->cap * sizeof(*cache->p));
	}
	pl = &cache->p[cache->n++];
	pl->account = acc ? xstrdup(acc) : NULL;
	pl->region = reg ? xstrdup(reg) : NULL;
	pl->c = NULL;
	pl->n = 0;
	sqlite3_reset(cand);
	sqlite3_bind_value(cand, 1, sqlite3_column_value(sel, 1));
	sqlite3_bind_value(cand, 2, sqlite3_column_value(sel, 2));
	while ((step = sqlite3_step(cand)) == SQLITE_ROW) {
		struct bsel_candidate *c;

		if (pl->n == cap) {
			cap = cap ? 2 * cap : 64;
			pl->c = xrealloc(pl->c, cap * sizeof(*pl->c));
		}
		c = &pl->c[pl->n++];
		c->key = sqlite3_value_dup(sqlite3_column_value(cand, 0));
		c->type = sqlite3_value_dup(sqlite3_column_value(cand, 1));
		c->id = sqlite3_value_dup(sqlite3_column_value(cand, 2));
		if (!c->key || !c->type || !c->id)
			abort(); /* out of memory */
		c->arn = dup_column(cand, 3);
		c->tags_text = dup_column(cand, 4);
		c->tags = NULL;
		c->tags_parsed = 0;
	}
	sqlite3_reset(cand);
	return step == SQLITE_DONE ? pl : NULL;
}

static void bsel_cache_free(struct bsel_cache *cache)
{
	for (size_t i = 0; i < cache->n; i++) {
		struct bsel_place *pl = &cache->p[i];

		for (size_t j = 0; j < pl->n; j++) {
			sqlite3_value_free(pl->c[j].key);
			sqlite3_value_free(pl->c[j].type);
			sqlite3_value_free(pl->c[j].id);
			free(pl->c[j].arn);
			free(pl->c[j].tags_text);
			json_decref(pl->c[j].tags);
		}
		free(pl->c);
		free(pl->account);
		free(pl->region);
	}
	free(cache->p);
}

static json_t *candidate_tags(struct bsel_candidate *c)
{
	struct jparse_error je;

	if (!c->tags_parsed) {
		c->tags = c->tags_text ? jparse(c->tags_text, strlen(c->tags_text), 0, 0, &je) : NULL;
		c->tags_parsed = 1;
	}
	return c->tags;
}

/* The elements of a list as backup_selection_selects() reads it: an
 * array's elements, or a lone non-null value. */
static size_t sel_list_size(json_t *v)
{
	return json_is_array(v) ? json_array_size(v) : (v && !json_is_null(v)) ? 1 : 0;
}

static json_t *sel_list_get(json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

/* Does a string of the Resources list match arn (as
 * backup_selection_selects() tests it)? */
static int resources_match(json_t *resources, const char *arn)
{
	for (size_t i = 0, n = sel_list_size(resources); i < n; i++) {
		const char *pat = json_string_value(sel_list_get(resources, i));

		if (pat && backup_glob(pat, arn ? arn : ""))
			return 1;
	}
	return 0;
}

/* Rows for one selection (the current row of sel). */
static int select_resources(sqlite3_stmt *sel, struct bsel_place *pl, sqlite3_stmt *ins,
			    json_t *config)
{
	json_t *body = json_object_get(config, "BackupSelection");
	json_t *sid = json_object_get(config, "SelectionId");
	json_t *resources, *list_of_tags;
	size_t n_res = 0, n_tags = 0;
	int needs_tags, by_arn_only;

	if (!json_is_object(body))
		body = config; /* the selection's fields at the top */
	/* Parse each resource's tags only for a selection that reads them. */
	needs_tags = json_object_get(body, "ListOfTags") || json_object_get(body, "Conditions");
	/* A selection with Resources and no ListOfTags entry selects only
	 * what a Resources pattern matches: a quick test first (most
	 * candidates are of other types). */
	resources = json_object_get(body, "Resources");
	list_of_tags = json_object_get(body, "ListOfTags");
	for (size_t i = 0, n = sel_list_size(resources); i < n; i++)
		n_res += json_is_string(sel_list_get(resources, i));
	for (size_t i = 0, n = sel_list_size(list_of_tags); i < n; i++)
		n_tags += json_is_object(sel_list_get(list_of_tags, i));
	by_arn_only = n_res > 0 && n_tags == 0;
	for (size_t i = 0; i < pl->n; i++) {
		struct bsel_candidate *c = &pl->c[i];
		json_t *tags;
		char why[256];
		int hit;

		if (by_arn_only && !resources_match(resources, c->arn))
			continue;
		tags = needs_tags ? candidate_tags(c) : NULL;
		hit = backup_selection_selects(body, c->arn, tags, why, sizeof(why));

		if (!hit)
			continue;
		sqlite3_bind_value(ins, 1, c->key);
		sqlite3_bind_value(ins, 2, sqlite3_column_value(sel, 1));
		sqlite3_bind_value(ins, 3, sqlite3_column_value(sel, 2));
		sqlite3_bind_value(ins, 4, c->type);
		sqlite3_bind_value(ins, 5, c->id);
		sqlite3_bind_value(ins, 6, sqlite3_column_value(sel, 0));
		if (json_is_string(sid))
			bind_json(ins, 7, sid);
		else
			sqlite3_bind_value(ins, 7, sqlite3_column_value(sel, 3));
		bind_json(ins, 8, json_object_get(body, "SelectionName"));
		bind_json(ins, 9, json_object_get(config, "BackupPlanId"));
		sqlite3_bind_text(ins, 10, why, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return -1;
		sqlite3_reset(ins);
	}
	return 0;
}

static int build_backup_selected(struct store *s, struct diag *d)
{
	sqlite3_stmt *sel = NULL, *cand = NULL, *ins = NULL;
	struct bsel_cache cache = { NULL, 0, 0 };
	int rc = -1, step;

	if (store_exec(s, bsel_create_sql, d))
		return -1;
	sel = store_prepare(s, bsel_selections_sql, d);
	cand = store_prepare(s, bsel_candidates_sql, d);
	ins = store_prepare(s, bsel_insert_sql, d);
	if (!sel || !cand || !ins)
		goto out;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		json_t *config = parse_column(sel, 4);
		struct bsel_place *pl = config ? bsel_place(&cache, sel, cand) : NULL;
		int bad = config && (!pl || select_resources(sel, pl, ins, config));

		json_decref(config);
		if (bad) {
			store_error(s, d, "cannot build backup_selected_resources");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build backup_selected_resources");
		goto out;
	}
	rc = store_exec(s, bsel_index_sql, d);
out:
	bsel_cache_free(&cache);
	sqlite3_finalize(sel);
	sqlite3_finalize(cand);
	sqlite3_finalize(ins);
	return rc;
}

/*
 * backup_plan_rules: one row per rule of a current AWS::Backup::BackupPlan
 * item -- plan_key, account_id, region, plan_id (configuration
 * BackupPlanId, else the resource id), plan_arn, plan_name, rule_name,
 * schedule (ScheduleExpression), frequency_hours (the longest gap between
 * two runs of the schedule, backup_cron_max_gap_hours(); NULL when the
 * schedule is absent or unreadable), retention_days
 * (Lifecycle.DeleteAfterDays; NULL: kept until deleted), continuous (1
 * when EnableContinuousBackup is true), target_vault (the vault's name),
 * copy_regions and copy_accounts (JSON arrays of the regions and accounts
 * of the CopyActions' DestinationBackupVaultArn), and the target vault's
 * item: vault_key (NULL when no current AWS::Backup::BackupVault of that
 * name is recorded in the plan's account and region), vault_locked (1
 * when the vault records a LockConfiguration or Locked true, 0 for
 * Locked false, NULL when the item does not say), lock_min_days and
 * lock_max_days (its Min/MaxRetentionDays). Rules are read from
 * BackupPlan.BackupPlanRule (the Config/CloudFormation shape) or
 * BackupPlan.Rules (the API shape), an array or a lone object, or, when
 * neither is there, from rule fields right under BackupPlan (which
 * Config's property schema also lists) as one rule.
 */
static const char bpr_create_sql[] =
	"CREATE TEMP TABLE backup_plan_rules(plan_key, account_id, region, plan_id, plan_arn,"
	" plan_name, rule_name, schedule, frequency_hours, retention_days, continuous,"
	" target_vault, copy_regions, copy_accounts, vault_key, vault_locked, lock_min_days,"
	" lock_max_days)";
static const char bpr_plans_sql[] =
	"SELECT item_key, account_id, region, resource_id, arn, configuration FROM current_items"
	" WHERE resource_type = 'AWS::Backup::BackupPlan' AND configuration IS NOT NULL";
static const char bpr_insert_sql[] =
	"INSERT INTO backup_plan_rules VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, NULL, NULL, NULL, NULL)";
static const char bpr_vault_sql[] =
	"UPDATE backup_plan_rules SET vault_key = ("
	"  SELECT v.item_key FROM current_items AS v"
	"  WHERE v.resource_type = 'AWS::Backup::BackupVault'"
	"   AND v.account_id = backup_plan_rules.account_id AND v.region = backup_plan_rules.region"
	"   AND backup_plan_rules.target_vault IN (v.resource_id, v.resource_name,"
	"    json_extract(v.configuration, '$.BackupVaultName'))"
	"  ORDER BY v.configuration IS NULL LIMIT 1);"
	"UPDATE backup_plan_rules SET"
	" vault_locked = (SELECT CASE"
	"   WHEN json_type(v.configuration, '$.LockConfiguration') = 'object' THEN 1"
	"   WHEN json_extract(v.configuration, '$.Locked') IN (1, 'true') THEN 1"
	"   WHEN json_extract(v.configuration, '$.Locked') IN (0, 'false') THEN 0 END"
	"  FROM current_items AS v WHERE v.item_key = backup_plan_rules.vault_key),"
	" lock_min_days = (SELECT coalesce("
	"   json_extract(v.configuration, '$.LockConfiguration.MinRetentionDays'),"
	"   json_extract(v.configuration, '$.MinRetentionDays'))"
	"  FROM current_items AS v WHERE v.item_key = backup_plan_rules.vault_key),"
	" lock_max_days = (SELECT coalesce("
	"   json_extract(v.configuration, '$.LockConfiguration.MaxRetentionDays'),"
	"   json_extract(v.configuration, '$.MaxRetentionDays'))"
	"  FROM current_items AS v WHERE v.item_key = backup_plan_rules.vault_key)"
	" WHERE vault_key IS NOT NULL;"
	"CREATE INDEX temp.backup_plan_rules_by_plan"
	" ON backup_plan_rules(account_id, region, plan_id);";

/* Field n (0-based, ':'-separated) of an ARN, appended to set once. */
static void add_arn_field(json_t *set, const char *arn, int n)
{
	const char *p = arn, *e;
	size_t i;

	for (int k = 0; p && k < n; k++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p)
		return;
	e = strchr(p, ':');
	if (!e || e == p)
		return;
	for (i = 0; i < json_array_size(set); i++) {
		const char *v = json_string_value(json_array_get(set, i));

		if (strlen(v) == (size_t)(e - p) && strncmp(v, p, (size_t)(e - p)) == 0)
			return;
	}
	json_array_append_new(set, json_stringn(p, (size_t)(e - p)));
}

static int insert_plan_rule(sqlite3_stmt *plan, sqlite3_stmt *ins, json_t *config, json_t *rule)
{
	json_t *body = json_object_get(config, "BackupPlan");
	json_t *id = json_object_get(config, "BackupPlanId");
	json_t *arn = json_object_get(config, "BackupPlanArn");
	json_t *copies = json_object_get(rule, "CopyActions");
	json_t *lifecycle = json_object_get(rule, "Lifecycle");
	json_t *vault = json_object_get(rule, "TargetBackupVault");
	json_t *regions = json_array(), *accounts = json_array();
	const char *schedule = json_string_value(json_object_get(rule, "ScheduleExpression"));
	json_t *cont = json_object_get(rule, "EnableContinuousBackup");
	double gap = backup_cron_max_gap_hours(schedule);
	struct elements e;
	const char *key;
	json_t *copy;
	int rc;

	elements_start(&e, json_is_object(copies) ? json_pack("[O]", copies) : json_incref(copies));
	while ((copy = elements_next(&e, &key))) {
		const char *dest =
			json_string_value(json_object_get(copy, "DestinationBackupVaultArn"));

		add_arn_field(regions, dest, 3);
		add_arn_field(accounts, dest, 4);
	}
	json_decref(e.v);
	sqlite3_bind_value(ins, 1, sqlite3_column_value(plan, 0));
	sqlite3_bind_value(ins, 2, sqlite3_column_value(plan, 1));
	sqlite3_bind_value(ins, 3, sqlite3_column_value(plan, 2));
	if (json_is_string(id))
		bind_json(ins, 4, id);
	else
		sqlite3_bind_value(ins, 4, sqlite3_column_value(plan, 3));
	if (json_is_string(arn))
		bind_json(ins, 5, arn);
	else
		sqlite3_bind_value(ins, 5, sqlite3_column_value(plan, 4));
	bind_json(ins, 6, json_object_get(body, "BackupPlanName"));
	bind_json(ins, 7, json_object_get(rule, "RuleName"));
	bind_json(ins, 8, json_object_get(rule, "ScheduleExpression"));
	if (gap >= 0)
		sqlite3_bind_double(ins, 9, gap);
	else
		sqlite3_bind_null(ins, 9);
	if (json_is_number(json_object_get(lifecycle, "DeleteAfterDays")))
		bind_json(ins, 10, json_object_get(lifecycle, "DeleteAfterDays"));
	else
		sqlite3_bind_null(ins, 10);
	sqlite3_bind_int(ins, 11, json_is_true(cont) ||
					  (json_is_string(cont) &&
					   strcasecmp(json_string_value(cont), "true") == 0));
	bind_json(ins, 12, vault ? vault : json_object_get(rule, "TargetBackupVaultName"));
	bind_json(ins, 13, regions);
	bind_json(ins, 14, accounts);
	json_decref(regions);
	json_decref(accounts);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(ins);
	return rc;
}

static int build_backup_plan_rules(struct store *s, struct diag *d)
{
	sqlite3_stmt *plan = NULL, *ins = NULL;
	int rc = -1, step;

	if (store_exec(s, bpr_create_sql, d))
		return -1;
	plan = store_prepare(s, bpr_plans_sql, d);
	ins = store_prepare(s, bpr_insert_sql, d);
	if (!plan || !ins)
		goto out;
	while ((step = sqlite3_step(plan)) == SQLITE_ROW) {
		json_t *config = parse_column(plan, 5);
		json_t *body = json_object_get(config, "BackupPlan");
		json_t *rules = json_object_get(body, "BackupPlanRule"), *rule;
		struct elements e;
		const char *key;
		int bad = 0;

		if (!rules)
			rules = json_object_get(body, "Rules");
		/* Config's schema also lists rule fields right under BackupPlan
		 * (BackupPlan.ScheduleExpression, .RuleName, .Lifecycle): read
		 * such a plan as one rule. */
		if (!rules && (json_object_get(body, "ScheduleExpression") ||
			       json_object_get(body, "RuleName")))
			rules = body;
		/* A lone rule object is one rule, not a list of its members. */
		elements_start(&e, json_is_object(rules) ? json_pack("[O]", rules) : json_incref(rules));
		while (!bad && (rule = elements_next(&e, &key)))
			if (json_is_object(rule))
				bad = insert_plan_rule(plan, ins, config, rule);
		json_decref(e.v);
		json_decref(config);
		if (bad) {
			store_error(s, d, "cannot build backup_plan_rules");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build backup_plan_rules");
		goto out;
	}
	rc = store_exec(s, bpr_vault_sql, d);
out:
	sqlite3_finalize(plan);
	sqlite3_finalize(ins);
	return rc;
}

/*
 * backup_absence_scope: one row per (account_id, region) of accounts,
 * saying whether a rule may conclude that a resource there is in no
 * backup plan from the absence of a selection: complete is 1 when
 * inventory_coverage lists the account and region and every current
 * backup selection there was recorded with its configuration; otherwise
 * 0, and missing names what is missing (for the annotation).
 */
static const char babs_sql[] =
	"CREATE TEMP TABLE backup_absence_scope AS"
	" SELECT a.account_id, a.aws_region AS region,"
	"  CASE WHEN cov.account_id IS NULL THEN 0 WHEN unrec.n > 0 THEN 0 ELSE 1 END AS complete,"
	"  CASE WHEN cov.account_id IS NULL"
	"    THEN 'no configuration snapshot of ' || a.account_id || '/' || a.aws_region"
	"     || ' at or before ' || as_of() || ', so the backup selections may be incomplete'"
	"   WHEN unrec.n > 0"
	"    THEN unrec.n || ' backup selection(s) of ' || a.account_id || '/' || a.aws_region"
	"     || ' recorded without configuration (aws backup get-backup-selection)'"
	"  END AS missing"
	" FROM accounts AS a"
	" LEFT JOIN (SELECT DISTINCT account_id, region FROM inventory_coverage) AS cov"
	"  ON cov.account_id = a.account_id AND cov.region = a.aws_region"
	" LEFT JOIN (SELECT account_id, region, count(*) AS n FROM current_items"
	"   WHERE resource_type = 'AWS::Backup::BackupSelection' AND configuration IS NULL"
	"   GROUP BY account_id, region) AS unrec"
	"  ON unrec.account_id = a.account_id AND unrec.region = a.aws_region;";

static int build_backup_absence(struct store *s, struct diag *d)
{
	return store_exec(s, babs_sql, d);
}

/*
 * backup_plan_membership: one row per current resource of the types AWS
 * Backup protects, answering "is it in a backup plan?" as the
 * *_IN_BACKUP_PLAN rules ask it -- item_key, resource_type, resource_id,
 * account_id, region, arn, status, recorded (1 when the item has a
 * configuration), selection (the first selection that assigns it, as
 * text for annotations; NULL when none does), complete and missing (from
 * backup_absence_scope), and verdict and reason: INSUFFICIENT_DATA for an
 * item without configuration; COMPLIANT when a selection assigns it;
 * INSUFFICIENT_DATA when none does but the absence proves nothing (no
 * complete inventory, a selection without configuration, or no ARN to
 * test patterns against); else NON_COMPLIANT. Built from
 * backup_selected_resources and backup_absence_scope, which it builds
 * first when a rule did not name them.
 */
static const char bmem_sql[] =
	"CREATE TEMP TABLE backup_plan_membership AS"
	" WITH chosen AS ("
	"  SELECT item_key, min('backup selection \"' || coalesce(selection_name, selection_id)"
	"   || '\" of plan ' || coalesce(plan_id, '(unknown)') || ': ' || matched_by) AS selection"
	"  FROM backup_selected_resources GROUP BY item_key),"
	" m AS ("
	"  SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.arn,"
	"   c.status, c.configuration IS NOT NULL AS recorded, ch.selection,"
	"   coalesce(b.complete, 0) AS complete,"
	"   coalesce(b.missing, 'no configuration snapshot of ' || c.account_id || '/' || c.region"
	"    || ' at or before ' || as_of()) AS missing"
	"  FROM current_items AS c"
	"  LEFT JOIN chosen AS ch ON ch.item_key = c.item_key"
	"  LEFT JOIN backup_absence_scope AS b"
	"   ON b.account_id = c.account_id AND b.region = c.region"
	"  WHERE c.resource_type IN (" BACKUP_TYPES "))"
	" SELECT item_key, resource_type, resource_id, account_id, region, arn, status, recorded,"
	"  selection, complete, CASE WHEN NOT complete THEN missing END AS missing,"
	"  CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'"
	"   WHEN selection IS NOT NULL THEN 'COMPLIANT'"
	"   WHEN NOT complete OR arn IS NULL THEN 'INSUFFICIENT_DATA'"
	"   ELSE 'NON_COMPLIANT' END AS verdict,"
	"  CASE WHEN NOT recorded THEN 'configuration not recorded (' || status || ')'"
	"   WHEN selection IS NOT NULL THEN 'selected by ' || selection"
	"   WHEN NOT complete THEN missing"
	"   WHEN arn IS NULL"
	"    THEN 'the resource''s ARN is not recorded: backup selections by ARN cannot be tested'"
	"   ELSE 'no backup selection of ' || account_id || '/' || region"
	"    || ' assigns the resource to a backup plan' END AS reason"
	" FROM m;"
	"CREATE INDEX temp.backup_plan_membership_by_type"
	" ON backup_plan_membership(resource_type);";


/*
 * backup_resource_plans: one row per (resource, backup plan) that a
 * current selection assigns the resource to -- directly, or for an RDS DB
 * instance through its DB cluster (dBClusterIdentifier) -- with the plan
 * facts the *_RESOURCES_PROTECTED_BY_BACKUP_PLAN parameters test:
 * item_key, plan_id, selection (text for annotations), plan_recorded (1
 * when a current AWS::Backup::BackupPlan item of that id is in the
 * resource's account and Region), copy_regions and copy_accounts (JSON
 * arrays over all the plan's rules), vaults (the target vault names,
 * comma-separated), lock_known (1 when every rule's target vault records
 * its lock state), all_locked (1 when every one is locked),
 * lock_min_days (the smallest MinRetentionDays, NULL when a locked vault
 * has none) and lock_max_days (the largest MaxRetentionDays, NULL when
 * one has none).
 */
static const char brp_sql[] =
	"CREATE TEMP TABLE backup_resource_plans AS"
	/* The JSON facts read once per item: tested inside the joins below,
	 * they were parsed once per pair (plans x assignments grow with the
	 * square of a Region's size: 17 s on a 610k-item store). */
	" WITH instances AS MATERIALIZED ("
	"  SELECT item_key, account_id, region,"
	"   json_extract(configuration, '$.dBClusterIdentifier') AS cluster_ref"
	"  FROM current_items WHERE resource_type = 'AWS::RDS::DBInstance'),"
	" clusters AS MATERIALIZED ("
	"  SELECT item_key, account_id, region, resource_id, resource_name,"
	"   json_extract(configuration, '$.dBClusterIdentifier') AS cluster_id"
	"  FROM current_items WHERE resource_type = 'AWS::RDS::DBCluster'),"
	" plans AS MATERIALIZED ("
	"  SELECT account_id, region, resource_id,"
	"   json_extract(configuration, '$.BackupPlanId') AS plan_id"
	"  FROM current_items"
	"  WHERE resource_type = 'AWS::Backup::BackupPlan' AND configuration IS NOT NULL),"
	" assigned AS ("
	"  SELECT s.item_key, s.account_id, s.region, s.plan_id,"
	"   'backup selection \"' || coalesce(s.selection_name, s.selection_id) || '\" of plan '"
	"   || coalesce(s.plan_id, '(unknown)') || ': ' || s.matched_by AS selection"
	"  FROM backup_selected_resources AS s"
	"  UNION ALL"
	"  SELECT i.item_key, s.account_id, s.region, s.plan_id,"
	"   'backup selection \"' || coalesce(s.selection_name, s.selection_id) || '\" of plan '"
	"   || coalesce(s.plan_id, '(unknown)') || ' through its DB cluster '"
	"   || coalesce(c.resource_name, c.resource_id) || ': ' || s.matched_by"
	"  FROM instances AS i"
	"  JOIN clusters AS c ON c.account_id = i.account_id AND c.region = i.region"
	"   AND i.cluster_ref IN (c.resource_name, c.cluster_id)"
	"  JOIN backup_selected_resources AS s ON s.item_key = c.item_key),"
	" a AS ("
	"  SELECT item_key, account_id, region, plan_id, min(selection) AS selection"
	"  FROM assigned GROUP BY item_key, plan_id),"
	/* The plan facts once per plan, not once per assignment; read in the
	 * index's order, as the per-row lookups read them (the order of
	 * json_group_array and group_concat). */
	" rf AS ("
	"  SELECT account_id, region, plan_id,"
	"   group_concat(DISTINCT target_vault) AS vaults,"
	"   min(vault_locked IS NOT NULL) AS lock_known,"
	"   min(coalesce(vault_locked, 0)) AS all_locked,"
	"   CASE WHEN count(lock_min_days) = count(*) THEN min(lock_min_days) END AS lock_min_days,"
	"   CASE WHEN count(lock_max_days) = count(*) THEN max(lock_max_days) END AS lock_max_days"
	"  FROM backup_plan_rules INDEXED BY backup_plan_rules_by_plan"
	"  GROUP BY account_id, region, plan_id),"
	" rr AS ("
	"  SELECT r.account_id, r.region, r.plan_id, json_group_array(DISTINCT j.value) AS copy_regions"
	"  FROM backup_plan_rules AS r INDEXED BY backup_plan_rules_by_plan,"
	"   json_each(r.copy_regions) AS j"
	"  GROUP BY r.account_id, r.region, r.plan_id),"
	" ra AS ("
	"  SELECT r.account_id, r.region, r.plan_id,"
	"   json_group_array(DISTINCT j.value) AS copy_accounts"
	"  FROM backup_plan_rules AS r INDEXED BY backup_plan_rules_by_plan,"
	"   json_each(r.copy_accounts) AS j"
	"  GROUP BY r.account_id, r.region, r.plan_id)"
	" SELECT a.item_key, a.plan_id, a.selection,"
	"  EXISTS (SELECT 1 FROM plans AS p"
	"   WHERE p.account_id = a.account_id AND p.region = a.region"
	"   AND a.plan_id IN (p.resource_id, p.plan_id))"
	"   AS plan_recorded,"
	"  coalesce(rr.copy_regions, '[]') AS copy_regions,"
	"  coalesce(ra.copy_accounts, '[]') AS copy_accounts,"
	"  rf.vaults AS vaults,"
	"  coalesce(rf.lock_known, 0) AS lock_known,"
	"  coalesce(rf.all_locked, 0) AS all_locked,"
	"  rf.lock_min_days AS lock_min_days,"
	"  rf.lock_max_days AS lock_max_days"
	" FROM a"
	" LEFT JOIN rf ON rf.account_id = a.account_id AND rf.region = a.region"
	"  AND rf.plan_id = a.plan_id"
	" LEFT JOIN rr ON rr.account_id = a.account_id AND rr.region = a.region"
	"  AND rr.plan_id = a.plan_id"
	" LEFT JOIN ra ON ra.account_id = a.account_id AND ra.region = a.region"
	"  AND ra.plan_id = a.plan_id;"
	"CREATE INDEX temp.backup_resource_plans_by_item ON backup_resource_plans(item_key);";

static int build_backup_resource_plans(struct store *s, struct diag *d)
{
	return store_exec(s, brp_sql, d);
}

static int build_backup_membership(struct store *s, struct diag *d)
{
	return store_exec(s, bmem_sql, d);
}

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
static const char elbv2_lbs_sql[] =
	"CREATE TEMP TABLE elbv2_load_balancers AS"
	" WITH seen AS (SELECT DISTINCT account_id, region FROM elb_listeners"
	"  WHERE lb_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer')"
	" SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	"  c.configuration IS NOT NULL AS recorded,"
	"  lower(coalesce(c.configuration ->> '$.type', 'application')) AS kind,"
	"  EXISTS (SELECT 1 FROM inventory_coverage AS ic"
	"   WHERE ic.account_id = c.account_id AND ic.region = c.region) AS covered,"
	"  EXISTS (SELECT 1 FROM seen AS r"
	"   WHERE r.account_id = c.account_id AND r.region = c.region) AS listeners_seen,"
	"  (SELECT CASE WHEN json_valid(x) AND json_type(x) = 'array' THEN"
	"    (SELECT json_group_object(a.value ->> '$.key',"
	"      CASE json_type(a.value, '$.value') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'"
	"       ELSE lower(a.value ->> '$.value') END)"
	"     FROM json_each(x) AS a WHERE a.type = 'object' AND json_type(a.value, '$.key') = 'text')"
	"    END"
	"   FROM (SELECT json_unstring(c.supplementary ->> '$.LoadBalancerAttributes') AS x))"
	"   AS attributes"
	" FROM current_items AS c"
	" WHERE c.resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer';"
	"CREATE INDEX temp.elbv2_load_balancers_by_item ON elbv2_load_balancers(item_key);";

static int build_elbv2_lbs(struct store *s, struct diag *d)
{
	return store_exec(s, elbv2_lbs_sql, d);
}

static const struct derived_table {
	const char *name; /* as rules name it */
	int (*build)(struct store *s, struct diag *d);
	const char *requires[2]; /* derived tables its SQL reads, built first */
} derived_tables[] = {
	{ "security_group_sources", build_sg_sources, { NULL, NULL } },
	{ "security_groups", build_sg_groups, { "security_group_sources", NULL } },
	{ "iam_policy_default_documents", build_iam_docs, { NULL, NULL } },
	/* S3 buckets (eval/s3_facts.c) */
	{ "s3_bucket_facts", s3_build_bucket_facts, { NULL, NULL } },
	{ "s3_bucket_access", s3_build_bucket_access, { "s3_bucket_facts", NULL } },
	{ "s3_public_grants", s3_build_public_grants, { "s3_bucket_facts", NULL } },
	{ "s3_policy_statements", s3_build_policy_statements, { "s3_bucket_facts", NULL } },
	{ "s3_public_statements", s3_build_public_statements, { "s3_policy_statements", NULL } },
	{ "kms_keys", build_kms_keys, { NULL, NULL } },
	{ "elb_listeners", build_elb_listeners, { NULL, NULL } },
	{ "elbv2_load_balancers", build_elbv2_lbs, { "elb_listeners", NULL } },
	{ "ecs_task_definitions", build_ecs_task_definitions, { NULL, NULL } },
	{ "ecs_containers", build_ecs_containers, { NULL, NULL } },
	{ "beanstalk_option_settings", build_beanstalk_options, { NULL, NULL } },
	{ "backup_selected_resources", build_backup_selected, { NULL, NULL } },
	{ "backup_plan_rules", build_backup_plan_rules, { NULL, NULL } },
	{ "backup_absence_scope", build_backup_absence, { NULL, NULL } },
	{ "backup_plan_membership", build_backup_membership,
	  { "backup_selected_resources", "backup_absence_scope" } },
	{ "backup_resource_plans", build_backup_resource_plans,
	  { "backup_selected_resources", "backup_plan_rules" } },
	/* evidence files (eval/evidence_tables.c) */
	{ "evidence", evidence_build_latest, { NULL, NULL } },
	{ "credential_report", evidence_build_credential_report, { "evidence", NULL } },
	{ "organization_accounts", evidence_build_org_accounts, { "evidence", NULL } },
	{ "iam_account_summary", evidence_build_account_summary, { "evidence", NULL } },
	{ "cloudtrail_trail_status", evidence_build_trail_status, { "evidence", NULL } },
	{ "guardduty_findings", evidence_build_guardduty_findings, { "evidence", NULL } },
	{ "cloudtrail_event_selectors", evidence_build_event_selectors, { "evidence", NULL } },
	{ "cloudtrail_org_members", evidence_build_org_members,
	  { "evidence", "organization_accounts" } },
	{ "iam_user_credentials", evidence_build_user_credentials,
	  { "evidence", "credential_report" } },
	/* landing-zone evidence (eval/landing_tables.c) */
	{ "logs_metric_filters", landing_build_metric_filters, { "evidence", NULL } },
	{ "sns_topic_subscriptions", landing_build_topic_subscriptions, { "evidence", NULL } },
	{ "config_recording", landing_build_config_recording, { "evidence", NULL } },
	{ "config_aggregators", landing_build_config_aggregators, { "evidence", NULL } },
	{ "guardduty_organization", landing_build_guardduty_organization, { "evidence", NULL } },
	/* EC2 facts (eval/ec2_facts.c) */
	{ "ec2_instances", ec2_build_instances, { NULL, NULL } },
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

/* The tables that, or whose rules, look items up by item_key or by
 * (account, region, type): the backup chain. */
static const char *const lookup_tables[] = {
	"backup_selected_resources", "backup_plan_rules", "backup_absence_scope",
	"backup_plan_membership", "backup_resource_plans",
};

int derived_needs_lookups(derived_set mask)
{
	for (size_t i = 0; i < N_DERIVED; i++)
		for (size_t j = 0; (mask & DERIVED_BIT(i)) && j < sizeof(lookup_tables) / sizeof(*lookup_tables); j++)
			if (!strcmp(derived_tables[i].name, lookup_tables[j]))
				return 1;
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
	return derived_tables[i].build(s, d);
}

void derived_drop_all(struct store *s)
{
	for (size_t i = 0; i < N_DERIVED; i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.%s", derived_tables[i].name);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
}
