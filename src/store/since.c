/*
 * since: a prior run's state and the data loaded after it (see since.h).
 */
#include "store/since.h"
#include "store/pit_delta.h"
#include "store/run.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char state_sql[] =
	"CREATE TABLE IF NOT EXISTS run_state(\n"
	"  run_id            INTEGER PRIMARY KEY,\n"
	"  schema_version    INTEGER NOT NULL,\n"
	"  items_max_rowid   INTEGER NOT NULL, -- items as far as the run read them\n"
	"  files_max_rowid   INTEGER NOT NULL,\n"
	"  since_run         INTEGER,          -- incremental: the run it started from\n"
	"  changed_resources INTEGER,          -- incremental: resources re-evaluated\n"
	"  rules_rerun       INTEGER,          -- incremental: rules re-evaluated in full\n"
	"  rules_copied      INTEGER,          -- incremental: rules with copied results\n"
	"  n_items           INTEGER NOT NULL, -- current item versions at as_of\n"
	"  items             BLOB NOT NULL     -- their items rowids: sorted, delta varints\n"
	")";

void since_prior_release(struct since_prior *p)
{
	free(p->tool_version);
	free(p->filters);
	free(p->waivers_sha256);
	free(p->rids);
	memset(p, 0, sizeof(*p));
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t ? xstrdup(t) : NULL;
}

/* Decode the delta varints of blob into p->rids. */
static int decode_rids(const unsigned char *b, size_t len, size_t n, struct since_prior *p)
{
	int64_t prev = 0;
	size_t i = 0;

	p->rids = xcalloc(n + 1, sizeof(*p->rids));
	while (i < len && p->n_rids < n) {
		uint64_t v = 0;
		int shift = 0;

		while (i < len && shift < 64) {
			v |= (uint64_t)(b[i] & 0x7f) << shift;
			shift += 7;
			if (!(b[i++] & 0x80))
				break;
		}
		prev += (int64_t)v;
		p->rids[p->n_rids++] = prev;
	}
	return p->n_rids == n && i == len ? 0 : -1;
}

/* A one-value query with run_id bound; *out untouched without a row. */
static int one_int(struct store *s, const char *sql, int64_t id, int64_t *out, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the prior run");
	return 0;
}

static int read_state(struct store *s, struct since_prior *p, struct diag *d)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	rc = store_table_exists(s, "run_state", d);
	if (rc <= 0)
		return rc;
	st = store_prepare(s, "SELECT schema_version, items_max_rowid, files_max_rowid, n_items,"
			      " items FROM run_state WHERE run_id = ?1", d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, p->run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->has_state = 1;
		p->schema_version = sqlite3_column_int(st, 0);
		/* a version 3 run stored its results in full, which version 4
		 * reads the same: a base as good as a version 4 run */
		if (p->schema_version == 3)
			p->schema_version = STORE_SCHEMA_VERSION;
		p->marks.items_max_rowid = sqlite3_column_int64(st, 1);
		p->marks.files_max_rowid = sqlite3_column_int64(st, 2);
		if (decode_rids(sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4),
				(size_t)sqlite3_column_int64(st, 3), p))
			ret = diag_set(d, s->path, 0, "run %lld: its recorded state is damaged",
				       (long long)p->run_id);
	} else if (rc != SQLITE_DONE) {
		ret = store_error(s, d, "cannot read the prior run's state");
	}
	sqlite3_finalize(st);
	return ret;
}

/* Its errors, waivers file and --max-age, from the tables other modules
 * create on first use. */
static int read_extras(struct store *s, struct since_prior *p, struct diag *d)
{
	int64_t v;
	int rc;

	if ((rc = store_table_exists(s, "run_errors", d)) < 0)
		return -1;
	v = 0;
	if (rc && one_int(s, "SELECT count(*) FROM run_errors WHERE run_id = ?1", p->run_id, &v, d))
		return -1;
	p->errors = (long)v;
	if ((rc = store_table_exists(s, "run_waiver_files", d)) < 0)
		return -1;
	if (rc) {
		sqlite3_stmt *st = store_prepare(s, "SELECT sha256 FROM run_waiver_files"
						    " WHERE run_id = ?1", d);

		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, p->run_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			p->waivers_sha256 = col_dup(st, 0);
		sqlite3_finalize(st);
	}
	p->max_age_ms = -1;
	if ((rc = store_table_exists(s, "run_coverage", d)) < 0)
		return -1;
	if (rc && one_int(s, "SELECT max(max_age_ms) FROM run_coverage WHERE run_id = ?1",
			  p->run_id, &p->max_age_ms, d))
		return -1;
	return 0;
}

int since_prior_read(struct store *s, int64_t id, struct since_prior *p, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT as_of, status, tool_version, filters"
					    " FROM runs WHERE run_id = ?1", d);
	int rc;

	memset(p, 0, sizeof(*p));
	p->run_id = id;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(p->as_of, sizeof(p->as_of), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(p->status, sizeof(p->status), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		p->tool_version = col_dup(st, 2);
		p->filters = col_dup(st, 3);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return store_error(s, d, "cannot read the prior run");
	if (read_state(s, p, d) || read_extras(s, p, d))
		return -1;
	return 0;
}

int since_candidates(struct store *s, int64_t **ids, size_t *n, struct diag *d)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	rc = store_table_exists(s, "run_state", d);
	if (rc <= 0)
		return rc;
	st = store_prepare(s, "SELECT r.run_id FROM runs r JOIN run_state t USING (run_id)"
			      " WHERE r.status = 'complete' ORDER BY r.run_id DESC", d);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*ids, *n + 1, alloc);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the runs");
	return 0;
}

int since_marks_read(struct store *s, struct since_marks *m, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT (SELECT coalesce(max(rowid), 0) FROM main.items),"
					    " (SELECT coalesce(max(rowid), 0) FROM main.files)", d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->items_max_rowid = sqlite3_column_int64(st, 0);
		m->files_max_rowid = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, d, "cannot read the store's extent");
}

