-- identifier: S3_VERSION_LIFECYCLE_POLICY_CHECK
-- name: s3-version-lifecycle-policy-check
-- severity: medium (Security Hub S3.10)
-- remediation: Add an enabled lifecycle rule to the versioned bucket, for
--   example one that expires noncurrent versions
--   (PutBucketLifecycleConfiguration).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   bucketNames: csv, optional
-- description: Buckets with versioning enabled must have a lifecycle
--   policy: a bucket whose BucketVersioningConfiguration.status is Enabled
--   is NON_COMPLIANT when BucketLifecycleConfiguration has no rule with
--   status Enabled, COMPLIANT when it has one. Buckets whose versioning is
--   Off or Suspended are NOT_APPLICABLE. Not stated by AWS (natural
--   reading): with bucketNames, buckets not listed are NOT_APPLICABLE; the
--   rule does not require the lifecycle rule to act on noncurrent
--   versions. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       json_extract(versioning, '$.status') AS vstatus,
	       coalesce(name, resource_id) AS bname
	FROM s3_bucket_facts
), lc AS (
	-- The enabled lifecycle rules, taken apart once per run
	-- (s3_lifecycle_rules, cfgaudit-rules(5)).
	SELECT l.item_key, count(*) AS n, min(coalesce(l.id, '#' || (l.idx + 1))) AS rid
	FROM s3_lifecycle_rules AS l
	WHERE l.status = 'Enabled'
	GROUP BY l.item_key
)
SELECT b.resource_type, b.resource_id, b.account_id, b.region AS aws_region,
       CASE WHEN NOT b.recorded THEN 'INSUFFICIENT_DATA'
	    WHEN :bucketNames IS NOT NULL AND NOT csv_contains(:bucketNames, b.bname)
		 THEN 'NOT_APPLICABLE'
	    WHEN b.vstatus IS NOT 'Enabled' THEN 'NOT_APPLICABLE'
	    WHEN lc.item_key IS NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT b.recorded
		 THEN 'configuration not recorded (status ' || b.status || ')'
	    WHEN :bucketNames IS NOT NULL AND NOT csv_contains(:bucketNames, b.bname)
		 THEN 'bucket is not listed in bucketNames'
	    WHEN b.vstatus IS NOT 'Enabled'
		 THEN 'versioning is ' || coalesce(b.vstatus, 'not configured')
	    WHEN lc.item_key IS NULL
		 THEN 'versioning is Enabled but no lifecycle rule is enabled'
	    ELSE 'versioning is Enabled and lifecycle rule ' || lc.rid || ' is enabled' ||
		 CASE WHEN lc.n > 1 THEN ' (' || lc.n || ' enabled rules)' ELSE '' END END AS annotation
FROM b LEFT JOIN lc ON lc.item_key = b.item_key
