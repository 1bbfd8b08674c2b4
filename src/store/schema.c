/*
 * schema: the DDL of the store, version 4 (STORE_SCHEMA_VERSION), and
 * the upgrades from versions 1, 2 and 3. Kept as one SQL text so that the whole data
 * model can be read in one place.
 */
#include "store/schema.h"

/*
 * Every version of every resource in (type, id, account, region, capture
 * time, state id) order, with what the point-in-time state needs of it
 * (status, key, name): pit_build reads only this index, in its order.
 */
#define ITEMS_BY_RESOURCE_DEF                                                              \
	"items_by_resource ON items(resource_type, resource_id, account_id,"               \
	" region, capture_time, state_id, status, item_key, resource_name);\n"
#define ITEMS_BY_RESOURCE_SQL "CREATE INDEX " ITEMS_BY_RESOURCE_DEF
/*
 * The item key is unique. Stores made before this index have it as the
 * column's UNIQUE constraint (sqlite_autoindex_items_1) instead, which
 * works the same but cannot be dropped: only with this index can a bulk
 * first load build it from a sort at its end (items_writer_defer_key_index)
 * instead of writing each random key into it as it comes.
 */
#define ITEMS_BY_KEY_SQL "CREATE UNIQUE INDEX items_by_key ON items(item_key);\n"
/* The runs of a series by their end (open runs: PRESENCE_OPEN). */
#define PRESENCE_BY_SERIES_DEF                                                             \
	"snapshot_presence_by_series ON snapshot_presence(account_id, region, last_time);\n"
/* Looked up by resource id alone (relationships name only the id). */
#define ITEMS_BY_ID_DEF "items_by_id ON items(resource_id);\n"

/*
 * Version 2's results (kept for the upgrade from version 1, which goes
 * through it): one row per result, every text in it.
 */
#define RUN_RESULTS_V2_SQL                                                                \
	"CREATE UNIQUE INDEX run_rules_by_no ON run_rules(run_id, rule_no);\n"            \
	"CREATE TABLE run_results(\n"                                                      \
	"  run_id INTEGER NOT NULL, rule_no INTEGER NOT NULL, account_id TEXT NOT NULL,\n" \
	"  aws_region TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,\n" \
	"  compliance_type TEXT NOT NULL, annotation TEXT, item_key BLOB\n"               \
	");\n"                                                                             \
	"CREATE INDEX run_results_by_run ON run_results(run_id, rule_no);\n"               \
	"CREATE VIEW results AS\n"                                                         \
	"  SELECT r.run_id AS run_id, u.pack_name AS pack_name,\n"                         \
	"    u.config_rule_name AS config_rule_name, r.account_id AS account_id,\n"        \
	"    r.aws_region AS aws_region, r.resource_type AS resource_type,\n"              \
	"    r.resource_id AS resource_id, r.compliance_type AS compliance_type,\n"        \
	"    r.annotation AS annotation, r.item_key AS item_key\n"                         \
	"  FROM run_results AS r JOIN run_rules AS u\n"                                    \
	"    ON u.run_id = r.run_id AND u.rule_no = r.rule_no;\n"

/*
 * One result per (rule, resource) of a run. A run writes hundreds of
 * thousands (422,662 for every shipped rule on shape a of
 * bench/shapes.sh), and storing them was the largest fixed cost of an
 * evaluation: every byte goes to the write-ahead log and again into the
 * database at the checkpoint. Version 3 therefore keeps a result as a
 * small row: its rule by number (run_rules.rule_no), its verdict as a
 * number, its resource's type, id and item by number in run_resources
 * and its annotation by number in run_annotations (a resource is judged
 * by many rules, and an annotation text is shared by many results). The
 * account and Region stay in the row: cfgaudit merge keeps a shard's
 * rows by account, and eval --since-run copies by account-Region.
 *
 * run_resources and run_annotations are numbered across the store: a
 * run appends the rows it needs after the highest number (its results
 * may also name rows an earlier run wrote, as --since-run's copies do).
 * Rows are never rewritten or deleted.
 *
 * The view results gives every result in the shape versions 1 and 2
 * stored (pack and rule name, the four resource columns, the verdict's
 * name, the annotation text and the item key): readers use it.
 */
