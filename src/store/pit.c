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
#include "store/pit_delta.h"
#include "store/schema.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Later than any canonical time: the "latest" as-of. */
#define PIT_END_OF_TIME "9999-12-31T23:59:59.999Z"

/* The state's objects: tables in schema @S (temp, or the scratch file
 * shared by the connections of one evaluation, pit_share_build), and the
 * TEMP views every connection reads them through. "@S" is replaced by
 * the schema's name (with_schema). */
static const char drop_views_sql[] = "DROP VIEW IF EXISTS temp.item_history;"
				     "DROP VIEW IF EXISTS temp.inventory_gaps;"
				     "DROP VIEW IF EXISTS temp.inventory_coverage;"
				     "DROP VIEW IF EXISTS temp.relationships;"
				     "DROP VIEW IF EXISTS temp.current_items;";

static const char drop_tables_sql[] = "DROP TABLE IF EXISTS temp.accounts;"
				      "DROP TABLE IF EXISTS temp.pit_items;"
				      "DROP TABLE IF EXISTS temp.pit_snap;";

static const char create_sql[] =
    "CREATE TABLE @S.pit_snap(\n"
    "  account_id TEXT NOT NULL,\n"
    "  item_region TEXT NOT NULL,   -- the items' region ('global' for global items)\n"
    "  series_region TEXT NOT NULL, -- the snapshot series' folder region\n"
    "  snap_time TEXT NOT NULL,\n"
    "  PRIMARY KEY (account_id, item_region)) WITHOUT ROWID;\n"
    /* Keyed the way rules look items up (by type, then id), and filled
     * in that order, so that rows are appended and no index on the type
     * is needed. */
    "CREATE TABLE @S.pit_items(\n"
    "  resource_type TEXT NOT NULL,\n"
    "  resource_id TEXT NOT NULL,\n"
    "  account_id TEXT NOT NULL,\n"
    "  region TEXT NOT NULL,\n"
    "  rid INTEGER NOT NULL,        -- items.rowid\n"
    "  item_key BLOB NOT NULL,\n"
    "  resource_name TEXT,\n"
    "  PRIMARY KEY (resource_type, resource_id, account_id, region)) WITHOUT ROWID;\n"
    "CREATE TABLE @S.accounts(\n"
    "  account_id TEXT NOT NULL,\n"
    "  aws_region TEXT NOT NULL,\n"
    "  PRIMARY KEY (account_id, aws_region)) WITHOUT ROWID;\n";

/* Parameters: ?1 T, ?2 accounts (JSON array or NULL), ?3 regions (JSON
 * array or NULL), ?4 resource type or NULL. */
static const char snap_sql[] =
    "INSERT OR REPLACE INTO @S.pit_snap(account_id, item_region, series_region, snap_time)"
    " SELECT account_id, region, region, max(delivered_at) FROM main.files"
    " WHERE kind = 'ConfigSnapshot' AND status = 'loaded' AND account_id IS NOT NULL"
    "   AND region IS NOT NULL AND delivered_at IS NOT NULL AND delivered_at <= ?1"
    "   AND region <> 'global'"
    " GROUP BY account_id, region";

static const char global_snap_sql[] =
    "INSERT OR REPLACE INTO @S.pit_snap(account_id, item_region, series_region, snap_time)"
    " SELECT account_id, 'global', region, delivered_at FROM ("
    "   SELECT account_id, region, delivered_at, row_number() OVER ("
    "     PARTITION BY account_id ORDER BY delivered_at DESC, region) AS rn"
    "   FROM main.files"
    "   WHERE kind = 'ConfigSnapshot' AND status = 'loaded' AND global_items > 0"
    "     AND account_id IS NOT NULL AND region IS NOT NULL AND delivered_at IS NOT NULL"
    "     AND delivered_at <= ?1)"
    " WHERE rn = 1";

/* Every version captured at or before T, in (resource, capture time,
 * state id) order: the order of the covering index items_by_resource, so
 * SQLite reads only the index and sorts nothing; the last row of each
 * resource is its latest version. AWS's verdicts stored from CLI answers
 * (verdict_answer.h) are no resources. */
static const char versions_sql[] =
    "SELECT rowid, resource_type, resource_id, account_id, region, capture_time, status,"
    "   item_key, resource_name"
    " FROM main.items INDEXED BY items_by_resource"
    " WHERE capture_time <= ?1"
    "   AND (?2 IS NULL OR account_id IN (SELECT value FROM json_each(?2)))"
    "   AND (?3 IS NULL OR region = 'global' OR region IN (SELECT value FROM json_each(?3)))"
    "   AND (?4 IS NULL OR resource_type = ?4)"
    "   AND resource_type <> 'cfgaudit::Config::EvaluationResult'"
    " ORDER BY resource_type, resource_id, account_id, region, capture_time, state_id";

/* The deciding snapshots, and of each the item versions it held:
 * presence runs of its series that cover its delivery time. */
static const char snaps_sql[] =
    "SELECT account_id, item_region, series_region, snap_time FROM @S.pit_snap";
/* How many versions the deciding snapshot files hold, to size the set. */
static const char held_count_sql[] =
    "SELECT coalesce(sum(f.item_count), 0) FROM"
    " (SELECT DISTINCT account_id, series_region, snap_time FROM @S.pit_snap) s"
    " JOIN main.files f"
    " ON f.kind = 'ConfigSnapshot' AND f.status = 'loaded' AND f.account_id = s.account_id"
    "  AND f.region = s.series_region AND f.delivered_at = s.snap_time";
static const char held_sql[] =
    "SELECT item_key FROM main.snapshot_presence INDEXED BY snapshot_presence_by_series"
    " WHERE account_id = ?1 AND region = ?2 AND last_time >= ?3 AND first_time <= ?3";

/* The account-Regions of pit_items' rows are added as the rows are made
 * (build_items: a scan of pit_items and its UNION cost a tenth of
 * building the state on shape c); these are those of the snapshots. */
