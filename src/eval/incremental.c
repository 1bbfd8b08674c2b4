/*
 * incremental: evaluation since a prior run (see incremental.h).
 */
#include "config.h"

#include "eval/incremental.h"
#include "eval/derived.h"
#include "eval/runner.h"
#include "eval/s3_facts.h"
#include "eval/since_accounts.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- which rules are local ---- */

/* Names that read more than the resource's own item: the state's other
 * views and tables, the store's tables, the evaluation time, aggregates
 * and windows (a row from many items), recursive CTEs, LIMIT (a row that
 * depends on the others). Derived tables and evidence tables are checked
 * apart; so are CTEs read more than once (a self-join). An aggregate
 * without GROUP BY gives one row for many items: a result for a resource
 * that did not change, caught while storing. */
static const char *const non_local_words[] = {
	"relationships", "accounts", "inventory_coverage", "inventory_gaps", "item_history",
	"pit_items", "pit_snap", "items", "since_items", "since_changed", "main", "temp",
	"sqlite_master", "sqlite_schema", "runs", "run_results", "files", "snapshot_presence",
	"item_sources", "as_of", "age_days", "days_until", "incomplete_note", "kms_keys_check",
	"unless_incomplete",
	"recursive", "group", "over",
	"window", "limit", "offset", "credential_report", "organization_accounts",
	"iam_account_summary", "cloudtrail_trail_status", "iam_user_credentials",
	/* the wall clock and the connection's state */
	"current_timestamp", "current_date", "current_time", "random", "randomblob",
	"changes", "total_changes", "last_insert_rowid",
};

/* Calls fn for every identifier or keyword of sql outside comments and
 * string literals, with its offset; stops when fn returns non-zero. */
static int each_word(const char *sql, int (*fn)(const char *w, size_t len, size_t off, void *),
		     void *ctx)
{
	const char *p = sql;

	while (*p) {
		if (p[0] == '-' && p[1] == '-') {
			p = strchr(p, '\n');
			if (!p)
				return 0;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			if (!e)
				return 0;
			p = e + 2;
		} else if (*p == '\'') {
			for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
				;
			if (*p)
				p++;
		} else if (isalpha((unsigned char)*p) || *p == '_' || *p == '"') {
			int quoted = *p == '"';
			const char *w = p + quoted, *e = w;
			int r;

			while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
				e++;
			r = e > w ? fn(w, (size_t)(e - w), (size_t)(w - sql), ctx) : 0;
			if (r)
				return r;
			p = e > w ? e : w; /* a lone '"' is skipped */
			if (quoted && *p == '"')
				p++;
		} else {
			p++;
		}
	}
	return 0;
}

static inline int word_is(const char *w, size_t len, const char *name)
{
	/* the first byte first, either case (a letter's bit 0x20): most
	 * words are checked against every name of non_local_words and of
	 * the derived tables */
	return ((unsigned char)*w | 0x20) == ((unsigned char)*name | 0x20) &&
	       strlen(name) == len && !strncasecmp(w, name, len);
}