#define RUN_RESULTS_SQL                                                                   \
	"CREATE TABLE run_resources(\n"                                                    \
	"  resource_no    INTEGER PRIMARY KEY,\n"                                          \
	"  resource_type  TEXT NOT NULL,\n"                                                \
	"  resource_id    TEXT NOT NULL,\n"                                                \
	"  item_key       BLOB  -- the item version behind the verdicts, NULL for AWS::::Account\n" \
	");\n"                                                                             \
	"CREATE TABLE run_annotations(\n"                                                  \
	"  annotation_no  INTEGER PRIMARY KEY,\n"                                          \
	"  annotation     TEXT NOT NULL  -- at most 256 characters\n"                      \
	");\n"                                                                             \
	"CREATE TABLE run_results(\n"                                                      \
	"  run_id         INTEGER NOT NULL,\n"                                             \
	"  rule_no        INTEGER NOT NULL, -- run_rules.rule_no\n"                        \
	"  account_id     TEXT NOT NULL,\n"                                                \
	"  aws_region     TEXT NOT NULL,\n"                                                \
	"  resource_no    INTEGER NOT NULL, -- run_resources.resource_no\n"                \
	"  verdict        INTEGER NOT NULL, -- 0 COMPLIANT, 1 NON_COMPLIANT, 2 NOT_APPLICABLE,\n" \
	"                                   -- 3 INSUFFICIENT_DATA (no CHECK: eval writes\n" \
	"                                   -- only these, and a CHECK cost a third of storing)\n" \
	"  annotation_no  INTEGER           -- run_annotations.annotation_no, NULL: none\n" \
	");\n"                                                                             \
	"CREATE INDEX run_results_by_run ON run_results(run_id, rule_no);\n"

/* The view results over `from` (version 3: run_results; version 4:
 * run_results_all). */
#define RESULTS_VIEW_SQL(from)                                                            \
	"CREATE VIEW results AS\n"                                                         \
	"  SELECT r.run_id AS run_id, u.pack_name AS pack_name,\n"                         \
	"    u.config_rule_name AS config_rule_name, r.account_id AS account_id,\n"        \
	"    r.aws_region AS aws_region, s.resource_type AS resource_type,\n"              \
	"    s.resource_id AS resource_id,\n"                                              \
	"    " STORE_VERDICT_NAME("r.verdict") " AS compliance_type,\n"                   \
	"    a.annotation AS annotation, s.item_key AS item_key\n"                         \
	"  FROM " from " AS r JOIN run_rules AS u\n"                                       \
	"    ON u.run_id = r.run_id AND u.rule_no = r.rule_no\n"                           \
	"  JOIN run_resources AS s ON s.resource_no = r.resource_no\n"                     \
	"  LEFT JOIN run_annotations AS a ON a.annotation_no = r.annotation_no;\n"

/*
 * Version 4: results by reference to a base run (eval --since-run,
 * store/since.h). A run made from a base stores only the results it
 * re-evaluated, and records what it re-evaluated; its other results are
 * its base's (resolved the same way), so a nightly run does not copy the
 * hundreds of thousands of results that did not change.
 *
 *   run_chain   for a run stored by reference: itself (depth 0), its base
 *               (1), the base's base (2) ... down to the first run stored
 *               in full. A run stored in full has no rows here.
 *   run_reach   the rules of such a run that were not re-evaluated in
 *               full: kind 1 (items: re-evaluated on the changed
 *               resources) or 2 (places: on the changed account-Regions),
 *               and the deepest depth of its chain whose results of the
 *               rule may show: 1 + the base's when the base has the rule
 *               of the same kind, else 1 (so that every run nearer than
 *               the reach has the rule of the run's kind). A rule
 *               missing here was evaluated in full by the run.
 *   run_stale   the item versions current at the base's as-of time and
 *               no longer: a kind 1 rule's results of them are hidden.
 *   run_places  the account-Regions a kind 2 rule was re-evaluated on: its
 *               results there are hidden.
 *   run_ref     the run's base, depth, and the rows its chain stores
 *               (eval stores a run in full past a depth or share).
 *
 * run_results_all gives every run's results in run_results' columns: its
 * own rows, then (run_results_ref) for a run stored by reference each
 * result of a run of its chain (depth 1 .. the rule's reach) that no run
 * nearer to it hid.
 * The trigger before a delete of a run or its results materializes the
 * runs stored by reference to it first (cfgaudit deletes no run; this
 * keeps a store whose runs are pruned by hand consistent).
 */