static const char accounts_sql[] =
    "INSERT OR IGNORE INTO @S.accounts(account_id, aws_region)"
    " SELECT account_id, item_region FROM @S.pit_snap WHERE item_region <> 'global'"
    "   AND (?2 IS NULL OR account_id IN (SELECT value FROM json_each(?2)))"
    "   AND (?3 IS NULL OR item_region IN (SELECT value FROM json_each(?3)))";

/* current_items joins the item rows with a LEFT JOIN on the rowid (a
 * row always exists): SQLite then leaves out the join entirely when a
 * query uses only the key columns kept in pit_items (resources, counts,
 * accounts), which spares reading 500k large rows. */
/* The lookup indexes (pit_build's; the shared state has none): the backup
 * chain's derived tables and the rules reading them join back to
 * current_items by item_key (without this index each such join is a
 * scan per row) and look up the items of one account and Region. No
 * other shipped rule is slower without them (every rule on shape a of
 * bench/shapes.sh), and they were 40% of building the state. */
static const char lookup_index_sql[] =
    "CREATE INDEX @S.pit_items_by_key ON pit_items(item_key);"
    "CREATE INDEX @S.pit_items_by_place ON pit_items(account_id, region, resource_type);";

static const char index_sql[] = "CREATE INDEX @S.pit_items_by_id ON pit_items(resource_id);";
/* Statistics, so that the planner knows a (type) prefix of pit_items
 * holds thousands of rows and an (account, region, type) one dozens:
 * without them it searched by type alone. The shared state writes those
 * of pit_items from the counts of its scan instead (pit_kept_stats):
 * ANALYZE read the whole table and index again, a tenth of building it. */
static const char analyze_sql[] = "ANALYZE @S;";

static const char views_sql[] =
    "CREATE TEMP VIEW current_items AS"
    " SELECT c.item_key AS item_key, c.account_id AS account_id, c.region AS region,"
    "   c.resource_type AS resource_type, c.resource_id AS resource_id,"
    "   c.resource_name AS resource_name, i.arn AS arn,"
    "   i.availability_zone AS availability_zone, i.status AS status,"
    "   i.capture_time AS capture_time, i.state_id AS state_id,"
    "   i.item_version AS item_version, i.resource_creation_time AS resource_creation_time,"
    "   i.configuration AS configuration, i.supplementary AS supplementary,"
    "   i.tags AS tags, i.relationships AS relationships"
    " FROM @S.pit_items c LEFT JOIN main.items i ON i.rowid = c.rid;"
    "CREATE TEMP VIEW relationships AS"
    " SELECT c.account_id AS account_id, c.region AS region,"
    "   c.resource_type AS resource_type, c.resource_id AS resource_id,"
    /* Each column tests the element's type itself: the WHERE below may
     * be checked after a rule's own conditions on these columns, and
     * json_extract of an element that is a string fails. */
    "   CASE r.type WHEN 'object' THEN json_extract(r.value, '$.name') END AS name,"
    "   CASE r.type WHEN 'object' THEN json_extract(r.value, '$.resourceType') END"
    "    AS related_type,"
    "   CASE r.type WHEN 'object' THEN json_extract(r.value, '$.resourceId') END AS related_id,"
    "   CASE r.type WHEN 'object' THEN json_extract(r.value, '$.resourceName') END"
    "    AS related_name"
    " FROM current_items c, json_each(c.relationships) r"
    " WHERE r.type = 'object';"
    /* Where the store holds a complete inventory at T: a loaded snapshot
     * of the series at or before T (plus the history after it). Rules
     * that conclude from absence ("no trail", "no flow log") may do so
     * only for these account-regions. */
    "CREATE TEMP VIEW inventory_coverage AS"
    " SELECT account_id, item_region AS region, snap_time AS snapshot_time FROM @S.pit_snap;"
    /* The account-regions with data but without a complete inventory: an
     * account-wide "none" (no multi-Region trail anywhere) needs all of
     * the account's Regions covered. */
    /* Every recorded version of each current resource up to its current
     * one: what rules that need a past state (when was it stopped) read,
     * instead of the store's own items table. */
    "CREATE TEMP VIEW item_history AS"
    " SELECT i.resource_type AS resource_type, i.resource_id AS resource_id,"
    "   i.account_id AS account_id, i.region AS region, i.capture_time AS capture_time,"
    "   i.state_id AS state_id, i.status AS status, i.configuration AS configuration,"
    "   i.supplementary AS supplementary"
    " FROM @S.pit_items c JOIN main.items i INDEXED BY items_by_resource"
    "   ON i.resource_type = c.resource_type AND i.resource_id = c.resource_id"
    "   AND i.account_id = c.account_id AND i.region = c.region"
    " WHERE i.capture_time <= (SELECT capture_time FROM main.items WHERE rowid = c.rid);"
    "CREATE TEMP VIEW inventory_gaps AS"
    " SELECT a.account_id AS account_id, a.aws_region AS region FROM @S.accounts a"
    " WHERE NOT EXISTS (SELECT 1 FROM @S.pit_snap s"
    "   WHERE s.account_id = a.account_id AND s.item_region = a.aws_region);";

/* What the rules name "accounts" when the table lives in the shared
 * scratch file: TEMP objects are found first, whatever main holds. */
static const char shared_accounts_sql[] =
    "CREATE TEMP VIEW accounts AS SELECT account_id, aws_region FROM pit.accounts;";

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

/* sql with every "@S" replaced by schema (caller frees). */
static char *with_schema(const char *sql, const char *schema)
{
	struct strbuf b = STRBUF_INIT;
	const char *p;

	while ((p = strstr(sql, "@S"))) {
		strbuf_add(&b, sql, (size_t)(p - sql));
		strbuf_addstr(&b, schema);
		sql = p + 2;
	}
	strbuf_addstr(&b, sql);
	return strbuf_detach(&b, NULL);
}

static sqlite3_stmt *prepare_in(struct store *s, const char *schema, const char *sql,
				struct diag *d)
{
	char *text = with_schema(sql, schema);
	sqlite3_stmt *st = store_prepare(s, text, d);

	free(text);
	return st;
}

static int exec_in(struct store *s, const char *schema, const char *sql, struct diag *d)
{
	char *text = with_schema(sql, schema);
	int rc = store_exec(s, text, d);

	free(text);
	return rc;
}