struct local_scan {
	const char *sql;
	int current_items;    /* how often current_items is named */
	size_t current_off;   /* where (the last time) */
	int other;            /* something non-local is named */
	struct { size_t off, len; } *words; /* every word, for CTE names */
	size_t n_words, alloc_words;
};

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Is the word at p (len bytes) the name of a CTE being defined: NAME
 * [(columns)] AS [[NOT] MATERIALIZED] ( ? */
static int defines_cte(const char *p, size_t len)
{
	p = skip_space(p + len);
	if (*p == '(') {
		while (*p && *p != ')')
			p++;
		p = skip_space(*p ? p + 1 : p);
	}
	if (strncasecmp(p, "as", 2) || isalnum((unsigned char)p[2]) || p[2] == '_')
		return 0;
	p = skip_space(p + 2);
	if (!strncasecmp(p, "not", 3) && !isalnum((unsigned char)p[3]))
		p = skip_space(p + 3);
	if (!strncasecmp(p, "materialized", 12) && !isalnum((unsigned char)p[12]))
		p = skip_space(p + 12);
	return *p == '(';
}

/* Every CTE is read at most once (else its rows meet each other). */
static int ctes_read_once(const struct local_scan *ls)
{
	for (size_t i = 0; i < ls->n_words; i++) {
		const char *w = ls->sql + ls->words[i].off;
		size_t len = ls->words[i].len;
		int uses = 0;

		if (!defines_cte(w, len))
			continue;
		for (size_t j = 0; j < ls->n_words; j++)
			uses += ls->words[j].len == len &&
				!strncasecmp(ls->sql + ls->words[j].off, w, len);
		if (uses > 2) /* the definition and one reading */
			return 0;
	}
	return 1;
}

static int scan_word(const char *w, size_t len, size_t off, void *ctx)
{
	struct local_scan *ls = ctx;

	ALLOC_GROW(ls->words, ls->n_words + 1, ls->alloc_words);
	ls->words[ls->n_words].off = off;
	ls->words[ls->n_words++].len = len;
	if (word_is(w, len, "current_items")) {
		ls->current_items++;
		ls->current_off = off;
		return 0;
	}
	if (len >= 8 && !strncasecmp(w, "evidence", 8))
		return ls->other = 1;
	for (size_t i = 0; i < sizeof(non_local_words) / sizeof(non_local_words[0]); i++)
		if (word_is(w, len, non_local_words[i]))
			return ls->other = 1;
	for (size_t i = 0; i < derived_count(); i++)
		if (word_is(w, len, derived_name(i)))
			return ls->other = 1;
	return 0;
}

int incremental_rule_is_local(const struct rule *r)
{
	struct local_scan ls;
	int local;

	if (!r->sql)
		return 0;
	for (size_t i = 0; i < r->n_resource_types; i++)
		if (!strcmp(r->resource_types[i], "AWS::::Account"))
			return 0;
	for (const char *p = strchr(r->sql, '\''); p; p = strchr(p + 1, '\''))
		if (!strncasecmp(p, "'now'", 5))
			return 0; /* date('now'): the wall clock */
	memset(&ls, 0, sizeof(ls));
	ls.sql = r->sql;
	each_word(r->sql, scan_word, &ls);
	local = !ls.other && ls.current_items == 1 && ctes_read_once(&ls);
	free(ls.words);
	return local;
}

/* ---- rules reviewed as per-resource, per-place or per-account ----
 *
 * Rules that the text check cannot prove local, reviewed by hand and
 * pinned to their statement's SHA-256 (a rule file edited since it was
 * reviewed runs in full until someone checks it again and updates the
 * pin; t1241, t1242, t1255 and t1256 fail when a pin no longer matches):
 *
 * Per-resource (place_types NULL): the verdict on a resource depends only
 * on that resource's own item and on rows that a per-item derived table
 * (derived_build_per_item) derives from that item alone, read by the
 * item's item_key: every result row comes from one row of current_items
 * or of a per-item table with one row per item (security_groups), read
 * once; every other input is joined to it on item_key and grouped by
 * item_key, and their other CTEs (parameters, port lists) read no items.
 * Such a rule runs on the changed resources with the derived tables
 * built from them only (since_sg_sources, since_sg_groups,
 * since_iam_policy_docs, since_rds_instances, since_rs_clusters,
 * since_os_domains).
 *
 * Per-resource of the evaluation time (timed_verdicts, comma-separated):
 * as per-resource, except that the rule also reads the evaluation time
 * (age_days, days_until, as_of), and only its results with one of these
 * verdicts do: the others are functions of the item alone (no date in
 * it, no configuration). Such a rule runs on the changed resources plus
 * every resource whose prior result under it has one of these verdicts
 * (store/since_timed.h: they join the changed resources for every rule).
 *
 * Per-account (account_types, comma-separated): every result is for a
 * resource of one of these types and depends only on the items of these
 * types (and their relationships) of the same account, in any Region:
 * every join between resources is on account_id, and the rule reads
 * nothing else of the state (no evidence, coverage or time). Such a rule
 * runs on the accounts where a resource of these types is new, changed
 * or gone (since_accounts.h: its places are every Region of those
 * accounts, under a type of its own in temp.since_places), and its
 * results elsewhere are copied, as a per-place rule's.
 *
 * Per-place (place_types, comma-separated): every result is for a
 * resource of one of these types, and depends only on the items of these
 * types (and their relationships) in the same account and Region: every
 * join between resources is on account_id and region, no input is
 * global, and the rule reads nothing else of the state. Such a rule runs
 * on the account-Regions where a resource of these types is new, changed
 * or gone (current_items and relationships restricted to them:
 * since_pitems_N, since_prel_N), and its results elsewhere are copied.
 */
static const struct reviewed_rule {
	const char *identifier;
	const char *sql_sha256;  /* of rule->sql */
	const char *place_types; /* NULL: per resource */
	const char *timed_verdicts; /* a rule of the evaluation time (above) */
	const char *account_types; /* per account (above) */
} reviewed_rules[] = {
	/* security groups: a row per group of security_groups, its open
	 * sources of security_group_sources grouped by item_key (reviewed
	 * again: VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS's counts and reasons in
	 * one aggregate per item_key) */
	{ "INCOMING_SSH_DISABLED",
	  "61cd078e55307d0de1b2c638107c995f456127fefbdd2e764dc9f7164c93e448", NULL, NULL, NULL },
	{ "RESTRICTED_INCOMING_TRAFFIC",
	  "092058bb7fa282bd32fd155f5f3eb3e92aa25bb8e08d620aeabee9a90db90356", NULL, NULL, NULL },
	{ "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
	  "7a3e391950e5ca8b70f65b6db2fcd557b25f62de28a9bfb5995354b90ef67133", NULL, NULL, NULL },
	/* RDS DB instances: a row per item of rds_db_instances, its own
	 * properties only (the parameters read no items) */
	{ "RDS_INSTANCE_DELETION_PROTECTION_ENABLED",
	  "d127e40dfed797b0e273029bcd4044db3609a991910045b94e5dc967dabf1ab7", NULL, NULL, NULL },
	{ "RDS_MULTI_AZ_SUPPORT",
	  "c86f1753951577745903187256a72cd241c842aed065e88907cccc80e2139548", NULL, NULL, NULL },
	{ "RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED",
	  "b28adb5f8535655732287c77ed5247e40d45048ff73bcf4361cfcd1347bf6483", NULL, NULL, NULL },
	{ "DB_INSTANCE_BACKUP_ENABLED",
	  "b9fda13a5fb85ffdc55a9a24310c324ffaf60e7131a2342bfc4033a1e0e01d60", NULL, NULL, NULL },
	{ "RDS_STORAGE_ENCRYPTED",
	  "d4f6f848e8e7ddbbda5c2014c19c25c4c1e298efd175763f1ebe1399d2a8bcc2", NULL, NULL, NULL },
	{ "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
	  "2819ec7529c9d615ed1b6c29692f6c89b5f49c9dc5d9935e11fb74036ff4104f", NULL, NULL, NULL },
	{ "RDS_ENHANCED_MONITORING_ENABLED",
	  "834a951fffeb101b1251722de6ae3858cdb92c161d15b72764bbc6cd2830e052", NULL, NULL, NULL },
	{ "RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED",
	  "f2f460a0c8719a99f395baf662e0fe4d9b74dc4ffbdf2ed9ab2269e27407358d", NULL, NULL, NULL },
	/* Redshift clusters: a row per item of redshift_clusters, its own
	 * properties and LoggingStatus only */
	{ "REDSHIFT_AUDIT_LOGGING_ENABLED",
	  "8320754c20a61a471d0ab1c88dfee623be1287c76d502554afce48197d2d1eea", NULL, NULL, NULL },
	{ "REDSHIFT_BACKUP_ENABLED",
	  "e13adf774cc252586c4d15ec0623f1000b018337e12702327a09fa0e29533b89", NULL, NULL, NULL },
	{ "REDSHIFT_CLUSTER_CONFIGURATION_CHECK",
	  "b5cf67d67914883d61fa1fe47b59b138095509ac9e0dd40997ee71eec8ff1dd9", NULL, NULL, NULL },
	{ "REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK",
	  "aca757b13f434494d40fb27fcb9130809714eae75fad539af2794cdca27bfe80", NULL, NULL, NULL },
	{ "REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK",
	  "2a5b9844ab87dbebc765ee754143b29cd9d5ffa7639436c840f9764705d5a0ad", NULL, NULL, NULL },
	{ "REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED",
	  "4f0d8fdd73e8dbc5cbd2f4a1184a5e771286fc7bcb92d88b04bf863f05a873e6", NULL, NULL, NULL },
	/* OpenSearch domains: a row per item of opensearch_domains, its own
	 * properties only */
	{ "OPENSEARCH_ACCESS_CONTROL_ENABLED",
	  "84fdb986338c032a2cb2c900e29996d20f6bb7eb426b39b16b04c8f6e9defd82", NULL, NULL, NULL },
	{ "OPENSEARCH_AUDIT_LOGGING_ENABLED",
	  "3befe53682219bd46e99fad6fea47b60e4c28b101a8ff6cdc6a2dbb8f1179efd", NULL, NULL, NULL },
	{ "OPENSEARCH_DATA_NODE_FAULT_TOLERANCE",
	  "9dfe7ef5fe8f96e11358fda64e9fb347dc6ba978661ebc38dae62e7116b0ed72", NULL, NULL, NULL },
	{ "OPENSEARCH_ENCRYPTED_AT_REST",
	  "bbdd8b72f212ac3217fd3be789db4c91031b9caa4b6c15349d1fd0f660c63044", NULL, NULL, NULL },
	{ "OPENSEARCH_HTTPS_REQUIRED",
	  "04bdd20feb331d18acd3608945ddf62fbccd1198042e5b19f34f36dbff11d547", NULL, NULL, NULL },
	{ "OPENSEARCH_IN_VPC_ONLY",
	  "f4a0d7f2e62d6a3932fdc3e7bb3aa52784551cd2959739a626977e865217547e", NULL, NULL, NULL },
	{ "OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK",
	  "03786f2e4509d6e4f5b526a27e5f1d8861d4ccad1aae7a64e1c491e23114a7ae", NULL, NULL, NULL },
	/* IAM users, roles and groups: their own inline policy lists; the
	 * role's trust policy against its own account */
	{ "IAM_NO_INLINE_POLICY_CHECK",
	  "34a22320498e10d13984ab53f48b6001c51ce361c954a856afa06c3ea3bb959d", NULL, NULL, NULL },
	/* re-reviewed (rulesa): x is MATERIALIZED and carries the policy
	 * list and the trust policy of its own item; still one read of
	 * current_items, everything else joined on item_key */
	{ "IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS",
	  "6dc5a8a8468fddef23a246cea44af3a4adf02853ff2b6bcb76fd63d52da714f3", NULL, NULL, NULL },
	/* IAM managed policies: iam_policy_default_documents (one row per
	 * item) in a MATERIALIZED CTE, pure functions of the document
	 * (re-reviewed by rulesa: was grouped by item_key) */
	{ "IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS",
	  "cdce3478d82d125189d22f76711ebde6d6efc444c67a00f3e8e76be4db345bdb", NULL, NULL, NULL },
	{ "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
	  "eb8a838891c1ab72903288e89eca9a6d821b79005781ca3470d3c4d2050e1984", NULL, NULL, NULL },
	{ "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
	  "29cf5940bcce58f5db564794124b46cefbd64985fa511a1d7284055cde9eed86", NULL, NULL, NULL },
	/* IAM users: a row per user, its groups (its own groupList and
	 * relationships) grouped by its item_key */
	{ "IAM_USER_GROUP_MEMBERSHIP_CHECK",
	  "e52654217825fed684eb33f41da2e07be4c8bbdc1600ad90975eb6cb06ce13bf", NULL, NULL, NULL },
	/* S3 buckets: a row per bucket of s3_bucket_facts (one per item,
	 * from that item alone: since_s3_facts), nothing else read */
	{ "S3_BUCKET_LOGGING_ENABLED",
	  "0d6fda71dcb60b22a39aa5257f867d47ca1c9ef3cb3228a1f4476c18abc8d7ba", NULL, NULL, NULL },
	/* LBs, the WAF Classic ACLs of their Region listing them, and the
	 * relationships of both (joined on account_id, region). Reviewed
	 * again after the associations became MATERIALIZED (listed once,
	 * still joined on account_id, region) */
	{ "ALB_WAF_ENABLED",
	  "d797fca15a80f5c826e44583d1634fc63d03692c6d1fdc56ffb4a407cff890a2",
	  "AWS::ElasticLoadBalancingV2::LoadBalancer,AWS::WAFRegional::WebACL,"
	  "AWS::WAFv2::WebACL", NULL, NULL },
	/* instances and the clusters of their Region (a window partitioned
	 * by account_id, region, cluster id). Reviewed again after the
	 * required log types became a per-instance subquery (over the
	 * parameter's and the defaults' CTEs only, which read no items), and
	 * after the log types became one list per engine (er: the engines of
	 * the instances read, each matched against the patterns alone; an
	 * instance reads its own engine's list) */
	{ "RDS_LOGGING_ENABLED",
	  "a26d71dacf0b68ec15b7b528779007e4026223bb9c622a03312c31c02498a9b0",
	  "AWS::RDS::DBInstance,AWS::RDS::DBCluster", NULL, NULL },
	/* IAM groups (fullrules): a row per group of current_items, its
	 * members its own relationships and the users of its account listing
	 * its name (joined on account_id; IAM items may be recorded under
	 * "global" or a Region), nothing else read */
	{ "IAM_GROUP_HAS_USERS_CHECK",
	  "452e263c031c4b28a234dbd99adf50cf3c0f64e052aba52d5eb30bd2c9fb27e4", NULL, NULL,
	  "AWS::IAM::Group,AWS::IAM::User" },
	/* Rules of the evaluation time (fullrules): one read of current_items
	 * (the secrets, the certificates), the date's age or days left by
	 * age_days / days_until of one property of the item's own
	 * configuration, and nothing else. The result depends on the time
	 * only through that number, and only when it is a date: a secret
	 * without the date is INSUFFICIENT_DATA with a fixed annotation; a
	 * certificate without a configuration or with a notAfter that is not
	 * a date INSUFFICIENT_DATA, without notAfter NOT_APPLICABLE (its
	 * status in the annotation). With a date the verdict is COMPLIANT or
	 * NON_COMPLIANT and the annotation counts whole days. */
	{ "SECRETSMANAGER_SECRET_PERIODIC_ROTATION",
	  "a8e9b789983de9912d89c753760d4f0934399a5bba7ccf30e385558f7cb3c2c8", NULL,
	  "COMPLIANT,NON_COMPLIANT", NULL },
	{ "SECRETSMANAGER_SECRET_UNUSED",
	  "41648073d65070942e845af2cb9cbb5d3c0acd1c52c816facd496cc73e8fcf8c", NULL,
	  "COMPLIANT,NON_COMPLIANT", NULL },
	{ "ACM_CERTIFICATE_EXPIRATION_CHECK",
	  "2ea616bce6fc2f300f6dddb1e16234606907ecf961100d109c8af2ed9f819669", NULL,
	  "COMPLIANT,NON_COMPLIANT", NULL },
};

/* The per-item derived tables such rules read, and what the rewritten
 * statements name instead: the table built from since_items only. (The
 * new name must not contain the old one: the runner finds the derived
 * tables a statement needs by name.) */
static const char *const per_item_tables[][2] = {
	{ "security_group_sources", "since_sg_sources" },
	{ "security_groups", "since_sg_groups" },
	{ "iam_policy_default_documents", "since_iam_policy_docs" },
	{ "rds_db_instances", "since_rds_instances" },
	{ "redshift_clusters", "since_rs_clusters" },
	{ "opensearch_domains", "since_os_domains" },
	{ "s3_bucket_facts", "since_s3_facts" },
};
#define N_PER_ITEM (sizeof(per_item_tables) / sizeof(per_item_tables[0]))

static const struct reviewed_rule *find_reviewed(const char *identifier)
{
	for (size_t i = 0; i < sizeof(reviewed_rules) / sizeof(reviewed_rules[0]); i++)
		if (!strcmp(reviewed_rules[i].identifier, identifier))
			return &reviewed_rules[i];
	return NULL;
}

/* The review of r if its statement is the one reviewed, else NULL. */
static const struct reviewed_rule *reviewed_as(const struct rule *r)
{
	const struct reviewed_rule *rv = r->sql && r->identifier ? find_reviewed(r->identifier)
								  : NULL;
	char hex[SHA256_HEX_LEN];

	if (!rv)
		return NULL;
	sha256_hex(r->sql, strlen(r->sql), hex);
	return strcmp(hex, rv->sql_sha256) ? NULL : rv;
}

/* ---- can the prior run be reused ---- */

static int same_text(const char *a, const char *b)
{
	if (!a || !b)
		return !a == !b;
	return !strcmp(a, b);
}

struct rule_rows {
	const struct run_rule_record *want;
	size_t n_want, seen;
	char *why;
};

static const struct run_rule_record *find_rule(const struct rule_rows *rr, const char *pack,
						const char *name)
{
	for (size_t i = 0; i < rr->n_want; i++)
		if (!strcmp(rr->want[i].pack_name, pack) &&
		    !strcmp(rr->want[i].config_rule_name, name))
			return &rr->want[i];
	return NULL;
}

static void check_rule_row(const struct run_rule_record *r, void *ctx)
{
	struct rule_rows *rr = ctx;
	const struct run_rule_record *w = find_rule(rr, r->pack_name, r->config_rule_name);

	rr->seen++;
	if (rr->why)
		return;
	if (!w)
		rr->why = xstrfmt("it evaluated rule '%s%s%s', which this run does not",
				  r->pack_name, *r->pack_name ? "/" : "", r->config_rule_name);
	else if (!same_text(w->identifier, r->identifier) || !same_text(w->owner, r->owner) ||
		 w->evaluated != r->evaluated || !same_text(w->reason, r->reason) ||
		 w->rule_no != r->rule_no || !same_text(w->rule_sha256, r->rule_sha256))
		rr->why = xstrfmt("rule '%s' is not the same rule file", r->config_rule_name);
	else if (!same_text(w->parameters, r->parameters))
		rr->why = xstrfmt("rule '%s' had other parameters (%s, now %s)",
				  r->config_rule_name, r->parameters, w->parameters);
	else if (!same_text(w->scope, r->scope))
		rr->why = xstrfmt("rule '%s' had another scope", r->config_rule_name);
}

struct file_rows {
	const struct run_file_record *want;
	size_t n_want, seen;
	char (*hex)[SHA256_HEX_LEN]; /* of want's contents, "" until needed */
	char *why;
};

/* Is file i of the run the one recorded as f: the same bytes as the
 * content the run stored, else the same SHA-256 (hashed only then: the
 * files of a pack are most of the check's cost otherwise). */
static int same_file(struct file_rows *fr, size_t i, const struct run_file_record *f)
{
	const struct run_file_record *w = &fr->want[i];

	if (f->content && f->len == w->len && !memcmp(f->content, w->content, w->len))
		return 1;
	if (!fr->hex[i][0])
		sha256_hex(w->content, w->len, fr->hex[i]);
	return f->sha256 && !strcmp(fr->hex[i], f->sha256);
}

static void check_file_row(const struct run_file_record *f, void *ctx)
{
	struct file_rows *fr = ctx;
	size_t i;

	fr->seen++;
	if (fr->why)
		return;
	for (i = 0; i < fr->n_want; i++)
		if (!strcmp(fr->want[i].role, f->role) && !strcmp(fr->want[i].name, f->name))
			break;
	if (i == fr->n_want)
		fr->why = xstrfmt("it used %s file '%s', which this run does not", f->role, f->name);
	else if (!same_file(fr, i, f))
		fr->why = xstrfmt("%s file '%s' has changed since", f->role, f->name);
}

/* The files a run records: one per (role, name) (rules that share a
 * statement each name its file). */
static size_t distinct_files(const struct incremental_match *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_files; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(m->files[i].role, m->files[j].role) &&
			    !strcmp(m->files[i].name, m->files[j].name))
				break;
		n += j == i;
	}
	return n;
}

