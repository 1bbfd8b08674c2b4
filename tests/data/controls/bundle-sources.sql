-- bundle-sources.sql: where two items of tests/data/report/bundle.sql came
-- from, for the per-control index of the bundle (t1803): item 1 is in the
-- us-east-1 snapshot of 2026-11-01, item 2 was read from an ItemArray file.
BEGIN;
INSERT INTO snapshot_presence VALUES (X'00000000000000000000000000000001', '111111111111',
  'us-east-1', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
INSERT INTO item_sources VALUES (X'00000000000000000000000000000002',
  X'f0000000000000000000000000000002');
COMMIT;
