-- identifier: DUMP_S3_POLICY_STATEMENTS
-- name: dump-s3-policy-statements
-- resource-types: AWS::S3::Bucket
-- description: One result per s3_policy_statements row (resource id
--   "bucket idx part"): its effect and statement, quoted, in parts of 200
--   characters, so that a test can compare the table.
WITH RECURSIVE rows_ AS (
	SELECT f.resource_type, f.resource_id, f.account_id, f.region, s.idx,
	       quote(s.effect) || ' ' || quote(s.stmt) AS v
	FROM s3_policy_statements AS s JOIN s3_bucket_facts AS f ON f.item_key = s.item_key
), parts(resource_type, resource_id, account_id, region, idx, n, v, rest) AS (
	SELECT resource_type, resource_id, account_id, region, idx, 0, substr(v, 1, 200),
	       substr(v, 201)
	FROM rows_
	UNION ALL
	SELECT resource_type, resource_id, account_id, region, idx, n + 1, substr(rest, 1, 200),
	       substr(rest, 201)
	FROM parts WHERE rest <> ''
)
SELECT resource_type, resource_id || ' ' || idx || ' ' || n AS resource_id,
       account_id, region AS aws_region, 'COMPLIANT' AS compliance_type, v AS annotation
FROM parts
