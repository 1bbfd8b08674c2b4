-- bundle.sql: source files and configuration items behind the verdicts of
-- fixture.sql's run 2, for the bundle tests. Keys match results.item_key.
BEGIN;
INSERT INTO files (file_key, path, size, sha256, kind, account_id, region, delivered_at,
  snapshot_id, item_count, status, ingested_at) VALUES
 (X'f0000000000000000000000000000001',
  'AWSLogs/111111111111/Config/us-east-1/2026/11/1/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261101T000000Z_a.json.gz',
  1234, '1111111111111111111111111111111111111111111111111111111111111111', 'ConfigSnapshot',
  '111111111111', 'us-east-1', '2026-11-01T00:00:00.000Z', 'a', 9, 'loaded',
  '2026-11-02T09:00:00.000Z'),
 (X'f0000000000000000000000000000002', '../evil/<script>' || char(10) || 'name.json', 5,
  '2222222222222222222222222222222222222222222222222222222222222222', 'ItemArray',
  NULL, NULL, NULL, NULL, 3, 'loaded', '2026-11-02T09:00:00.000Z');
INSERT INTO files (file_key, path, size, sha256, kind, status, error, ingested_at) VALUES
 (X'f0000000000000000000000000000003', 'broken.json.gz', 10,
  '3333333333333333333333333333333333333333333333333333333333333333', 'ItemArray', 'failed',
  'not gzip', '2026-11-02T09:00:00.000Z');

INSERT INTO items (item_key, account_id, region, resource_type, resource_id, resource_name,
  arn, availability_zone, status, capture_time, state_id, item_version,
  resource_creation_time, configuration, supplementary, tags, relationships, extra) VALUES
 (X'00000000000000000000000000000001', '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  '<script>alert(1)</script>', '../../etc/passwd', 'arn:aws:s3:::x', 'Regional', 'OK',
  '2026-10-31T12:00:00.000Z', 17, '1.3', '2020-01-01T00:00:00.000Z',
  '{"name":"<script>alert(1)</script>","big":12345678901234}',
  '{"BucketPolicy":{"policyText":{"Statement":[{"Effect":"Allow","Principal":"*"}]}}}',
  '{"env":"prod","quote\"d":"a&b"}', '[]', '{"configurationItemMD5Hash":""}'),
 (X'00000000000000000000000000000002', '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  'evil' || char(1) || char(27) || '[31mred', NULL, NULL, NULL, 'OK',
  '2026-10-31T12:00:00.000Z', NULL, '1.3', NULL, '{}', '{}', '{}', '[]', NULL),
 (X'00000000000000000000000000000003', '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  'good-bucket', 'good-bucket', NULL, NULL, 'OK', '2026-10-30T00:00:00.000Z', 3, '1.3', NULL,
  '{"versioning":"Enabled"}', '{}', '{}',
  '[{"resourceId":"x","resourceName":null,"resourceType":"AWS::S3::Bucket","name":"Is attached to"}]',
  NULL),
 (X'00000000000000000000000000000007', '111111111111', 'global', 'AWS::IAM::User',
  '=cmd|'' /C calc''!A0', 'mallory', NULL, 'Not Applicable', 'OK',
  '2026-10-29T00:00:00.000Z', 1, '1.3', NULL, '{"userName":"mallory"}', '{}', '{}', '[]', NULL),
 -- An item no verdict of run 2 refers to: not in the bundle.
 (X'000000000000000000000000000000ff', '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  'unrelated', NULL, NULL, NULL, 'OK', '2026-10-29T00:00:00.000Z', 1, '1.3', NULL, '{}', '{}',
  '{}', '[]', NULL);

-- A pack name that would escape the archive if used as a file name.
INSERT INTO run_files VALUES (2, 'pack', '../../../tmp/evil pack',
  '/abs/evil.yaml', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'Resources: {}' || char(10));
COMMIT;
