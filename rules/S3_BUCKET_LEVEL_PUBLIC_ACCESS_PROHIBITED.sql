-- identifier: S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED
-- name: s3-bucket-level-public-access-prohibited
-- severity: high (Security Hub S3.8)
-- remediation: Turn on all four Block Public Access settings of the bucket
--   (PutPublicAccessBlock).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   excludedPublicBuckets: csv, optional
-- description: Buckets must not be public through their bucket-level
--   settings: NON_COMPLIANT when the bucket is not listed in
--   excludedPublicBuckets and its bucket-level settings are public;
--   COMPLIANT otherwise. Not stated by AWS (natural reading, as Security
--   Hub S3.8 reports it): "public" means the bucket's own
--   PublicAccessBlockConfiguration is missing or has any of
--   blockPublicAcls, ignorePublicAcls, blockPublicPolicy,
--   restrictPublicBuckets not true; account-level settings are not
--   consulted; a listed bucket is COMPLIANT. An item without a recorded
--   configuration is INSUFFICIENT_DATA, and so is one whose
--   PublicAccessBlockConfiguration is a string that is not JSON.
WITH b0 AS (
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       coalesce(name, resource_id) AS bname,
	       json_type(json_unstring(public_access_block)) AS pab_type,
	       json_unstring(public_access_block) AS pab
	FROM s3_bucket_facts
),
b AS (
	SELECT b0.*,
	       coalesce(json_extract(pab, '$.blockPublicAcls') IN (1, 'true'), 0) AS f1,
	       coalesce(json_extract(pab, '$.ignorePublicAcls') IN (1, 'true'), 0) AS f2,
	       coalesce(json_extract(pab, '$.blockPublicPolicy') IN (1, 'true'), 0) AS f3,
	       coalesce(json_extract(pab, '$.restrictPublicBuckets') IN (1, 'true'), 0) AS f4
	FROM b0
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN coalesce(csv_contains(:excludedPublicBuckets, bname), 0) = 1 THEN 'COMPLIANT'
            WHEN f1 AND f2 AND f3 AND f4 THEN 'COMPLIANT'
            WHEN pab_type = 'text' THEN 'INSUFFICIENT_DATA'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN coalesce(csv_contains(:excludedPublicBuckets, bname), 0) = 1
                 THEN 'listed in excludedPublicBuckets'
            WHEN f1 AND f2 AND f3 AND f4
                 THEN 'all four bucket-level Block Public Access settings are on'
            WHEN pab_type = 'text'
                 THEN 'supplementary PublicAccessBlockConfiguration is a string that is not'
                      || ' JSON (aws s3api get-public-access-block)'
            WHEN pab_type IS NOT 'object' THEN 'no bucket-level Block Public Access configuration'
            ELSE 'bucket-level Block Public Access settings off: ' ||
                 trim(CASE WHEN NOT f1 THEN 'blockPublicAcls ' ELSE '' END ||
                      CASE WHEN NOT f2 THEN 'ignorePublicAcls ' ELSE '' END ||
                      CASE WHEN NOT f3 THEN 'blockPublicPolicy ' ELSE '' END ||
                      CASE WHEN NOT f4 THEN 'restrictPublicBuckets' ELSE '' END) END AS annotation
FROM b