int since_late_data(struct store *s, const struct since_prior *p, char **what, struct diag *d)
{
	/* Only rows added since the prior run read the store: rowid ranges. */
	sqlite3_stmt *f = store_prepare(
	    s,
	    "SELECT path, delivered_at FROM main.files WHERE rowid > ?1 AND status = 'loaded'"
	    "  AND kind NOT IN ('AwsVerdicts', 'Evidence') AND delivered_at <= ?2"
	    " ORDER BY rowid LIMIT 1",
	    d);
	sqlite3_stmt *it = NULL;
	int rc;

	*what = NULL;
	if (!f)
		return -1;
	sqlite3_bind_int64(f, 1, p->marks.files_max_rowid);
	sqlite3_bind_text(f, 2, p->as_of, -1, SQLITE_STATIC);
	rc = sqlite3_step(f);
	if (rc == SQLITE_ROW)
		*what = xstrfmt("file '%s' (delivered %s) was loaded after run %lld",
				(const char *)sqlite3_column_text(f, 0),
				(const char *)sqlite3_column_text(f, 1), (long long)p->run_id);
	sqlite3_finalize(f);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the files loaded since the prior run");
	if (*what)
		return 1;
	/* Files without a delivery time (CLI exports, bare arrays): their new
	 * versions' capture times. (A snapshot or history file delivered after
	 * the prior as-of may hold versions captured before it: the state
	 * comparison handles them.) */
	it = store_prepare(s,
			   "SELECT i.resource_type, i.resource_id, i.capture_time, f.path"
			   " FROM main.files f JOIN main.item_sources s ON s.file_key = f.file_key"
			   " JOIN main.items i ON i.item_key = s.item_key"
			   " WHERE f.rowid > ?3 AND f.status = 'loaded' AND f.delivered_at IS NULL"
			   "  AND f.kind NOT IN ('AwsVerdicts', 'Evidence')"
			   "  AND i.rowid > ?1 AND i.capture_time <= ?2 LIMIT 1",
			   d);
	if (!it)
		return -1;
	sqlite3_bind_int64(it, 3, p->marks.files_max_rowid);
	sqlite3_bind_int64(it, 1, p->marks.items_max_rowid);
	sqlite3_bind_text(it, 2, p->as_of, -1, SQLITE_STATIC);
	rc = sqlite3_step(it);
	if (rc == SQLITE_ROW)
		*what = xstrfmt("'%s', loaded after run %lld, holds a version of %s %s captured"
				" %s", (const char *)sqlite3_column_text(it, 3), (long long)p->run_id,
				(const char *)sqlite3_column_text(it, 0),
				(const char *)sqlite3_column_text(it, 1),
				(const char *)sqlite3_column_text(it, 2));
	sqlite3_finalize(it);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the items loaded since the prior run");
	return *what ? 1 : 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The sorted rowids v as delta varints in sb. */
static void encode_rids(const int64_t *v, size_t n, struct strbuf *sb)
{
	int64_t prev = 0;

	strbuf_grow(sb, n * 3 + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t delta = (uint64_t)(v[i] - prev);

		prev = v[i];
		do {
			unsigned char c = delta & 0x7f;

			delta >>= 7;
			strbuf_addch(sb, (char)(c | (delta ? 0x80 : 0)));
		} while (delta);
	}
}

static int state_rids(struct store *s, int64_t **out, size_t *n, struct diag *d);

int since_state_write(struct store *s, int64_t run_id, const struct since_record *r,
		      struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t *mine = NULL;
	const int64_t *v = r->state;
	size_t n = r->n_state;
	int rc = -1;

	if (store_exec(s, state_sql, d))
		goto out;
	if (!v) { /* a full run: its state's rowids */
		if (state_rids(s, &mine, &n, d))
			goto out;
		v = mine;
	}
	encode_rids(v, n, &sb);
	st = store_prepare(s, "INSERT INTO run_state(run_id, schema_version, items_max_rowid,"
			      " files_max_rowid, since_run, changed_resources, rules_rerun,"
			      " rules_copied, n_items, items)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", d);
	if (!st)
		goto out;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, STORE_SCHEMA_VERSION);
	sqlite3_bind_int64(st, 3, r->marks.items_max_rowid);
	sqlite3_bind_int64(st, 4, r->marks.files_max_rowid);
	if (r->since_run) {
		sqlite3_bind_int64(st, 5, r->since_run);
		sqlite3_bind_int64(st, 6, r->changed_resources);
		sqlite3_bind_int64(st, 7, r->rules_rerun);
		sqlite3_bind_int64(st, 8, r->rules_copied);
	}
	sqlite3_bind_int64(st, 9, (sqlite3_int64)n);
	sqlite3_bind_blob(st, 10, sb.len ? sb.buf : "", (int)sb.len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		store_error(s, d, "cannot record the run's state");
	else
		rc = 0;
out:
	sqlite3_finalize(st);
	strbuf_release(&sb);
	free(mine);
	return rc;
}

int since_run_of(struct store *s, int64_t run_id, int64_t *since_run, struct diag *d)
{
	int rc = store_table_exists(s, "run_state", d);

	*since_run = 0;
	if (rc <= 0)
		return rc;
	return one_int(s, "SELECT since_run FROM run_state WHERE run_id = ?1", run_id, since_run,
		       d);
}

/* Insert into temp table `table` the rows of sql (one bound rowid) for
 * each of the n rids. */
static int insert_each(struct store *s, const char *sql, const int64_t *rids, size_t n,
		       struct diag *d)
{
	sqlite3_stmt *ins = store_prepare(s, sql, d);
	int ret = 0;

	if (!ins)
		return -1;
	for (size_t i = 0; i < n && !ret; i++) {
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, rids[i]);
		if (sqlite3_step(ins) != SQLITE_DONE)
			ret = store_error(s, d, "cannot record the changed resources");
	}
	sqlite3_finalize(ins);
	return ret;
}

/* Sort v (rowids): through a bitmap when they are positive, distinct
 * and dense (the items of a state: the bitmap no larger than v), which
 * is several times cheaper than comparing; else qsort. */
static void sort_rids(int64_t *v, size_t n)
{
	int64_t max = 0, min = 1;
	uint64_t *bits;
	size_t words, k = 0;

	for (size_t i = 0; i < n; i++) {
		max = v[i] > max ? v[i] : max;
		min = v[i] < min ? v[i] : min;
	}
	if (n < 2)
		return;
	if (min < 1 || (uint64_t)max / 64 > (uint64_t)n) {
		qsort(v, n, sizeof(*v), cmp_i64);
		return;
	}
	words = (size_t)max / 64 + 1;
	bits = xcalloc(words, sizeof(*bits));
	for (size_t i = 0; i < n; i++) {
		uint64_t bit = (uint64_t)1 << (v[i] % 64);

		if (bits[v[i] / 64] & bit) { /* a duplicate: keep it */
			free(bits);
			qsort(v, n, sizeof(*v), cmp_i64);
			return;
		}
		bits[v[i] / 64] |= bit;
	}
	for (size_t w = 0; w < words; w++)
		for (uint64_t b = bits[w]; b; b &= b - 1)
			v[k++] = (int64_t)(w * 64 + (size_t)__builtin_ctzll(b));
	free(bits);
}

/* The rowids of a state built from the one of rids (sorted) as mv says:
 * rids less mv's gone plus its added, sorted; 0, or 1 when they are not
 * mv's count and digest (or not strictly increasing): read the state. */
static int moved_rids(const int64_t *rids, size_t n_rids, const struct pit_moves *mv,
		      int64_t **out, size_t *n)
{
	int64_t *gone = xcalloc(mv->n_gone + 1, sizeof(*gone));
	int64_t *added = xcalloc(mv->n_added + 1, sizeof(*added));
	int64_t *v = xcalloc(n_rids + mv->n_added + 1, sizeof(*v));
	size_t i = 0, g = 0, a = 0, k = 0;
	uint64_t hash = 0;
	int ok = 1;

	if (mv->n_gone)
		memcpy(gone, mv->gone, mv->n_gone * sizeof(*gone));
	if (mv->n_added)
		memcpy(added, mv->added, mv->n_added * sizeof(*added));
	qsort(gone, mv->n_gone, sizeof(*gone), cmp_i64);
	qsort(added, mv->n_added, sizeof(*added), cmp_i64);
	while (i < n_rids || a < mv->n_added) {
		int64_t x;

		if (a == mv->n_added || (i < n_rids && rids[i] < added[a])) {
			x = rids[i++];
			while (g < mv->n_gone && gone[g] < x)
				g++;
			if (g < mv->n_gone && gone[g] == x) {
				g++;
				continue;
			}
		} else {
			x = added[a++];
		}
		ok &= !k || v[k - 1] < x;
		hash += pit_delta_mix(x);
		v[k++] = x;
	}
	free(gone);
	free(added);
	if (!ok || (int64_t)k != mv->n || hash != mv->hash) {
		free(v);
		return 1;
	}
	*out = v;
	*n = k;
	return 0;
}