#define RUN_REF_TABLES_SQL                                                                \
	"CREATE TABLE run_chain(\n"                                                        \
	"  run_id   INTEGER NOT NULL,\n"                                                   \
	"  depth    INTEGER NOT NULL,  -- 0: the run itself\n"                            \
	"  ancestor INTEGER NOT NULL,\n"                                                   \
	"  PRIMARY KEY (run_id, depth)\n"                                                  \
	") WITHOUT ROWID;\n"                                                               \
	"CREATE INDEX run_chain_by_ancestor ON run_chain(ancestor, depth);\n"              \
	"CREATE TABLE run_reach(\n"                                                        \
	"  run_id  INTEGER NOT NULL,\n"                                                    \
	"  rule_no INTEGER NOT NULL,\n"                                                    \
	"  kind    INTEGER NOT NULL,  -- 1 items, 2 places\n"                             \
	"  reach   INTEGER NOT NULL,  -- the deepest depth whose results show\n"          \
	"  PRIMARY KEY (run_id, rule_no)\n"                                                \
	") WITHOUT ROWID;\n"                                                               \
	"CREATE TABLE run_stale(\n"                                                        \
	"  item_key BLOB NOT NULL,\n"                                                      \
	"  run_id   INTEGER NOT NULL,\n"                                                   \
	"  PRIMARY KEY (item_key, run_id)\n"                                               \
	") WITHOUT ROWID;\n"                                                               \
	"CREATE TABLE run_places(\n"                                                       \
	"  run_id     INTEGER NOT NULL,\n"                                                 \
	"  rule_no    INTEGER NOT NULL,\n"                                                 \
	"  account_id TEXT NOT NULL,\n"                                                    \
	"  aws_region TEXT NOT NULL,\n"                                                    \
	"  PRIMARY KEY (run_id, rule_no, account_id, aws_region)\n"                        \
	") WITHOUT ROWID;\n"                                                               \
	"CREATE TABLE run_ref(\n"                                                          \
	"  run_id     INTEGER PRIMARY KEY,\n"                                              \
	"  base_run   INTEGER NOT NULL,\n"                                                 \
	"  depth      INTEGER NOT NULL,  -- of the run stored in full its chain ends at\n" \
	"  own_rows   INTEGER NOT NULL,  -- its rows in run_results\n"                    \
	"  chain_rows INTEGER NOT NULL,  -- those of its chain but the last\n"             \
	"  root_rows  INTEGER NOT NULL   -- those of the last\n"                           \
	");\n"

/* The results of the chains' runs that show in the runs of
 * `runs` (an SQL condition on h.run_id), in run_results' columns. */