/* The rules, packs and rule files must be the same. */
static int check_plan(struct store *s, int64_t id, const struct incremental_match *m,
		      char **why, struct diag *d)
{
	struct rule_rows rr = { m->rules, m->n_rules, 0, NULL };
	struct file_rows fr = { m->files, m->n_files, 0, NULL, NULL };

	if (run_rules_each(s, id, check_rule_row, &rr, d))
		return -1;
	if (!rr.why && rr.seen != m->n_rules)
		rr.why = xstrfmt("it evaluated %zu rules, this run %zu", rr.seen, m->n_rules);
	if (rr.why) {
		*why = rr.why;
		return 1;
	}
	fr.hex = xcalloc(m->n_files + 1, sizeof(*fr.hex));
	if (run_files_each(s, id, check_file_row, &fr, d)) {
		free(fr.hex);
		return -1;
	}
	free(fr.hex);
	if (!fr.why && fr.seen != distinct_files(m))
		fr.why = xstrfmt("it used %zu pack and rule files, this run %zu", fr.seen,
				 distinct_files(m));
	*why = fr.why;
	return fr.why ? 1 : 0;
}

/* The run itself: complete, same version and schema, state recorded,
 * same scope, waivers and --max-age, not later than this one. */
static char *check_run(const struct since_prior *p, const struct incremental_match *m)
{
	if (strcmp(p->status, "complete"))
		return xstrfmt("it is not complete (status %s)", p->status);
	if (p->errors)
		return xstrfmt("it has %ld error%s (see 'cfgaudit report --run %lld')", p->errors,
			       p->errors == 1 ? "" : "s", (long long)p->run_id);
	if (!p->tool_version || strcmp(p->tool_version, PACKAGE_VERSION))
		return xstrfmt("it was made by cfgaudit %s, this is %s",
			       p->tool_version ? p->tool_version : "?", PACKAGE_VERSION);
	if (!p->has_state)
		return xstrfmt("it has no recorded state (made before --since-run existed, or "
			       "merged)");
	if (p->schema_version != STORE_SCHEMA_VERSION)
		return xstrfmt("it was made with store schema %d, this is %d", p->schema_version,
			       STORE_SCHEMA_VERSION);
	if (!same_text(p->filters, m->filters))
		return xstrfmt("it selected other accounts or regions (%s, now %s)",
			       p->filters ? p->filters : "?", m->filters);
	if (!same_text(p->waivers_sha256, m->waivers_sha256))
		return xstrfmt("it recorded %s waivers file", m->waivers_sha256 ? "another or no"
									     : "a");
	if (p->max_age_ms >= 0 && p->max_age_ms != m->max_age_ms)
		return xstrfmt("it used another --max-age");
	if (strcmp(m->as_of, p->as_of) < 0)
		return xstrfmt("its as-of time %s is later than this run's %s", p->as_of, m->as_of);
	return NULL;
}

