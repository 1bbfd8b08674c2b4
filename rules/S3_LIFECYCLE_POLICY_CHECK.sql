-- identifier: S3_LIFECYCLE_POLICY_CHECK
-- name: s3-lifecycle-policy-check
-- severity: low (Security Hub S3.13)
-- remediation: Add a lifecycle rule with the required transition and expiration
--   (PutBucketLifecycleConfiguration).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   targetTransitionDays: int, optional
--   targetExpirationDays: int, optional
--   targetTransitionStorageClass: string, optional
--   targetPrefix: string, optional
--   bucketNames: csv, optional
-- description: Buckets must have an active lifecycle rule that matches the
--   parameters: NON_COMPLIANT when BucketLifecycleConfiguration has no rule
--   with status Enabled, or no enabled rule matches every given parameter;
--   COMPLIANT otherwise. Not stated by AWS (natural reading): one matching
--   enabled rule suffices; targetExpirationDays must equal
--   expirationInDays (-1 = unset); targetTransitionDays and
--   targetTransitionStorageClass must be met by one transitions[] entry
--   (days equal, storage class equal); targetPrefix must equal the rule's
--   prefix (prefix, filter.predicate.prefix, or a prefix operand of an
--   And filter); with bucketNames, buckets not listed are NOT_APPLICABLE.
--   An item without a recorded configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       lifecycle, coalesce(name, resource_id) AS bname
	FROM s3_bucket_facts
),
lrules AS (
	SELECT b.item_key, r.value AS lr,
	       json_extract(r.value, '$.expirationInDays') AS exp_days,
	       coalesce(json_extract(r.value, '$.id'), '#' || (r.key + 1)) AS rid
	FROM b, json_each(b.lifecycle, '$.rules') AS r
	WHERE r.type = 'object' AND json_extract(r.value, '$.status') = 'Enabled'
),
matching AS (
	SELECT l.item_key, min(l.rid) AS rid
	FROM lrules AS l
	WHERE (:targetExpirationDays IS NULL OR l.exp_days = :targetExpirationDays)
	  AND ((:targetTransitionDays IS NULL AND :targetTransitionStorageClass IS NULL)
	       OR EXISTS (SELECT 1 FROM json_each(l.lr, '$.transitions') AS t
	                  WHERE t.type = 'object'
	                    AND (:targetTransitionDays IS NULL
	                         OR json_extract(t.value, '$.days')
	                            = :targetTransitionDays)
	                    AND (:targetTransitionStorageClass IS NULL
	                         OR json_extract(t.value, '$.storageClass')
	                            = :targetTransitionStorageClass)))
	  AND (:targetPrefix IS NULL
	       OR json_extract(l.lr, '$.prefix') = :targetPrefix
	       OR json_extract(l.lr, '$.filter.predicate.prefix') = :targetPrefix
	       OR EXISTS (SELECT 1 FROM json_each(l.lr, '$.filter.predicate.operands') AS o
	                  WHERE o.type = 'object'
	                    AND json_extract(o.value, '$.prefix') = :targetPrefix))
	GROUP BY l.item_key
),
enabled AS (
	SELECT item_key, count(*) AS n FROM lrules GROUP BY item_key
)
SELECT b.resource_type, b.resource_id, b.account_id, b.region AS aws_region,
       CASE WHEN NOT b.recorded THEN 'INSUFFICIENT_DATA'
            WHEN :bucketNames IS NOT NULL AND coalesce(csv_contains(:bucketNames, b.bname), 0) = 0
                 THEN 'NOT_APPLICABLE'
            WHEN m.item_key IS NOT NULL THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT b.recorded
                 THEN 'configuration not recorded (status ' || b.status || ')'
            WHEN :bucketNames IS NOT NULL AND coalesce(csv_contains(:bucketNames, b.bname), 0) = 0
                 THEN 'not listed in bucketNames'
            WHEN m.item_key IS NOT NULL THEN 'enabled lifecycle rule ' || m.rid || ' matches'
            WHEN e.item_key IS NULL THEN 'no enabled lifecycle rule'
            ELSE 'none of the ' || e.n || ' enabled lifecycle rule(s) matches the parameters' ||
                 CASE WHEN :targetExpirationDays IS NOT NULL
                      THEN ' (expiration ' || :targetExpirationDays || ' days)' ELSE '' END ||
                 CASE WHEN :targetTransitionDays IS NOT NULL
                           OR :targetTransitionStorageClass IS NOT NULL
                      THEN ' (transition ' || coalesce(:targetTransitionDays || ' days', '') ||
                           coalesce(' to ' || :targetTransitionStorageClass, '') || ')'
                      ELSE '' END ||
                 CASE WHEN :targetPrefix IS NOT NULL THEN ' (prefix ' || :targetPrefix || ')'
                      ELSE '' END
            END AS annotation
FROM b
LEFT JOIN matching AS m ON m.item_key = b.item_key
LEFT JOIN enabled AS e ON e.item_key = b.item_key