#define RUN_REF_ROWS_SQL(runs)                                                            \
	"SELECT h.run_id AS run_id, r.rule_no AS rule_no, r.account_id AS account_id,"     \
	"  r.aws_region AS aws_region, r.resource_no AS resource_no, r.verdict AS verdict," \
	"  r.annotation_no AS annotation_no\n"                                             \
	" FROM run_reach AS h\n"                                                           \
	" CROSS JOIN run_chain AS c ON c.run_id = h.run_id AND c.depth BETWEEN 1 AND h.reach\n" \
	" CROSS JOIN run_results AS r ON r.run_id = c.ancestor AND r.rule_no = h.rule_no\n" \
	" WHERE " runs "\n"                                                                \
	"  AND (h.kind <> 2 OR NOT EXISTS (SELECT 1 FROM run_chain AS m\n"                 \
	"   CROSS JOIN run_places AS p ON p.run_id = m.ancestor AND p.rule_no = r.rule_no\n" \
	"    AND p.account_id = r.account_id AND p.aws_region = r.aws_region\n"            \
	"   WHERE m.run_id = h.run_id AND m.depth < c.depth))\n"                           \
	"  AND (h.kind <> 1 OR NOT EXISTS (SELECT 1 FROM run_stale AS t\n"                 \
	"   CROSS JOIN run_chain AS m ON m.run_id = h.run_id AND m.ancestor = t.run_id\n"  \
	"    AND m.depth < c.depth\n"                                                      \
	"   WHERE t.item_key = (SELECT item_key FROM run_resources\n"                      \
	"     WHERE resource_no = r.resource_no)))"

/* Before a delete of run `old` (an SQL expression) or its results: store
 * every run whose chain holds it in full. */
#define RUN_REF_RELEASE_SQL(old)                                                          \
	"INSERT INTO run_results(run_id, rule_no, account_id, aws_region, resource_no,"     \
	" verdict, annotation_no) " RUN_REF_ROWS_SQL("h.run_id IN (SELECT run_id FROM"      \
	" run_chain WHERE ancestor = " old " AND depth > 0)") ";\n"                         \
	"DELETE FROM run_reach WHERE run_id IN (SELECT run_id FROM run_chain"               \
	" WHERE ancestor = " old " AND depth > 0);\n"                                      \
	"DELETE FROM run_stale WHERE run_id IN (SELECT run_id FROM run_chain"               \
	" WHERE ancestor = " old " AND depth > 0);\n"                                      \
	"DELETE FROM run_places WHERE run_id IN (SELECT run_id FROM run_chain"              \
	" WHERE ancestor = " old " AND depth > 0);\n"                                      \
	"DELETE FROM run_ref WHERE run_id IN (SELECT run_id FROM run_chain"                 \
	" WHERE ancestor = " old " AND depth > 0);\n"                                      \
	"DELETE FROM run_chain WHERE run_id IN (SELECT run_id FROM run_chain"               \
	" WHERE ancestor = " old " AND depth > 0);\n"

#define RUN_REF_VIEWS_SQL                                                                 \
	"CREATE VIEW run_results_ref AS " RUN_REF_ROWS_SQL("1") ";\n"                      \
	"CREATE VIEW run_results_all AS\n"                                                 \
	" SELECT run_id, rule_no, account_id, aws_region, resource_no, verdict,"            \
	"  annotation_no FROM run_results\n"                                               \
	" UNION ALL SELECT run_id, rule_no, account_id, aws_region, resource_no, verdict,"  \
	"  annotation_no FROM run_results_ref;\n"                                          \
	RESULTS_VIEW_SQL("run_results_all")                                                \
	"CREATE TRIGGER run_ref_delete_run BEFORE DELETE ON runs\n"                        \
	" WHEN EXISTS (SELECT 1 FROM run_chain WHERE ancestor = OLD.run_id AND depth > 0)\n" \
	" BEGIN " RUN_REF_RELEASE_SQL("OLD.run_id") " END;\n"                              \
	"CREATE TRIGGER run_ref_delete_results BEFORE DELETE ON run_results\n"             \
	" WHEN EXISTS (SELECT 1 FROM run_chain WHERE ancestor = OLD.run_id AND depth > 0)\n" \
	" BEGIN " RUN_REF_RELEASE_SQL("OLD.run_id") " END;\n"