/* The rowids of pit_items, sorted (caller frees *out). */
static int state_rids(struct store *s, int64_t **out, size_t *n, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT rid FROM pit_items", d);
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return store_error(s, d, "cannot read the point-in-time state");
	}
	sort_rids(*out, *n);
	return 0;
}

int since_mark_changed(struct store *s, const int64_t *rids, size_t n_rids,
		       const struct pit_moves *mv, long *n_changed, int64_t **state,
		       size_t *n_state, struct diag *d)
{
	int64_t *cur = NULL, *fresh = NULL, *stale = NULL;
	size_t n_cur = 0, n_fresh = 0, n_stale = 0, i = 0, j = 0;
	int ret = -1;

	*n_changed = 0;
	if (store_exec(s,
		       "DROP TABLE IF EXISTS temp.since_items;"
		       "DROP TABLE IF EXISTS temp.since_changed;"
		       "DROP TABLE IF EXISTS temp.since_stale;"
		       "DROP TABLE IF EXISTS temp.since_places;"
		       "CREATE TEMP TABLE since_changed(resource_type TEXT NOT NULL,"
		       " resource_id TEXT NOT NULL, account_id TEXT NOT NULL, region TEXT NOT NULL,"
		       " PRIMARY KEY (resource_type, resource_id, account_id, region)) WITHOUT ROWID;"
		       "CREATE TEMP TABLE since_stale(rid INTEGER PRIMARY KEY);"
		       "CREATE TEMP TABLE since_places(resource_type TEXT NOT NULL,"
		       " account_id TEXT NOT NULL, region TEXT NOT NULL,"
		       " PRIMARY KEY (resource_type, account_id, region)) WITHOUT ROWID;",
		       d) ||
	    ((!mv || moved_rids(rids, n_rids, mv, &cur, &n_cur)) &&
	     state_rids(s, &cur, &n_cur, d)))
		return -1;
	/* Both sorted: one merge finds the versions current now and not
	 * then (new or changed resources) and those current then and not
	 * now (versions superseded, resources deleted or gone). */
	fresh = xcalloc(n_cur + 1, sizeof(*fresh));
	stale = xcalloc(n_rids + 1, sizeof(*stale));
	while (i < n_cur || j < n_rids) {
		if (j == n_rids || (i < n_cur && cur[i] < rids[j]))
			fresh[n_fresh++] = cur[i++];
		else if (i == n_cur || rids[j] < cur[i])
			stale[n_stale++] = rids[j++];
		else
			i++, j++;
	}
	/* A resource's key columns are its version's (pit_items has them
	 * from items): read by rowid for the few that changed. */
	if (insert_each(s, "INSERT INTO temp.since_changed SELECT resource_type, resource_id,"
			   " account_id, region FROM main.items WHERE rowid = ?1",
			fresh, n_fresh, d) ||
	    insert_each(s, "INSERT INTO temp.since_stale VALUES (?1)", stale, n_stale, d) ||
	    store_exec(s,
		       "INSERT OR IGNORE INTO temp.since_places"
		       " SELECT resource_type, account_id, region FROM temp.since_changed"
		       " UNION SELECT resource_type, account_id, region FROM main.items"
		       "  WHERE rowid IN (SELECT rid FROM temp.since_stale)",
		       d))
		goto out;
	*n_changed = (long)n_fresh;
	if (state) {
		*state = cur;
		*n_state = n_cur;
		cur = NULL;
	}
	ret = 0;
out:
	free(cur);
	free(fresh);
	free(stale);
	return ret;
}

int since_items_build(struct store *s, struct diag *d)
{
	return store_exec(s,
			  "DROP TABLE IF EXISTS temp.since_items;"
			  /* the row-value IN drives lookups of pit_items' key */
			  "CREATE TEMP TABLE since_items AS SELECT * FROM current_items"
			  " WHERE (resource_type, resource_id, account_id, region) IN"
			  " (SELECT resource_type, resource_id, account_id, region"
			  "  FROM temp.since_changed);",
			  d);
}

/* ",1,2,3" for a SQL IN list of rule numbers (integers: no binding). */
static char *rule_list(const int *rule_nos, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%d", i ? "," : "", rule_nos[i]);
	return strbuf_detach(&sb, NULL);
}

char *since_type_list(const char *types)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addch(&sb, '\'');
	for (const char *p = types; *p; p++) {
		if (*p == ',')
			strbuf_addstr(&sb, "','");
		else if (*p != '\'')
			strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb, NULL);
}

/* The account-Regions where a resource of types (an SQL list) is new,
 * changed or gone. */
#define SINCE_PLACES_OF(types)                                                                 \
	"(SELECT account_id, region FROM temp.since_places WHERE resource_type IN (" types "))"

static char *rule_list(const int *rule_nos, size_t n);

long since_count_outside(struct store *s, int64_t new_id, const int *rule_nos, size_t n,
			 const char *types, struct diag *d)
{
	char *list, *sql, *nos;
	int64_t v = 0;

	if (!n)
		return 0;
	list = types ? since_type_list(types) : NULL;
	nos = rule_list(rule_nos, n); /* one statement for all: a prepare each cost more */
	if (types)
		sql = xstrfmt("SELECT count(*) FROM main.run_results r WHERE r.run_id = ?1"
			      " AND r.rule_no IN (%s) AND (r.account_id, r.aws_region) NOT IN "
			      SINCE_PLACES_OF("%s"), nos, list);
	else
		sql = xstrfmt("SELECT count(*) FROM main.run_results r"
			      " JOIN main.run_resources s ON s.resource_no = r.resource_no"
			      " WHERE r.run_id = ?1"
			      " AND r.rule_no IN (%s) AND NOT EXISTS (SELECT 1 FROM temp.since_changed c"
			      "  WHERE c.resource_type = s.resource_type"
			      "  AND c.resource_id = s.resource_id"
			      "  AND c.account_id = r.account_id AND c.region = r.aws_region)",
			      nos);
	free(list);
	free(nos);
	if (one_int(s, sql, new_id, &v, d))
		v = -1;
	free(sql);
	return (long)v;
}

/* Count one result row (verdict: an index of COMPLIANT, NON_COMPLIANT,
 * NOT_APPLICABLE, INSUFFICIENT_DATA) in counts and, NON_COMPLIANT, its
 * triple in nc. */
static void tally_row(long counts[4], struct keymap *nc, int verdict, int rule_no,
		      const char *account, const char *region)
{
	char key[256];
	int n;

	if (verdict < 0 || verdict > 3)
		return;
	counts[verdict]++;
	if (verdict != 1)
		return;
	/* rule_no NUL account NUL region (ids and Region names are short;
	 * a longer pair is cut, and still apart from every other one) */
	n = snprintf(key, sizeof(key), "%d%c%.100s%c%.100s", rule_no, 0, account ? account : "",
		     0, region ? region : "");
	keymap_insert(nc, key, (size_t)n < sizeof(key) ? (size_t)n : sizeof(key) - 1, NULL);
}

/* since_tally(verdict, rule_no, account_id, aws_region): counts the row
 * in the tally, gives the verdict back. */
static void tally_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct since_tally *t = sqlite3_user_data(ctx);

	(void)argc;
	tally_row(t->counts, &t->nc, sqlite3_value_int(argv[0]), sqlite3_value_int(argv[1]),
		  (const char *)sqlite3_value_text(argv[2]),
		  (const char *)sqlite3_value_text(argv[3]));
	sqlite3_result_value(ctx, argv[0]);
}

