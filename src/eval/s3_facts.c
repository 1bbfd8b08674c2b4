/*
 * s3_facts: the S3 derived tables (see s3_facts.h).
 *
 * A bucket's item carries a supplementary configuration of a few
 * kilobytes (ACL, policy, lifecycle, tags, ...); every S3 rule read it
 * and took it apart again, and SQLite's JSON functions parse (or find in
 * a small cache by comparing the whole text) the document at each call.
 * s3_bucket_facts takes it apart once per run; the rules read its small
 * columns.
 */
#include "eval/s3_facts.h"
#include "eval/jscan.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * s3_bucket_facts: one row per current AWS::S3::Bucket item (recorded or
 * not):
 *   item_key, resource_type, resource_id, account_id, region, status, arn
 *   recorded    1 when the item has a configuration, else 0
 *   name        configuration.name (NULL when absent)
 *   owner_id    configuration.owner.id
 *   acl         supplementary AccessControlList as JSON text: the object,
 *               or the text AWS Config recorded (unquoted), else NULL
 *   policy      supplementary BucketPolicy.policyText, the same way
 *   acl_bad_type, policy_bad_type
 *               1 when that member is there but neither an object, a
 *               string nor null (a number, an array; for the policy also
 *               a BucketPolicy that is not an object): acl or policy is
 *               then NULL, yet the bucket is not known to have none
 *   public_access_block, versioning, logging, lifecycle, notification,
 *   replication, encryption, object_lock
 *               supplementary PublicAccessBlockConfiguration,
 *               BucketVersioningConfiguration, BucketLoggingConfiguration,
 *               BucketLifecycleConfiguration,
 *               BucketNotificationConfiguration,
 *               BucketReplicationConfiguration,
 *               ServerSideEncryptionConfiguration and
 *               ObjectLockConfiguration as JSON (SQLite's ->: a text
 *               value stays a quoted JSON string), NULL when absent; so
 *               json_extract(versioning, '$.status') is
 *               json_extract(supplementary,
 *               '$.BucketVersioningConfiguration.status'), and
 *               json_extract(x, '$') what json_extract gave for the whole
 *               member.
 */
#define S3_SELECT \
	" SELECT item_key, resource_type, resource_id, account_id, region, status, arn," \
	"  configuration IS NOT NULL AS recorded," \
	"  json_extract(configuration, '$.name') AS name," \
	"  json_extract(configuration, '$.owner.id') AS owner_id," \
	"  CASE json_type(supplementary, '$.AccessControlList')" \
	"   WHEN 'object' THEN json_extract(supplementary, '$.AccessControlList')" \
	"   WHEN 'text' THEN json_unstring(json_extract(supplementary, '$.AccessControlList'))" \
	"  END AS acl," \
	"  CASE json_type(supplementary, '$.BucketPolicy.policyText')" \
	"   WHEN 'object' THEN json_extract(supplementary, '$.BucketPolicy.policyText')" \
	"   WHEN 'text'" \
	"    THEN json_unstring(json_extract(supplementary, '$.BucketPolicy.policyText'))" \
	"  END AS policy," \
	"  supplementary -> '$.PublicAccessBlockConfiguration' AS public_access_block," \
	"  supplementary -> '$.BucketVersioningConfiguration' AS versioning," \
	"  supplementary -> '$.BucketLoggingConfiguration' AS logging," \
	"  supplementary -> '$.BucketLifecycleConfiguration' AS lifecycle," \
	"  supplementary -> '$.BucketNotificationConfiguration' AS notification," \
	"  supplementary -> '$.BucketReplicationConfiguration' AS replication," \
	"  supplementary -> '$.ServerSideEncryptionConfiguration' AS encryption," \
	"  supplementary -> '$.ObjectLockConfiguration' AS object_lock," \
	"  coalesce(json_type(supplementary, '$.AccessControlList')" \
	"   NOT IN ('object', 'text', 'null'), 0) AS acl_bad_type," \
	"  CASE json_type(supplementary, '$.BucketPolicy')" \
	"   WHEN 'object' THEN coalesce(json_type(supplementary, '$.BucketPolicy.policyText')" \
	"    NOT IN ('object', 'text', 'null'), 0)" \
	"   WHEN 'null' THEN 0" \
	"   ELSE json_type(supplementary, '$.BucketPolicy') IS NOT NULL END AS policy_bad_type"