/*
 * The data coverage a run used (store/coverage.h): per account-region,
 * the deciding snapshot and the latest delivery at the run's as-of time.
 * Added after version 2 without a new version: "IF NOT EXISTS", so that
 * eval creates it in a version 2 store made before it, and readers take
 * a missing table as "coverage not recorded".
 */
#define RUN_COVERAGE_SQL                                                                  \
	"CREATE TABLE IF NOT EXISTS run_coverage(\n"                                      \
	"  run_id          INTEGER NOT NULL,\n"                                           \
	"  account_id      TEXT NOT NULL,\n"                                              \
	"  aws_region      TEXT NOT NULL,  -- 'global' for IAM\n"                         \
	"  snapshot_time   TEXT,           -- latest snapshot at or before as_of, or NULL\n" \
	"  latest_delivery TEXT,           -- latest delivery at or before as_of, or NULL\n" \
	"  complete        INTEGER NOT NULL, -- 1: a snapshot at or before as_of\n"       \
	"  stale           INTEGER NOT NULL, -- 1: no delivery within max_age_ms of as_of\n" \
	"  max_age_ms      INTEGER NOT NULL, -- the run's --max-age\n"                    \
	"  PRIMARY KEY (run_id, account_id, aws_region)\n"                                \
	");\n"

const char store_run_coverage_sql[] = RUN_COVERAGE_SQL;

/*
 * Texts of an item version that differ from the stored one (ingest
 * warns of such conflicts and keeps the other text here). Created by the
 * first conflict, so that stores without conflicts keep their schema;
 * readers take a missing table as "no conflict ever met".
 */
const char store_item_conflicts_sql[] =
	"CREATE TABLE IF NOT EXISTS item_conflicts(\n"
	"  item_key BLOB NOT NULL,   -- the stored version (its text was loaded first)\n"
	"  file_key BLOB NOT NULL,   -- the file that holds the other text\n"
	"  member   TEXT NOT NULL,   -- the first top-level member that differs\n"
	"  sha256   TEXT NOT NULL,   -- digest of text\n"
	"  text     TEXT NOT NULL,   -- the compared members of the other text, JSON\n"
	"  PRIMARY KEY (item_key, file_key, sha256)\n"
	") WITHOUT ROWID";

/*
 * Evidence: the answers of read-only AWS CLI calls (store/evidence.h),
 * one row per loaded evidence file (its files row has kind 'Evidence').
 * Created by the first evidence file, as item_conflicts is by the first
 * conflict; readers take a missing table as "no evidence".
 */
const char store_evidence_sql[] =
	"CREATE TABLE IF NOT EXISTS evidence_calls(\n"
	"  file_key      BLOB PRIMARY KEY,  -- files.file_key\n"
	"  account_id    TEXT NOT NULL,     -- 12 digits, from the path\n"
	"  region        TEXT NOT NULL,     -- folder region; 'global' for global services\n"
	"  service       TEXT NOT NULL,     -- the CLI's service word: iam\n"
	"  operation     TEXT NOT NULL,     -- the CLI's operation word: get-credential-report\n"
	"  qualifier     TEXT NOT NULL DEFAULT '', -- the call's argument (file name), '' if none\n"
	"  captured_at   TEXT NOT NULL,     -- canonical time the call was made (file name)\n"
	"  known         INTEGER NOT NULL,  -- 1: a call cfgaudit reads; 0: kept, unused\n"
	"  error_code    TEXT,              -- Error.Code of an error answer, else NULL\n"
	"  error_message TEXT,\n"
	"  body          TEXT NOT NULL      -- the answer, JSON\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX IF NOT EXISTS evidence_calls_by_call ON evidence_calls(service, operation,"
	" account_id, region, qualifier, captured_at)";

