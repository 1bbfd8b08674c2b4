/*
 * run: every statement on the stored runs and their results (see run.h).
 */
#include "config.h"

#include "store/run.h"
#include "store/walk.h"
#include "util/keymap.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int step_done(struct store *s, sqlite3_stmt *st, struct diag *d, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, what);
	return 0;
}

/* ---- writing ---- */

static int write_run_row(struct store *s, struct run_record *r, struct diag *d)
{
	sqlite3_stmt *st =
	    store_prepare(s,
			  "INSERT INTO runs(started_at, finished_at, as_of, tool_version, filters,"
			  " status) VALUES (?1, ?2, ?3, ?4, ?5, 'complete')",
			  d);
	int ret;

	if (!st)
		return -1;
	bind_text_or_null(st, 1, r->started_at);
	bind_text_or_null(st, 2, r->finished_at);
	bind_text_or_null(st, 3, r->as_of);
	sqlite3_bind_text(st, 4, r->tool_version ? r->tool_version : PACKAGE_VERSION, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->filters ? r->filters : "{}", -1, SQLITE_STATIC);
	ret = step_done(s, st, d, "cannot record the run");
	sqlite3_finalize(st);
	if (!ret)
		r->id = sqlite3_last_insert_rowid(s->db);
	return ret;
}

static int write_files(struct store *s, int64_t run_id, const struct run_contents *c,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT OR IGNORE INTO run_files(run_id, role, name, path, sha256, content)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    d);
	int ret = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	for (size_t i = 0; !ret && i < c->n_files; i++) {
		const struct run_file_record *f = &c->files[i];
		char hex[SHA256_HEX_LEN];

		if (!f->sha256)
			sha256_hex(f->content, f->len, hex);
		sqlite3_bind_text(st, 2, f->role, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, f->sha256 ? f->sha256 : hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, f->content, (int)f->len, SQLITE_STATIC);
		ret = step_done(s, st, d, "cannot record a run file");
	}
	sqlite3_finalize(st);
	return ret;
}

static int write_rules(struct store *s, int64_t run_id, const struct run_contents *c,
		       struct diag *d)
{
	sqlite3_stmt *st =
	    store_prepare(s,
			  "INSERT INTO run_rules(run_id, pack_name, config_rule_name, identifier,"
			  " owner, evaluated, reason, parameters, scope, rule_sha256, rule_no)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			  d);
	int ret = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	for (size_t i = 0; !ret && i < c->n_rules; i++) {
		const struct run_rule_record *r = &c->rules[i];

		sqlite3_bind_text(st, 2, r->pack_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->config_rule_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->identifier ? r->identifier : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, r->owner, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, r->evaluated);
		bind_text_or_null(st, 7, r->reason);
		sqlite3_bind_text(st, 8, r->parameters ? r->parameters : "{}", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, r->scope ? r->scope : "{}", -1, SQLITE_STATIC);
		bind_text_or_null(st, 10, r->rule_sha256);
		sqlite3_bind_int(st, 11, r->rule_no);
		ret = step_done(s, st, d, "cannot record a rule of the run");
	}
	sqlite3_finalize(st);
	return ret;
}

static int write_scope(struct store *s, int64_t run_id, const struct run_contents *c,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT OR IGNORE INTO run_scope(run_id, account_id, aws_region) VALUES (?1, ?2, ?3)",
	    d);
	int ret = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	for (size_t i = 0; !ret && i + 1 < c->n_scope; i += 2) {
		sqlite3_bind_text(st, 2, c->scope[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->scope[i + 1], -1, SQLITE_STATIC);
		ret = step_done(s, st, d, "cannot record the run's accounts");
	}
	sqlite3_finalize(st);
	return ret;
}

static int write_run(struct store *s, struct run_record *r, const struct run_contents *c,
		     struct diag *d)
{
	if (store_begin(s, d))
		return -1;
	if (write_run_row(s, r, d) || write_files(s, r->id, c, d) || write_rules(s, r->id, c, d) ||
	    write_scope(s, r->id, c, d) ||
	    (c->write_results && c->write_results(s, r->id, c->results_ctx, d)) ||
	    (c->coverage && coverage_store(s, r->id, c->coverage, d)) ||
	    (c->write_more && c->write_more(s, r->id, c->more_ctx, d)) || store_commit(s, d)) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* A run's results are mostly new pages: written through the rollback
 * journal when no other connection has the store open (each page once,
 * not to the WAL and again at the checkpoint), in WAL otherwise. If a
 * reader that came meanwhile keeps WAL from coming back, the run is
 * stored all the same: the rollback journal is as safe, and the next
 * command that opens the store for writing sets WAL again. */
int run_store_write(struct store *s, struct run_record *r, const struct run_contents *c,
		    struct diag *d)
{
	int direct = store_journal_direct(s, d), ret;