static int run_bound(struct store *s, const char *schema, const char *sql, const char *t,
		     const char *acc, const char *reg, const char *type, struct diag *d)
{
	sqlite3_stmt *st = prepare_in(s, schema, sql, d);
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

/*
 * The deciding snapshot of each (account, item region) and the item
 * versions it held, in memory: checking 500k versions against
 * snapshot_presence one B-tree probe at a time cost more than a second.
 * The held versions are a sorted array of fixed records (item key, then
 * the snapshot's index), 20 bytes each: a hash map of the same keys took
 * 220 bytes a resource, 220 MB for a million.
 */
#define HELD_LEN (STORE_KEY_LEN + 4)

/* The held records are found through their first two bytes: item keys
 * are digests, spread evenly, so a bucket holds a few records (a plain
 * binary search over the 206k records of shape c cost 18 cache misses a
 * lookup, 12% of building the state). */
#define HELD_BUCKETS 65536

struct deciders {
	struct keymap series; /* "account\0item region" -> index */
	char (*snap_time)[TIME_ISO_LEN];
	uint32_t *held_of; /* of each index, its snapshot's in the held set */
	size_t n;
	/* the snapshots read: "account\0folder region\0time" -> held index
	 * (the regional and the global series of a folder often decide by
	 * the same snapshot: its presence is read and kept once) */
	struct keymap snaps;
	unsigned char (*held)[HELD_LEN]; /* sorted by memcmp */
	size_t n_held, alloc_held;
	uint32_t *bucket; /* HELD_BUCKETS + 1: the first record of each prefix */
};

/* The record of item_key in the snapshot of that index (big-endian, so
 * that memcmp orders records as the key and then the index). */
static void held_record(unsigned char out[HELD_LEN], const void *item_key, uint32_t index)
{
	memcpy(out, item_key, STORE_KEY_LEN);
	out[STORE_KEY_LEN] = (unsigned char)(index >> 24);
	out[STORE_KEY_LEN + 1] = (unsigned char)(index >> 16);
	out[STORE_KEY_LEN + 2] = (unsigned char)(index >> 8);
	out[STORE_KEY_LEN + 3] = (unsigned char)index;
}

static int cmp_held(const void *a, const void *b)
{
	return memcmp(a, b, HELD_LEN);
}

static unsigned held_prefix(const unsigned char *record)
{
	return (unsigned)record[0] << 8 | record[1];
}

/* Sort the records and index them by prefix: a counting sort on the
 * prefix (item keys are digests, so a bucket holds a record or two),
 * then each bucket sorted in place. qsort of the whole array cost a
 * tenth of building the state on shape a of bench/shapes.sh (a million
 * and a half calls of the comparison for 92k records). */
static void sort_held(struct deciders *dc)
{
	unsigned char(*out)[HELD_LEN] = xmalloc(dc->n_held * HELD_LEN);
	uint32_t *next = xmalloc(HELD_BUCKETS * sizeof(*next));

	dc->bucket = xcalloc(HELD_BUCKETS + 1, sizeof(*dc->bucket));
	for (size_t r = 0; r < dc->n_held; r++)
		dc->bucket[held_prefix(dc->held[r]) + 1]++;
	for (unsigned b = 0; b < HELD_BUCKETS; b++)
		dc->bucket[b + 1] += dc->bucket[b];
	memcpy(next, dc->bucket, HELD_BUCKETS * sizeof(*next));
	for (size_t r = 0; r < dc->n_held; r++)
		memcpy(out[next[held_prefix(dc->held[r])]++], dc->held[r], HELD_LEN);
	free(next);
	free(dc->held);
	dc->held = out;
	for (unsigned b = 0; b < HELD_BUCKETS; b++) {
		uint32_t lo = dc->bucket[b], hi = dc->bucket[b + 1];

		if (hi - lo > 16) {
			qsort(dc->held + lo, hi - lo, HELD_LEN, cmp_held);
			continue;
		}
		for (uint32_t i = lo + 1; i < hi; i++) { /* insertion sort */
			unsigned char r[HELD_LEN];
			uint32_t j = i;

			memcpy(r, dc->held[i], HELD_LEN);
			for (; j > lo && memcmp(dc->held[j - 1], r, HELD_LEN) > 0; j--)
				memcpy(dc->held[j], dc->held[j - 1], HELD_LEN);
			memcpy(dc->held[j], r, HELD_LEN);
		}
	}
}

static int held_has(const struct deciders *dc, const void *item_key, size_t len,
		    uint32_t index)
{
	unsigned char r[HELD_LEN];
	uint32_t lo, hi;

	if (len != STORE_KEY_LEN || dc->n_held == 0)
		return 0;
	held_record(r, item_key, index);
	lo = dc->bucket[held_prefix(r)];
	hi = dc->bucket[held_prefix(r) + 1];
	return bsearch(r, dc->held + lo, hi - lo, HELD_LEN, cmp_held) != NULL;
}

static void series_key(struct strbuf *k, const char *account, const char *region)
{
	strbuf_reset(k);
	strbuf_add(k, account, strlen(account) + 1);
	strbuf_addstr(k, region);
}

/* Size the held set for the versions the deciding snapshots hold. */
static int reserve_held(struct store *s, const char *schema, struct deciders *dc,
			struct diag *d)
{
	sqlite3_stmt *count = prepare_in(s, schema, held_count_sql, d);

	if (!count)
		return -1;
	if (sqlite3_step(count) == SQLITE_ROW && sqlite3_column_int64(count, 0) > 0) {
		dc->alloc_held = (size_t)sqlite3_column_int64(count, 0);
		dc->held = xmalloc(dc->alloc_held * HELD_LEN);
	}
	sqlite3_finalize(count);
	return 0;
}

/* Add the versions the snapshot of the row snaps is on (held_sql, bound
 * here) to the held set, as that snapshot's index. */
static int load_held(struct store *s, struct deciders *dc, sqlite3_stmt *snaps,
		     sqlite3_stmt *held, uint32_t index, struct diag *d)
{
	int rc;

	sqlite3_reset(held);
	sqlite3_bind_value(held, 1, sqlite3_column_value(snaps, 0));
	sqlite3_bind_value(held, 2, sqlite3_column_value(snaps, 2));
	sqlite3_bind_value(held, 3, sqlite3_column_value(snaps, 3));
	while ((rc = sqlite3_step(held)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(held, 0) != STORE_KEY_LEN)
			continue; /* not an item key: cannot match one */
		if (dc->n_held == dc->alloc_held) {
			dc->alloc_held = dc->alloc_held ? dc->alloc_held * 2 : 1024;
			dc->held = xrealloc(dc->held, dc->alloc_held * HELD_LEN);
		}
		held_record(dc->held[dc->n_held++], sqlite3_column_blob(held, 0), index);
	}
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read snapshot presence");
	return 0;
}

/* Number the deciding snapshot of the row snaps (its series and time);
 * *fresh set when its presence is still to be read (as the index
 * returned), else the index of the series that read it. */
static uint32_t add_series(struct deciders *dc, sqlite3_stmt *snaps, size_t *alloc,
			   struct strbuf *k, int *fresh)
{
	const char *acc = (const char *)sqlite3_column_text(snaps, 0);
	const char *item_region = (const char *)sqlite3_column_text(snaps, 1);
	const char *folder = (const char *)sqlite3_column_text(snaps, 2);
	const char *time = (const char *)sqlite3_column_text(snaps, 3);
	uint32_t index = (uint32_t)dc->n;
	int64_t *held;

	if (dc->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 16;
		dc->snap_time = xrealloc(dc->snap_time, *alloc * sizeof(*dc->snap_time));
		dc->held_of = xrealloc(dc->held_of, *alloc * sizeof(*dc->held_of));
	}
	snprintf(dc->snap_time[dc->n++], TIME_ISO_LEN, "%s", time);
	series_key(k, acc, item_region);
	*keymap_insert(&dc->series, k->buf, k->len, NULL) = index;
	series_key(k, acc, folder);
	strbuf_add(k, "", 1);
	strbuf_addstr(k, time);
	held = keymap_insert(&dc->snaps, k->buf, k->len, fresh);
	if (*fresh)
		*held = index;
	dc->held_of[index] = (uint32_t)*held;
	return dc->held_of[index];
}

static int load_deciders(struct store *s, const char *schema, struct deciders *dc,
			 struct diag *d)
{
	sqlite3_stmt *snaps = prepare_in(s, schema, snaps_sql, d);
	sqlite3_stmt *held = store_prepare(s, held_sql, d);
	struct strbuf k = STRBUF_INIT;
	size_t alloc = 0;
	int rc = -1;

	if (!snaps || !held || reserve_held(s, schema, dc, d))
		goto out;
	while (sqlite3_step(snaps) == SQLITE_ROW) {
		int fresh;
		uint32_t index = add_series(dc, snaps, &alloc, &k, &fresh);

		if (fresh && load_held(s, dc, snaps, held, index, d))
			goto out;
	}
	if (dc->n_held)
		sort_held(dc);
	rc = 0;
out:
	sqlite3_finalize(snaps);
	sqlite3_finalize(held);
	strbuf_release(&k);
	return rc;
}

static void release_deciders(struct deciders *dc)
{
	keymap_release(&dc->series);
	keymap_release(&dc->snaps);
	free(dc->held_of);
	free(dc->held);
	free(dc->bucket);
	free(dc->snap_time);
}

/* A resource's latest version at T, while scanning: versions_sql's
 * columns from type on. */
enum { V_TYPE = 1, V_ID, V_ACCOUNT, V_REGION, V_CAPTURE, V_STATUS, V_KEY, V_NAME, V_NCOLS };

struct latest {
	int64_t rowid;
	struct strbuf col[V_NCOLS];
	int name_null;
};

static int same_resource(const struct latest *l, sqlite3_stmt *v)
{
	for (int c = V_ID; c >= V_TYPE; c--) /* the id differs most often */
		if (strcmp(l->col[c].buf, (const char *)sqlite3_column_text(v, c)))
			return 0;
	return !strcmp(l->col[V_ACCOUNT].buf, (const char *)sqlite3_column_text(v, V_ACCOUNT)) &&
	       !strcmp(l->col[V_REGION].buf, (const char *)sqlite3_column_text(v, V_REGION));
}

static void set_latest(struct latest *l, sqlite3_stmt *v, int from)
{
	l->rowid = sqlite3_column_int64(v, 0);
	for (int c = from; c < V_NCOLS; c++) {
		const void *p = c == V_KEY ? sqlite3_column_blob(v, c) : sqlite3_column_text(v, c);

		strbuf_reset(&l->col[c]);
		strbuf_add(&l->col[c], p, (size_t)sqlite3_column_bytes(v, c));
	}
	l->name_null = sqlite3_column_type(v, V_NAME) == SQLITE_NULL;
}

/* Whether l is current (PIT_LIVE): not a deletion (else PIT_GONE), and
 * held by its deciding snapshot (else PIT_DROPPED) unless captured after
 * it (newer evidence than the snapshot: PIT_NEWER). */
/* The series of the last version judged, and its deciding snapshot: the
 * next one is most often of the same series (every one, in a store of
 * one account-Region), and is then not looked up again. */
struct series_cache {
	struct strbuf k;       /* "account\0item region", or empty */
	const int64_t *index;  /* its index in deciders.series, or NULL */
};

static const int64_t *series_index(const struct latest *l, const struct deciders *dc,
				   struct series_cache *sc)
{
	const struct strbuf *a = &l->col[V_ACCOUNT], *r = &l->col[V_REGION];

	/* a's NUL matches the key's separator */
	if (sc->k.len && sc->k.len == a->len + 1 + r->len && !memcmp(sc->k.buf, a->buf, a->len + 1) &&
	    !memcmp(sc->k.buf + a->len + 1, r->buf, r->len))
		return sc->index;
	series_key(&sc->k, a->buf, r->buf);
	sc->index = keymap_find(&dc->series, sc->k.buf, sc->k.len);
	return sc->index;
}

static int is_current(const struct latest *l, const struct deciders *dc, struct series_cache *sc)
{
	const char *status = l->col[V_STATUS].buf;
	const struct strbuf *key = &l->col[V_KEY];
	const int64_t *index;

	if (!strcmp(status, "ResourceDeleted") || !strcmp(status, "ResourceDeletedNotRecorded"))
		return PIT_GONE;
	index = series_index(l, dc, sc);
	if (!index)
		return PIT_CURRENT;
	if (strcmp(l->col[V_CAPTURE].buf, dc->snap_time[*index]) > 0)
		return PIT_NEWER;
	return held_has(dc, key->buf, key->len, dc->held_of[*index]) ? PIT_CURRENT : PIT_DROPPED;
}

/*
 * The current versions, one per resource in resource order, as an
 * eponymous virtual table over one pass of versions_sql: pit_items is
 * filled by one INSERT ... SELECT from it. An INSERT stepped once per
 * row opened the table's cursor and ran the statement's prologue for
 * every item (a fifth of building the state on shape d).
 */
#define VERSIONS_VTAB "cfgaudit_pit_current"

struct current_scan {
	sqlite3_stmt *v; /* versions_sql, bound */
	const struct deciders *dc;
	struct latest l[2]; /* the resource being read, the one to give */
	int cur, out;	    /* their indexes in l */
	int have;	    /* l[cur] holds a resource */
	int ended;	    /* v returned its last row */
	int done;	    /* no row left to give */
	int rc;		    /* the scan's error, or SQLITE_OK */
	struct strbuf k;
	struct series_cache sc;
	struct pit_kept *kept; /* what a kept state records of its rows, or NULL */
	struct keymap places;  /* the account-Regions of the rows given ... */
	struct strbuf place_list; /* ... each "account\0region\0" once */
	struct strbuf last_place; /* the last one seen (rows of one place come
				     together in one-place stores) */
};

/* Note the account-Region of a row given (not a global one's). */
static void add_place(struct current_scan *cs, const struct latest *l)
{
	const struct strbuf *a = &l->col[V_ACCOUNT], *r = &l->col[V_REGION];
	int added;

	if (!strcmp(r->buf, "global"))
		return;
	series_key(&cs->k, a->buf, r->buf);
	if (cs->k.len == cs->last_place.len && !memcmp(cs->k.buf, cs->last_place.buf, cs->k.len))
		return;
	strbuf_reset(&cs->last_place);
	strbuf_add(&cs->last_place, cs->k.buf, cs->k.len);
	keymap_insert(&cs->places, cs->k.buf, cs->k.len, &added);
	if (added)
		strbuf_add(&cs->place_list, cs->k.buf, cs->k.len + 1);
}

/* How l stands (is_current), and for a kept state what it records. */
static int standing(struct current_scan *cs, const struct latest *l)
{
	int how = is_current(l, cs->dc, &cs->sc);

	if (PIT_LIVE(how))
		add_place(cs, l);

	if (cs->kept) {
		/* the last row given is l[out] (a latest being read is l[cur]) */
		const struct latest *p = &cs->l[cs->out];
		const char *const prev[3] = { p->col[V_TYPE].buf, p->col[V_ID].buf,
					      p->col[V_ACCOUNT].buf };

		pit_kept_row(cs->kept, l->rowid, l->col[V_TYPE].buf, l->col[V_ID].buf,
			     l->col[V_ACCOUNT].buf, l->col[V_REGION].buf, l->col[V_CAPTURE].buf,
			     l->col[V_KEY].buf, l->col[V_KEY].len, how, prev);
	}
	return PIT_LIVE(how);
}

/* Swap the resource just read into the row to give. */
static void give(struct current_scan *cs)
{
	int t = cs->cur;

	cs->cur = cs->out;
	cs->out = t;
}

/* Move to the next current version; done at the end. */
static void scan_next(struct current_scan *cs)
{
	int step;

	if (cs->ended) { /* stepping v again would start it over */
		cs->done = 1;
		return;
	}
	while ((step = sqlite3_step(cs->v)) == SQLITE_ROW) {
		struct latest *l = &cs->l[cs->cur];

		if (cs->have && same_resource(l, cs->v)) {
			set_latest(l, cs->v, V_CAPTURE); /* a later version */
			continue;
		}
		if (cs->have && standing(cs, l)) {
			give(cs);
			set_latest(&cs->l[cs->cur], cs->v, V_TYPE);
			return;
		}
		set_latest(l, cs->v, V_TYPE);
		cs->have = 1;
	}
	cs->ended = 1;
	if (step != SQLITE_DONE)
		cs->rc = step;
	if (step == SQLITE_DONE && cs->have && standing(cs, &cs->l[cs->cur])) {
		give(cs);
		cs->have = 0;
		return;
	}
	cs->done = 1;
}

struct cs_vtab {
	sqlite3_vtab base;
	struct current_scan *cs;
};

struct cs_cursor {
	sqlite3_vtab_cursor base;
	sqlite3_int64 rowid;
};

static int cs_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
		      char **err)
{
	struct cs_vtab *t;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE current_versions(resource_type,"
					  " resource_id, account_id, region, rid, item_key,"
					  " resource_name)");

	(void)argc;
	(void)argv;
	(void)err;
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->cs = aux;
	*out = &t->base;
	return SQLITE_OK;
}