#define S3_FROM " FROM current_items WHERE resource_type = 'AWS::S3::Bucket'"
#define S3_INDEX "CREATE INDEX temp.s3_bucket_facts_by_item ON s3_bucket_facts(item_key);"

const char s3_bucket_facts_sql[] = "CREATE TEMP TABLE s3_bucket_facts AS" S3_SELECT S3_FROM ";" S3_INDEX;

/*
 * That statement defines the table and makes its schema; the rows are
 * read in C (s3_build_bucket_facts) where both documents of an item are
 * plain and compact enough to read in place (jscan): a member as -> gives
 * it is then its text as it stands. Other items go through the same
 * expressions over the item's columns.
 */
static const char s3_items_sql[] =
	"SELECT item_key, resource_type, resource_id, account_id, region, status, arn,"
	" configuration, supplementary" S3_FROM;
/* ?11/?12: acl and policy, passed through json_unstring() when ?21/?22 */
static const char s3_insert_sql[] =
	"INSERT INTO s3_bucket_facts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	" CASE WHEN ?21 THEN json_unstring(?11) ELSE ?11 END,"
	" CASE WHEN ?22 THEN json_unstring(?12) ELSE ?12 END,"
	" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?23, ?24)";
static const char s3_by_sql[] =
	"INSERT INTO s3_bucket_facts" S3_SELECT
	" FROM (SELECT ?1 AS item_key, ?2 AS resource_type, ?3 AS resource_id, ?4 AS account_id,"
	" ?5 AS region, ?6 AS status, ?7 AS arn, ?8 AS configuration, ?9 AS supplementary)";

/* The members of supplementary the table reads (first of duplicates, as
 * SQLite reads them); those from S3_PASS on as -> gives them. */
enum { S3_ACL, S3_POLICY, S3_PASS };
static const char *const s3_members[] = {
	"AccessControlList", "BucketPolicy", "PublicAccessBlockConfiguration",
	"BucketVersioningConfiguration", "BucketLoggingConfiguration",
	"BucketLifecycleConfiguration", "BucketNotificationConfiguration",
	"BucketReplicationConfiguration", "ServerSideEncryptionConfiguration",
	"ObjectLockConfiguration"
};
#define S3_N_MEMBERS (sizeof(s3_members) / sizeof(s3_members[0]))

/* acl or policy from v: an object as its text (?i), a string's content
 * to unstring (?i, and ?flag 1), anything else NULL. 0, or 1 when not
 * simple. */
static int s3_document(sqlite3_stmt *st, int i, int flag, const struct jscan_val *v)
{
	sqlite3_bind_int(st, flag, v->kind == JS_STR);
	if (v->kind == JS_OBJ) {
		if (!jscan_compact(v))
			return 1;
		jscan_bind_json(st, i, v);
	} else if (v->kind == JS_STR) {
		sqlite3_bind_text(st, i, v->s, (int)v->len, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, i);
	}
	return 0;
}

/* 1 when a document member of kind k is there but of no kind a document
 * is recorded as (an object, or JSON inside a string; null: none). */
static int s3_bad_type(enum jscan_kind k)
{
	return k && k != JS_OBJ && k != JS_STR && k != JS_NULL;
}

/* Bind ?8-?24 of s3_insert_sql from the item's documents: 0, or 1 when
 * they are not simple (the caller then uses s3_by_sql). */