	if (direct < 0)
		return -1;
	ret = write_run(s, r, c, d);
	if (direct)
		store_journal_wal(s, NULL);
	return ret;
}

int run_results_next_numbers(struct store *s, int64_t *resource_no, int64_t *annotation_no,
			     struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "SELECT (SELECT coalesce(max(resource_no), 0) + 1"
					 " FROM run_resources), (SELECT coalesce(max(annotation_no),"
					 " 0) + 1 FROM run_annotations)",
					 d);

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot record the results");
	}
	*resource_no = sqlite3_column_int64(st, 0);
	*annotation_no = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

/* INSERT INTO run_results_table(...) SELECT ... FROM table, binding run_id. */
static int insert_from(struct store *s, const char *sql, int64_t run_id, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int ret = -1;

	if (!st)
		return -1;
	if (strstr(sql, "?1"))
		sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_DONE)
		ret = 0;
	else
		store_error(s, d, "cannot record the results");
	sqlite3_finalize(st);
	return ret;
}

/*
 * The digest of a run's results (run_digest, see run.h): built by the
 * caller while it produces the rows (resultbuf.c knows each row's place
 * and numbers from memory: computing them per row through SQL functions
 * of the INSERT .. SELECTs was 3% of a full run).
 */
void run_digest_init(struct run_digest_build *g)
{
	memset(g, 0, sizeof(*g));
	strbuf_init(&g->ptext, 0);
}

void run_digest_release(struct run_digest_build *g)
{
	keymap_release(&g->places);
	strbuf_release(&g->ptext);
	free(g->rows);
	free(g->res);
	memset(g, 0, sizeof(*g));
}

int32_t run_digest_place(struct run_digest_build *g, const char *account, size_t account_len,
			 const char *region, size_t region_len)
{
	char key[sizeof(g->last)];
	size_t len = account_len + 1 + region_len;
	int64_t *v;
	int added;

	if (account_len > 200 || region_len > 200) { /* more than the digest keeps */
		g->bad = 1;
		return 0;
	}
	memcpy(key, account, account_len);
	key[account_len] = 0;
	memcpy(key + account_len + 1, region, region_len);
	/* places come mostly in runs */
	if (g->last_len == len && !memcmp(g->last, key, len))
		return g->last_place;
	v = keymap_insert(&g->places, key, len, &added);
	if (added) {
		*v = (int64_t)g->places.count - 1;
		strbuf_add(&g->ptext, key, len);
		strbuf_addch(&g->ptext, 0);
		if (*v > INT32_MAX)
			g->bad = 1;
	}
	memcpy(g->last, key, len);
	g->last_len = len;
	g->last_place = (int32_t)*v;
	return g->last_place;
}

void run_digest_add_res(struct run_digest_build *g, int64_t resource_no, const void *item_key,
			size_t len)
{
	ALLOC_GROW(g->res, g->n_res + 1, g->alloc_res);
	g->res[g->n_res].resource_no = resource_no;
	g->res[g->n_res++].key_hash = item_key ? keymap_hash(item_key, len) : 0;
}

