/*
 * derived: the registry of derived tables (see derived.h), and the
 * tables made by one SQL statement that no fact module owns. The
 * builders live beside their facts: sg_facts.c, iam_facts.c,
 * elbv2_facts.c, ec2_facts.c, s3_facts.c, backup_tables.c, ...
 */
#include "eval/derived.h"
#include "eval/backup_tables.h"
#include "eval/ec2_facts.h"
#include "eval/elbv2_facts.h"
#include "eval/evidence_tables.h"
#include "eval/iam_facts.h"
#include "eval/landing_tables.h"
#include "eval/logs_facts.h"
#include "eval/opensearch_facts.h"
#include "eval/rds_facts.h"
#include "eval/redshift_facts.h"
#include "eval/s3_config_facts.h"
#include "eval/s3_facts.h"
#include "eval/sg_facts.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



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
 * it is), in the words the rules report. containers_unreadable says what
 * of ContainerDefinitions cannot be read (a damaged or forged item: not a
 * list, or an element that is not an object), NULL when nothing.
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
	"   CASE WHEN json_type(configuration, '$.ContainerDefinitions') NOT IN ('array', 'null')"
	"    THEN 'ContainerDefinitions is not a list'"
	"    WHEN EXISTS (SELECT 1 FROM json_each(configuration, '$.ContainerDefinitions') AS cd"
	"                 WHERE cd.type NOT IN ('object', 'null'))"
	"    THEN 'ContainerDefinitions holds an element that is not an object'"
	"   END AS containers_unreadable,"
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
	"  tdr.containers_unreadable,"
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


/* A table is made by its builder, or (build NULL) by running its sql. */
static const struct derived_table {
	const char *name; /* as rules name it */
	int (*build)(struct store *s, struct diag *d);
	const char *requires[2]; /* derived tables its SQL reads, built first */
	const char *sql;
} derived_tables[] = {
	{ "security_group_sources", sg_build_sources, { NULL, NULL }, NULL },
	{ "security_groups", sg_build_groups, { "security_group_sources", NULL }, NULL },
	{ "iam_policy_default_documents", iam_build_default_documents, { NULL, NULL }, NULL },
	/* S3 buckets (eval/s3_facts.c) */
	{ "s3_bucket_facts", s3_build_bucket_facts, { NULL, NULL }, NULL },
	{ "s3_bucket_access", NULL, { "s3_bucket_facts", NULL }, s3_bucket_access_sql },
	{ "s3_public_grants", s3_build_public_grants, { "s3_bucket_facts", NULL }, NULL },
	{ "s3_policy_statements", s3_build_policy_statements, { "s3_bucket_facts", NULL }, NULL },
	{ "s3_public_statements", NULL,
	  { "s3_policy_statements", NULL }, s3_public_statements_sql },
	{ "kms_keys", NULL, { NULL, NULL }, kms_keys_sql },
	{ "elb_listeners", NULL, { NULL, NULL }, elb_listeners_sql },
	{ "elbv2_load_balancers", elbv2_build_load_balancers, { "elb_listeners", NULL }, NULL },
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
	/* one builder for these two: one read of each volume */
	{ "ec2_volumes", ec2_build_volumes, { NULL, NULL }, NULL },
	{ "ec2_volume_attachments", ec2_build_volumes, { NULL, NULL }, NULL },
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
		return sg_build_from(s, items, table, NULL, d);
	if (!strcmp(name, "security_groups"))
		return sg_build_from(s, items, NULL, table, d);
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

void derived_drop_unbuilt(struct store *s, derived_set which)
{
	for (size_t i = 0; i < N_DERIVED; i++) {
		char sql[128];

		if (!(which & DERIVED_BIT(i)))
			continue;
		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.%s", derived_tables[i].name);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
}

void derived_drop_all(struct store *s)
{
	derived_drop_unbuilt(s, ~(derived_set)0);
}
