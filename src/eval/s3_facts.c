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
const char s3_bucket_facts_sql[] =
	"CREATE TEMP TABLE s3_bucket_facts AS"
	" SELECT item_key, resource_type, resource_id, account_id, region, status, arn,"
	"  configuration IS NOT NULL AS recorded,"
	"  json_extract(configuration, '$.name') AS name,"
	"  json_extract(configuration, '$.owner.id') AS owner_id,"
	"  CASE json_type(supplementary, '$.AccessControlList')"
	"   WHEN 'object' THEN json_extract(supplementary, '$.AccessControlList')"
	"   WHEN 'text' THEN json_unstring(json_extract(supplementary, '$.AccessControlList'))"
	"  END AS acl,"
	"  CASE json_type(supplementary, '$.BucketPolicy.policyText')"
	"   WHEN 'object' THEN json_extract(supplementary, '$.BucketPolicy.policyText')"
	"   WHEN 'text'"
	"    THEN json_unstring(json_extract(supplementary, '$.BucketPolicy.policyText'))"
	"  END AS policy,"
	"  supplementary -> '$.PublicAccessBlockConfiguration' AS public_access_block,"
	"  supplementary -> '$.BucketVersioningConfiguration' AS versioning,"
	"  supplementary -> '$.BucketLoggingConfiguration' AS logging,"
	"  supplementary -> '$.BucketLifecycleConfiguration' AS lifecycle,"
	"  supplementary -> '$.BucketNotificationConfiguration' AS notification,"
	"  supplementary -> '$.BucketReplicationConfiguration' AS replication,"
	"  supplementary -> '$.ServerSideEncryptionConfiguration' AS encryption,"
	"  supplementary -> '$.ObjectLockConfiguration' AS object_lock"
	" FROM current_items WHERE resource_type = 'AWS::S3::Bucket';"
	"CREATE INDEX temp.s3_bucket_facts_by_item ON s3_bucket_facts(item_key);";

/*
 * s3_policy_statements: one row per statement (an object) of a bucket's
 * policy, when the policy is a readable JSON object: item_key, idx (its
 * position, 0 for a Statement that is one object), stmt (the statement
 * as JSON text) and effect (its Effect).
 */
const char s3_policy_statements_sql[] =
	"CREATE TEMP TABLE s3_policy_statements AS"
	" WITH st AS ("
	"  SELECT item_key, CASE json_type(policy, '$.Statement')"
	"    WHEN 'array' THEN json_extract(policy, '$.Statement')"
	"    WHEN 'object' THEN json_array(json(json_extract(policy, '$.Statement')))"
	"    END AS stmts"
	"  FROM s3_bucket_facts WHERE json_valid(policy) AND json_type(policy) = 'object')"
	" SELECT st.item_key, s.key AS idx, s.value AS stmt,"
	"  json_extract(s.value, '$.Effect') AS effect"
	" FROM st, json_each(st.stmts) AS s"
	" WHERE st.stmts IS NOT NULL AND s.type = 'object';"
	"CREATE INDEX temp.s3_policy_statements_by_item ON s3_policy_statements(item_key);";

/*
 * s3_bucket_access: one row per bucket -- recorded, and the Block Public
 * Access flags that neutralise public ACLs (ignorePublicAcls) and public
 * policies (restrictPublicBuckets), at bucket level (supplementary
 * PublicAccessBlockConfiguration) and at account level (the
 * AWS::S3::AccountPublicAccessBlock item of the account, recorded per
 * region with resourceId = account id: the bucket's region first, else
 * the newest). A flag is 1 only when it is true (or "true").
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
	"   c.recorded, json_extract(c.public_access_block, '$') AS bkt_bpa,"
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
	"  acct_flags % 2 AS acc_restrict"
	" FROM b;"
	"CREATE INDEX temp.s3_bucket_access_by_item ON s3_bucket_access(item_key);";

/* s3_public_grants: one row per grant of a bucket's ACL (grantList or
 * grantSet) to everyone -- grantee 'AllUsers' or 'AuthenticatedUsers'
 * (named, or by the group URI) -- with its permission in upper case
 * without underscores (READ, WRITE, READACP, WRITEACP, FULLCONTROL). */
const char s3_public_grants_sql[] =
	"CREATE TEMP TABLE s3_public_grants AS"
	" WITH acl AS ("
	"  SELECT item_key, CASE WHEN json_valid(acl) THEN acl END AS acl FROM s3_bucket_facts),"
	" g AS ("
	"  SELECT acl.item_key,"
	"   CASE json_type(g.value, '$.grantee')"
	"    WHEN 'text' THEN json_extract(g.value, '$.grantee')"
	"    WHEN 'object' THEN coalesce(json_extract(g.value, '$.grantee.uri'),"
	"     json_extract(g.value, '$.grantee.URI'), json_extract(g.value, '$.grantee.identifier'),"
	"     json_extract(g.value, '$.grantee.id'))"
	"    END AS who,"
	"   upper(replace(json_extract(g.value, '$.permission'), '_', '')) AS permission"
	"  FROM acl, json_each(acl.acl) AS top, json_each(top.value) AS g"
	"  WHERE acl.acl IS NOT NULL AND top.key IN ('grantList', 'grantSet')"
	"   AND top.type = 'array' AND g.type = 'object')"
	" SELECT item_key,"
	"  CASE WHEN who LIKE '%AllUsers' THEN 'AllUsers' ELSE 'AuthenticatedUsers' END AS grantee,"
	"  permission"
	" FROM g"
	" WHERE who IN ('AllUsers', 'AuthenticatedUsers')"
	"  OR who LIKE '%/groups/global/AllUsers' OR who LIKE '%/groups/global/AuthenticatedUsers';"
	"CREATE INDEX temp.s3_public_grants_by_item ON s3_public_grants(item_key);";

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