static int write_digest(struct store *s, int64_t run_id, struct run_digest_build *g, int64_t lo,
			int64_t hi, struct diag *d)
{
	struct run_digest_head h = { RUN_DIGEST_MAGIC, (uint32_t)g->places.count,
				     (uint32_t)g->ptext.len, 0, (uint64_t)g->n_rows,
				     (uint64_t)g->n_res };
	size_t len = sizeof(h) + g->ptext.len + g->n_rows * sizeof(*g->rows) +
		     g->n_res * sizeof(*g->res);
	char *blob, *p;
	sqlite3_stmt *st;
	int rc;

	/* the places padded with NULs to 8 bytes: the rows stay aligned */
	while (g->ptext.len % 8) {
		strbuf_addch(&g->ptext, 0);
		len++;
	}
	h.places_len = (uint32_t)g->ptext.len;

	if (store_exec(s, RUN_DIGEST_SQL, d))
		return -1;
	st = store_prepare(s, "INSERT OR REPLACE INTO run_digest(run_id, rowid_lo, rowid_hi,"
			      " digest) VALUES (?1, ?2, ?3, ?4)", d);
	if (!st)
		return -1;
	p = blob = xmalloc(len);
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	if (g->ptext.len)
		memcpy(p, g->ptext.buf, g->ptext.len);
	p += g->ptext.len;
	if (g->n_rows)
		memcpy(p, g->rows, g->n_rows * sizeof(*g->rows));
	p += g->n_rows * sizeof(*g->rows);
	if (g->n_res)
		memcpy(p, g->res, g->n_res * sizeof(*g->res));
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	sqlite3_bind_blob(st, 4, blob, (int)len, free);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the results");
	return 0;
}

static int max_result_rowid(struct store *s, int64_t *out, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT coalesce(max(rowid), 0) FROM run_results", d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, d, "cannot record the results");
}

int run_results_insert_from(struct store *s, int64_t run_id, const char *resources,
			    const char *annotations, const char *results,
			    struct run_digest_build *g, struct diag *d)
{
	char *sql[3];
	int64_t lo = 0, hi = 0;
	int ret = 0;

	sql[0] = xstrfmt("INSERT INTO run_resources(resource_no, resource_type, resource_id,"
			 " item_key) SELECT resource_no, resource_type, resource_id, item_key"
			 " FROM %s",
			 resources);
	sql[1] = xstrfmt("INSERT INTO run_annotations(annotation_no, annotation)"
			 " SELECT annotation_no, annotation FROM %s",
			 annotations);
	sql[2] = xstrfmt("INSERT INTO run_results(run_id, rule_no, account_id, aws_region,"
			 " resource_no, verdict, annotation_no)"
			 " SELECT ?1, rule_no, account_id, aws_region, resource_no, verdict,"
			 " annotation_no FROM %s",
			 results);
	if (g)
		ret = max_result_rowid(s, &lo, d);
	for (int i = 0; i < 3; i++) {
		if (!ret)
			ret = insert_from(s, sql[i], run_id, d);
		free(sql[i]);
	}
	/* the run's rows are those after lo: the digest says which */
	if (!ret && g)
		ret = max_result_rowid(s, &hi, d);
	if (!ret && g && !g->bad)
		ret = write_digest(s, run_id, g, lo + 1, hi, d);
	return ret;
}

/* ---- reading ---- */

int run_find(struct store *s, int64_t id, struct run_record *r, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "SELECT started_at, finished_at, as_of, tool_version,"
					 " filters, status FROM runs WHERE run_id = ?1",
					 d);
	const char **field[6] = {&r->started_at,   &r->finished_at, &r->as_of,
				 &r->tool_version, &r->filters,	    &r->status};
	size_t len = 0, at = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 1 : store_error(s, d, "cannot read the run");
	}
	for (int i = 0; i < 6; i++)
		len += walk_text(st, i) ? strlen(walk_text(st, i)) + 1 : 0;
	r->block_ = xmalloc(len + 1);
	for (int i = 0; i < 6; i++) {
		const char *v = walk_text(st, i);

		if (!v)
			continue;
		*field[i] = memcpy(r->block_ + at, v, strlen(v) + 1);
		at += strlen(v) + 1;
	}
	r->id = id;
	sqlite3_finalize(st);
	return 0;
}

void run_record_release(struct run_record *r)
{
	free(r->block_);
	memset(r, 0, sizeof(*r));
}