static int s3_scan(sqlite3_stmt *item, sqlite3_stmt *st)
{
	const char *config = (const char *)sqlite3_column_text(item, 7);
	const char *supp = (const char *)sqlite3_column_text(item, 8);
	struct jscan_val m[S3_N_MEMBERS], k, x, name = { 0 }, owner = { 0 }, id, text;
	struct jscan_iter it;
	int n;

	sqlite3_bind_int(st, 8, config != NULL);
	if (config) {
		if (jscan_object_doc(config, (size_t)sqlite3_column_bytes(item, 7), &it))
			return 1;
		while ((n = jscan_next(&it, &k, &x)) > 0) {
			if (!name.kind && JSCAN_IS(&k, "name"))
				name = x;
			else if (!owner.kind && JSCAN_IS(&k, "owner"))
				owner = x;
		}
		if (n || jscan_doc_end(&it) || jscan_member(&owner, "id", 2, 0, &id) ||
		    !jscan_extractable(&name) || !jscan_extractable(&id))
			return 1;
		jscan_bind_extract(st, 9, &name);
		jscan_bind_extract(st, 10, &id);
	} else {
		sqlite3_bind_null(st, 9);
		sqlite3_bind_null(st, 10);
	}
	if (!supp || jscan_object_doc(supp, (size_t)sqlite3_column_bytes(item, 8), &it))
		return 1;
	for (size_t i = 0; i < S3_N_MEMBERS; i++)
		m[i].kind = 0;
	while ((n = jscan_next(&it, &k, &x)) > 0)
		for (size_t i = 0; i < S3_N_MEMBERS; i++)
			if (!m[i].kind && jscan_is(&k, s3_members[i], strlen(s3_members[i]))) {
				m[i] = x;
				break;
			}
	if (n || jscan_doc_end(&it) || jscan_member(&m[S3_POLICY], "policyText", 10, 0, &text))
		return 1;
	if (s3_document(st, 11, 21, &m[S3_ACL]) || s3_document(st, 12, 22, &text))
		return 1;
	sqlite3_bind_int(st, 23, s3_bad_type(m[S3_ACL].kind));
	sqlite3_bind_int(st, 24, m[S3_POLICY].kind == JS_OBJ ? s3_bad_type(text.kind)
							     : m[S3_POLICY].kind != JS_NULL &&
								   m[S3_POLICY].kind != 0);
	for (size_t i = S3_PASS; i < S3_N_MEMBERS; i++) {
		if ((m[i].kind == JS_OBJ || m[i].kind == JS_ARR) && !jscan_compact(&m[i]))
			return 1;
		jscan_bind_json(st, 13 + (int)(i - S3_PASS), &m[i]);
	}
	return 0;
}

int s3_build_bucket_facts(struct store *s, struct diag *d)
{
	static const struct jscan_fill f = {
		"cannot build s3_bucket_facts",
		"CREATE TEMP TABLE s3_bucket_facts AS" S3_SELECT S3_FROM " AND 0",
		s3_items_sql, s3_insert_sql, s3_by_sql, S3_INDEX, 7, 9, s3_scan
	};

	return jscan_fill(s, &f, d);
}

/*
 * s3_policy_statements: one row per statement (an object) of a bucket's
 * policy, when the policy is a readable JSON object: item_key, idx (its
 * position, 0 for a Statement that is one object), stmt (the statement
 * as JSON text) and effect (its Effect).
 */
#define S3_STMTS_SELECT \
	" WITH st AS (" \
	"  SELECT item_key, CASE json_type(policy, '$.Statement')" \
	"    WHEN 'array' THEN json_extract(policy, '$.Statement')" \
	"    WHEN 'object' THEN json_array(json(json_extract(policy, '$.Statement')))" \
	"    END AS stmts" \
	"  FROM s3_bucket_facts WHERE json_valid(policy) AND json_type(policy) = 'object')" \
	" SELECT st.item_key, s.key AS idx, s.value AS stmt," \
	"  json_extract(s.value, '$.Effect') AS effect" \
	" FROM st, json_each(st.stmts) AS s" \
	" WHERE st.stmts IS NOT NULL AND s.type = 'object'"
#define S3_STMTS_INDEX \
	"CREATE INDEX temp.s3_policy_statements_by_item ON s3_policy_statements(item_key);"
const char s3_policy_statements_sql[] =
	"CREATE TEMP TABLE s3_policy_statements AS" S3_STMTS_SELECT ";" S3_STMTS_INDEX;

/*
 * That statement defines the table and makes its schema; the rows are
 * read in C (s3_build_policy_statements) from each policy that is plain
 * and compact enough to read in place (jscan), and by the same statement
 * over that policy alone otherwise: over a one-row table holding it, not
 * over bound parameters, which SQLite would take for constants and
 * evaluate json_type() of before json_valid() guards it.
 */
static const char s3_policies_sql[] =
	"SELECT item_key, policy FROM s3_bucket_facts WHERE policy IS NOT NULL";
static const char s3_stmt_insert_sql[] = "INSERT INTO s3_policy_statements VALUES (?1, ?2, ?3, ?4)";

/* The statements of one policy: 0 with them inserted by ins, 1 when the
 * policy is not simple (nothing inserted), -1 on an error. */
