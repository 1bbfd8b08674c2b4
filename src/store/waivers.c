/*
 * store/waivers: the tables of a run's waivers (see waivers.h).
 */
#include "store/waivers.h"
#include "store/schema.h"
#include "store/walk.h"

#include <string.h>

static const char waivers_ddl[] =
	"CREATE TABLE IF NOT EXISTS run_waiver_files(\n"
	"  run_id  INTEGER PRIMARY KEY,\n"
	"  path    TEXT NOT NULL,\n"
	"  sha256  TEXT NOT NULL,\n"
	"  content BLOB NOT NULL\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS run_waivers(\n"
	"  run_id      INTEGER NOT NULL,\n"
	"  waiver_no   INTEGER NOT NULL, -- 0-based position in the file\n"
	"  line        INTEGER NOT NULL,\n"
	"  rule        TEXT NOT NULL,\n"
	"  account     TEXT NOT NULL,\n"
	"  resource    TEXT NOT NULL,\n"
	"  reason      TEXT NOT NULL,\n"
	"  approved_by TEXT NOT NULL,\n"
	"  expires     TEXT NOT NULL,\n"
	"  status      TEXT NOT NULL CHECK (status IN ('active', 'expired', 'unused')),\n"
	"  matched     INTEGER NOT NULL, -- results waived (expired: would have been)\n"
	"  PRIMARY KEY (run_id, waiver_no)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS run_waived(\n"
	"  run_id        INTEGER NOT NULL,\n"
	"  rule_no       INTEGER NOT NULL, -- run_rules.rule_no\n"
	"  account_id    TEXT NOT NULL,\n"
	"  aws_region    TEXT NOT NULL,\n"
	"  resource_type TEXT NOT NULL,\n"
	"  resource_id   TEXT NOT NULL,\n"
	"  waiver_no     INTEGER NOT NULL,\n"
	"  PRIMARY KEY (run_id, rule_no, account_id, aws_region, resource_type, resource_id)\n"
	") WITHOUT ROWID;\n";

int waivers_store_file(struct store *s, int64_t run_id, const char *path, const char *sha256,
		       const void *content, size_t len, struct diag *d)
{
	sqlite3_stmt *st;

	if (store_exec(s, waivers_ddl, d))
		return -1;
	st = walk_prepare(s,
			  "INSERT INTO run_waiver_files(run_id, path, sha256, content)"
			  " VALUES (?1, ?2, ?3, ?4)",
			  run_id, 0, d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, content, (int)len, SQLITE_STATIC);
	return walk_end(s, st, sqlite3_step(st), d, "cannot record the waivers file");
}

