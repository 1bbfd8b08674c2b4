/*
 * evidence: writing and reading stored evidence calls (see evidence.h).
 */
#include "store/evidence.h"
#include "store/walk.h"
#include "store/schema.h"
#include "util/timeutil.h"

#include <string.h>

int evidence_store_ensure(struct store *s, struct diag *d)
{
	return store_exec(s, store_evidence_sql, d);
}

int evidence_file_loaded(struct store *s, const unsigned char key[STORE_KEY_LEN], struct diag *d)
{
	sqlite3_stmt *st =
	    store_prepare(s, "SELECT 1 FROM files WHERE file_key = ?1 AND status = 'loaded'", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, d, "cannot read files");
	return rc == SQLITE_ROW;
}

/* The files row of f: loaded (err NULL) or failed. */
static int insert_file(struct store *s, const struct evidence_file *f, const struct diag *err,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT OR REPLACE INTO files(file_key, path, size, sha256, kind, account_id, region,"
	    " delivered_at, snapshot_id, item_count, global_items, status, error, error_offset,"
	    " ingested_at, stat_key) VALUES (?1, ?2, ?3, ?4, 'Evidence', ?5, ?6, ?7, NULL, ?8, 0,"
	    " ?9, ?10, ?11, ?12, NULL)",
	    d);
	char captured[TIME_ISO_LEN], now[TIME_ISO_LEN];
	int rc;

	if (!st)
		return -1;
	time_format_iso(time_now_ms(), now);
	sqlite3_bind_blob(st, 1, f->key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->size);
	sqlite3_bind_text(st, 4, f->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->account_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->region, -1, SQLITE_STATIC);
	if (f->has_time) {
		time_format_iso(f->captured_ms, captured);
		sqlite3_bind_text(st, 7, captured, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 8, err ? 0 : 1);
	sqlite3_bind_text(st, 9, err ? "failed" : "loaded", -1, SQLITE_STATIC);
	if (err) {
		sqlite3_bind_text(st, 10, err->msg, -1, SQLITE_STATIC);
		if (err->offset >= 0)
			sqlite3_bind_int64(st, 11, err->offset);
	}
	sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the evidence file");
	return 0;
}

static int insert_call(struct store *s, const struct evidence_file *f,
		       const struct evidence_record *rec, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT OR REPLACE INTO evidence_calls(file_key, account_id, region, service,"
	    " operation, qualifier, captured_at, known, error_code, error_message, body)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	    d);
	char captured[TIME_ISO_LEN];
	int rc;

	if (!st)
		return -1;
	time_format_iso(rec->captured_ms, captured);
	sqlite3_bind_blob(st, 1, f->key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec->account_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rec->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rec->operation, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rec->qualifier ? rec->qualifier : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, captured, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, rec->known ? 1 : 0);
	sqlite3_bind_text(st, 9, rec->error_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, rec->error_message, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, rec->body, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot store the evidence");
	return 0;
}

int evidence_write(struct store *s, const struct evidence_file *f, const struct evidence_record *rec,
		   struct diag *d)
{
	if (store_begin(s, d))
		return -1;
	if (evidence_store_ensure(s, d) || insert_file(s, f, NULL, d) || insert_call(s, f, rec, d)) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, d)) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int evidence_write_failure(struct store *s, const struct evidence_file *f, const struct diag *err,
			   struct diag *d)
{
	if (store_begin(s, d))
		return -1;
	if (insert_file(s, f, err, d) || store_commit(s, d)) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int evidence_store_exists(struct store *s, struct diag *d)
{
	return store_table_exists(s, "evidence_calls", d);
}

#define ROW_COLUMNS                                                                         \
	"SELECT e.account_id, e.region, e.service, e.operation, e.qualifier, e.captured_at,"  \
	" e.known, e.error_code, e.body, f.path FROM main.evidence_calls e"                   \
	" JOIN main.files f ON f.file_key = e.file_key"

/* Step st, passing each row to fn. Returns the number of rows, or -1. */
static int each_row(struct store *s, sqlite3_stmt *st,
		    int (*fn)(void *arg, const struct evidence_row *r), void *arg, struct diag *d)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct evidence_row r;

		r.account_id = walk_text(st, 0);
		r.region = walk_text(st, 1);
		r.service = walk_text(st, 2);
		r.operation = walk_text(st, 3);
		r.qualifier = walk_text(st, 4);
		r.captured_at = walk_text(st, 5);
		r.known = sqlite3_column_int(st, 6);
		r.error_code = walk_text(st, 7);
		r.body = walk_text(st, 8);
		r.path = walk_text(st, 9);
		n++;
		if (fn(arg, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		n = store_error(s, d, "cannot read the evidence");
	sqlite3_finalize(st);
	return n;
}

int evidence_each_latest(struct store *s, const char *as_of,
			 int (*fn)(void *arg, const struct evidence_row *r), void *arg,
			 struct diag *d)
{
	sqlite3_stmt *st;
	int have = evidence_store_exists(s, d);

	if (have <= 0)
		return have;
	st = store_prepare(s,
			   "SELECT account_id, region, service, operation, qualifier, captured_at,"
			   " known, error_code, body, path FROM (SELECT e.*, f.path AS path,"
			   "  row_number() OVER (PARTITION BY e.account_id, e.region, e.service,"
			   "   e.operation, e.qualifier ORDER BY e.captured_at DESC) AS rn"
			   "  FROM main.evidence_calls e JOIN main.files f ON f.file_key = e.file_key"
			   "  WHERE f.status = 'loaded' AND e.captured_at <= ?1)"
			   " WHERE rn = 1 ORDER BY account_id, region, service, operation, qualifier",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	return each_row(s, st, fn, arg, d) < 0 ? -1 : 0;
}

int evidence_find(struct store *s, const char *account_id, const char *region,
		  const char *service, const char *operation, const char *qualifier,
		  const char *as_of, int (*fn)(void *arg, const struct evidence_row *r), void *arg,
		  struct diag *d)
{
	sqlite3_stmt *st;
	int have = evidence_store_exists(s, d), n;

	if (have <= 0)
		return have;
	st = store_prepare(s,
			   ROW_COLUMNS " WHERE e.account_id = ?1 AND e.region = ?2 AND e.service = ?3"
				       " AND e.operation = ?4 AND e.qualifier = ?5"
				       " AND e.captured_at <= ?6 AND f.status = 'loaded'"
				       " ORDER BY e.captured_at DESC LIMIT 1",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, operation, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, qualifier ? qualifier : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, as_of, -1, SQLITE_STATIC);
	n = each_row(s, st, fn, arg, d);
	return n < 0 ? -1 : n > 0;
}

int evidence_run_json(struct store *s, int64_t run_id, json_t **out, struct diag *d)
{
	sqlite3_stmt *st;
	int have = evidence_store_exists(s, d), rc;

	*out = json_array();
	if (have <= 0)
		return have;
	st = walk_prepare(
	    s,
	    "SELECT account_id, region, service, operation, qualifier, captured_at, error_code,"
	    " path, sha256, body FROM (SELECT e.*, f.path AS path, f.sha256 AS sha256,"
	    "  row_number() OVER (PARTITION BY e.account_id, e.region, e.service, e.operation,"
	    "   e.qualifier ORDER BY e.captured_at DESC, f.path) AS rn"
	    "  FROM main.evidence_calls e JOIN main.files f ON f.file_key = e.file_key"
	    "  WHERE f.status = 'loaded' AND e.known = 1"
	    "   AND e.captured_at <= (SELECT as_of FROM main.runs WHERE run_id = ?1))"
	    " WHERE rn = 1 ORDER BY account_id, region, service, operation, qualifier",
	    run_id, 0, d);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object(), *answer;

		json_object_set_new(o, "AccountId", json_string(walk_text(st, 0)));
		json_object_set_new(o, "Region", json_string(walk_text(st, 1)));
		json_object_set_new(o, "Call",
				    json_sprintf("%s %s", walk_text(st, 2), walk_text(st, 3)));
		if (walk_text(st, 4) && *walk_text(st, 4))
			json_object_set_new(o, "Argument", json_string(walk_text(st, 4)));
		json_object_set_new(o, "CapturedAt", json_string(walk_text(st, 5)));
		if (walk_text(st, 6))
			json_object_set_new(o, "ErrorCode", json_string(walk_text(st, 6)));
		json_object_set_new(o, "Path", json_string(walk_text(st, 7)));
		json_object_set_new(o, "Sha256", json_string(walk_text(st, 8)));
		answer = json_loads(walk_text(st, 9), 0, NULL);
		json_object_set_new(o, "Answer", answer ? answer : json_null());
		json_array_append_new(*out, o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(*out);
		*out = NULL;
		return store_error(s, d, "cannot read the evidence");
	}
	return 0;
}

#define LATEST_COLUMNS                                                                      \
	"account_id, region, service, operation, qualifier, captured_at, fresh, error_code,"  \
	" error_message, body, path"

int evidence_latest_create(struct store *s, const char *as_of, const char *fresh_from,
			   struct diag *d)
{
	sqlite3_stmt *st;
	int have = evidence_store_exists(s, d), rc;

	if (have < 0)
		return -1;
	if (!have)
		return store_exec(s, "CREATE TEMP TABLE evidence(" LATEST_COLUMNS ")", d);
	st = store_prepare(
	    s,
	    "CREATE TEMP TABLE evidence AS SELECT " LATEST_COLUMNS " FROM ("
	    " SELECT e.account_id AS account_id, e.region AS region, e.service AS service,"
	    "  e.operation AS operation, e.qualifier AS qualifier, e.captured_at AS captured_at,"
	    "  e.captured_at >= ?2 AS fresh,"
	    "  e.error_code AS error_code, e.error_message AS error_message, e.body AS body,"
	    "  f.path AS path, row_number() OVER (PARTITION BY e.account_id, e.region,"
	    "   e.service, e.operation, e.qualifier ORDER BY e.captured_at DESC, f.path) AS rn"
	    " FROM main.evidence_calls e JOIN main.files f ON f.file_key = e.file_key"
	    " WHERE f.status = 'loaded' AND e.known = 1 AND e.captured_at <= ?1)"
	    " WHERE rn = 1",
	    d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fresh_from, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the evidence");
	return store_exec(s,
			  "CREATE INDEX temp.evidence_by_call ON evidence(service, operation,"
			  " account_id, region, qualifier)",
			  d);
}

/* ---- the organization's accounts ---- */

/*
 * The accounts of each management account's newest list-accounts answer
 * in the table "evidence" (the derived table, or the report's CTE of the
 * same name), with the OU path from the list-parents answers (qualifier:
 * the child id) and the OU names of the list-organizational-units-for-
 * parent answers, both within --max-age: "Root/Security/Prod", or NULL
 * when the chain is not complete. The CTE "org" has the columns of
 * organization_accounts.
 */
#define ORG_ACCOUNTS_CTES                                                                     \
	" acct AS ("                                                                          \
	"  SELECT e.account_id AS management_account_id, e.captured_at AS captured_at,"      \
	"   e.fresh AS fresh, a.value ->> '$.Id' AS account_id, a.value ->> '$.Name' AS name," \
	"   a.value ->> '$.Email' AS email, a.value ->> '$.Status' AS status,"                \
	"   coalesce(a.value ->> '$.State', a.value ->> '$.Status') AS state"                 \
	"  FROM evidence e, json_each(e.body, '$.Accounts') a"                                \
	"  WHERE e.service = 'organizations' AND e.operation = 'list-accounts'"               \
	"   AND e.error_code IS NULL),"                                                       \
	" parent AS ("                                                                        \
	"  SELECT e.account_id AS mgmt, e.qualifier AS child, p.value ->> '$.Id' AS id,"      \
	"   p.value ->> '$.Type' AS type"                                                     \
	"  FROM evidence e, json_each(e.body, '$.Parents') p"                                 \
	"  WHERE e.service = 'organizations' AND e.operation = 'list-parents'"                \
	"   AND e.error_code IS NULL AND e.fresh AND p.key = 0),"                             \
	" ou AS ("                                                                            \
	"  SELECT DISTINCT e.account_id AS mgmt, o.value ->> '$.Id' AS id,"                   \
	"   o.value ->> '$.Name' AS name"                                                     \
	"  FROM evidence e, json_each(e.body, '$.OrganizationalUnits') o"                     \
	"  WHERE e.service = 'organizations'"                                                 \
	"   AND e.operation = 'list-organizational-units-for-parent' AND e.error_code IS NULL" \
	"   AND e.fresh),"                                                                    \
	" walk(mgmt, account_id, node, type, path, depth) AS ("                               \
	"  SELECT a.management_account_id, a.account_id, p.id, p.type, '', 0"                \
	"  FROM acct a JOIN parent p ON p.mgmt = a.management_account_id"                     \
	"   AND p.child = a.account_id"                                                       \
	"  UNION ALL"                                                                         \
	"  SELECT w.mgmt, w.account_id, p.id, p.type,"                                        \
	"   '/' || (SELECT name FROM ou WHERE ou.mgmt = w.mgmt AND ou.id = w.node) || w.path," \
	"   w.depth + 1"                                                                      \
	"  FROM walk w JOIN parent p ON p.mgmt = w.mgmt AND p.child = w.node"                 \
	"  WHERE w.type = 'ORGANIZATIONAL_UNIT' AND w.depth < 6),"                            \
	" org AS ("                                                                           \
	"  SELECT a.management_account_id, a.captured_at, a.fresh, a.account_id, a.name,"   \
	"   a.email, a.state,"                                                                \
	"   (SELECT 'Root' || w.path FROM walk w WHERE w.mgmt = a.management_account_id"     \
	"     AND w.account_id = a.account_id AND w.type = 'ROOT') AS ou_path"                \
	"  FROM acct a)"

int evidence_org_accounts_create(struct store *s, struct diag *d)
{
	return store_exec(s,
			  "CREATE TEMP TABLE organization_accounts AS WITH RECURSIVE"
			  ORG_ACCOUNTS_CTES " SELECT * FROM org",
			  d);
}

int evidence_org_accounts_each(struct store *s, const char *as_of, const char *fresh_from,
			       int (*fn)(void *arg, const struct evidence_org_account *a),
			       void *arg, struct diag *d)
{
	sqlite3_stmt *st;
	int have = evidence_store_exists(s, d), step, rc = 0;

	if (have <= 0)
		return have;
	/* The report's "evidence": the newest Organizations answer of each
	 * call at or before the as-of time, fresh when captured at or after
	 * fresh_from, as the derived table has it. */
	st = store_prepare(
	    s,
	    "WITH RECURSIVE evidence AS ("
	    "  SELECT account_id, region, service, operation, qualifier, captured_at,"
	    "   captured_at >= ?2 AS fresh, error_code, body"
	    "  FROM (SELECT e.*, row_number() OVER (PARTITION BY e.account_id, e.region,"
	    "    e.service, e.operation, e.qualifier ORDER BY e.captured_at DESC, f.path) AS rn"
	    "   FROM main.evidence_calls e JOIN main.files f ON f.file_key = e.file_key"
	    "   WHERE f.status = 'loaded' AND e.known = 1 AND e.service = 'organizations'"
	    "    AND e.captured_at <= ?1)"
	    "  WHERE rn = 1),"
	    ORG_ACCOUNTS_CTES
	    " SELECT management_account_id, account_id, name, state, ou_path, captured_at, fresh"
	    " FROM org ORDER BY account_id, fresh DESC, captured_at DESC, management_account_id",
	    d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fresh_from, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct evidence_org_account a;

		a.management_account_id = (const char *)sqlite3_column_text(st, 0);
		a.account_id = (const char *)sqlite3_column_text(st, 1);
		a.name = (const char *)sqlite3_column_text(st, 2);
		a.state = (const char *)sqlite3_column_text(st, 3);
		a.ou_path = (const char *)sqlite3_column_text(st, 4);
		a.captured_at = (const char *)sqlite3_column_text(st, 5);
		a.fresh = sqlite3_column_int(st, 6);
		if (a.account_id && a.management_account_id && a.captured_at)
			rc = fn(arg, &a);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_error(s, d, "cannot read the Organizations evidence");
	sqlite3_finalize(st);
	return rc ? -1 : 0;
}
