-- identifier: REPORT_TEST_BUCKET_VERSIONING
-- name: report-test-bucket-versioning
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters: (none)
-- description: A rule of the report tests (t1410): a bucket whose
--   versioning status is Enabled is COMPLIANT, Suspended or Off
--   NON_COMPLIANT, one without a versioning configuration NOT_APPLICABLE.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN v IS NULL THEN 'NOT_APPLICABLE'
            WHEN v = 'Enabled' THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       'versioning: ' || coalesce(v, 'none') AS annotation
FROM (SELECT resource_type, resource_id, account_id, region,
             json_extract(supplementary, '$.BucketVersioningConfiguration.status') AS v
      FROM current_items
      WHERE resource_type = 'AWS::S3::Bucket')