int incremental_check(struct store *s, int64_t id, const struct incremental_match *m,
		      struct incremental *inc, char **why, struct diag *d)
{
	int rc;

	*why = NULL;
	since_prior_release(&inc->prior);
	rc = since_prior_read(s, id, &inc->prior, d);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		*why = xstrfmt("there is no such run");
		return 1;
	}
	if ((*why = check_run(&inc->prior, m)))
		return 1;
	rc = check_plan(s, id, m, why, d);
	if (rc)
		return rc;
	rc = since_late_data(s, &inc->prior, why, d);
	if (rc > 0) {
		char *late = *why;

		*why = xstrfmt("data older than its as-of time was loaded since: %s", late);
		free(late);
	}
	return rc;
}

/* ---- evaluating ---- */

/* The statement of r with its one current_items read as since_items. */
static int find_current(const char *w, size_t len, size_t off, void *ctx)
{
	if (!word_is(w, len, "current_items"))
		return 0;
	*(size_t *)ctx = off;
	return 1;
}

/* A per-place rule's statement: every read of current_items and of the
 * relationships view (not the column c.relationships) restricted to the
 * rule's changed account-Regions, views since_pitems_N and since_prel_N
 * (incremental_on_state). */
struct place_rewrite {
	const char *sql;
	struct strbuf out;
	size_t done;
	int rule_no;
	int items_only; /* a per-account rule: current_items only (reviewed: it
			 * reads no relationships view, and may name a column
			 * relationships unqualified) */
};

