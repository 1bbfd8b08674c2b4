/*
 * pit: the point-in-time state of the store (see pit.h) -- the one
 * implementation behind resources, eval, drift and reports.
 *
 * At time T, for each resource (account, region, type, id) the latest
 * version captured at or before T (by capture time, then state id) is
 * chosen; it is dropped when it is a deletion, or when the latest loaded
 * snapshot S of its series delivered at or before T does not hold it
 * although the version was captured at or before S (a version captured
 * after S is newer evidence than S and stays). The series of a regional
 * item is (account, its region); a global item is judged by the latest
 * snapshot at or before T, of any region of its account, that carried
 * global items. Without such a snapshot only history evidence counts.
 *
 * Materialized as TEMP objects: pit_snap (the deciding snapshot per
 * (account, item region)), pit_items (the chosen items' rowids and key
 * columns, indexed by type) and the views and table that rules read:
 * current_items, relationships, accounts.
 */
#include "store/pit.h"
#include "util/timeutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Later than any canonical time: the "latest" as-of. */
#define PIT_END_OF_TIME "9999-12-31T23:59:59.999Z"

static const char drop_sql[] = "DROP VIEW IF EXISTS temp.relationships;"
			       "DROP VIEW IF EXISTS temp.current_items;"
			       "DROP TABLE IF EXISTS temp.accounts;"
			       "DROP TABLE IF EXISTS temp.pit_items;"
			       "DROP TABLE IF EXISTS temp.pit_snap;";

static const char create_sql[] =
    "CREATE TEMP TABLE pit_snap(\n"
    "  account_id TEXT NOT NULL,\n"
    "  item_region TEXT NOT NULL,   -- the items' region ('global' for global items)\n"
    "  series_region TEXT NOT NULL, -- the snapshot series' folder region\n"
    "  snap_time TEXT NOT NULL,\n"
    "  PRIMARY KEY (account_id, item_region)) WITHOUT ROWID;\n"
    "CREATE TEMP TABLE pit_items(\n"
    "  rid INTEGER PRIMARY KEY,     -- items.rowid\n"
    "  item_key BLOB NOT NULL,\n"
    "  account_id TEXT NOT NULL,\n"
    "  region TEXT NOT NULL,\n"
    "  resource_type TEXT NOT NULL,\n"
    "  resource_id TEXT NOT NULL,\n"
    "  resource_name TEXT);\n"
    "CREATE TEMP TABLE pit_latest(rid INTEGER PRIMARY KEY);\n"
    "CREATE TEMP TABLE accounts(\n"
    "  account_id TEXT NOT NULL,\n"
    "  aws_region TEXT NOT NULL,\n"
    "  PRIMARY KEY (account_id, aws_region)) WITHOUT ROWID;\n";

/* Parameters: ?1 T, ?2 accounts (JSON array or NULL), ?3 regions (JSON
 * array or NULL), ?4 resource type or NULL. */
static const char snap_sql[] =
    "INSERT OR REPLACE INTO pit_snap(account_id, item_region, series_region, snap_time)"
    " SELECT account_id, region, region, max(delivered_at) FROM main.files"
    " WHERE kind = 'ConfigSnapshot' AND status = 'loaded' AND account_id IS NOT NULL"
    "   AND region IS NOT NULL AND delivered_at IS NOT NULL AND delivered_at <= ?1"
    "   AND region <> 'global'"
    " GROUP BY account_id, region";

static const char global_snap_sql[] =
    "INSERT OR REPLACE INTO pit_snap(account_id, item_region, series_region, snap_time)"
    " SELECT account_id, 'global', region, delivered_at FROM ("
    "   SELECT account_id, region, delivered_at, row_number() OVER ("
    "     PARTITION BY account_id ORDER BY delivered_at DESC, region) AS rn"
    "   FROM main.files"
    "   WHERE kind = 'ConfigSnapshot' AND status = 'loaded' AND global_items > 0"
    "     AND account_id IS NOT NULL AND region IS NOT NULL AND delivered_at IS NOT NULL"
    "     AND delivered_at <= ?1)"
    " WHERE rn = 1";

/* The latest version per resource at T: a scan of the covering index
 * items_by_resource, already in (resource, capture time, state id)
 * order, so no sort and no read of the (large) item rows; the last
 * row of each resource is the one without a successor. */
static const char latest_sql[] =
    "INSERT INTO pit_latest(rid)"
    " SELECT rid FROM ("
    "   SELECT rowid AS rid, lead(rowid) OVER ("
    "     PARTITION BY account_id, region, resource_type, resource_id"
    "     ORDER BY capture_time, state_id) AS nxt"
    "   FROM main.items INDEXED BY items_by_resource"
    "   WHERE capture_time <= ?1"
    "     AND (?2 IS NULL OR account_id IN (SELECT value FROM json_each(?2)))"
    "     AND (?3 IS NULL OR region = 'global' OR region IN (SELECT value FROM json_each(?3)))"
    "     AND (?4 IS NULL OR resource_type = ?4))"
    " WHERE nxt IS NULL";

/* Of those, the ones that exist: not deletions, and not missing from
 * the deciding snapshot of their series. */
