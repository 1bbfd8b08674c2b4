-- identifier: DUMP_S3_TABLES
-- name: dump-s3-tables
-- resource-types: AWS::S3::Bucket
-- description: One result per column of each s3_bucket_facts row (resource
--   id "bucket NN part", NN the column's position) and per
--   s3_policy_statements row ("bucket sIDX part": its effect and
--   statement), the value quoted in the annotation in parts of 200
--   characters, so that a test can compare the tables.
WITH RECURSIVE vals AS (
	SELECT f.resource_type, f.resource_id || ' ' || printf('%02d', j.key) AS id,
	       f.account_id, f.region, j.value AS v
	FROM s3_bucket_facts AS f,
	     json_each(json_array(quote(f.status), quote(f.arn), quote(f.recorded), quote(f.name),
	                          quote(f.owner_id), quote(f.acl), quote(f.policy),
	                          quote(f.public_access_block), quote(f.versioning),
	                          quote(f.logging), quote(f.lifecycle), quote(f.notification),
	                          quote(f.replication), quote(f.encryption),
	                          quote(f.object_lock))) AS j
	UNION ALL
	SELECT f.resource_type, f.resource_id || ' s' || s.idx, f.account_id, f.region,
	       quote(s.effect) || ' ' || quote(s.stmt)
	FROM s3_policy_statements AS s JOIN s3_bucket_facts AS f ON f.item_key = s.item_key
), parts(resource_type, id, account_id, region, n, v, rest) AS (
	SELECT resource_type, id, account_id, region, 0, substr(v, 1, 200), substr(v, 201)
	FROM vals
	UNION ALL
	SELECT resource_type, id, account_id, region, n + 1, substr(rest, 1, 200),
	       substr(rest, 201)
	FROM parts WHERE rest <> ''
)
SELECT resource_type, id || ' ' || n AS resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, v AS annotation
FROM parts