static int rewrite_place_word(const char *w, size_t len, size_t off, void *ctx)
{
	struct place_rewrite *pw = ctx;
	const char *to = NULL;

	if (word_is(w, len, "current_items"))
		to = "since_pitems_";
	else if (!pw->items_only && word_is(w, len, "relationships") &&
		 !(off > 0 && pw->sql[off - 1] == '.'))
		to = "since_prel_";
	if (!to)
		return 0;
	strbuf_add(&pw->out, pw->sql + pw->done, off - pw->done);
	strbuf_addf(&pw->out, "%s%d", to, pw->rule_no);
	pw->done = off + len;
	return 0;
}

static char *place_statement(const char *sql, int rule_no, int items_only)
{
	struct place_rewrite pw = { sql, STRBUF_INIT, 0, rule_no, items_only };

	each_word(sql, rewrite_place_word, &pw);
	strbuf_addstr(&pw.out, sql + pw.done);
	return strbuf_detach(&pw.out, NULL);
}

/* The statement of a local or per-resource rule: its one current_items
 * read (at off, or NO_CURRENT: a per-resource rule reading only per-item
 * derived tables) as since_items, and per-item derived tables built from
 * since_items. */
#define NO_CURRENT ((size_t)-1)

static char *item_statement(struct incremental *inc, const char *sql, size_t off, int reviewed)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	if (off == NO_CURRENT) {
		strbuf_addstr(&sb, sql);
	} else {
		strbuf_add(&sb, sql, off);
		strbuf_addstr(&sb, "since_items");
		strbuf_addstr(&sb, sql + off + strlen("current_items"));
	}
	out = strbuf_detach(&sb, NULL);
	for (size_t t = 0; reviewed && t < N_PER_ITEM; t++) {
		char *r;

		if (!strstr(out, per_item_tables[t][0]))
			continue;
		r = xstrreplace(out, per_item_tables[t][0], per_item_tables[t][1]);
		free(out);
		out = r;
		inc->per_item_needed |= 1u << t;
	}
	return out;
}

/* s3_bucket_facts' statement as reviewed: a row per AWS::S3::Bucket item
 * of current_items, from that item alone (eval/s3_facts.c). Built per
 * item only while its SQL is the one reviewed; else the rules reading it
 * run in full. */
#define S3_FACTS_SHA256 "658d68b78ab29ad8d14bd9013eca8f4166f6bb707057aa46ff4f94463e517968"
#define S3_FACTS_FROM "FROM current_items WHERE resource_type = 'AWS::S3::Bucket';"

