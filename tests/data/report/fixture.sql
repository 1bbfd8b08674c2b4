-- fixture.sql: stored evaluation runs for the report and bundle tests,
-- loaded into a database that store_open created. The values are
-- deliberately hostile: markup, quotes, ampersands, control characters,
-- invalid UTF-8, spreadsheet formulas and very long strings.
BEGIN;

-- The rows below are written in the shape run_rules and results had in
-- store version 1 (no rule numbers; results a table). These temporary
-- view and triggers take them into the current tables: rules are
-- numbered in insertion order within their run, each result finds its
-- rule by run, pack and rule name, and gets a run_resources row and,
-- with an annotation, a run_annotations row of its own.
CREATE TEMP VIEW run_rules_v1 AS
  SELECT run_id, pack_name, config_rule_name, identifier, owner, evaluated, reason,
         parameters, scope, rule_sha256
  FROM run_rules;
CREATE TEMP TRIGGER run_rules_v1_insert INSTEAD OF INSERT ON run_rules_v1 BEGIN
  INSERT INTO run_rules(run_id, pack_name, config_rule_name, identifier, owner, evaluated,
                        reason, parameters, scope, rule_sha256, rule_no)
  VALUES (NEW.run_id, coalesce(NEW.pack_name, ''), NEW.config_rule_name, NEW.identifier,
          coalesce(NEW.owner, 'AWS'), NEW.evaluated, NEW.reason,
          coalesce(NEW.parameters, '{}'), coalesce(NEW.scope, '{}'), NEW.rule_sha256,
          (SELECT coalesce(max(rule_no), 0) + 1 FROM run_rules WHERE run_id = NEW.run_id));
END;
CREATE TEMP TRIGGER results_v1_insert INSTEAD OF INSERT ON results BEGIN
  INSERT INTO run_resources(resource_type, resource_id, item_key)
  VALUES (NEW.resource_type, NEW.resource_id, NEW.item_key);
  INSERT INTO run_annotations(annotation)
  SELECT NEW.annotation WHERE NEW.annotation IS NOT NULL;
  INSERT INTO run_results
  VALUES (NEW.run_id,
          (SELECT rule_no FROM run_rules WHERE run_id = NEW.run_id
           AND pack_name = NEW.pack_name AND config_rule_name = NEW.config_rule_name),
          NEW.account_id, NEW.aws_region, (SELECT max(resource_no) FROM run_resources),
          CASE NEW.compliance_type WHEN 'COMPLIANT' THEN 0 WHEN 'NON_COMPLIANT' THEN 1
            WHEN 'NOT_APPLICABLE' THEN 2 WHEN 'INSUFFICIENT_DATA' THEN 3 END,
          CASE WHEN NEW.annotation IS NOT NULL
            THEN (SELECT max(annotation_no) FROM run_annotations) END);
END;

-- Run 1: an older complete run (the default must be the latest, run 2).
INSERT INTO runs VALUES (1, '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:05.000Z',
  '2026-09-30T00:00:00.000Z', '0.1.0', '{}', 'complete');
INSERT INTO run_rules_v1 (run_id, pack_name, config_rule_name, identifier, evaluated)
  VALUES (1, '', 's3-bucket-versioning-enabled', 'S3_BUCKET_VERSIONING_ENABLED', 1);
INSERT INTO run_scope VALUES (1, '111111111111', 'us-east-1');
INSERT INTO results VALUES (1, '', 's3-bucket-versioning-enabled', '111111111111', 'us-east-1',
  'AWS::S3::Bucket', 'old-bucket', 'COMPLIANT', NULL, NULL);

-- Run 2: the main run. One pack, one stand-alone rule, a rule that could
-- not be evaluated; two accounts, two regions each, IAM in 'global'.
INSERT INTO runs VALUES (2, '2026-11-02T10:00:00.000Z', '2026-11-02T10:00:07.250Z',
  '2026-11-01T00:00:00.000Z', '0.1.0',
  '{"accounts":["111111111111","222222222222"],"regions":[]}', 'complete');
INSERT INTO run_files VALUES (2, 'pack', 'Test-Pack <b>&"''',
  'packs/Test-Pack.yaml', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'Resources:' || char(10) || '  S3BucketPublicReadProhibited:' || char(10)
  || '    Type: AWS::Config::ConfigRule' || char(10));