int waivers_store_entry(struct store *s, int64_t run_id, const struct waiver_row *r,
			struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(
	    s,
	    "INSERT INTO run_waivers(run_id, waiver_no, line, rule, account, resource, reason,"
	    " approved_by, expires, status, matched) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	    run_id, 0, d);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 2, r->waiver_no);
	sqlite3_bind_int64(st, 3, r->line);
	sqlite3_bind_text(st, 4, r->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->approved_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->expires, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, r->matched);
	return walk_end(s, st, sqlite3_step(st), d, "cannot record a waiver");
}

int waived_writer_open(struct waived_writer *w, struct store *s, struct diag *d)
{
	w->s = s;
	w->sel = store_prepare(s,
			       "SELECT r.account_id, r.aws_region, s.resource_type, s.resource_id,"
			       " i.arn FROM run_results_all AS r"
			       " JOIN run_resources AS s ON s.resource_no = r.resource_no"
			       " LEFT JOIN items AS i ON i.item_key = s.item_key"
			       " WHERE r.run_id = ?1 AND r.rule_no = ?2"
			       " AND r.verdict = " STORE_VERDICT_NON_COMPLIANT,
			       d);
	w->ins = w->sel ? store_prepare(s,
					"INSERT OR IGNORE INTO run_waived(run_id, rule_no,"
					" account_id, aws_region, resource_type, resource_id,"
					" waiver_no) VALUES (?1,?2,?3,?4,?5,?6,?7)",
					d)
			: NULL;
	if (w->ins)
		return 0;
	waived_writer_close(w);
	return -1;
}

void waived_writer_close(struct waived_writer *w)
{
	sqlite3_finalize(w->sel);
	sqlite3_finalize(w->ins);
	w->sel = w->ins = NULL;
}

int waived_writer_rule(struct waived_writer *w, int64_t run_id, int rule_no,
		       long (*decide)(const struct waiver_result *r, void *ctx), void *ctx,
		       struct diag *d)
{
	sqlite3_stmt *sel = w->sel, *ins = w->ins;
	int rc;

	sqlite3_reset(sel);
	sqlite3_bind_int64(sel, 1, run_id);
	sqlite3_bind_int(sel, 2, rule_no);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct waiver_result r = { walk_text(sel, 0), walk_text(sel, 1), walk_text(sel, 2),
					   walk_text(sel, 3), walk_text(sel, 4) };
		long waiver_no = decide(&r, ctx);

		if (waiver_no < 0)
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, run_id);
		sqlite3_bind_int(ins, 2, rule_no);
		for (int c = 0; c < 4; c++)
			sqlite3_bind_value(ins, 3 + c, sqlite3_column_value(sel, c));
		sqlite3_bind_int64(ins, 7, waiver_no);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return store_error(w->s, d, "cannot record a waived result");
	}
	if (rc != SQLITE_DONE)
		return store_error(w->s, d, "cannot read the run's results");
	return 0;
}

/* Whether the store has the three tables (created on first use): 1, 0,
 * or -1 with d filled. */
static int have_tables(struct store *s, struct diag *d)
{
	static const char *const tables[] = { "run_waiver_files", "run_waivers", "run_waived" };

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		int yes = store_table_exists(s, tables[i], d);

		if (yes <= 0)
			return yes;
	}
	return 1;
}

static int read_file_row(struct store *s, int64_t run_id, const struct waivers_reader *rd,
			 int *used, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT path, sha256, content FROM run_waiver_files WHERE run_id = ?1", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	*used = rc == SQLITE_ROW;
	if (*used && rd->file)
		rd->file((const char *)sqlite3_column_text(st, 0),
			 (const char *)sqlite3_column_text(st, 1), sqlite3_column_blob(st, 2),
			 (size_t)sqlite3_column_bytes(st, 2), rd->ctx);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
						      : store_error(s, d, "cannot read the waivers");
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t ? t : "";
}

static int read_entries(struct store *s, int64_t run_id, const struct waivers_reader *rd,
			struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT waiver_no, line, rule, account, resource, reason, approved_by, expires,"
	       " status, matched FROM run_waivers WHERE run_id = ?1 ORDER BY waiver_no", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct waiver_row r = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col(st, 2),
			col(st, 3), col(st, 4), col(st, 5), col(st, 6), col(st, 7), col(st, 8),
			sqlite3_column_int64(st, 9),
		};

		rd->entry(&r, rd->ctx);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, "cannot read the waivers");
}

static int read_waived(struct store *s, int64_t run_id, const struct waivers_reader *rd,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT u.pack_name, u.config_rule_name, w.account_id, w.aws_region,"
	       " w.resource_type, w.resource_id, w.waiver_no FROM run_waived AS w"
	       " JOIN run_rules AS u ON u.run_id = w.run_id AND u.rule_no = w.rule_no"
	       " WHERE w.run_id = ?1", d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rd->waived(col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5),
			   sqlite3_column_int64(st, 6), rd->ctx);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, "cannot read the waived results");
}

int waivers_read_run(struct store *s, int64_t run_id, const struct waivers_reader *rd,
		     struct diag *d)
{
	int yes = have_tables(s, d), used = 0;

	if (yes <= 0)
		return yes;
	if (read_file_row(s, run_id, rd, &used, d))
		return -1;
	if (!used)
		return 0;
	if ((rd->entry && read_entries(s, run_id, rd, d)) ||
	    (rd->waived && read_waived(s, run_id, rd, d)))
		return -1;
	return 1;
}