/* Can per-item table t be built from since_items? */
static int per_item_buildable(size_t t)
{
	char hex[SHA256_HEX_LEN];

	if (strcmp(per_item_tables[t][0], "s3_bucket_facts"))
		return 1;
	sha256_hex(s3_bucket_facts_sql, strlen(s3_bucket_facts_sql), hex);
	return !strcmp(hex, S3_FACTS_SHA256) && strstr(s3_bucket_facts_sql, S3_FACTS_FROM);
}

/* Build per-item table t from items (a view) as table. */
static int build_per_item(struct store *s, size_t t, const char *items, const char *table,
			  struct diag *d)
{
	char *from, *a, *b;
	int rc;

	if (strcmp(per_item_tables[t][0], "s3_bucket_facts"))
		return derived_build_per_item(s, per_item_tables[t][0], items, table, d) < 0 ? -1 : 0;
	from = xstrfmt("FROM %s WHERE resource_type = 'AWS::S3::Bucket';", items);
	a = xstrreplace(s3_bucket_facts_sql, "s3_bucket_facts", table);
	b = xstrreplace(a, S3_FACTS_FROM, from);
	rc = store_exec(s, b, d);
	free(from);
	free(a);
	free(b);
	return rc;
}

/* Does sql name a per-item derived table? */
static int reads_per_item_table(const char *sql)
{
	for (size_t t = 0; t < N_PER_ITEM; t++)
		if (strstr(sql, per_item_tables[t][0]))
			return 1;
	return 0;
}

/* Does sql name a per-item derived table that cannot be built per item? */
static int reads_unbuildable_table(const char *sql)
{
	for (size_t t = 0; t < N_PER_ITEM; t++)
		if (strstr(sql, per_item_tables[t][0]) && !per_item_buildable(t))
			return 1;
	return 0;
}

static void add_local(struct incremental *inc, struct planned_rule *pr, char *sql,
		      const char *places)
{
	size_t n = inc->n_local;

	inc->owned = xrealloc(inc->owned, (inc->n_owned + 1) * sizeof(char *));
	inc->owned[inc->n_owned++] = sql;
	inc->local_nos = xrealloc(inc->local_nos, (n + 1) * sizeof(*inc->local_nos));
	inc->local_rules = xrealloc(inc->local_rules, (n + 1) * sizeof(*inc->local_rules));
	inc->local_sql = xrealloc(inc->local_sql, (n + 1) * sizeof(*inc->local_sql));
	inc->local_places = xrealloc(inc->local_places, (n + 1) * sizeof(*inc->local_places));
	inc->local_nos[n] = pr->rule_no;
	inc->local_rules[n] = pr;
	inc->local_sql[n] = pr->rule->sql;
	inc->local_places[n] = places;
	inc->n_local++;
	pr->rule->sql = sql;
}

static void add_timed(struct incremental *inc, const struct planned_rule *pr,
		      const char *verdicts)
{
	struct since_timed_rule *t;

	inc->timed = xrealloc(inc->timed, (inc->n_timed + 1) * sizeof(*inc->timed));
	t = &inc->timed[inc->n_timed++];
	t->pack_name = pr->pack_name;
	t->config_rule_name = pr->config_rule_name;
	t->verdicts = verdicts;
}

/* A per-account rule: a per-place one whose places are those of a type
 * of its own (since_accounts.h). */
static void add_account_rule(struct incremental *inc, struct planned_rule *pr,
			     const char *types)
{
	char *own = since_accounts_type(pr->rule_no);
	struct since_account_rule *a;

	inc->owned = xrealloc(inc->owned, (inc->n_owned + 1) * sizeof(char *));
	inc->owned[inc->n_owned++] = own;
	inc->accounts = xrealloc(inc->accounts, (inc->n_accounts + 1) * sizeof(*inc->accounts));
	a = &inc->accounts[inc->n_accounts++];
	a->own_type = own;
	a->types = types;
	add_local(inc, pr, place_statement(pr->rule->sql, pr->rule_no, 1), own);
}

/* Is the planned rule reviewed as one of the evaluation time? */
static int is_timed(const struct incremental *inc, const struct planned_rule *pr)
{
	for (size_t i = 0; i < inc->n_timed; i++)
		if (inc->timed[i].config_rule_name == pr->config_rule_name &&
		    inc->timed[i].pack_name == pr->pack_name)
			return 1;
	return 0;
}

void incremental_plan(struct incremental *inc, struct plan *plan)
{
	pthread_mutex_init(&inc->lock, NULL);
	for (size_t i = 0; i < plan->nr; i++) {
		struct planned_rule *pr = &plan->rules[i];
		const struct reviewed_rule *rv;
		size_t off = 0;
		int local;

		if (!planned_rule_runs(pr))
			continue;
		local = incremental_rule_is_local(pr->rule);
		rv = local ? NULL : reviewed_as(pr->rule);
		if (rv && !rv->place_types && reads_unbuildable_table(pr->rule->sql))
			rv = NULL;
		if (rv && rv->place_types) {
			add_local(inc, pr, place_statement(pr->rule->sql, pr->rule_no, 0),
				  rv->place_types);
			continue;
		}
		if (rv && rv->account_types) {
			add_account_rule(inc, pr, rv->account_types);
			continue;
		}
		if (!local && !rv) {
			inc->rules_rerun++;
			continue;
		}
		if (!each_word(pr->rule->sql, find_current, &off)) {
			if (!rv || !reads_per_item_table(pr->rule->sql)) {
				inc->rules_rerun++;
				continue;
			}
			off = NO_CURRENT;
		}
		if (rv && rv->timed_verdicts)
			add_timed(inc, pr, rv->timed_verdicts);
		add_local(inc, pr, item_statement(inc, pr->rule->sql, off, rv != NULL), NULL);
	}
}

/* What a statement may read to be local: since_items (the changed
 * resources' items, through current_items) and table-valued JSON
 * functions; no function of the non-local words. */
struct local_check {
	int ok;    /* nothing else read */
	int timed; /* a rule of the evaluation time: may call its functions */
};

/* The functions of the evaluation time a rule reviewed as one may call
 * (eval/sqlfuncs.c's TIMED functions that read no other row). */
static int timed_function(const char *name)
{
	return !strcmp(name, "age_days") || !strcmp(name, "days_until") ||
	       !strcmp(name, "as_of");
}

