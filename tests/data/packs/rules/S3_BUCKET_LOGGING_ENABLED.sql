-- identifier: S3_BUCKET_LOGGING_ENABLED
-- name: s3-bucket-logging-enabled
-- resource-types: AWS::S3::Bucket
-- this header line is not a key: value pair
SELECT 1