INSERT INTO run_files VALUES (2, 'rule', 'S3_BUCKET_PUBLIC_READ_PROHIBITED',
  'rules/S3_BUCKET_PUBLIC_READ_PROHIBITED.sql',
  'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  '-- identifier: S3_BUCKET_PUBLIC_READ_PROHIBITED' || char(10) || 'SELECT 1' || char(10));
INSERT INTO run_files VALUES (2, 'rule', 'INCOMING_SSH_DISABLED',
  'rules/INCOMING_SSH_DISABLED.sql',
  'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
  '-- identifier: INCOMING_SSH_DISABLED' || char(10) || 'SELECT 2' || char(10));
INSERT INTO run_files VALUES (2, 'rule', 'IAM_USER_MFA_ENABLED',
  'rules/IAM_USER_MFA_ENABLED.sql',
  'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd',
  '-- identifier: IAM_USER_MFA_ENABLED' || char(10) || 'SELECT 3' || char(10));
INSERT INTO run_files VALUES (2, 'rule', 'S3_BUCKET_VERSIONING_ENABLED',
  'rules/S3_BUCKET_VERSIONING_ENABLED.sql',
  'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
  '-- identifier: S3_BUCKET_VERSIONING_ENABLED' || char(10) || 'SELECT 4' || char(10));

INSERT INTO run_rules_v1 VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  'S3_BUCKET_PUBLIC_READ_PROHIBITED', 'AWS', 1, NULL, '{}',
  '{"ComplianceResourceTypes":["AWS::S3::Bucket"]}',
  'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
INSERT INTO run_rules_v1 VALUES (2, 'Test-Pack <b>&"''', 'restricted-ssh',
  'INCOMING_SSH_DISABLED', 'AWS', 1, NULL, '{}',
  '{"ComplianceResourceTypes":["AWS::EC2::SecurityGroup"]}',
  'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc');
INSERT INTO run_rules_v1 VALUES (2, 'Test-Pack <b>&"''', 'iam-user-mfa-enabled',
  'IAM_USER_MFA_ENABLED', 'AWS', 1, NULL, '{}', '{}',
  'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd');
INSERT INTO run_rules_v1 VALUES (2, 'Test-Pack <b>&"''', 'access-keys-rotated',
  'ACCESS_KEYS_ROTATED', 'AWS', 0,
  'needs the IAM credential report <script>alert(1)</script>',
  '{"maxAccessKeyAge":"90"}', '{}', NULL);
INSERT INTO run_rules_v1 VALUES (2, '', 's3-bucket-versioning-enabled',
  'S3_BUCKET_VERSIONING_ENABLED', 'AWS', 1, NULL,
  '{"isMfaDeleteEnabled":"=cmd|'' /C calc''!A0"}', '{}',
  'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee');

INSERT INTO run_scope VALUES (2, '111111111111', 'us-east-1');
INSERT INTO run_scope VALUES (2, '111111111111', 'eu-west-1');
INSERT INTO run_scope VALUES (2, '222222222222', 'us-east-1');
INSERT INTO run_scope VALUES (2, '222222222222', 'eu-west-1');

-- 111111111111 us-east-1: public-read has 2 compliant, 2 non-compliant
-- (one of them the <script> bucket), 1 not applicable.
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', '<script>alert(1)</script>',
  'NON_COMPLIANT', 'bucket policy grants "s3:GetObject" to * & <everyone>', X'00000000000000000000000000000001');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'evil' || char(1) || char(27) || '[31mred',
  'NON_COMPLIANT', 'ACL grants READ to AllUsers' || char(27) || '[2J' || char(13) || char(10) || 'next line', X'00000000000000000000000000000002');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'good-bucket',
  'COMPLIANT', NULL, X'00000000000000000000000000000003');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', CAST(X'62616466ff6f' AS TEXT),
  'COMPLIANT', 'name has invalid UTF-8 ' || CAST(X'c328' AS TEXT), X'00000000000000000000000000000004');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'deleted-bucket',
  'NOT_APPLICABLE', 'the bucket is being deleted', X'00000000000000000000000000000005');