static int authorize_local(void *ctx, int action, const char *a3, const char *a4,
			   const char *db, const char *view)
{
	struct local_check *lc = ctx;
	int *ok = &lc->ok;

	(void)db;
	if (action == SQLITE_READ && a3) {
		/* the table read, and the view (or CTE) it must be read through */
		static const char *const allowed[][2] = {
			{ "pit_items", "current_items" }, { "items", "current_items" },
			{ "current_items", "since_items" }, { "since_changed", "since_items" },
		};
		int found = !strcmp(a3, "since_items") || !strcmp(a3, "json_each") ||
			    !strcmp(a3, "json_tree");

		for (size_t t = 0; t < N_PER_ITEM; t++)
			found |= !strcmp(a3, per_item_tables[t][1]);
		/* a per-place rule's views: current_items and relationships
		 * (which reads current_items) through since_pitems_N and
		 * since_prel_N, restricted by since_places */
		if (view && (!strncmp(view, "since_pitems_", 13) || !strncmp(view, "since_prel_", 11)))
			found |= !strcmp(a3, "since_places") || !strcmp(a3, "current_items") ||
				 !strcmp(a3, "relationships");
		found |= !strncmp(a3, "since_pitems_", 13) || !strncmp(a3, "since_prel_", 11);
		if (view && !strcmp(view, "relationships"))
			found |= !strcmp(a3, "current_items");

		/* SQLite names a table a view joins but the query uses no
		 * column of with an empty column and no view (the statement
		 * text names no such table: incremental_rule_is_local) */
		if (a4 && !*a4 && (!strcmp(a3, "items") || !strcmp(a3, "pit_items")))
			found = 1;

		for (size_t i = 0; !found && i < sizeof(allowed) / sizeof(allowed[0]); i++)
			found = !strcmp(a3, allowed[i][0]) && view && !strcmp(view, allowed[i][1]);
		if (!found)
			*ok = 0;
	} else if (action == SQLITE_FUNCTION && a4) {
		struct local_scan ls;

		if (lc->timed && timed_function(a4))
			return SQLITE_OK;
		memset(&ls, 0, sizeof(ls));
		scan_word(a4, strlen(a4), 0, &ls);
		free(ls.words);
		if (ls.other || ls.current_items)
			*ok = 0;
	}
	return SQLITE_OK;
}

/* Does the statement of pr, as rewritten, read only what a local rule
 * may? It is prepared as the runner runs it, with lc the authorizer's
 * context (set by the caller), and handed to the runner in pr->prepared
 * when it does (a TagKey scope's statement, wrapped to read the item
 * behind each result, is checked as the rule file has it and prepared
 * again by the runner). A statement that does not prepare is left to the
 * runner (which reports its error). */
static int reads_only_itself(struct store *s, struct local_check *lc, struct planned_rule *pr)
{
	sqlite3_stmt *st = NULL;

	lc->ok = 1;
	if (pr->tag_key) {
		if (sqlite3_prepare_v2(s->db, pr->rule->sql, -1, &st, NULL) != SQLITE_OK)
			lc->ok = 1;
		sqlite3_finalize(st);
		return lc->ok;
	}
	st = runner_prepare_rule(s, pr);
	if (!st) {
		diag_clear(&pr->error);
		return 1;
	}
	if (lc->ok)
		pr->prepared = st;
	else
		sqlite3_finalize(st);
	return lc->ok;
}

/* What SQLite reads of sqlite_master for the first statement after
 * another connection changed the store's schema, and for the first that
 * reads json_each or json_tree (it declares their tables), read before
 * the check: none of a rule's reads, whichever rule comes first. */
static int load_schema(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM temp.since_items, json_each('[]'),"
					 " json_tree('[]') LIMIT 0", d);

	sqlite3_finalize(st);
	return st ? 0 : -1;
}

/* Does sql (as rewritten) read one of the per-item tables in failed? */
static int reads_failed_table(const char *sql, unsigned failed)
{
	for (size_t t = 0; failed && t < N_PER_ITEM; t++)
		if ((failed & (1u << t)) && strstr(sql, per_item_tables[t][1]))
			return 1;
	return 0;
}

/* Check the local rules (once, on the first connection to get here); a
 * rule that reads more, or a per-item table the data could not build
 * (failed), gets its statement back and runs in full: what the data
 * does to it is then what it does in a full run. */
static int check_local_reads(struct store *s, struct incremental *inc, unsigned failed,
			     struct diag *d)
{
	struct local_check lc = { 1, 0 };
	size_t kept = 0;

	pthread_mutex_lock(&inc->lock);
	if (!inc->checked && load_schema(s, d)) {
		pthread_mutex_unlock(&inc->lock);
		return -1;
	}
	/* One authorizer for every statement: setting one makes SQLite
	 * prepare again those prepared before (the ones handed over). */
	if (!inc->checked)
		sqlite3_set_authorizer(s->db, authorize_local, &lc);
	for (size_t i = 0; !inc->checked && i < inc->n_local; i++) {
		lc.timed = is_timed(inc, inc->local_rules[i]);
		if (!reads_failed_table(inc->local_rules[i]->rule->sql, failed) &&
		    reads_only_itself(s, &lc, inc->local_rules[i])) {
			inc->local_nos[kept] = inc->local_nos[i];
			inc->local_rules[kept] = inc->local_rules[i];
			inc->local_places[kept] = inc->local_places[i];
			inc->local_sql[kept++] = inc->local_sql[i];
		} else {
			inc->local_rules[i]->rule->sql = inc->local_sql[i];
			runner_rule_changed(inc->local_rules[i]);
			inc->rules_rerun++;
		}
	}
	if (!inc->checked) {
		sqlite3_set_authorizer(s->db, NULL, NULL);
		inc->n_local = kept;
	}
	inc->checked = 1;
	pthread_mutex_unlock(&inc->lock);
	return 0;
}