static struct current_scan *cs_of(sqlite3_vtab *t)
{
	return ((struct cs_vtab *)t)->cs;
}

static int cs_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int cs_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	(void)t;
	info->estimatedCost = 1e6;
	return SQLITE_OK;
}

static int cs_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct cs_cursor *c = sqlite3_malloc(sizeof(*c));

	(void)t;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int cs_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

/* The scan is read once: a second pass (never asked for) finds nothing. */
static int cs_filter(sqlite3_vtab_cursor *c, int num, const char *str, int argc,
		     sqlite3_value **argv)
{
	struct current_scan *cs = cs_of(c->pVtab);

	(void)num;
	(void)str;
	(void)argc;
	(void)argv;
	if (!cs->done)
		scan_next(cs);
	return cs->rc == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
}

static int cs_next(sqlite3_vtab_cursor *c)
{
	struct current_scan *cs = cs_of(c->pVtab);

	((struct cs_cursor *)c)->rowid++;
	scan_next(cs);
	return cs->rc == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
}

static int cs_eof(sqlite3_vtab_cursor *c)
{
	return cs_of(c->pVtab)->done;
}

static int cs_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
	struct current_scan *cs = cs_of(c->pVtab);
	const struct latest *l = &cs->l[cs->out];
	/* the columns of the virtual table, as versions_sql's */
	static const int from[] = {V_TYPE, V_ID, V_ACCOUNT, V_REGION, 0, V_KEY, V_NAME};

	if (col == 4) {
		if (cs->kept) { /* what SQLite is handed (pit_delta_record) */
			cs->kept->given_n++;
			cs->kept->given_hash += pit_delta_mix(l->rowid);
		}
		sqlite3_result_int64(ctx, l->rowid);
	} else if (col == 5) {
		sqlite3_result_blob(ctx, l->col[V_KEY].buf, (int)l->col[V_KEY].len,
				    SQLITE_TRANSIENT);
	} else if (col != 6 || !l->name_null) {
		sqlite3_result_text(ctx, l->col[from[col]].buf, (int)l->col[from[col]].len,
				    SQLITE_TRANSIENT);
	}
	return SQLITE_OK;
}

