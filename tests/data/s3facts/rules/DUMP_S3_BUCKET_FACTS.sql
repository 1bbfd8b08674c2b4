-- identifier: DUMP_S3_BUCKET_FACTS
-- name: dump-s3-bucket-facts
-- resource-types: AWS::S3::Bucket
-- description: One result per column of each s3_bucket_facts row (resource
--   id "bucket column part"), its value quoted in the annotation, in parts
--   of 200 characters, so that a test can compare the table.
WITH RECURSIVE cols AS (
	SELECT f.resource_type, f.resource_id, f.account_id, f.region, j.key AS col,
	       j.value AS v
	FROM s3_bucket_facts AS f,
	     json_each(json_array(quote(f.status), quote(f.arn), quote(f.recorded), quote(f.name),
	                          quote(f.owner_id), quote(f.acl), quote(f.policy),
	                          quote(f.public_access_block), quote(f.versioning),
	                          quote(f.logging), quote(f.lifecycle), quote(f.notification),
	                          quote(f.replication), quote(f.encryption),
	                          quote(f.object_lock))) AS j
), parts(resource_type, resource_id, account_id, region, col, n, v, rest) AS (
	SELECT resource_type, resource_id, account_id, region, col, 0, substr(v, 1, 200),
	       substr(v, 201)
	FROM cols
	UNION ALL
	SELECT resource_type, resource_id, account_id, region, col, n + 1, substr(rest, 1, 200),
	       substr(rest, 201)
	FROM parts WHERE rest <> ''
)
SELECT resource_type, resource_id || ' ' || printf('%02d', col) || ' ' || n AS resource_id,
       account_id, region AS aws_region, 'COMPLIANT' AS compliance_type, v AS annotation
FROM parts