-- restricted-ssh: compliant in us-east-1, no result in eu-west-1
-- (INSUFFICIENT_DATA there).
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 'restricted-ssh',
  '111111111111', 'us-east-1', 'AWS::EC2::SecurityGroup', 'sg-0123456789abcdef0',
  'COMPLIANT', NULL, X'00000000000000000000000000000006');
-- IAM in 'global': one non-compliant user with a formula-looking name.
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 'iam-user-mfa-enabled',
  '111111111111', 'global', 'AWS::IAM::User', '=cmd|'' /C calc''!A0',
  'NON_COMPLIANT', '+SUM(1,2) user has no MFA device, "quoted", comma', X'00000000000000000000000000000007');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 'iam-user-mfa-enabled',
  '111111111111', 'global', 'AWS::IAM::User', '@alice',
  'COMPLIANT', NULL, X'00000000000000000000000000000008');
-- The stand-alone rule: a very long resource id and annotation.
INSERT INTO results VALUES (2, '', 's3-bucket-versioning-enabled',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  'long-' || replace(hex(zeroblob(100)), '00', 'abcdefghij'),
  'NON_COMPLIANT', '-' || replace(hex(zeroblob(60)), '00', 'versioning is off; '),
  X'00000000000000000000000000000009');
INSERT INTO results VALUES (2, '', 's3-bucket-versioning-enabled',
  '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'good-bucket',
  'COMPLIANT', NULL, X'00000000000000000000000000000003');

-- 222222222222: everything compliant in us-east-1, only INSUFFICIENT_DATA
-- in eu-west-1.
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 's3-bucket-public-read-prohibited',
  '222222222222', 'us-east-1', 'AWS::S3::Bucket', 'b2-bucket',
  'COMPLIANT', NULL, X'0000000000000000000000000000000a');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 'restricted-ssh',
  '222222222222', 'us-east-1', 'AWS::EC2::SecurityGroup', 'sg-2',
  'COMPLIANT', NULL, X'0000000000000000000000000000000b');
INSERT INTO results VALUES (2, 'Test-Pack <b>&"''', 'restricted-ssh',
  '222222222222', 'eu-west-1', 'AWS::EC2::SecurityGroup', 'sg-3',
  'INSUFFICIENT_DATA', 'security group rules not recorded', X'0000000000000000000000000000000c');

-- The data coverage run 2 recorded (run 1 recorded none: a run made
-- before run_coverage existed). At 2026-11-01T00:00:00Z with a max age of
-- 26 hours: stale, fresh, incomplete (history only), missing, and a
-- hostile region name.
INSERT INTO run_coverage VALUES (2, '111111111111', 'eu-west-1',
  '2026-10-28T04:00:00.000Z', '2026-10-29T04:00:00.000Z', 1, 1, 93600000);
INSERT INTO run_coverage VALUES (2, '111111111111', 'global',
  '2026-10-31T05:00:00.000Z', '2026-10-31T05:00:00.000Z', 1, 0, 93600000);
INSERT INTO run_coverage VALUES (2, '111111111111', 'us-east-1',
  '2026-10-31T05:00:00.000Z', '2026-10-31T22:10:00.000Z', 1, 0, 93600000);
INSERT INTO run_coverage VALUES (2, '111111111111', 'zz-<b>&"''' || char(27) || '[31m-1',
  NULL, '2026-10-20T00:00:00.000Z', 0, 1, 93600000);
INSERT INTO run_coverage VALUES (2, '222222222222', 'eu-west-1',
  NULL, '2026-10-31T20:00:00.000Z', 0, 0, 93600000);
INSERT INTO run_coverage VALUES (2, '222222222222', 'global',
  '2026-10-31T03:00:00.000Z', '2026-10-31T03:00:00.000Z', 1, 0, 93600000);
INSERT INTO run_coverage VALUES (2, '222222222222', 'us-east-1',
  NULL, NULL, 0, 1, 93600000);

-- Run 3: still running; never the default.
INSERT INTO runs VALUES (3, '2026-11-03T00:00:00.000Z', NULL, '2026-11-03T00:00:00.000Z',
  '0.1.0', '{}', 'running');

COMMIT;
