-- identifier: S3_BUCKET_DEFAULT_LOCK_ENABLED
-- name: s3-bucket-default-lock-enabled
-- severity: medium (default: backup)
-- remediation: Enable Object Lock with a default retention in the required mode
--   (PutObjectLockConfiguration ObjectLockEnabled=Enabled, DefaultRetention).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   mode: string, optional
-- description: Buckets must have S3 Object Lock enabled: NON_COMPLIANT
--   when supplementary ObjectLockConfiguration.objectLockEnabled is not
--   Enabled (Config omits the key for a bucket without Object Lock), and,
--   with mode (GOVERNANCE or COMPLIANCE, compared without regard to case),
--   when the default retention rule (rule.defaultRetention.mode) is absent
--   or has another mode; COMPLIANT otherwise. Not stated by AWS: without
--   mode, a bucket with Object Lock enabled but no default retention rule
--   is COMPLIANT (the page checks only that the lock is enabled). An item
--   without a recorded configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       json_extract(object_lock, '$.objectLockEnabled') AS lock,
	       json_extract(object_lock, '$.rule.defaultRetention.mode') AS dmode,
	       nullif(upper(trim(:mode)), '') AS want
	FROM s3_bucket_facts
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	    WHEN lock IS NOT 'Enabled' THEN 'NON_COMPLIANT'
	    WHEN want IS NOT NULL AND upper(dmode) IS NOT want THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN lock IS NOT 'Enabled'
		 THEN 'Object Lock is not enabled (objectLockEnabled ' ||
		      coalesce(lock, 'absent') || ')'
	    WHEN want IS NOT NULL AND dmode IS NULL
		 THEN 'Object Lock is enabled but has no default retention; mode ' || want ||
		      ' is required'
	    WHEN want IS NOT NULL AND upper(dmode) IS NOT want
		 THEN 'default retention mode is ' || dmode || ', not ' || want
	    WHEN dmode IS NOT NULL
		 THEN 'Object Lock is enabled with default retention mode ' || dmode
	    ELSE 'Object Lock is enabled' END AS annotation
FROM b