void since_tally_release(struct since_tally *t)
{
	keymap_release(&t->nc);
	memset(t, 0, sizeof(*t));
}

/* Copy run old_id's results that `where` (over run_results r) keeps into
 * run new_id, in one statement, counting them in t. The copies name the
 * same run_resources and run_annotations rows. */
static int copy_where(struct store *s, int64_t old_id, int64_t new_id, const char *where,
		      struct since_tally *t, struct diag *d)
{
	/* the old run's results as it shows them (its own rows and, stored
	 * by reference, those of its chain) */
	char *sql = xstrfmt("INSERT INTO main.run_results(run_id, rule_no, account_id, aws_region,"
			    " resource_no, verdict, annotation_no)"
			    " SELECT ?2, r.rule_no, r.account_id, r.aws_region, r.resource_no,"
			    "  since_tally(r.verdict, r.rule_no, r.account_id, r.aws_region),"
			    "  r.annotation_no"
			    " FROM main.run_results_all r WHERE r.run_id = ?1 AND %s",
			    where);
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_create_function(s->db, "since_tally", 4, SQLITE_UTF8 | SQLITE_DIRECTONLY, t,
				    tally_fn, NULL, NULL) != SQLITE_OK) {
		free(sql);
		return store_error(s, d, "cannot copy the prior run's results");
	}
	st = store_prepare(s, sql, d);
	free(sql);
	rc = st ? SQLITE_OK : SQLITE_ERROR;
	if (st) {
		sqlite3_bind_int64(st, 1, old_id);
		sqlite3_bind_int64(st, 2, new_id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	sqlite3_create_function(s->db, "since_tally", 4, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	if (!st)
		return -1;
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot copy the prior run's results");
	return 0;
}

int since_copy_places(struct store *s, int64_t old_id, int64_t new_id, int rule_no,
		      const char *types, struct since_tally *t, struct diag *d)
{
	char *list = since_type_list(types);
	/* Its other account-Regions did not change: their results stand. */
	char *where = xstrfmt("r.rule_no = %d AND (r.account_id, r.aws_region) NOT IN "
			      SINCE_PLACES_OF("%s"), rule_no, list);
	int rc = copy_where(s, old_id, new_id, where, t, d);

	free(list);
	free(where);
	return rc;
}

int since_copy_results(struct store *s, int64_t old_id, int64_t new_id, const int *rule_nos,
		       size_t n, struct since_tally *t, struct diag *d)
{
	char *list, *where;
	int rc;

	if (!n)
		return 0;
	list = rule_list(rule_nos, n);
	/* The same item version still current: its rid is not among the
	 * prior state's versions no longer current (item_key is unique). A
	 * changed resource was re-evaluated; a new one has no prior result. */
	where = xstrfmt("r.rule_no IN (%s) AND (SELECT item_key FROM main.run_resources"
			" WHERE resource_no = r.resource_no) NOT IN (SELECT item_key FROM main.items"
			" WHERE rowid IN (SELECT rid FROM temp.since_stale))", list);
	rc = copy_where(s, old_id, new_id, where, t, d);
	free(list);
	free(where);
	return rc;
}

/* The masks of a run stored by reference, for count_all: what the
 * view run_results_ref decides in SQL, decided here per row from hash
 * maps (several times cheaper than the view's correlated lookups). */
struct ref_masks {
	int64_t *chain;  /* ancestor by depth (0: the run) */
	size_t n_chain;
	int *kind, *reach; /* by rule_no (0: the rule was run in full) */
	size_t n_rules;
	struct keymap stale;  /* item key -> the least depth that hid it */
	struct keymap stale_hashes; /* keymap_hash of those keys (8 bytes) */
	uint64_t *hash_bits;  /* 65536 bits: bit h % 65536 of each such hash (a
				 digest's resources are checked by that first) */
	struct keymap places; /* rule_no NUL account NUL region -> least depth */
};

static void ref_masks_release(struct ref_masks *m)
{
	free(m->chain);
	free(m->kind);
	free(m->reach);
	keymap_release(&m->stale);
	keymap_release(&m->stale_hashes);
	free(m->hash_bits);
	keymap_release(&m->places);
}

static size_t place_key(char *key, size_t size, int rule_no, const char *account,
			const char *region)
{
	int n = snprintf(key, size, "%d%c%.100s%c%.100s", rule_no, 0, account ? account : "", 0,
			 region ? region : "");

	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Keep the least depth for key in map. */
static void least_depth(struct keymap *map, const void *key, size_t len, int64_t depth)
{
	int added = 0;
	int64_t *v = keymap_insert(map, key, len, &added);

	if (added || depth < *v)
		*v = depth;
}

static int ref_masks_read(struct store *s, int64_t run_id, struct ref_masks *m, struct diag *d)
{
	static const char *const sql[] = {
		"SELECT depth, ancestor FROM main.run_chain WHERE run_id = ?1 ORDER BY depth",
		"SELECT rule_no, kind, reach FROM main.run_reach WHERE run_id = ?1",
		"SELECT c.depth, t.item_key FROM main.run_chain c"
		" JOIN main.run_stale t ON t.run_id = c.ancestor WHERE c.run_id = ?1",
		"SELECT c.depth, p.rule_no, p.account_id, p.aws_region FROM main.run_chain c"
		" JOIN main.run_places p ON p.run_id = c.ancestor WHERE c.run_id = ?1",
	};
	size_t alloc = 0;
	int rc = SQLITE_DONE;

	memset(m, 0, sizeof(*m));
	for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]) && rc == SQLITE_DONE; q++) {
		sqlite3_stmt *st = store_prepare(s, sql[q], d);

		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, run_id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t depth = sqlite3_column_int64(st, 0);
			char key[256];

			if (q == 0) {
				ALLOC_GROW(m->chain, m->n_chain + 1, alloc);
				m->chain[m->n_chain++] = sqlite3_column_int64(st, 1);
			} else if (q == 1) {
				int no = (int)depth;

				if (no < 0 || no > 1000000)
					continue;
				if ((size_t)no >= m->n_rules) {
					size_t n = (size_t)no + 1;

					m->kind = xrealloc(m->kind, n * sizeof(*m->kind));
					m->reach = xrealloc(m->reach, n * sizeof(*m->reach));
					for (size_t i = m->n_rules; i < n; i++)
						m->kind[i] = m->reach[i] = 0;
					m->n_rules = n;
				}
				m->kind[no] = sqlite3_column_int(st, 1);
				m->reach[no] = sqlite3_column_int(st, 2);
			} else if (q == 2) {
				uint64_t h = keymap_hash(sqlite3_column_blob(st, 1),
							 (size_t)sqlite3_column_bytes(st, 1));

				least_depth(&m->stale, sqlite3_column_blob(st, 1),
					    (size_t)sqlite3_column_bytes(st, 1), depth);
				keymap_insert(&m->stale_hashes, &h, sizeof(h), NULL);
				if (!m->hash_bits)
					m->hash_bits = xcalloc(1024, sizeof(*m->hash_bits));
				m->hash_bits[(h >> 6) & 1023] |= (uint64_t)1 << (h & 63);
			} else {
				least_depth(&m->places, key,
					    place_key(key, sizeof(key), sqlite3_column_int(st, 1),
						      (const char *)sqlite3_column_text(st, 2),
						      (const char *)sqlite3_column_text(st, 3)),
					    depth);
			}
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the run's base");
	return 0;
}

/* count_all's tally: the verdict counts, and per (rule, place) its
 * NON_COMPLIANT rows (a place is an account-Region numbered on first
 * sight), so that rows can be taken back. */
struct ca_tally {
	long counts[4];
	struct keymap places;  /* account NUL region -> place number */
	struct keymap triples; /* rule_no, place (two int32) -> index in nc */
	long *nc;              /* NON_COMPLIANT rows of the triple */
	size_t n_nc, alloc_nc;
	struct keymap hidden_at; /* rule_no, place -> 1 + the least depth of a run
				    that re-evaluated the rule there, or 0 */
	char last_account[101], last_region[101];
	int32_t last_place;
};

static int32_t ca_place(struct ca_tally *t, const char *account, const char *region)
{
	char key[204];
	size_t a, r;
	int added;
	int64_t *v;

	account = account ? account : "";
	region = region ? region : "";
	a = strnlen(account, 100);
	r = strnlen(region, 100);
	if (t->last_place >= 0 && !strncmp(t->last_account, account, 100) &&
	    !strncmp(t->last_region, region, 100))
		return t->last_place;
	memcpy(key, account, a);
	key[a] = 0;
	memcpy(key + a + 1, region, r);
	v = keymap_insert(&t->places, key, a + 1 + r, &added);
	if (added)
		*v = (int64_t)t->places.count - 1;
	memcpy(t->last_account, account, a);
	t->last_account[a] = 0;
	memcpy(t->last_region, region, r);
	t->last_region[r] = 0;
	t->last_place = (int32_t)*v;
	return t->last_place;
}

static void ca_count(struct ca_tally *t, int verdict, int32_t rule_no, int32_t place, int sign)
{
	int32_t key[2] = { rule_no, place };
	int added;
	int64_t *v;

	t->counts[verdict] += sign;
	if (verdict != 1)
		return;
	v = keymap_insert(&t->triples, key, sizeof(key), &added);
	if (added) {
		ALLOC_GROW(t->nc, t->n_nc + 1, t->alloc_nc);
		t->nc[t->n_nc] = 0;
		*v = (int64_t)t->n_nc++;
	}
	t->nc[*v] += sign;
}

/* Is the rule's row at this place hidden at depth c (a run nearer than
 * c re-evaluated the rule there: run_places, as the view decides)? */
static int ca_place_hidden(struct ca_tally *t, const struct ref_masks *m, size_t c,
			   int32_t rule_no, int32_t place, const char *account,
			   const char *region)
{
	int32_t key[2] = { rule_no, place };
	int added;
	int64_t *v = keymap_insert(&t->hidden_at, key, sizeof(key), &added);

	if (added) {
		char pk[256];
		const int64_t *hid = keymap_find(&m->places, pk,
						 place_key(pk, sizeof(pk), rule_no, account, region));

		*v = hid ? *hid + 1 : 0;
	}
	return *v && (size_t)(*v - 1) < c;
}

/* A row of a base whose rule was re-evaluated on the changed items: it
 * is hidden when its item key is stale at a depth nearer than its own. */
struct ca_pending {
	int64_t resource_no;
	int32_t rule_no, place;
	int32_t verdict, depth;
};

/* The resources whose item key a run of the chain holds stale, by
 * number (-> the least depth of such a run), with a filter of one bit per
 * number modulo 65536: most of the rows kept aside are of no such
 * resource, and the bit says so without a lookup. */
struct stale_nos {
	struct keymap map;
	uint64_t bits[1024];
};

static void stale_nos_add(struct stale_nos *sn, int64_t no, int64_t depth)
{
	*keymap_insert(&sn->map, &no, sizeof(no), NULL) = depth;
	sn->bits[((uint64_t)no >> 6) & 1023] |= (uint64_t)1 << ((uint64_t)no & 63);
}

static const int64_t *stale_nos_find(const struct stale_nos *sn, int64_t no)
{
	if (!((sn->bits[((uint64_t)no >> 6) & 1023] >> ((uint64_t)no & 63)) & 1))
		return NULL;
	return keymap_find(&sn->map, &no, sizeof(no));
}

/* Take back the pending rows whose item key a nearer run holds stale:
 * their item keys read from run_resources, by one range scan of the
 * resource numbers they name when it is not much wider than they are,
 * else one lookup each. */
static int ca_take_back(struct store *s, const struct ref_masks *m, struct ca_tally *t,
			const struct ca_pending *p, size_t n, const struct ca_pending *q,
			size_t n_q, struct stale_nos *stale_no, struct diag *d)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, range;

	if ((!n && !n_q) || !m->stale.count)
		return 0;
	for (size_t i = 0; i < n; i++) {
		lo = p[i].resource_no < lo ? p[i].resource_no : lo;
		hi = p[i].resource_no > hi ? p[i].resource_no : hi;
	}
	if (!n)
		goto subtract;
	range = (uint64_t)(hi - lo) <= 4 * (uint64_t)n + 10000;
	st = store_prepare(s, range ? "SELECT resource_no, item_key FROM main.run_resources"
				      " WHERE resource_no BETWEEN ?1 AND ?2"
				    : "SELECT resource_no, item_key FROM main.run_resources"
				      " WHERE resource_no = ?1 AND ?2 = ?2",
			   d);
	if (!st)
		return -1;
	for (size_t i = 0; i < (range ? 1 : n) && rc == SQLITE_DONE; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, range ? lo : p[i].resource_no);
		sqlite3_bind_int64(st, 2, hi);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const void *key = sqlite3_column_blob(st, 1);
			const int64_t *hid;
			int64_t no = sqlite3_column_int64(st, 0);

			if (!key)
				continue;
			hid = keymap_find(&m->stale, key, (size_t)sqlite3_column_bytes(st, 1));
			if (hid)
				stale_nos_add(stale_no, no, *hid);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot count the run's results");
subtract:
	for (size_t i = 0; i < n && stale_no->map.count; i++) {
		const int64_t *hid = stale_nos_find(stale_no, p[i].resource_no);

		if (hid && *hid < p[i].depth)
			ca_count(t, p[i].verdict, p[i].rule_no, p[i].place, -1);
	}
	for (size_t i = 0; i < n_q && stale_no->map.count; i++) {
		const int64_t *hid = stale_nos_find(stale_no, q[i].resource_no);

		if (hid && *hid < q[i].depth)
			ca_count(t, q[i].verdict, q[i].rule_no, q[i].place, -1);
	}
	return 0;
}