const char store_schema_sql[] =
	/* Every file that ingest looked at and recorded, loaded or failed. */
	"CREATE TABLE files(\n"
	"  file_key     BLOB PRIMARY KEY,   -- store_file_key(path, sha256)\n"
	"  path         TEXT NOT NULL,      -- relative to the ingest argument's root\n"
	"  size         INTEGER NOT NULL,   -- bytes on disk\n"
	"  sha256       TEXT NOT NULL,      -- hex digest of the bytes on disk\n"
	"  kind         TEXT NOT NULL,      -- ConfigSnapshot, ConfigHistory, OversizedChangeNotification,\n"
	"                                   -- ApiItems, SelectResults, ChangeNotification, ItemArray\n"
	"  account_id   TEXT,               -- from the key layout or the file name\n"
	"  region       TEXT,               -- folder region of the key layout (may be 'global')\n"
	"  delivered_at TEXT,               -- canonical time from the file name, else NULL\n"
	"  snapshot_id  TEXT,               -- configSnapshotId of a snapshot\n"
	"  item_count   INTEGER NOT NULL DEFAULT 0,\n"
	"  global_items INTEGER NOT NULL DEFAULT 0, -- items with awsRegion 'global'\n"
	"  status       TEXT NOT NULL CHECK (status IN ('loaded', 'failed')),\n"
	"  error        TEXT,               -- reason, when failed\n"
	"  error_offset INTEGER,            -- byte offset in the decompressed stream, when known\n"
	"  ingested_at  TEXT NOT NULL,\n"
	"  stat_key     BLOB                -- store_stat_key of the file as last seen, or NULL\n"
	");\n"
	"CREATE INDEX files_by_path ON files(path);\n"
	"CREATE INDEX files_by_series ON files(kind, account_id, region, delivered_at);\n"

	/* One row per configuration item version, in canonical form. */
	"CREATE TABLE items(\n"
	"  item_key      BLOB NOT NULL,        -- store_item_key(identity); unique (items_by_key)\n"
	"  account_id    TEXT NOT NULL,\n"
	"  region        TEXT NOT NULL,        -- awsRegion; 'global' for IAM\n"
	"  resource_type TEXT NOT NULL,\n"
	"  resource_id   TEXT NOT NULL,\n"
	"  resource_name TEXT,\n"
	"  arn           TEXT,\n"
	"  availability_zone TEXT,\n"
	"  status        TEXT NOT NULL,        -- configurationItemStatus\n"
	"  capture_time  TEXT NOT NULL,        -- canonical ISO 8601 UTC with ms\n"
	"  state_id      INTEGER,              -- configurationStateId, NULL if absent\n"
	"  item_version  TEXT,                 -- configurationItemVersion\n"
	"  resource_creation_time TEXT,        -- canonical, NULL if absent\n"
	"  configuration TEXT,                 -- JSON object, NULL when deleted/not recorded\n"
	"  supplementary TEXT NOT NULL DEFAULT '{}', -- JSON object\n"
	"  tags          TEXT NOT NULL DEFAULT '{}', -- JSON object {key: value}\n"
	"  relationships TEXT NOT NULL DEFAULT '[]', -- JSON array of {resourceId, resourceName, resourceType, name}\n"
	"  extra         TEXT                  -- JSON object of other item keys, or NULL\n"
	");\n"
	ITEMS_BY_KEY_SQL
	ITEMS_BY_RESOURCE_SQL
	"CREATE INDEX " ITEMS_BY_ID_DEF

	/* Provenance for files that are not snapshots (history, exports). */
	"CREATE TABLE item_sources(\n"
	"  item_key BLOB NOT NULL,\n"
	"  file_key BLOB NOT NULL,\n"
	"  PRIMARY KEY (item_key, file_key)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX item_sources_by_file ON item_sources(file_key);\n"

	/* Snapshot membership, run-length encoded: the version item_key is in
	 * every loaded snapshot of (account_id, region) delivered between
	 * first_time and last_time inclusive. Storage does not grow with the
	 * number of snapshots of an unchanged inventory. */
	"CREATE TABLE snapshot_presence(\n"
	"  item_key   BLOB NOT NULL,\n"
	"  account_id TEXT NOT NULL,\n"
	"  region     TEXT NOT NULL,  -- the snapshot's folder region\n"
	"  first_time TEXT NOT NULL,\n"
	"  last_time  TEXT NOT NULL,\n"
	"  PRIMARY KEY (item_key, account_id, region, first_time)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX " PRESENCE_BY_SERIES_DEF

	/* Evaluation runs. Never overwritten. */
	"CREATE TABLE runs(\n"
	"  run_id       INTEGER PRIMARY KEY,\n"
	"  started_at   TEXT NOT NULL,\n"
	"  finished_at  TEXT,\n"
	"  as_of        TEXT NOT NULL,\n"
	"  tool_version TEXT NOT NULL,\n"
	"  filters      TEXT NOT NULL DEFAULT '{}', -- JSON: {accounts: [...], regions: [...]}\n"
	"  status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed'))\n"
	");\n"
	/* The exact pack and rule files a run used. */
	"CREATE TABLE run_files(\n"
	"  run_id  INTEGER NOT NULL REFERENCES runs(run_id),\n"
	"  role    TEXT NOT NULL CHECK (role IN ('pack', 'rule')),\n"
	"  name    TEXT NOT NULL,   -- pack name or rule identifier\n"
	"  path    TEXT NOT NULL,\n"
	"  sha256  TEXT NOT NULL,\n"
	"  content TEXT NOT NULL,\n"
	"  PRIMARY KEY (run_id, role, name)\n"
	");\n"
	/* Every rule a run was asked for, evaluated or not. */
	"CREATE TABLE run_rules(\n"
	"  run_id           INTEGER NOT NULL REFERENCES runs(run_id),\n"
	"  pack_name        TEXT NOT NULL DEFAULT '', -- '' for --rule\n"
	"  config_rule_name TEXT NOT NULL,\n"
	"  identifier       TEXT NOT NULL,  -- SourceIdentifier\n"
	"  owner            TEXT NOT NULL DEFAULT 'AWS',\n"
	"  evaluated        INTEGER NOT NULL, -- 1 evaluated, 0 not\n"
	"  reason           TEXT,           -- why not evaluated\n"
	"  parameters       TEXT NOT NULL DEFAULT '{}', -- resolved, JSON object of strings\n"
	"  scope            TEXT NOT NULL DEFAULT '{}', -- JSON: Scope of the pack rule\n"
	"  rule_sha256      TEXT,\n"
	"  rule_no          INTEGER NOT NULL DEFAULT 0, -- numbers the run's rules for run_results\n"
	"  PRIMARY KEY (run_id, pack_name, config_rule_name)\n"
	");\n"
	"CREATE UNIQUE INDEX run_rules_by_no ON run_rules(run_id, rule_no);\n"
	RUN_RESULTS_SQL
	RUN_REF_TABLES_SQL
	RUN_REF_VIEWS_SQL
	/* The (account, region) pairs a run covered. */
	"CREATE TABLE run_scope(\n"
	"  run_id     INTEGER NOT NULL REFERENCES runs(run_id),\n"
	"  account_id TEXT NOT NULL,\n"
	"  aws_region TEXT NOT NULL,\n"
	"  PRIMARY KEY (run_id, account_id, aws_region)\n"
	");\n"
	RUN_COVERAGE_SQL