static int s3_policy_rows(sqlite3_stmt *item, sqlite3_stmt *ins)
{
	const char *policy = (const char *)sqlite3_column_text(item, 1);
	struct jscan_val doc, stmts, x, effect;
	struct jscan_iter it;
	int n, pass, idx;

	if (sqlite3_column_type(item, 1) != SQLITE_TEXT ||
	    jscan_doc(policy, (size_t)sqlite3_column_bytes(item, 1), &doc))
		return 1;
	if (doc.kind != JS_OBJ)
		return 0;
	if (jscan_member(&doc, "Statement", 9, 0, &stmts))
		return 1;
	if (stmts.kind == JS_OBJ) {
		/* json_array(json(...)): one statement, index 0 */
		if (!jscan_compact(&stmts) || jscan_member(&stmts, "Effect", 6, 0, &effect) ||
		    !jscan_extractable(&effect))
			return 1;
		sqlite3_bind_value(ins, 1, sqlite3_column_value(item, 0));
		sqlite3_bind_int(ins, 2, 0);
		jscan_bind_json(ins, 3, &stmts);
		jscan_bind_extract(ins, 4, &effect);
		n = sqlite3_step(ins);
		sqlite3_reset(ins);
		return n == SQLITE_DONE ? 0 : -1;
	}
	if (stmts.kind != JS_ARR)
		return 0;
	/* first check every statement, then insert */
	for (pass = 0; pass < 2; pass++) {
		jscan_iter_start(&it, &stmts);
		for (idx = 0; (n = jscan_next(&it, NULL, &x)) > 0; idx++) {
			if (x.kind != JS_OBJ)
				continue;
			if (jscan_member(&x, "Effect", 6, 0, &effect))
				return 1;
			if (!pass) {
				if (!jscan_compact(&x) || !jscan_extractable(&effect))
					return 1;
				continue;
			}
			sqlite3_bind_value(ins, 1, sqlite3_column_value(item, 0));
			sqlite3_bind_int(ins, 2, idx);
			jscan_bind_json(ins, 3, &x);
			jscan_bind_extract(ins, 4, &effect);
			n = sqlite3_step(ins);
			sqlite3_reset(ins);
			if (n != SQLITE_DONE)
				return -1;
		}
		if (n)
			return 1;
	}
	return 0;
}