/* A run's digest (run_digest, store/run.h), read and checked. */
struct ca_digest {
	sqlite3_stmt *get, *outside, *key;
	void *copy; /* the blob, aligned */
	const struct run_digest_head *h;
	const char *places;
	const struct run_digest_row *rows;
	const struct run_digest_res *res;
};

/* The statements of g: 0, or -1 with d. A store where no run wrote a
 * digest yet has no run_digest: then g finds none. */
static int ca_digest_prepare(struct store *s, struct ca_digest *g, struct diag *d)
{
	g->get = store_prepare(s, "SELECT rowid_lo, rowid_hi, digest FROM main.run_digest"
				  " WHERE run_id = ?1", d);
	if (!g->get) {
		diag_clear(d);
		return 0;
	}
	g->outside = store_prepare(
	    s, "SELECT EXISTS (SELECT 1 FROM main.run_rules u WHERE u.run_id = ?1"
	       " AND (EXISTS (SELECT 1 FROM main.run_results r WHERE r.run_id = ?1"
	       "   AND r.rule_no = u.rule_no AND r.rowid < ?2)"
	       "  OR EXISTS (SELECT 1 FROM main.run_results r WHERE r.run_id = ?1"
	       "   AND r.rule_no = u.rule_no AND r.rowid > ?3)))",
	    d);
	g->key = g->outside ? store_prepare(s, "SELECT item_key FROM main.run_resources"
					       " WHERE resource_no = ?1", d)
			    : NULL;
	return g->key ? 0 : -1;
}

