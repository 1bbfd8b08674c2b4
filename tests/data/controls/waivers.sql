-- waivers.sql: waivers recorded with run 2 of tests/data/report/fixture.sql
-- (t1804), in the tables packs/waivers.c creates with a run. Rule numbers
-- are run 2's: 1 s3-bucket-public-read-prohibited, 3 iam-user-mfa-enabled.
-- The <script> bucket is waived, the 'evil' one is not (so public-read has
-- one open and one waived resource); the one non-compliant IAM user is
-- waived (iam-user-mfa-enabled is non-compliant only through a waiver);
-- an expired entry waives nothing.
BEGIN;
CREATE TABLE IF NOT EXISTS run_waiver_files(
  run_id  INTEGER PRIMARY KEY,
  path    TEXT NOT NULL,
  sha256  TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS run_waivers(
  run_id      INTEGER NOT NULL,
  waiver_no   INTEGER NOT NULL,
  line        INTEGER NOT NULL,
  rule        TEXT NOT NULL,
  account     TEXT NOT NULL,
  resource    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  expires     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('active', 'expired', 'unused')),
  matched     INTEGER NOT NULL,
  PRIMARY KEY (run_id, waiver_no)
);
CREATE TABLE IF NOT EXISTS run_waived(
  run_id        INTEGER NOT NULL,
  rule_no       INTEGER NOT NULL,
  account_id    TEXT NOT NULL,
  aws_region    TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  waiver_no     INTEGER NOT NULL,
  PRIMARY KEY (run_id, rule_no, account_id, aws_region, resource_type, resource_id)
) WITHOUT ROWID;

INSERT INTO run_waiver_files VALUES (2, 'waivers.yaml',
  '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '# waivers' || char(10));
INSERT INTO run_waivers VALUES (2, 0, 2, 's3-bucket-public-read-prohibited', '111111111111',
  '<script>*', 'Public web <assets> & "docs"', 'web@example.com', '2099-12-31', 'active', 1);
INSERT INTO run_waivers VALUES (2, 1, 8, 'IAM_USER_MFA_ENABLED', '*', '*',
  'Break-glass user, key in the safe', 'security@example.com', '2099-06-30', 'active', 1);
INSERT INTO run_waivers VALUES (2, 2, 14, 'INCOMING_SSH_DISABLED', '*', 'sg-*',
  'Old exception', 'security@example.com', '2020-01-31', 'expired', 0);
INSERT INTO run_waived VALUES (2, 1, '111111111111', 'us-east-1', 'AWS::S3::Bucket',
  '<script>alert(1)</script>', 0);
INSERT INTO run_waived VALUES (2, 3, '111111111111', 'global', 'AWS::IAM::User',
  '=cmd|'' /C calc''!A0', 1);
COMMIT;