;

/* Version 1 kept results in one wide table keyed by pack and rule name,
 * and indexed versions by account first, without their status. This
 * makes it a version 2 store; store_migrate_v2_sql follows. */
const char store_migrate_v1_sql[] =
	"ALTER TABLE files ADD COLUMN stat_key BLOB;\n"
	"DROP INDEX items_by_resource;\n"
	ITEMS_BY_RESOURCE_SQL
	"ALTER TABLE run_rules ADD COLUMN rule_no INTEGER NOT NULL DEFAULT 0;\n"
	"UPDATE run_rules SET rule_no = rowid;\n"
	"ALTER TABLE results RENAME TO results_v1;\n"
	RUN_RESULTS_V2_SQL
	"INSERT INTO run_results(run_id, rule_no, account_id, aws_region, resource_type,"
	" resource_id, compliance_type, annotation, item_key)"
	" SELECT r.run_id, u.rule_no, r.account_id, r.aws_region, r.resource_type,"
	"  r.resource_id, r.compliance_type, r.annotation, r.item_key"
	" FROM results_v1 AS r JOIN run_rules AS u"
	"  ON u.run_id = r.run_id AND u.pack_name = r.pack_name"
	"  AND u.config_rule_name = r.config_rule_name"
	" ORDER BY r.run_id, u.rule_no;\n"
	"DROP TABLE results_v1;\n"
	RUN_COVERAGE_SQL;