static void ca_digest_release(struct ca_digest *g)
{
	sqlite3_finalize(g->get);
	sqlite3_finalize(g->outside);
	sqlite3_finalize(g->key);
	free(g->copy);
	memset(g, 0, sizeof(*g));
}

/* Its digest of run id, when it holds every row of the run: 1 (g->h ...
 * valid until the next call or ca_digest_release), 0 (read the rows), -1. */
/* Is h the head of a well-formed digest of len bytes (its rows 8-byte
 * aligned in a blob that is: places_len padded)? */
static int ca_head_ok(const struct run_digest_head *h, size_t len)
{
	if (len < sizeof(*h) || h->magic != RUN_DIGEST_MAGIC || h->n_rows > len ||
	    h->n_res > len || h->places_len > len || h->places_len % sizeof(int64_t))
		return 0;
	return sizeof(*h) + h->places_len + h->n_rows * sizeof(struct run_digest_row) +
		       h->n_res * sizeof(struct run_digest_res) == len;
}

/* Step g->get (its columns 0 and 1 the digest's rowid range) to the
 * digest of run id: does it hold every row of the run, none outside its
 * range (rows added since)? 1, 0 (or no digest), or -1 with d. */
static int ca_digest_whole(struct store *s, struct ca_digest *g, int64_t id, struct diag *d)
{
	int rc;

	sqlite3_reset(g->get);
	sqlite3_bind_int64(g->get, 1, id);
	rc = sqlite3_step(g->get);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_error(s, d, "cannot count the run's results");
	sqlite3_reset(g->outside);
	sqlite3_bind_int64(g->outside, 1, id);
	sqlite3_bind_int64(g->outside, 2, sqlite3_column_int64(g->get, 0));
	sqlite3_bind_int64(g->outside, 3, sqlite3_column_int64(g->get, 1));
	if (sqlite3_step(g->outside) != SQLITE_ROW)
		return store_error(s, d, "cannot count the run's results");
	return !sqlite3_column_int(g->outside, 0);
}

static int ca_digest_of(struct store *s, struct ca_digest *g, int64_t id, struct diag *d)
{
	const char *blob;
	size_t len;
	int rc;

	if (!g->get)
		return 0;
	rc = ca_digest_whole(s, g, id, d);
	if (rc <= 0)
		return rc;
	blob = sqlite3_column_blob(g->get, 2);
	len = (size_t)sqlite3_column_bytes(g->get, 2);
	if (!blob || len < sizeof(*g->h))
		return 0;
	/* SQLite's own buffer when it is aligned (a blob on overflow pages
	 * is assembled in memory it allocated, valid until g->get is reset:
	 * the next call): a copy of the 2.9 MB of a 60k run cost as many
	 * page faults again. */
	free(g->copy);
	g->copy = NULL;
	if ((uintptr_t)blob % sizeof(uint64_t))
		blob = g->copy = memcpy(xmalloc(len), blob, len);
	g->h = (const struct run_digest_head *)(const void *)blob;
	if (!ca_head_ok(g->h, len) ||
	    (g->h->places_len && blob[sizeof(*g->h) + g->h->places_len - 1]))
		return 0;
	g->places = blob + sizeof(*g->h);
	g->rows = (const void *)(g->places + g->h->places_len);
	g->res = (const void *)(g->rows + g->h->n_rows);
	return 1;
}

/* The rows a digest of run id counts, when it holds every row of the run,
 * from its head alone (incremental blob I/O: the 2.9 MB of a 60k run are
 * not read): 1 with *n_rows, 0 (count the rows), -1. */
static int ca_digest_rows(struct store *s, struct ca_digest *g, int64_t id, int64_t *n_rows,
			  struct diag *d)
{
	struct run_digest_head h;
	sqlite3_blob *b = NULL;
	char last = 0;
	int rc, len;

	if (!g->get)
		return 0;
	sqlite3_finalize(g->get); /* its rowid range only, not the digest */
	g->get = store_prepare(s, "SELECT rowid_lo, rowid_hi FROM main.run_digest"
				  " WHERE run_id = ?1", d);
	if (!g->get)
		return -1;
	rc = ca_digest_whole(s, g, id, d);
	if (rc <= 0)
		return rc;
	if (sqlite3_blob_open(s->db, "main", "run_digest", "digest", id, 0, &b) != SQLITE_OK) {
		sqlite3_blob_close(b);
		return 0; /* counted instead */
	}
	len = sqlite3_blob_bytes(b);
	rc = len >= (int)sizeof(h) && sqlite3_blob_read(b, &h, sizeof(h), 0) == SQLITE_OK &&
	     ca_head_ok(&h, (size_t)len) &&
	     (!h.places_len || (sqlite3_blob_read(b, &last, 1, (int)(sizeof(h) + h.places_len - 1))
				    == SQLITE_OK && !last));
	sqlite3_blob_close(b);
	if (rc)
		*n_rows = (int64_t)h.n_rows;
	return rc;
}

/* Count the rows of the run at depth c from its digest g, keeping the
 * rows of rules re-evaluated on the changed items aside (pend), and the
 * run's resources whose item key is stale in stale_no. 0 or -1. */
static int ca_count_digest(struct store *s, const struct ref_masks *m, struct ca_tally *t,
			   struct ca_digest *g, size_t c, struct ca_pending **pend,
			   size_t *n_pend, size_t *alloc_pend, struct stale_nos *stale_no,
			   struct diag *d)
{
	int32_t *local = xcalloc(g->h->n_places + 1, sizeof(*local));
	const char *p = g->places, *end = g->places + g->h->places_len;
	uint32_t np = 0;

	for (; p < end && np < g->h->n_places; np++) {
		const char *acc = p, *reg = acc + strlen(acc) + 1;

		if (reg >= end)
			break;
		local[np] = ca_place(t, acc, reg);
		p = reg + strlen(reg) + 1;
	}
	if (np != g->h->n_places) {
		free(local);
		return 1;
	}
	if (c && m->stale.count) /* room for every row kept aside, at once */
		ALLOC_GROW(*pend, *n_pend + g->h->n_rows, *alloc_pend);
	for (uint64_t i = 0; i < g->h->n_rows; i++) {
		const struct run_digest_row *r = &g->rows[i];
		int rule_no = r->rule_no;
		int32_t place;

		if (r->verdict < 0 || r->verdict > 3 || r->place < 0 ||
		    (uint32_t)r->place >= g->h->n_places)
			continue;
		if (c && (rule_no < 0 || (size_t)rule_no >= m->n_rules ||
			  m->kind[rule_no] == 0 || (size_t)m->reach[rule_no] < c))
			continue;
		place = local[r->place];
		if (c && m->kind[rule_no] == 2) {
			const char *acc = g->places, *reg;

			/* the place's texts, only for a rule's first row there */
			int32_t key[2] = { rule_no, place };

			if (!keymap_find(&t->hidden_at, key, sizeof(key))) {
				for (int32_t k = 0; k < r->place; k++)
					acc += strlen(acc) + 1, acc += strlen(acc) + 1;
				reg = acc + strlen(acc) + 1;
				(void)ca_place_hidden(t, m, c, rule_no, place, acc, reg);
			}
			if (ca_place_hidden(t, m, c, rule_no, place, NULL, NULL))
				continue;
		}
		ca_count(t, r->verdict, rule_no, place, 1);
		if (c && m->kind[rule_no] != 2 && m->stale.count) {
			if (*n_pend == *alloc_pend) /* xgrow is a call per row */
				ALLOC_GROW(*pend, *n_pend + 1, *alloc_pend);
			(*pend)[(*n_pend)++] = (struct ca_pending){ r->resource_no, rule_no, place,
								    r->verdict, (int32_t)c };
		}
	}
	free(local);
	/* its resources whose item key may be stale: checked by key */
	for (uint64_t i = 0; m->stale.count && i < g->h->n_res; i++) {
		uint64_t h = g->res[i].key_hash;
		const int64_t *hid;
		int rc;

		if (!h || !m->hash_bits || !((m->hash_bits[(h >> 6) & 1023] >> (h & 63)) & 1) ||
		    !keymap_find(&m->stale_hashes, &h, sizeof(h)))
			continue;
		sqlite3_reset(g->key);
		sqlite3_bind_int64(g->key, 1, g->res[i].resource_no);
		rc = sqlite3_step(g->key);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_error(s, d, "cannot count the run's results");
		if (rc == SQLITE_ROW && sqlite3_column_blob(g->key, 0) &&
		    (hid = keymap_find(&m->stale, sqlite3_column_blob(g->key, 0),
				       (size_t)sqlite3_column_bytes(g->key, 0))))
			stale_nos_add(stale_no, g->res[i].resource_no, *hid);
	}
	return 0;
}