/* On this connection, the views the per-place rules read. */
static int place_views(struct store *s, struct incremental *inc, struct diag *d)
{
	for (size_t i = 0; i < inc->n_local; i++) {
		char *types, *sql;
		int rc;

		if (!inc->local_places[i])
			continue;
		types = since_type_list(inc->local_places[i]);
		sql = xstrfmt("DROP VIEW IF EXISTS temp.since_pitems_%1$d;"
			      "DROP VIEW IF EXISTS temp.since_prel_%1$d;"
			      "CREATE TEMP VIEW since_pitems_%1$d AS SELECT * FROM current_items"
			      " WHERE (account_id, region) IN (SELECT account_id, region"
			      "  FROM temp.since_places WHERE resource_type IN (%2$s));"
			      "CREATE TEMP VIEW since_prel_%1$d AS SELECT * FROM relationships"
			      " WHERE (account_id, region) IN (SELECT account_id, region"
			      "  FROM temp.since_places WHERE resource_type IN (%2$s));",
			      inc->local_nos[i], types);
		rc = store_exec(s, sql, d);
		free(sql);
		free(types);
		if (rc)
			return -1;
	}
	return 0;
}

int incremental_on_state(struct store *s, int first, struct incremental *inc, struct diag *d)
{
	long changed = 0;
	unsigned failed = 0; /* per-item tables the data could not build */

	if (first && since_marks_read(s, &inc->marks, d))
		return -1;
	if (!inc->active)
		return 0;
	if (since_mark_changed(s, inc->prior.rids, inc->prior.n_rids,
			       inc->hint && inc->hint->from_prior ? &inc->hint->moves : NULL,
			       &changed,
			       first ? &inc->state : NULL, first ? &inc->n_state : NULL, d))
		return -1;
	if (inc->n_timed) {
		long timed = 0;

		if (since_timed_add(s, inc->prior.run_id, inc->timed, inc->n_timed, &timed, d))
			return -1;
		changed += timed;
	}
	if (since_accounts_add(s, inc->accounts, inc->n_accounts, d) || since_items_build(s, d))
		return -1;
	for (size_t t = 0; t < N_PER_ITEM; t++) {
		char *drop;
		int rc;

		if (!(inc->per_item_needed & (1u << t)))
			continue;
		drop = xstrfmt("DROP TABLE IF EXISTS temp.%s", per_item_tables[t][1]);
		rc = store_exec(s, drop, d);
		if (!rc && build_per_item(s, t, "since_items", per_item_tables[t][1], d)) {
			/* The data's fault (an item's JSON): the rules that
			 * read the table run in full, as in a full run; a
			 * table left half filled is dropped. */
			rc = !runner_data_error(s, d);
			if (!rc) {
				diag_clear(d);
				failed |= 1u << t;
				rc = store_exec(s, drop, d);
			}
		}
		free(drop);
		if (rc)
			return -1;
	}
	if (place_views(s, inc, d))
		return -1;
	if (check_local_reads(s, inc, failed, d))
		return -1;
	if (first)
		inc->changed = changed;
	return 0;
}

/* The prior results of the rules run on what changed: those of the local
 * and per-resource rules in one statement, each per-place rule's apart. */
static int copy_prior(struct store *s, struct incremental *inc, int64_t run_id,
		      struct diag *d)
{
	int *nos = xcalloc(inc->n_local + 1, sizeof(*nos));
	size_t n = 0;
	int rc = since_results_end(s, &inc->tally.before_rowid, d);

	for (size_t i = 0; i < inc->n_local && !rc; i++) {
		if (!inc->local_places[i]) {
			nos[n++] = inc->local_nos[i];
			continue;
		}
		rc = since_copy_places(s, inc->prior.run_id, run_id, inc->local_nos[i],
				       inc->local_places[i], &inc->tally, d);
	}
	if (!rc)
		rc = since_copy_results(s, inc->prior.run_id, run_id, nos, n, &inc->tally, d);
	free(nos);
	return rc;
}

/* Store the run by reference to the prior one (its own results and
 * what it re-evaluated), when its chain of bases stays short. */
static int store_by_reference(struct store *s, struct incremental *inc, int64_t run_id,
			      struct diag *d)
{
	struct since_ref_rule *rules = xcalloc(inc->n_local + 1, sizeof(*rules));
	int rc;

	for (size_t i = 0; i < inc->n_local; i++) {
		rules[i].rule_no = inc->local_nos[i];
		rules[i].types = inc->local_places[i];
	}
	rc = since_ref_store(s, inc->prior.run_id, run_id, rules, inc->n_local,
			     &inc->tally.by_ref, d);
	free(rules);
	return rc;
}

int incremental_store(struct store *s, int64_t run_id, struct incremental *inc,
		      struct diag *d)
{
	struct since_record r = { .marks = inc->marks };

	if (inc->active) {
		int *nos = xcalloc(inc->n_local + 1, sizeof(*nos));
		size_t n = 0;
		long outside = 0;

		/* the per-place rules one by one, the others at once */
		for (size_t i = 0; i < inc->n_local && outside >= 0; i++) {
			long o = 0;

			if (inc->local_places[i])
				o = since_count_outside(s, run_id, &inc->local_nos[i], 1,
							inc->local_places[i], d);
			else
				nos[n++] = inc->local_nos[i];
			outside = o < 0 ? -1 : outside + o;
		}
		if (outside >= 0) {
			long o = since_count_outside(s, run_id, nos, n, NULL, d);

			outside = o < 0 ? -1 : outside + o;
		}
		free(nos);
		if (outside < 0)
			return -1;
		if (outside > 0) {
			inc->not_local = 1;
			return diag_set(d, s->path, 0, "a rule read as local gave %ld result%s for "
				       "resources that did not change", outside,
				       outside == 1 ? "" : "s");
		}
		if (store_by_reference(s, inc, run_id, d))
			return -1;
		if (!inc->tally.by_ref && copy_prior(s, inc, run_id, d))
			return -1;
		r.since_run = inc->prior.run_id;
		r.changed_resources = inc->changed;
		r.rules_rerun = inc->rules_rerun;
		r.rules_copied = (long)inc->n_local;
		r.state = inc->state;
		r.n_state = inc->n_state;
	}
	return since_state_write(s, run_id, &r, d);
}

void incremental_release(struct incremental *inc)
{
	since_prior_release(&inc->prior);
	if (inc->active)
		pthread_mutex_destroy(&inc->lock);
	free(inc->local_nos);
	free(inc->local_rules);
	free(inc->local_sql);
	free(inc->local_places);
	free(inc->timed);
	free(inc->accounts);
	free(inc->state);
	since_tally_release(&inc->tally);
	for (size_t i = 0; i < inc->n_owned; i++)
		free(inc->owned[i]);
	free(inc->owned);
	memset(inc, 0, sizeof(*inc));
}
