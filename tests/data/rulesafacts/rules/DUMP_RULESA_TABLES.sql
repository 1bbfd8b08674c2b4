-- identifier: DUMP_RULESA_TABLES
-- name: dump-rulesa-tables
-- resource-types: AWS::Logs::LogGroup, AWS::S3::Bucket
-- description: One result per log group (log_groups) and per bucket
--   (s3_lifecycle_rules): "same" when every column is what the rules
--   computed from current_items and s3_bucket_facts themselves before the
--   tables existed, else "DIFF", then the columns, quoted.
WITH lg AS (
	SELECT c.resource_type, c.resource_id, c.account_id, c.region,
	       l.recorded IS (c.configuration IS NOT NULL)
	       AND l.status IS c.status
	       AND l.name IS coalesce(json_unstring(c.configuration) ->> '$.LogGroupName',
				      json_unstring(c.configuration) ->> '$.logGroupName',
				      c.resource_name, c.resource_id)
	       AND l.retention_days IS coalesce(json_unstring(c.configuration) ->> '$.RetentionInDays',
						json_unstring(c.configuration) ->> '$.retentionInDays')
	       AND l.kms_key IS trim(coalesce(json_extract(c.configuration, '$.KmsKeyId'),
					      json_extract(c.configuration, '$.kmsKeyId'), '')) AS ok,
	       quote(l.recorded) || ' ' || quote(l.name) || ' ' || quote(l.retention_days) || ' '
	       || quote(l.kms_key) AS cols
	FROM current_items AS c JOIN log_groups AS l ON l.item_key = c.item_key
	WHERE c.resource_type = 'AWS::Logs::LogGroup'
), old AS (
	SELECT b.item_key, r.key AS idx, r.value AS rule, json_extract(r.value, '$.status') AS status,
	       json_extract(r.value, '$.id') AS id,
	       json_extract(r.value, '$.expirationInDays') AS expiration_days
	FROM s3_bucket_facts AS b, json_each(b.lifecycle, '$.rules') AS r
	WHERE r.type = 'object'
), lc AS (
	SELECT b.resource_type, b.resource_id, b.account_id, b.region,
	       NOT EXISTS (SELECT idx, rule, status, id, expiration_days FROM old
			   WHERE old.item_key = b.item_key
			   EXCEPT SELECT idx, rule, status, id, expiration_days FROM s3_lifecycle_rules AS n
			   WHERE n.item_key = b.item_key)
	       AND NOT EXISTS (SELECT idx, rule, status, id, expiration_days FROM s3_lifecycle_rules AS n
			       WHERE n.item_key = b.item_key
			       EXCEPT SELECT idx, rule, status, id, expiration_days FROM old
			       WHERE old.item_key = b.item_key) AS ok,
	       coalesce((SELECT group_concat(quote(idx) || ' ' || quote(status) || ' ' || quote(id) || ' '
					     || quote(expiration_days) || ' ' || rule, '; ')
			 FROM (SELECT * FROM s3_lifecycle_rules AS n WHERE n.item_key = b.item_key
			       ORDER BY idx)), 'no rules') AS cols
	FROM s3_bucket_facts AS b
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type,
       CASE WHEN ok THEN 'same ' ELSE 'DIFF ' END || cols AS annotation
FROM lg
UNION ALL
SELECT resource_type, resource_id, account_id, region, 'COMPLIANT',
       CASE WHEN ok THEN 'same ' ELSE 'DIFF ' END || cols
FROM lc