/* since_count_results of a run stored by reference: its own rows and
 * those it shows of its chain's runs, as run_results_all gives them (st,
 * the statement on its own rows only, is finalized). A run with a
 * digest (run_digest) is counted from it; the others' rows are read
 * once, without their item keys. The rows of rules re-evaluated on the
 * changed items are counted and kept aside, and those whose item key
 * turns out stale are taken back at the end (ca_take_back). */
static int count_all(struct store *s, sqlite3_stmt *st, int64_t run_id, long counts[4],
		     long *nc_triples, struct diag *d)
{
	struct ca_tally t;
	struct ref_masks m;
	struct ca_digest g = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct ca_pending *pend = NULL, *dpend = NULL;
	size_t n_pend = 0, alloc_pend = 0, n_dpend = 0, alloc_dpend = 0;
	struct stale_nos stale_no; /* their resources whose item key is stale */
	int64_t *cover = NULL; /* lo, hi: resource numbers a digest lists, each */
	size_t n_cover = 0, alloc_cover = 0;
	sqlite3_stmt *range;
	int rc = SQLITE_DONE;

	sqlite3_finalize(st);
	memset(&t, 0, sizeof(t));
	memset(&stale_no, 0, sizeof(stale_no));
	t.last_place = -1;
	if (ref_masks_read(s, run_id, &m, d)) {
		ref_masks_release(&m);
		return -1;
	}
	if (ca_digest_prepare(s, &g, d) < 0)
		rc = SQLITE_ERROR;
	/* A run's rows by their rowids (a range scan of the table costs a
	 * fifth less than reading them through run_results_by_run): the
	 * range from the first and last row of each of its rules (one
	 * probe each); rows of other runs in it are skipped. */
	st = store_prepare(s, "SELECT verdict, rule_no, account_id, aws_region, resource_no"
			      " FROM main.run_results NOT INDEXED WHERE run_id = ?1"
			      " AND rowid BETWEEN ?2 AND ?3", d);
	range = store_prepare(s, "SELECT min((SELECT rowid FROM main.run_results r"
				 "  WHERE r.run_id = ?1 AND r.rule_no = u.rule_no"
				 "  ORDER BY rowid LIMIT 1)),"
				 " max((SELECT rowid FROM main.run_results r"
				 "  WHERE r.run_id = ?1 AND r.rule_no = u.rule_no"
				 "  ORDER BY rowid DESC LIMIT 1))"
				 " FROM main.run_rules u WHERE u.run_id = ?1", d);
	for (size_t c = 0; st && range && c < m.n_chain && rc == SQLITE_DONE; c++) {
		int64_t id = c ? m.chain[c] : run_id;
		int dg = ca_digest_of(s, &g, id, d);

		if (dg < 0) {
			rc = SQLITE_ERROR;
			break;
		}
		if (dg == 1) {
			int64_t lo = INT64_MAX, hi = INT64_MIN;

			for (uint64_t i = 0; i < g.h->n_res; i++) {
				lo = g.res[i].resource_no < lo ? g.res[i].resource_no : lo;
				hi = g.res[i].resource_no > hi ? g.res[i].resource_no : hi;
			}
			dg = ca_count_digest(s, &m, &t, &g, c, &dpend, &n_dpend, &alloc_dpend,
					     &stale_no, d);
			if (dg < 0) {
				rc = SQLITE_ERROR;
				break;
			}
			/* its resources, when they are one range (else its rows'
			 * item keys are read as any others') */
			if (!dg && g.h->n_res && (uint64_t)(hi - lo) + 1 == g.h->n_res) {
				ALLOC_GROW(cover, n_cover + 2, alloc_cover);
				cover[n_cover++] = lo;
				cover[n_cover++] = hi;
			}
			if (!dg)
				continue;
			/* a malformed digest before any row was counted: the rows */
		}
		sqlite3_reset(range);
		sqlite3_bind_int64(range, 1, id);
		if (sqlite3_step(range) != SQLITE_ROW) {
			rc = SQLITE_ERROR;
			break;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, sqlite3_column_int64(range, 0));
		sqlite3_bind_int64(st, 3, sqlite3_column_type(range, 1) == SQLITE_NULL
					       ? -1 : sqlite3_column_int64(range, 1));
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int verdict = sqlite3_column_int(st, 0);
			int rule_no = sqlite3_column_int(st, 1);
			const char *account, *region;
			int32_t place;

			if (verdict < 0 || verdict > 3)
				continue;
			if (c && (rule_no < 0 || (size_t)rule_no >= m.n_rules ||
				  m.kind[rule_no] == 0 || (size_t)m.reach[rule_no] < c))
				continue;
			account = (const char *)sqlite3_column_text(st, 2);
			region = (const char *)sqlite3_column_text(st, 3);
			place = ca_place(&t, account, region);
			if (c && m.kind[rule_no] == 2 &&
			    ca_place_hidden(&t, &m, c, rule_no, place, account, region))
				continue;
			ca_count(&t, verdict, rule_no, place, 1);
			if (c && m.kind[rule_no] != 2 && m.stale.count) {
				ALLOC_GROW(pend, n_pend + 1, alloc_pend);
				pend[n_pend++] = (struct ca_pending){
					sqlite3_column_int64(st, 4), rule_no, place, verdict,
					(int32_t)c };
			}
		}
	}
	/* rows counted from a digest whose resource it does not list: their
	 * item keys are read with the others' */
	for (size_t i = 0; i < n_dpend; i++) {
		int covered = 0;

		for (size_t k = 0; !covered && k < n_cover; k += 2)
			covered = dpend[i].resource_no >= cover[k] &&
				  dpend[i].resource_no <= cover[k + 1];
		if (!covered) {
			ALLOC_GROW(pend, n_pend + 1, alloc_pend);
			pend[n_pend++] = dpend[i];
			dpend[i].depth = 0; /* never taken back twice */
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(range);
	ca_digest_release(&g);
	if (!range)
		st = NULL;
	if (st && rc == SQLITE_DONE &&
	    ca_take_back(s, &m, &t, pend, n_pend, dpend, n_dpend, &stale_no, d))
		rc = SQLITE_ERROR, st = NULL;
	keymap_release(&stale_no.map);
	free(pend);
	free(dpend);
	free(cover);
	ref_masks_release(&m);
	for (int i = 0; i < 4; i++)
		counts[i] = t.counts[i];
	*nc_triples = 0;
	for (size_t i = 0; i < t.n_nc; i++)
		*nc_triples += t.nc[i] > 0;
	keymap_release(&t.places);
	keymap_release(&t.triples);
	keymap_release(&t.hidden_at);
	free(t.nc);
	if (!st)
		return -1;
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot count the run's results");
	return 0;
}

int since_count_results(struct store *s, int64_t run_id, int64_t after_rowid,
			struct since_tally *t, long counts[4], long *nc_triples, struct diag *d)
{
	/* The run's rows were appended after after_rowid: a range of the
	 * table, read once without the index (up to the copied rows). The
	 * verdict is an index of COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE,
	 * INSUFFICIENT_DATA. */
	sqlite3_stmt *st = store_prepare(s, "SELECT verdict, rule_no, account_id, aws_region"
					    " FROM main.run_results WHERE rowid > ?2 AND run_id = ?1"
					    "  AND rowid <= ?3",
					 d);
	struct keymap mine = KEYMAP_INIT, *triples = t ? &t->nc : &mine;
	int rc;

	if (!st)
		return -1;
	if (t && t->by_ref) /* every result the run shows, its base's too */
		return count_all(s, st, run_id, counts, nc_triples, d);
	for (int i = 0; i < 4; i++)
		counts[i] = t ? t->counts[i] : 0;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, after_rowid);
	sqlite3_bind_int64(st, 3, t ? t->before_rowid : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		tally_row(counts, triples, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
			  (const char *)sqlite3_column_text(st, 2),
			  (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	*nc_triples = (long)triples->count;
	keymap_release(&mine);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot count the run's results");
	return 0;
}

int since_results_end(struct store *s, int64_t *rowid, struct diag *d)
{
	*rowid = 0;
	return one_int(s, "SELECT max(rowid) FROM main.run_results WHERE ?1 = ?1", 0, rowid, d);
}

/* Run sql binding ?1 and ?2 (and ?3 .. with the integers of more). */
static int exec_ids(struct store *s, const char *sql, int64_t a, int64_t b, const int64_t *more,
		    int n_more, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	for (int i = 0; i < n_more; i++)
		sqlite3_bind_int64(st, 3 + i, more[i]);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(s, d, "cannot record the run's base");
	return 0;
}

/* The base's chain: its depth (0: stored in full) and the rows its chain
 * stores, the last run's apart. */
static int ref_of(struct store *s, int64_t id, int64_t *depth, int64_t *chain_rows,
		  int64_t *root_rows, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT depth, chain_rows, root_rows FROM main.run_ref"
					    " WHERE run_id = ?1", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*depth = sqlite3_column_int64(st, 0);
		*chain_rows = sqlite3_column_int64(st, 1);
		*root_rows = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the prior run's base");
	/* stored in full: the root of the new chain; its rows as its digest
	 * counts them when it has one that holds them all */
	*depth = *chain_rows = 0;
	{
		struct ca_digest g = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
		int dg = ca_digest_prepare(s, &g, d);

		if (dg == 0)
			dg = ca_digest_rows(s, &g, id, root_rows, d);
		ca_digest_release(&g);
		if (dg < 0)
			return -1;
		if (dg == 1)
			return 0;
	}
	return one_int(s, "SELECT count(*) FROM main.run_results WHERE run_id = ?1", id,
		       root_rows, d);
}

int since_ref_store(struct store *s, int64_t old_id, int64_t new_id,
		    const struct since_ref_rule *rules, size_t n, int *by_ref, struct diag *d)
{
	int64_t depth = 0, chain_rows = 0, root_rows = 0, own = 0, more[4];
	int items = 0;
	sqlite3_stmt *reach;

	*by_ref = 0;
	if (ref_of(s, old_id, &depth, &chain_rows, &root_rows, d) ||
	    one_int(s, "SELECT count(*) FROM main.run_results WHERE run_id = ?1", new_id, &own, d))
		return -1;
	if (depth + 1 > SINCE_REF_MAX_DEPTH || (double)own > SINCE_REF_MAX_SHARE * (double)root_rows)
		return 0;
	more[0] = depth + 1;
	more[1] = own;
	more[2] = chain_rows + own;
	more[3] = root_rows;
	if (exec_ids(s, "INSERT INTO main.run_ref(run_id, base_run, depth, own_rows, chain_rows,"
		     " root_rows) VALUES (?2, ?1, ?3, ?4, ?5, ?6)", old_id, new_id, more, 4, d) ||
	    exec_ids(s, "INSERT INTO main.run_chain(run_id, depth, ancestor)"
		     " VALUES (?2, 0, ?2), (?2, 1, ?1)", old_id, new_id, NULL, 0, d) ||
	    exec_ids(s, "INSERT INTO main.run_chain(run_id, depth, ancestor)"
		     " SELECT ?2, depth + 1, ancestor FROM main.run_chain"
		     " WHERE run_id = ?1 AND depth > 0", old_id, new_id, NULL, 0, d))
		return -1;
	/* one statement for every rule (a prepare each cost more) */
	reach = store_prepare(s, "INSERT INTO main.run_reach(run_id, rule_no, kind, reach)"
			      " SELECT ?2, ?3, ?4, 1 + coalesce((SELECT reach FROM main.run_reach"
			      "  WHERE run_id = ?1 AND rule_no = ?3 AND kind = ?4), 0)", d);
	if (!reach)
		return -1;
	sqlite3_bind_int64(reach, 1, old_id);
	sqlite3_bind_int64(reach, 2, new_id);
	for (size_t i = 0; i < n; i++) {
		int64_t rule[2] = { rules[i].rule_no, rules[i].types ? 2 : 1 };

		items |= !rules[i].types;
		sqlite3_reset(reach);
		sqlite3_bind_int64(reach, 3, rule[0]);
		sqlite3_bind_int64(reach, 4, rule[1]);
		if (sqlite3_step(reach) != SQLITE_DONE) {
			store_error(s, d, "cannot record the run's base");
			sqlite3_finalize(reach);
			return -1;
		}
		if (rules[i].types) {
			char *list = since_type_list(rules[i].types);
			char *sql = xstrfmt("INSERT OR IGNORE INTO main.run_places(run_id, rule_no,"
					    " account_id, aws_region) SELECT ?2, ?3, account_id,"
					    " region FROM temp.since_places"
					    " WHERE resource_type IN (%s) AND ?1 = ?1", list);
			int rc = exec_ids(s, sql, old_id, new_id, rule, 1, d);

			free(list);
			free(sql);
			if (rc) {
				sqlite3_finalize(reach);
				return -1;
			}
		}
	}
	sqlite3_finalize(reach);
	/* the versions current then and no longer: a kind 1 rule's results
	 * of them are hidden (item_key is unique) */
	if (items && exec_ids(s, "INSERT OR IGNORE INTO main.run_stale(item_key, run_id)"
			      " SELECT item_key, ?2 FROM main.items"
			      " WHERE rowid IN (SELECT rid FROM temp.since_stale) AND ?1 = ?1",
			      old_id, new_id, NULL, 0, d))
		return -1;
	*by_ref = 1;
	return 0;
}