static const char items_sql[] =
    "INSERT INTO pit_items(rid, item_key, account_id, region, resource_type, resource_id,"
    "   resource_name)"
    " SELECT i.rowid, i.item_key, i.account_id, i.region, i.resource_type, i.resource_id,"
    "   i.resource_name"
    " FROM pit_latest l JOIN main.items i ON i.rowid = l.rid"
    " WHERE i.status NOT IN ('ResourceDeleted', 'ResourceDeletedNotRecorded')"
    "   AND NOT EXISTS ("
    "     SELECT 1 FROM pit_snap s"
    "     WHERE s.account_id = i.account_id AND s.item_region = i.region"
    "       AND i.capture_time <= s.snap_time"
    "       AND NOT EXISTS ("
    "         SELECT 1 FROM main.snapshot_presence p"
    "         WHERE p.item_key = i.item_key AND p.account_id = s.account_id"
    "           AND p.region = s.series_region AND p.first_time <= s.snap_time"
    "           AND p.last_time >= s.snap_time))";

static const char accounts_sql[] =
    "INSERT OR IGNORE INTO accounts(account_id, aws_region)"
    " SELECT account_id, region FROM pit_items WHERE region <> 'global'"
    " UNION"
    " SELECT account_id, item_region FROM pit_snap WHERE item_region <> 'global'"
    "   AND (?2 IS NULL OR account_id IN (SELECT value FROM json_each(?2)))"
    "   AND (?3 IS NULL OR item_region IN (SELECT value FROM json_each(?3)))";

/* current_items joins the item rows with a LEFT JOIN on the rowid (a
 * row always exists): SQLite then leaves out the join entirely when a
 * query uses only the key columns kept in pit_items (resources, counts,
 * accounts), which spares reading 500k large rows. */
static const char views_sql[] =
    "CREATE INDEX temp.pit_items_by_type ON pit_items(resource_type);"
    "CREATE INDEX temp.pit_items_by_id ON pit_items(resource_id);"
    "CREATE TEMP VIEW current_items AS"
    " SELECT c.item_key AS item_key, c.account_id AS account_id, c.region AS region,"
    "   c.resource_type AS resource_type, c.resource_id AS resource_id,"
    "   c.resource_name AS resource_name, i.arn AS arn,"
    "   i.availability_zone AS availability_zone, i.status AS status,"
    "   i.capture_time AS capture_time, i.state_id AS state_id,"
    "   i.item_version AS item_version, i.resource_creation_time AS resource_creation_time,"
    "   i.configuration AS configuration, i.supplementary AS supplementary,"
    "   i.tags AS tags, i.relationships AS relationships"
    " FROM pit_items c LEFT JOIN main.items i ON i.rowid = c.rid;"
    "CREATE TEMP VIEW relationships AS"
    " SELECT c.account_id AS account_id, c.region AS region,"
    "   c.resource_type AS resource_type, c.resource_id AS resource_id,"
    "   json_extract(r.value, '$.name') AS name,"
    "   json_extract(r.value, '$.resourceType') AS related_type,"
    "   json_extract(r.value, '$.resourceId') AS related_id,"
    "   json_extract(r.value, '$.resourceName') AS related_name"
    " FROM current_items c, json_each(c.relationships) r"
    " WHERE json_type(r.value) = 'object';";

/* A JSON array of the strings, or NULL for no filter (caller frees). */
static char *json_list(const char **v, size_t n)
{
	json_t *a;
	char *s;

	if (!v || n == 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i] ? v[i] : ""));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		abort(); /* out of memory (or invalid UTF-8 in an option) */
	return s;
}

static int run_bound(struct store *s, const char *sql, const char *t, const char *acc,
		     const char *reg, const char *type, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int rc, n;

	if (!st)
		return -1;
	n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	if (n >= 2)
		sqlite3_bind_text(st, 2, acc, -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(st, 3, reg, -1, SQLITE_STATIC);
	if (n >= 4)
		sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot build the point-in-time state");
	return 0;
}

int pit_build(struct store *s, const struct pit_filter *f, struct diag *d)
{
	char t[TIME_ISO_LEN];
	char *acc, *reg;
	int rc = -1;

	if (f->as_of_ms == INT64_MAX)
		snprintf(t, sizeof(t), "%s", PIT_END_OF_TIME);
	else
		time_format_iso(f->as_of_ms, t);
	/* The invalid UTF-8 a user might type cannot match stored text;
	 * jansson refuses it, so such a filter simply matches nothing. */
	acc = json_list(f->accounts, f->n_accounts);
	reg = json_list(f->regions, f->n_regions);

	if (store_exec(s, "SAVEPOINT pit_build", d))
		goto out;
	if (store_exec(s, drop_sql, d) || store_exec(s, create_sql, d) ||
	    run_bound(s, snap_sql, t, acc, reg, f->resource_type, d) ||
	    run_bound(s, global_snap_sql, t, acc, reg, f->resource_type, d) ||
	    run_bound(s, latest_sql, t, acc, reg, f->resource_type, d) ||
	    run_bound(s, items_sql, t, acc, reg, f->resource_type, d) ||
	    store_exec(s, "DROP TABLE temp.pit_latest", d) ||
	    run_bound(s, accounts_sql, t, acc, reg, f->resource_type, d) ||
	    store_exec(s, views_sql, d)) {
		sqlite3_exec(s->db, "ROLLBACK TO pit_build; RELEASE pit_build", NULL, NULL, NULL);
		goto out;
	}
	if (store_exec(s, "RELEASE pit_build", d))
		goto out;
	rc = 0;
out:
	free(acc);
	free(reg);
	return rc;
}

int pit_latest_time(struct store *s, char *out, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT max(t) FROM (SELECT max(capture_time) AS t FROM main.items"
	    " UNION ALL SELECT max(delivered_at) FROM main.files WHERE status = 'loaded')",
	    d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot read the latest time");
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		out[0] = '\0';
		return 1;
	}
	snprintf(out, TIME_ISO_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}