/* Version 2 kept every text of a result in its row: each distinct
 * resource and annotation becomes one row of run_resources or
 * run_annotations, and the results keep their order (rowid). A verdict
 * other than the four names fails the upgrade (NOT NULL). */
const char store_migrate_v2_sql[] =
	"DROP VIEW results;\n"
	"DROP INDEX run_results_by_run;\n"
	"ALTER TABLE run_results RENAME TO run_results_v2;\n"
	RUN_RESULTS_SQL
	RESULTS_VIEW_SQL("run_results")
	"INSERT INTO run_resources(resource_type, resource_id, item_key)"
	" SELECT DISTINCT resource_type, resource_id, item_key FROM run_results_v2;\n"
	"INSERT INTO run_annotations(annotation)"
	" SELECT DISTINCT annotation FROM run_results_v2 WHERE annotation IS NOT NULL;\n"
	"CREATE INDEX run_resources_v2 ON run_resources(resource_type, resource_id, item_key);\n"
	"CREATE INDEX run_annotations_v2 ON run_annotations(annotation);\n"
	"INSERT INTO run_results(rowid, run_id, rule_no, account_id, aws_region, resource_no,"
	" verdict, annotation_no)"
	" SELECT v.rowid, v.run_id, v.rule_no, v.account_id, v.aws_region, s.resource_no,"
	"  CASE v.compliance_type WHEN 'COMPLIANT' THEN 0 WHEN 'NON_COMPLIANT' THEN 1"
	"   WHEN 'NOT_APPLICABLE' THEN 2 WHEN 'INSUFFICIENT_DATA' THEN 3 END,"
	"  a.annotation_no"
	" FROM run_results_v2 AS v"
	" JOIN run_resources AS s ON s.resource_type = v.resource_type"
	"  AND s.resource_id = v.resource_id AND s.item_key IS v.item_key"
	" LEFT JOIN run_annotations AS a ON a.annotation = v.annotation"
	" ORDER BY v.rowid;\n"
	"DROP INDEX run_resources_v2;\n"
	"DROP INDEX run_annotations_v2;\n"
	"DROP TABLE run_results_v2;\n";

/* Version 3 stored every result of every run: the tables of results by
 * reference, and the views over them. Its runs are all stored in full. */
const char store_migrate_v3_sql[] =
	"DROP VIEW results;\n"
	RUN_REF_TABLES_SQL
	RUN_REF_VIEWS_SQL;

/* The secondary indexes of items, if missing: a first load builds them
 * after its items are in (see writer_defer_indexes). */
const char store_items_indexes_sql[] =
	"CREATE INDEX IF NOT EXISTS " ITEMS_BY_RESOURCE_DEF
	"CREATE INDEX IF NOT EXISTS " ITEMS_BY_ID_DEF;

/* The unique item_key index, if missing: a bulk first load builds it
 * before it commits (items_writer_key_index). */
const char store_items_key_index_sql[] = "CREATE UNIQUE INDEX IF NOT EXISTS items_by_key ON items(item_key)";

/* The series index of snapshot_presence, if missing: a bulk first load
 * builds it from a sort before it commits (presence_build_index). */
const char store_presence_index_sql[] = "CREATE INDEX IF NOT EXISTS " PRESENCE_BY_SERIES_DEF;