int s3_build_policy_statements(struct store *s, struct diag *d)
{
	char *one = xstrreplace("INSERT INTO s3_policy_statements" S3_STMTS_SELECT,
				"FROM s3_bucket_facts", "FROM temp.s3_one_policy");
	sqlite3_stmt *item = NULL, *ins = NULL, *put = NULL, *by_sql = NULL;
	int rc = -1, step;

	if (store_exec(s, "CREATE TEMP TABLE s3_policy_statements AS" S3_STMTS_SELECT " LIMIT 0;"
		       "DROP TABLE IF EXISTS temp.s3_one_policy;"
		       "CREATE TEMP TABLE s3_one_policy AS SELECT item_key, policy"
		       " FROM s3_bucket_facts LIMIT 0", d) ||
	    !(item = store_prepare(s, s3_policies_sql, d)) ||
	    !(ins = store_prepare(s, s3_stmt_insert_sql, d)) ||
	    !(put = store_prepare(s, "INSERT INTO s3_one_policy VALUES (?1, ?2)", d)) ||
	    !(by_sql = store_prepare(s, one, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		int r = s3_policy_rows(item, ins);

		if (r == 1 && jscan_by_one_row(s, "cannot build s3_policy_statements",
					       "DELETE FROM s3_one_policy", put, by_sql, item, 2, d))
			goto out;
		if (r < 0) {
			store_error(s, d, "cannot build s3_policy_statements");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build s3_policy_statements");
		goto out;
	}
	rc = store_exec(s, S3_STMTS_INDEX, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(put);
	sqlite3_finalize(by_sql);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.s3_one_policy", NULL, NULL, NULL);
	free(one);
	return rc;
}

/*
 * s3_bucket_access: one row per bucket -- recorded, and the Block Public
 * Access flags that neutralise public ACLs (ignorePublicAcls) and public
 * policies (restrictPublicBuckets), at bucket level (supplementary
 * PublicAccessBlockConfiguration) and at account level (the
 * AWS::S3::AccountPublicAccessBlock item of the account, recorded per
 * region with resourceId = account id: the bucket's region first, else
 * the newest). A flag is 1 only when it is true (or "true"). What cannot
 * be read (a member that is a string but not JSON, a configuration of the
 * wrong type) is flagged, so that a rule says INSUFFICIENT_DATA rather
 * than read it as "off" or "no grant".
 */
const char s3_bucket_access_sql[] =
	"CREATE TEMP TABLE s3_bucket_access AS"
	/* the accounts' settings, read once rather than for each bucket:
	 * flags is 2 * ignorePublicAcls + restrictPublicBuckets */
	" WITH acct AS MATERIALIZED ("
	"  SELECT account_id, region, capture_time,"
	"   coalesce(json_extract(configuration, '$.ignorePublicAcls') IN (1, 'true'), 0) * 2"
	"   + coalesce(json_extract(configuration, '$.restrictPublicBuckets') IN (1, 'true'), 0)"
	"   AS flags"
	"  FROM current_items"
	"  WHERE resource_type = 'AWS::S3::AccountPublicAccessBlock'"
	"   AND resource_id = account_id AND configuration IS NOT NULL),"
	" b AS MATERIALIZED ("
	"  SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	"   c.recorded, json_unstring(c.public_access_block) AS bkt_bpa,"
	"   c.acl_bad_type OR c.acl IS NOT NULL AND NOT json_valid(c.acl) AS acl_unreadable,"
	"   c.policy_bad_type OR c.policy IS NOT NULL AND CASE WHEN json_valid(c.policy)"
	"    THEN json_type(c.policy) <> 'object' ELSE 1 END AS policy_unreadable,"
	"   coalesce((SELECT a.flags FROM acct AS a"
	"     WHERE a.account_id = c.account_id AND a.region = c.region),"
	"    (SELECT a.flags FROM acct AS a WHERE a.account_id = c.account_id"
	"     ORDER BY a.capture_time DESC LIMIT 1), 0) AS acct_flags"
	"  FROM s3_bucket_facts AS c)"
	" SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,"
	"  coalesce(json_extract(bkt_bpa, '$.ignorePublicAcls') IN (1, 'true'), 0)"
	"   AS bkt_ignore_acls,"
	"  acct_flags >= 2 AS acc_ignore_acls,"
	"  coalesce(json_extract(bkt_bpa, '$.restrictPublicBuckets') IN (1, 'true'), 0)"
	"   AS bkt_restrict,"
	"  acct_flags % 2 AS acc_restrict,"
	"  coalesce(json_type(bkt_bpa) NOT IN ('object', 'null'), 0) AS bpa_unreadable,"
	"  acl_unreadable, policy_unreadable"
	" FROM b;"
	"CREATE INDEX temp.s3_bucket_access_by_item ON s3_bucket_access(item_key);";

/* s3_public_grants: one row per grant of a bucket's ACL (grantList or
 * grantSet) to everyone -- grantee 'AllUsers' or 'AuthenticatedUsers'
 * (named, or by the group URI) -- with its permission in upper case
 * without underscores (READ, WRITE, READACP, WRITEACP, FULLCONTROL). */
#define S3_GRANTS_SELECT \
	" WITH acl AS (" \
	"  SELECT item_key, CASE WHEN json_valid(acl) THEN acl END AS acl FROM s3_bucket_facts)," \
	" g AS (" \
	"  SELECT acl.item_key," \
	"   CASE json_type(g.value, '$.grantee')" \
	"    WHEN 'text' THEN json_extract(g.value, '$.grantee')" \
	"    WHEN 'object' THEN coalesce(json_extract(g.value, '$.grantee.uri')," \
	"     json_extract(g.value, '$.grantee.URI'), json_extract(g.value, '$.grantee.identifier')," \
	"     json_extract(g.value, '$.grantee.id'))" \
	"    END AS who," \
	"   upper(replace(json_extract(g.value, '$.permission'), '_', '')) AS permission" \
	"  FROM acl, json_each(acl.acl) AS top, json_each(top.value) AS g" \
	"  WHERE acl.acl IS NOT NULL AND top.key IN ('grantList', 'grantSet')" \
	"   AND top.type = 'array' AND g.type = 'object')" \
	" SELECT item_key," \
	"  CASE WHEN who LIKE '%AllUsers' THEN 'AllUsers' ELSE 'AuthenticatedUsers' END AS grantee," \
	"  permission" \
	" FROM g" \
	" WHERE who IN ('AllUsers', 'AuthenticatedUsers')" \
	"  OR who LIKE '%/groups/global/AllUsers' OR who LIKE '%/groups/global/AuthenticatedUsers'"
#define S3_GRANTS_INDEX \
	"CREATE INDEX temp.s3_public_grants_by_item ON s3_public_grants(item_key);"
const char s3_public_grants_sql[] =
	"CREATE TEMP TABLE s3_public_grants AS" S3_GRANTS_SELECT ";" S3_GRANTS_INDEX;

/*
 * That statement defines the table and makes its schema; the rows are
 * read in C (s3_build_public_grants) from each ACL that is plain enough
 * to read in place (jscan), and by the same statement over that ACL
 * alone otherwise. Nearly every bucket has an ACL and few grant anything
 * to everyone: SQLite parsed each ACL three times and each grant again.
 */
static const char s3_acls_sql[] = "SELECT item_key, acl FROM s3_bucket_facts";
static const char s3_grant_insert_sql[] = "INSERT INTO s3_public_grants VALUES (?1, ?2, ?3)";

/* 1 if v (a plain string) ends with suffix, ASCII case ignored (LIKE) */
static int s3_ends_like(const struct jscan_val *v, const char *suffix)
{
	size_t n = strlen(suffix);

	return v->len >= n && jscan_like_eq(v->s + v->len - n, suffix, n);
}

/* The grantee of grant g as the statement's who: 0 with *who (kind 0:
 * none that can match), or 1 when not simple. */
static int s3_grant_who(const struct jscan_val *g, struct jscan_val *who)
{
	static const char *const keys[] = { "uri", "URI", "identifier", "id" };
	struct jscan_val grantee;

	who->kind = 0;
	if (jscan_member(g, "grantee", 7, 0, &grantee))
		return 1;
	if (grantee.kind == JS_STR) {
		*who = grantee;
		return 0;
	}
	if (grantee.kind != JS_OBJ)
		return 0;
	/* coalesce(): the first that is there and not null; only text can match */
	for (int i = 0; i < 4; i++) {
		struct jscan_val v;

		if (jscan_member(&grantee, keys[i], strlen(keys[i]), 0, &v))
			return 1;
		if (v.kind && v.kind != JS_NULL) {
			if (v.kind == JS_STR)
				*who = v;
			return 0;
		}
	}
	return 0;
}

/* The rows of one ACL into rows (grantee, permission text; NULL
 * permission as len SIZE_MAX): 0, or 1 when the ACL is not simple. */
struct s3_grant_row {
	const char *grantee;
	char *permission; /* NULL: SQL NULL */
};

static int s3_acl_grants(const char *acl, size_t len, struct s3_grant_row **rows, size_t *n,
			 size_t *alloc)
{
	struct jscan_val doc, k, list, g, who, perm;
	struct jscan_iter top, it;
	int more, more2;

	*n = 0;
	if (jscan_doc(acl, len, &doc))
		return 1;
	if (doc.kind != JS_OBJ)
		return 0; /* json_each gives no member named grantList or grantSet */
	jscan_iter_start(&top, &doc);
	while ((more = jscan_next(&top, &k, &list)) > 0) {
		if (!(JSCAN_IS(&k, "grantList") || JSCAN_IS(&k, "grantSet")) || list.kind != JS_ARR)
			continue;
		jscan_iter_start(&it, &list);
		while ((more2 = jscan_next(&it, NULL, &g)) > 0) {
			struct s3_grant_row *r;
			int all, match;

			if (g.kind != JS_OBJ)
				continue;
			if (s3_grant_who(&g, &who))
				return 1;
			if (!who.kind)
				continue;
			all = s3_ends_like(&who, "AllUsers");
			match = JSCAN_IS(&who, "AllUsers") || JSCAN_IS(&who, "AuthenticatedUsers") ||
				s3_ends_like(&who, "/groups/global/AllUsers") ||
				s3_ends_like(&who, "/groups/global/AuthenticatedUsers");
			if (!match)
				continue;
			if (jscan_member(&g, "permission", 10, 0, &perm) ||
			    (perm.kind && perm.kind != JS_NULL && perm.kind != JS_STR))
				return 1;
			ALLOC_GROW(*rows, *n + 1, *alloc);
			r = &(*rows)[(*n)++];
			r->grantee = all ? "AllUsers" : "AuthenticatedUsers";
			r->permission = NULL;
			if (perm.kind == JS_STR) {
				/* upper(replace(x, '_', '')): SQLite's upper() folds ASCII only */
				size_t o = 0;

				r->permission = xmalloc(perm.len + 1);
				for (size_t i = 0; i < perm.len; i++)
					if (perm.s[i] != '_')
						r->permission[o++] = (perm.s[i] >= 'a' && perm.s[i] <= 'z')
									     ? (char)(perm.s[i] - 32)
									     : perm.s[i];
				r->permission[o] = '\0';
			}
		}
		if (more2)
			return 1;
	}
	return more ? 1 : 0;
}

static void s3_free_rows(struct s3_grant_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].permission);
}

int s3_build_public_grants(struct store *s, struct diag *d)
{
	char *one = xstrreplace("INSERT INTO s3_public_grants" S3_GRANTS_SELECT,
				"FROM s3_bucket_facts", "FROM (SELECT ?1 AS item_key, ?2 AS acl)");
	sqlite3_stmt *item = NULL, *ins = NULL, *by_sql = NULL;
	struct s3_grant_row *rows = NULL;
	size_t n = 0, alloc = 0;
	int rc = -1, step;

	if (store_exec(s, "CREATE TEMP TABLE s3_public_grants AS" S3_GRANTS_SELECT " LIMIT 0", d) ||
	    !(item = store_prepare(s, s3_acls_sql, d)) ||
	    !(ins = store_prepare(s, s3_grant_insert_sql, d)) || !(by_sql = store_prepare(s, one, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		const char *acl = (const char *)sqlite3_column_text(item, 1);
		int bad = 0;

		if (!acl)
			continue;
		if (sqlite3_column_type(item, 1) != SQLITE_TEXT ||
		    s3_acl_grants(acl, (size_t)sqlite3_column_bytes(item, 1), &rows, &n, &alloc)) {
			s3_free_rows(rows, n);
			n = 0;
			sqlite3_bind_value(by_sql, 1, sqlite3_column_value(item, 0));
			sqlite3_bind_value(by_sql, 2, sqlite3_column_value(item, 1));
			bad = sqlite3_step(by_sql) != SQLITE_DONE;
			sqlite3_reset(by_sql);
		}
		for (size_t i = 0; i < n && !bad; i++) {
			sqlite3_bind_value(ins, 1, sqlite3_column_value(item, 0));
			sqlite3_bind_text(ins, 2, rows[i].grantee, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, rows[i].permission, -1, SQLITE_STATIC);
			bad = sqlite3_step(ins) != SQLITE_DONE;
			sqlite3_reset(ins);
		}
		s3_free_rows(rows, n);
		n = 0;
		if (bad) {
			store_error(s, d, "cannot build s3_public_grants");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build s3_public_grants");
		goto out;
	}
	rc = store_exec(s, S3_GRANTS_INDEX, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(by_sql);
	free(rows);
	free(one);
	return rc;
}

/* s3_public_statements: one row per Allow statement of a bucket's policy
 * that policy_is_public() finds public on its own -- label ('statement
 * "Sid"' or 'statement #N'), actions and not_actions (its Action /
 * NotAction as a JSON array, or NULL). */
const char s3_public_statements_sql[] =
	"CREATE TEMP TABLE s3_public_statements AS"
	" SELECT item_key,"
	"  'statement ' || coalesce('\"' || json_extract(stmt, '$.Sid') || '\"', '#' || (idx + 1))"
	"   AS label,"
	"  CASE json_type(stmt, '$.Action')"
	"   WHEN 'array' THEN json_extract(stmt, '$.Action')"
	"   WHEN 'text' THEN json_array(json_extract(stmt, '$.Action')) END AS actions,"
	"  CASE json_type(stmt, '$.NotAction')"
	"   WHEN 'array' THEN json_extract(stmt, '$.NotAction')"
	"   WHEN 'text' THEN json_array(json_extract(stmt, '$.NotAction')) END AS not_actions"
	" FROM s3_policy_statements"
	" WHERE effect = 'Allow'"
	"  AND policy_is_public(json_object('Version', '2012-10-17',"
	"   'Statement', json_array(json(stmt)))) = 1;"
	"CREATE INDEX temp.s3_public_statements_by_item ON s3_public_statements(item_key);";