static int cs_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
	*rowid = ((struct cs_cursor *)c)->rowid;
	return SQLITE_OK;
}

static const sqlite3_module cs_module = {
    .xConnect = cs_connect,
    .xBestIndex = cs_best_index,
    .xDisconnect = cs_disconnect,
    .xOpen = cs_open,
    .xClose = cs_close,
    .xFilter = cs_filter,
    .xNext = cs_next,
    .xEof = cs_eof,
    .xColumn = cs_column,
    .xRowid = cs_rowid,
};

static const char insert_items_sql[] =
    "INSERT INTO @S.pit_items(resource_type, resource_id, account_id, region, rid, item_key,"
    "   resource_name)"
    " SELECT resource_type, resource_id, account_id, region, rid, item_key, resource_name"
    " FROM temp." VERSIONS_VTAB;

/* The account-Regions of list ("account\0region\0" each) into accounts. */
static int insert_places(struct store *s, const char *schema, const struct strbuf *list,
			 struct diag *d)
{
	sqlite3_stmt *st = prepare_in(s, schema,
				      "INSERT OR IGNORE INTO @S.accounts(account_id, aws_region)"
				      " VALUES (?1, ?2)",
				      d);
	int rc = SQLITE_DONE;

	if (!st)
		return -1;
	for (size_t i = 0; i < list->len && rc == SQLITE_DONE;) {
		const char *acc = list->buf + i, *reg = acc + strlen(acc) + 1;

		i += strlen(acc) + strlen(reg) + 2;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, acc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, reg, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot build the point-in-time state");
	return 0;
}

/* Fill pit_items: one pass over the versions in resource order. */
static int build_items(struct store *s, const char *schema, const char *t, const char *acc,
		       const char *reg, const char *type, struct pit_kept *kept, struct diag *d)
{
	struct deciders dc = { KEYMAP_INIT, NULL, NULL, 0, KEYMAP_INIT, NULL, 0, 0, NULL };
	struct current_scan cs;
	int rc = -1;

	memset(&cs, 0, sizeof(cs));
	cs.dc = &dc;
	cs.kept = kept;
	cs.out = 1;
	strbuf_init(&cs.k, 0);
	strbuf_init(&cs.last_place, 0);
	strbuf_init(&cs.sc.k, 0);
	strbuf_init(&cs.place_list, 0);
	for (int i = 0; i < 2; i++)
		for (int c = 0; c < V_NCOLS; c++)
			strbuf_init(&cs.l[i].col[c], 0);
	if (load_deciders(s, schema, &dc, d))
		goto out;
	cs.v = store_prepare(s, versions_sql, d);
	if (!cs.v)
		goto out;
	sqlite3_bind_text(cs.v, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(cs.v, 2, acc, -1, SQLITE_STATIC);
	sqlite3_bind_text(cs.v, 3, reg, -1, SQLITE_STATIC);
	sqlite3_bind_text(cs.v, 4, type, -1, SQLITE_STATIC);
	if (sqlite3_create_module_v2(s->db, VERSIONS_VTAB, &cs_module, &cs, NULL) != SQLITE_OK) {
		store_error(s, d, "cannot build the point-in-time state");
		goto out;
	}
	rc = exec_in(s, schema, insert_items_sql, d);
	if (!rc && kept)
		kept->inserted = sqlite3_changes64(s->db);
	/* The module points at cs, on this stack (a NULL module drops the
	 * name, and only it). */
	sqlite3_create_module_v2(s->db, VERSIONS_VTAB, NULL, NULL, NULL);
	if (!rc && cs.rc != SQLITE_OK)
		rc = store_error(s, d, "cannot build the point-in-time state");
	if (!rc)
		rc = insert_places(s, schema, &cs.place_list, d);
out:
	sqlite3_finalize(cs.v);
	release_deciders(&dc);
	for (int i = 0; i < 2; i++)
		for (int c = 0; c < V_NCOLS; c++)
			strbuf_release(&cs.l[i].col[c]);
	strbuf_release(&cs.k);
	strbuf_release(&cs.last_place);
	strbuf_release(&cs.sc.k);
	strbuf_release(&cs.place_list);
	keymap_release(&cs.places);
	return rc;
}

/* A first load builds the items indexes at its end (writer_defer_indexes):
 * one it left missing (killed before its end) is built here. */
static int ensure_items_index(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "SELECT 1 FROM main.sqlite_master WHERE type = 'index'"
					 " AND name = 'items_by_resource'",
					 d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return store_exec(s, store_items_indexes_sql, d);
}

/* Drop the state's TEMP objects: "accounts" is a table of a state built
 * in temp, or a view of the shared file's. */
static int drop_temp(struct store *s, struct diag *d)
{
	sqlite3_stmt *st;
	int view = 0;

	if (store_exec(s, drop_views_sql, d))
		return -1;
	st = store_prepare(s, "SELECT type = 'view' FROM temp.sqlite_master WHERE name = 'accounts'",
			   d);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		view = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (view && store_exec(s, "DROP VIEW temp.accounts", d))
		return -1;
	return store_exec(s, drop_tables_sql, d);
}

/* The as-of time of f as canonical text (TIME_ISO_LEN bytes). */
static void as_of_text(const struct pit_filter *f, char *t)
{
	if (f->as_of_ms == INT64_MAX)
		snprintf(t, TIME_ISO_LEN, "%s", PIT_END_OF_TIME);
	else
		time_format_iso(f->as_of_ms, t);
}

int pit_fill_snap(struct store *s, const char *schema, const char *t, struct diag *d)
{
	return run_bound(s, schema, snap_sql, t, NULL, NULL, NULL, d) ||
			       run_bound(s, schema, global_snap_sql, t, NULL, NULL, NULL, d)
		   ? -1
		   : 0;
}

/* Build the state's tables, indexes and statistics in schema (temp or
 * pit); with kept (pit only), what a kept state records of its rows too,
 * and the statistics from it. */
static int build_tables(struct store *s, const struct pit_filter *f, const char *schema,
			int lookups, struct pit_kept *kept, struct diag *d)
{
	char t[TIME_ISO_LEN];
	char *acc, *reg;
	int rc = -1;

	as_of_text(f, t);
	/* The invalid UTF-8 a user might type cannot match stored text;
	 * jansson refuses it, so such a filter simply matches nothing. */
	acc = json_list(f->accounts, f->n_accounts);
	reg = json_list(f->regions, f->n_regions);
	if (exec_in(s, schema, create_sql, d) ||
	    run_bound(s, schema, snap_sql, t, acc, reg, f->resource_type, d) ||
	    run_bound(s, schema, global_snap_sql, t, acc, reg, f->resource_type, d) ||
	    build_items(s, schema, t, acc, reg, f->resource_type, kept, d) ||
	    run_bound(s, schema, accounts_sql, t, acc, reg, f->resource_type, d) ||
	    (lookups && exec_in(s, schema, lookup_index_sql, d)) ||
	    exec_in(s, schema, index_sql, d) ||
	    (kept ? pit_kept_stats(s, kept, d) : exec_in(s, schema, analyze_sql, d)))
		goto out;
	rc = 0;
out:
	free(acc);
	free(reg);
	return rc;
}

int pit_build(struct store *s, const struct pit_filter *f, struct diag *d)
{
	if (ensure_items_index(s, d))
		return -1;
	if (store_exec(s, "SAVEPOINT pit_build", d))
		return -1;
	if (drop_temp(s, d) || build_tables(s, f, "temp", 1, NULL, d) ||
	    exec_in(s, "temp", views_sql, d)) {
		sqlite3_exec(s->db, "ROLLBACK TO pit_build; RELEASE pit_build", NULL, NULL, NULL);
		return -1;
	}
	return store_exec(s, "RELEASE pit_build", d);
}

int pit_ensure_ready(struct store *s, struct diag *d)
{
	return ensure_items_index(s, d);
}

/* The scratch file as schema "pit" of s's connection, read through a
 * memory map like the store. */
static int attach_shared(struct store *s, const char *path, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	/* The state of an earlier evaluation on this connection, kept for
	 * what that one read after its run (runner.c), goes now. */
	sqlite3_exec(s->db, "DETACH pit", NULL, NULL, NULL);
	st = store_prepare(s, "ATTACH ?1 AS pit", d);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot attach the point-in-time state");
	return store_exec(s, "PRAGMA pit.cache_size=-16384; PRAGMA pit.mmap_size=68719476736;", d);
}

/* The TEMP views over the shared file's tables. */
static int shared_views(struct store *s, struct diag *d)
{
	if (drop_temp(s, d) || exec_in(s, "pit", views_sql, d) ||
	    store_exec(s, shared_accounts_sql, d))
		return -1;
	return 0;
}

/* Attach the scratch file and start writing it. */
static int begin_shared(struct store *s, const char *path, struct diag *d)
{
	if (attach_shared(s, path, d))
		return -1;
	/* A scratch file, deleted after the run: no journal, no syncs. */
	return store_exec(s, "PRAGMA pit.journal_mode=OFF; PRAGMA pit.synchronous=OFF; BEGIN", d);
}

/* Can the state of f be kept for a later run: the whole state (no
 * selection) of a store that is a file, at a known as-of time. */
static int keepable(const struct store *s, const struct pit_filter *f)
{
	return f->hint && !f->n_accounts && !f->n_regions && !f->resource_type && s->path &&
	       *s->path && strcmp(s->path, ":memory:") && f->as_of_ms != INT64_MAX;
}

/* The state built from the prior one kept beside the store (1), or not
 * (0: the scratch file is left empty and attached, its transaction
 * begun), or -1 with d. */
static int build_from_prior(struct store *s, const struct pit_filter *f, const char *path,
			    const char *t, struct diag *d)
{
	char *kept = pit_delta_kept_path(s);
	struct stat sb;
	int rc;

	/* Only a regular file of one name is taken: what a symbolic or hard
	 * link names is no state of this store's, and writing the state into
	 * it would overwrite that file (another store, say). The state this
	 * run keeps replaces the link itself (rename). */
	rc = lstat(kept, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink == 1;
	free(kept);
	if (!rc || !pit_delta_take(s, path))
		return begin_shared(s, path, d) ? -1 : 0;
	rc = begin_shared(s, path, d) || drop_temp(s, d) ? -1 : pit_delta_apply(s, t, f->hint, d);
	if (rc > 0)
		return rc;
	/* A guard failed, or the kept file cannot be read as a state (not a
	 * database, torn or missing pages, tables not a state's): the state
	 * is built whole, in an empty file again (no journal: no rollback).
	 * An error of the store itself recurs there. */
	diag_clear(d);
	sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(s->db, "DETACH pit", NULL, NULL, NULL);
	if (truncate(path, 0))
		return diag_set(d, path, 0, "cannot empty the point-in-time state's file");
	return begin_shared(s, path, d) ? -1 : 0;
}

int pit_share_build(struct store *s, const struct pit_filter *f, const char *path,
		    struct diag *d)
{
	struct pit_kept kept;
	char t[TIME_ISO_LEN];
	int keep = keepable(s, f), rc = 0;

	pit_kept_init(&kept);
	as_of_text(f, t);
	if (f->hint)
		f->hint->from_prior = f->hint->keep = 0;
	if (keep && f->hint->prior)
		rc = build_from_prior(s, f, path, t, d);
	else if (begin_shared(s, path, d))
		rc = -1;
	if (rc < 0)
		goto fail_tx;
	/* kept counts the rows for the statistics too */
	if (rc == 0 && (drop_temp(s, d) || build_tables(s, f, "pit", 0, &kept, d) ||
			(keep && pit_delta_record(s, t, &kept, f->hint, d))))
		goto fail_tx;
	if (store_exec(s, "COMMIT", d))
		goto fail_tx;
	pit_kept_release(&kept);
	if (f->hint)
		f->hint->from_prior = rc == 1;
	if (shared_views(s, d))
		goto fail;
	return 0;
fail_tx:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	pit_kept_release(&kept);
fail:
	if (f->hint)
		f->hint->keep = 0;
	pit_share_detach(s);
	return -1;
}

void pit_share_keep(struct store *s, struct pit_hint *h, int ok)
{
	if (h) {
		free(h->moves.gone);
		free(h->moves.added);
		memset(&h->moves, 0, sizeof(h->moves));
	}
	if (!h || !h->path)
		return;
	pit_share_detach(s);
	if (ok && h->keep)
		pit_delta_publish(s, h->path);
	else
		unlink(h->path);
	free(h->path);
	h->path = NULL;
}

int pit_share_attach(struct store *s, const char *path, struct diag *d)
{
	if (attach_shared(s, path, d))
		return -1;
	if (shared_views(s, d)) {
		pit_share_detach(s);
		return -1;
	}
	return 0;
}

void pit_share_detach(struct store *s)
{
	struct diag ignored;

	drop_temp(s, &ignored);
	sqlite3_exec(s->db, "DETACH pit", NULL, NULL, NULL);
}

char *pit_result_join_sql(const char *statement, int with_tags)
{
	/* Join each result to the item behind it (evidence, tag scope): the
	 * key table of the point-in-time state, not the current_items view
	 * (a view on the right of a LEFT JOIN is copied whole for every
	 * rule). The tags are read only for a TagKey scope, from the
	 * version the state holds. pit_items is the state's table wherever
	 * it lives: temp, or the shared file (main has none). */
	return xstrfmt("SELECT r.resource_type, r.resource_id, r.account_id, r.aws_region,"
		       " r.compliance_type, r.annotation, c.item_key, %s FROM (\n%s\n) AS r"
		       " LEFT JOIN pit_items AS c ON c.resource_id = r.resource_id"
		       " AND c.account_id = r.account_id AND c.resource_type = r.resource_type"
		       " AND c.region = r.aws_region%s",
		       with_tags ? "i.tags" : "NULL", statement,
		       with_tags ? " LEFT JOIN main.items AS i ON i.rowid = c.rid" : "");
}

sqlite3_stmt *pit_item_key_prepare(struct store *s, struct diag *d)
{
	/* pit_items: the state's key table, temp or the shared file */
	return store_prepare(s,
			     "SELECT item_key FROM pit_items WHERE resource_type = ?1"
			     " AND resource_id = ?2 AND account_id = ?3 AND region = ?4",
			     d);
}

int pit_latest_time(struct store *s, char *out, struct diag *d)
{
	int64_t mark;

	return pit_latest_time_mark(s, out, &mark, d);
}

/* The latest capture time of the items of rowid > after, or of delivery
 * (latest_time_sql's columns: the time, the largest items rowid). */
#define LATEST_TIME_SQL(items_where)                                                     \
	"SELECT max(t), (SELECT coalesce(max(rowid), 0) FROM main.items)"                  \
	" FROM (SELECT max(capture_time) AS t FROM main.items"                             \
	"   WHERE " items_where "resource_type <> 'cfgaudit::Config::EvaluationResult'"      \
	" UNION ALL SELECT max(delivered_at) FROM main.files"                              \
	"   WHERE status = 'loaded' AND kind NOT IN ('AwsVerdicts', 'Evidence'))"

/* Run a LATEST_TIME_SQL statement (?1 bound to after when it has one):
 * 0, 1 without a time, or -1 with d. */
static int latest_time_run(struct store *s, const char *sql, int64_t after, char *out,
			   int64_t *items_mark, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int rc;

	if (!st)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot read the latest time");
	}
	*items_mark = sqlite3_column_int64(st, 1);
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		out[0] = '\0';
		return 1;
	}
	snprintf(out, TIME_ISO_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

int pit_latest_time_mark(struct store *s, char *out, int64_t *items_mark, struct diag *d)
{
	/* every item's capture time: a scan of items_by_resource */
	return latest_time_run(s, LATEST_TIME_SQL(""), 0, out, items_mark, d);
}

int pit_latest_time_kept(struct store *s, char *out, int64_t *items_mark,
			 struct pit_claim *claim, struct diag *d)
{
	char later[TIME_ISO_LEN];
	int rc;

	if (pit_delta_claim(s, claim))
		return 2;
	/* the items loaded since the claim's mark, by rowid */
	rc = latest_time_run(s, LATEST_TIME_SQL("rowid > ?1 AND "), claim->items_mark, later,
			     items_mark, d);
	if (rc < 0)
		return -1;
	/* The items up to the mark were captured at or before the claim's
	 * time: a later time loaded since is the latest; else the items up
	 * to the mark are needed. */
	if (rc > 0 || strcmp(later, claim->as_of) < 0)
		return 2;
	snprintf(out, TIME_ISO_LEN, "%s", later);
	return 0;
}
