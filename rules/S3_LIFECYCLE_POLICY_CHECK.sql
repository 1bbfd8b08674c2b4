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
	       coalesce(name, resource_id) AS bname
	FROM s3_bucket_facts
),
lrules AS (
	-- The enabled lifecycle rules, taken apart once per run
	-- (s3_lifecycle_rules, cfgaudit-rules(5)).
	SELECT l.item_key, l.rule AS lr, l.expiration_days AS exp_days,
	       coalesce(l.id, '#' || (l.idx + 1)) AS rid
	FROM s3_lifecycle_rules AS l
	WHERE l.status = 'Enabled'
),
lc AS (
	-- Per bucket: its enabled rules (n), those that match the
	-- parameters (n_ok) and the least matching rule's id.
	SELECT item_key, count(*) AS n, count(ok) AS n_ok, min(CASE WHEN ok THEN rid END) AS rid
	FROM (SELECT l.item_key, l.rid,
		     CASE WHEN (:targetExpirationDays IS NULL OR l.exp_days = :targetExpirationDays)
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
		     THEN 1 END AS ok
	      FROM lrules AS l)
	GROUP BY item_key
)
SELECT b.resource_type, b.resource_id, b.account_id, b.region AS aws_region,
       CASE WHEN NOT b.recorded THEN 'INSUFFICIENT_DATA'
            WHEN :bucketNames IS NOT NULL AND coalesce(csv_contains(:bucketNames, b.bname), 0) = 0
                 THEN 'NOT_APPLICABLE'
            WHEN lc.n_ok > 0 THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT b.recorded
                 THEN 'configuration not recorded (status ' || b.status || ')'
            WHEN :bucketNames IS NOT NULL AND coalesce(csv_contains(:bucketNames, b.bname), 0) = 0
                 THEN 'not listed in bucketNames'
            WHEN lc.n_ok > 0 THEN 'enabled lifecycle rule ' || lc.rid || ' matches'
            WHEN lc.item_key IS NULL THEN 'no enabled lifecycle rule'
            ELSE 'none of the ' || lc.n || ' enabled lifecycle rule(s) matches the parameters' ||
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
LEFT JOIN lc ON lc.item_key = b.item_key
