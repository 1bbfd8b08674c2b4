-- identifier: S3_BUCKET_VERSIONING_ENABLED
-- name: s3-bucket-versioning-enabled
-- severity: low (Security Hub S3.14)
-- remediation: Enable versioning on the bucket (PutBucketVersioning
--   Status=Enabled).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   isMfaDeleteEnabled: string, optional
-- description: Buckets must have versioning enabled and, when
--   isMfaDeleteEnabled is true, MFA delete as well. Not stated by AWS
--   (natural reading): BucketVersioningConfiguration.status Enabled is
--   COMPLIANT; Off, Suspended or no versioning configuration is
--   NON_COMPLIANT; with isMfaDeleteEnabled = true (any case) a bucket whose
--   isMfaDeleteEnabled is not true is NON_COMPLIANT. An item without a
--   recorded configuration is INSUFFICIENT_DATA.
WITH b AS (
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       json_extract(versioning, '$.status') AS vstatus,
	       coalesce(json_extract(versioning, '$.isMfaDeleteEnabled')
	                IN (1, 'true', 'Enabled'), 0) AS mfa,
	       lower(trim(coalesce(:isMfaDeleteEnabled, ''))) = 'true' AS want_mfa
	FROM s3_bucket_facts
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN vstatus IS NOT 'Enabled' THEN 'NON_COMPLIANT'
            WHEN want_mfa AND NOT mfa THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN vstatus IS NOT 'Enabled'
                 THEN 'versioning is ' || coalesce(vstatus, 'not configured')
            WHEN want_mfa AND NOT mfa THEN 'versioning is Enabled but MFA delete is not'
            WHEN want_mfa THEN 'versioning and MFA delete are enabled'
            ELSE 'versioning is Enabled' END AS annotation
FROM b