int run_rules_each(struct store *s, int64_t run_id,
		   void (*fn)(const struct run_rule_record *r, void *ctx), void *ctx,
		   struct diag *d)
{
	sqlite3_stmt *st =
	    walk_prepare(s,
			 "SELECT pack_name, config_rule_name, identifier, owner, evaluated, reason,"
			 " parameters, scope, rule_sha256, rule_no FROM run_rules WHERE run_id = ?1"
			 " ORDER BY pack_name, config_rule_name",
			 run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_rule_record r = {
		    walk_text(st, 0),	       walk_text(st, 1),	  walk_text(st, 2),
		    walk_text(st, 3),	       sqlite3_column_int(st, 4), walk_text(st, 5),
		    walk_text(st, 6),	       walk_text(st, 7),	  walk_text(st, 8),
		    sqlite3_column_int(st, 9),
		};

		fn(&r, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the run's rules");
}

int run_files_each(struct store *s, int64_t run_id,
		   void (*fn)(const struct run_file_record *f, void *ctx), void *ctx,
		   struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(s,
					"SELECT role, name, path, sha256, content FROM run_files"
					" WHERE run_id = ?1 ORDER BY role, name",
					run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_file_record f = {walk_text(st, 0),
					    walk_text(st, 1),
					    walk_text(st, 2),
					    walk_text(st, 3),
					    NULL,
					    0};

		f.content = sqlite3_column_blob(st, 4);
		f.len = (size_t)sqlite3_column_bytes(st, 4);
		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the run's files");
}

int run_scope_each(struct store *s, int64_t run_id,
		   void (*fn)(const char *account_id, const char *aws_region, void *ctx), void *ctx,
		   struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(s,
					"SELECT account_id, aws_region FROM run_scope"
					" WHERE run_id = ?1 ORDER BY account_id, aws_region",
					run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(walk_text(st, 0), walk_text(st, 1), ctx);
	return walk_end(s, st, rc, d, "cannot read the run's scope");
}

int run_scope_values_each(struct store *s, int64_t run_id, int regions,
			  void (*fn)(const char *value, void *ctx), void *ctx, struct diag *d)
{
	static const char *const sql[2] = {
	    "SELECT account_id FROM run_scope WHERE run_id = ?1"
	    " UNION SELECT account_id FROM run_results_all WHERE run_id = ?1 ORDER BY 1",
	    "SELECT aws_region FROM run_scope WHERE run_id = ?1"
	    " UNION SELECT aws_region FROM run_results_all WHERE run_id = ?1 ORDER BY 1",
	};
	sqlite3_stmt *st = walk_prepare(s, sql[regions != 0], run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(walk_text(st, 0), ctx);
	return walk_end(s, st, rc, d, "cannot read the run's scope");
}

/* A result from columns first .. first + 8 of st. */
static void result_from(sqlite3_stmt *st, int first, struct run_result_record *r)
{
	r->pack_name = walk_text(st, first);
	r->config_rule_name = walk_text(st, first + 1);
	r->account_id = walk_text(st, first + 2);
	r->aws_region = walk_text(st, first + 3);
	r->resource_type = walk_text(st, first + 4);
	r->resource_id = walk_text(st, first + 5);
	r->compliance_type = walk_text(st, first + 6);
	r->annotation = walk_text(st, first + 7);
	r->item_key = walk_key(st, first + 8);
	r->resource_name = r->arn = NULL;
}

#define RESULT_COLUMNS                                                                             \
	"pack_name, config_rule_name, account_id, aws_region, resource_type, resource_id,"         \
	" compliance_type, annotation, item_key"

/* The same, of results AS r, with the judged item's name and ARN. */
#define RESULT_COLUMNS_NAMED                                                               \
	"r.pack_name, r.config_rule_name, r.account_id, r.aws_region, r.resource_type,"    \
	" r.resource_id, r.compliance_type, r.annotation, r.item_key, i.resource_name, i.arn"

int run_results_each(struct store *s, int64_t run_id, enum run_results_order order,
		     void (*fn)(const struct run_result_record *r, void *ctx), void *ctx,
		     struct diag *d)
{
	static const char *const sql[] = {
		[RUN_RESULTS_STORED] =
		    "SELECT " RESULT_COLUMNS_NAMED " FROM results AS r"
		    " LEFT JOIN items AS i ON i.item_key = r.item_key WHERE r.run_id = ?1",
		[RUN_RESULTS_BY_ITEM] =
		    "SELECT " RESULT_COLUMNS ", NULL, NULL FROM results"
		    " WHERE run_id = ?1 AND item_key IS NOT NULL"
		    " ORDER BY item_key, pack_name, config_rule_name, account_id, aws_region,"
		    " resource_type, resource_id",
	};
	sqlite3_stmt *st = walk_prepare(s, sql[order], run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_result_record r;

		result_from(st, 0, &r);
		r.resource_name = walk_text(st, 9);
		r.arn = walk_text(st, 10);
		fn(&r, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the run's results");
}

/* ---- comparing two runs ---- */

/* Columns: kind, before, after, then the result's RESULT_COLUMNS. */
static const char changes_sql[] =
    "WITH a AS (SELECT * FROM results WHERE run_id = ?1),"
    " b AS (SELECT * FROM results WHERE run_id = ?2)"
    " SELECT 'BecameNonCompliant' AS kind, a.compliance_type, b.compliance_type,"
    "  b.pack_name, b.config_rule_name, b.account_id, b.aws_region, b.resource_type,"
    "  b.resource_id, b.compliance_type, b.annotation, b.item_key"
    " FROM b LEFT JOIN a USING (pack_name, config_rule_name, account_id, aws_region,"
    "  resource_type, resource_id)"
    " WHERE b.compliance_type = 'NON_COMPLIANT'"
    "  AND a.compliance_type IS NOT 'NON_COMPLIANT'"
    " UNION ALL"
    " SELECT 'BecameCompliant', a.compliance_type, b.compliance_type,"
    "  b.pack_name, b.config_rule_name, b.account_id, b.aws_region, b.resource_type,"
    "  b.resource_id, b.compliance_type, b.annotation, b.item_key"
    " FROM b JOIN a USING (pack_name, config_rule_name, account_id, aws_region,"
    "  resource_type, resource_id)"
    " WHERE a.compliance_type = 'NON_COMPLIANT' AND b.compliance_type = 'COMPLIANT'"
    " UNION ALL"
    " SELECT 'ResolvedByRemoval', a.compliance_type, NULL,"
    "  a.pack_name, a.config_rule_name, a.account_id, a.aws_region, a.resource_type,"
    "  a.resource_id, a.compliance_type, a.annotation, a.item_key"
    " FROM a LEFT JOIN b USING (pack_name, config_rule_name, account_id, aws_region,"
    "  resource_type, resource_id)"
    " WHERE a.compliance_type = 'NON_COMPLIANT' AND b.compliance_type IS NULL"
    " ORDER BY 6, 1, 4, 5, 7, 8, 9";

int run_changes_each(struct store *s, int64_t a, int64_t b,
		     void (*fn)(const struct run_change *c, void *ctx), void *ctx, struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(s, changes_sql, a, b, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_change c;

		c.kind = walk_text(st, 0);
		c.before = walk_text(st, 1);
		c.after = walk_text(st, 2);
		result_from(st, 3, &c.r);
		fn(&c, ctx);
	}
	return walk_end(s, st, rc, d, "cannot compare results");
}

static const char scores_sql[] =
    "WITH s AS (SELECT run_id, pack_name, account_id,"
    "  sum(compliance_type = 'COMPLIANT') AS c,"
    "  sum(compliance_type IN ('COMPLIANT', 'NON_COMPLIANT')) AS t"
    "  FROM results WHERE run_id IN (?1, ?2) AND pack_name <> ''"
    "  GROUP BY run_id, pack_name, account_id),"
    " k AS (SELECT DISTINCT pack_name, account_id FROM s)"
    " SELECT k.account_id, k.pack_name,"
    "  (SELECT CASE WHEN t > 0 THEN 100.0 * c / t END FROM s"
    "    WHERE s.run_id = ?1 AND s.pack_name = k.pack_name AND s.account_id = k.account_id),"
    "  (SELECT CASE WHEN t > 0 THEN 100.0 * c / t END FROM s"
    "    WHERE s.run_id = ?2 AND s.pack_name = k.pack_name AND s.account_id = k.account_id)"
    " FROM k ORDER BY 1, 2";

int run_pack_scores_each(struct store *s, int64_t a, int64_t b,
			 void (*fn)(const struct run_pack_score *p, void *ctx), void *ctx,
			 struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(s, scores_sql, a, b, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_pack_score p = {
		    walk_text(st, 0),
		    walk_text(st, 1),
		    sqlite3_column_type(st, 2) != SQLITE_NULL,
		    sqlite3_column_type(st, 3) != SQLITE_NULL,
		    sqlite3_column_double(st, 2),
		    sqlite3_column_double(st, 3),
		};

		fn(&p, ctx);
	}
	return walk_end(s, st, rc, d, "cannot compute pack scores");
}
