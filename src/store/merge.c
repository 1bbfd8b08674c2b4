/*
 * merge: shard stores into one organization store (see merge.h).
 *
 * Tables are copied by name and column, so that tables other modules add
 * later (created with IF NOT EXISTS) merge too: the tables of runs
 * ("runs" and "run_*") carry only the merged run, and where they have an
 * account_id column, only the rows of accounts the shard owns; every
 * other table is copied whole with INSERT OR IGNORE (its keys are
 * content-derived, so a row two shards share is stored once).
 */
#include "store/merge.h"
#include "store/shards.h"
#include "store/store.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The run merged into the new store. */
#define MERGED_RUN_ID 1

/* What one shard contributes, read before anything is written. */
struct shard_in {
	const char *path;
	char sha256[SHA256_HEX_LEN];
	struct shard_selection sel;
	int64_t run_id;
	char *as_of, *tool_version, *filters, *started_at, *finished_at;
	char *files_sig, *rules_sig; /* the run's pack and rule files, rules and parameters */
	char *waivers_sig;           /* the SHA-256 of its waivers file, or "" */
	char (*owned)[SHARD_ACCOUNT_LEN];
	size_t n_owned;
};

static char *col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return xstrdup(t ? (const char *)t : "");
}

/* One text of a query on run run_id (the only column of its only row). */
static char *run_text(struct store *s, const char *sql, int64_t run_id, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(s, sql, d);
	char *text = NULL;

	if (!q)
		return NULL;
	sqlite3_bind_int64(q, 1, run_id);
	if (sqlite3_step(q) == SQLITE_ROW)
		text = col_dup(q, 0);
	else
		store_error(s, d, "reading the run");
	sqlite3_finalize(q);
	return text;
}

static const char files_sig_sql[] =
	"SELECT coalesce(group_concat(role || ' ' || name || ' ' || sha256, char(10)), '')"
	" FROM (SELECT role, name, sha256 FROM run_files WHERE run_id = ?1 ORDER BY role, name)";

static const char rules_sig_sql[] =
	"SELECT coalesce(group_concat(rule_no || ' ' || pack_name || ' ' || config_rule_name"
	"   || ' ' || identifier || ' ' || evaluated || ' ' || parameters || ' ' || scope"
	"   || ' ' || coalesce(rule_sha256, ''), char(10)), '')"
	" FROM (SELECT * FROM run_rules WHERE run_id = ?1 ORDER BY rule_no)";

/* The waivers file a run used (cfgaudit-waivers(5)); a store without
 * the table (no run used waivers) gives "". */
static const char waivers_sig_sql[] =
	"SELECT coalesce((SELECT sha256 FROM run_waiver_files WHERE run_id = ?1), '')";


/* The shard's latest complete run and what identifies its evaluation. */
static int read_run(struct store *s, struct shard_in *in, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(
	    s,
	    "SELECT run_id, as_of, tool_version, filters, started_at, finished_at FROM runs"
	    " WHERE status = 'complete' ORDER BY run_id DESC LIMIT 1",
	    d);
	int rc;

	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		in->run_id = sqlite3_column_int64(q, 0);
		in->as_of = col_dup(q, 1);
		in->tool_version = col_dup(q, 2);
		in->filters = col_dup(q, 3);
		in->started_at = col_dup(q, 4);
		in->finished_at = col_dup(q, 5);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return diag_set(d, in->path, 0, "holds no complete run: evaluate the shard first");
	if (rc != SQLITE_ROW)
		return store_error(s, d, "reading the runs");
	in->files_sig = run_text(s, files_sig_sql, in->run_id, d);
	in->rules_sig = in->files_sig ? run_text(s, rules_sig_sql, in->run_id, d) : NULL;
	if (in->rules_sig) {
		int t = store_table_exists(s, "run_waiver_files", d);

		in->waivers_sig = t < 0 ? NULL : t ? run_text(s, waivers_sig_sql, in->run_id, d)
						   : xstrdup("");
	}
	return in->waivers_sig ? 0 : -1;
}

/* The accounts of the run's scope that the shard owns. */
static int read_owned(struct store *s, struct shard_in *in, struct diag *d)
{
	sqlite3_stmt *q =
	    store_prepare(s, "SELECT DISTINCT account_id FROM run_scope WHERE run_id = ?1", d);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, in->run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(q, 0);

		if (!a || strlen(a) != 12 || !shard_owns(&in->sel, a))
			continue;
		in->owned = xrealloc(in->owned, (in->n_owned + 1) * sizeof(*in->owned));
		memcpy(in->owned[in->n_owned++], a, SHARD_ACCOUNT_LEN);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, "reading the run's scope");
}

static int read_shard(struct shard_in *in, struct diag *d)
{
	struct store *s;
	int rc;

	if (sha256_file(in->path, in->sha256, NULL, d))
		return -1;
	s = store_open(in->path, STORE_READ_ONLY, d);
	if (!s)
		return -1;
	rc = shard_load(s, &in->sel, d);
	if (!rc && !shard_active(&in->sel))
		rc = diag_set(d, in->path, 0,
			      "was not loaded as a shard (cfgaudit ingest --shard K/N or "
			      "--accounts FILE)");
	if (!rc)
		rc = read_run(s, in, d);
	if (!rc)
		rc = read_owned(s, in, d);
	store_close(s);
	return rc;
}

/* Do shard b and the first shard a agree on what decides a verdict? */
static int check_same_run(const struct shard_in *a, const struct shard_in *b, struct diag *d)
{
	static const char *const what[] = { "as-of time", "tool version",
					     "filters (--account, --region)", "pack and rule files",
					     "rules and parameters", "waivers file" };
	const char *const av[] = { a->as_of, a->tool_version, a->filters, a->files_sig,
				   a->rules_sig, a->waivers_sig };
	const char *const bv[] = { b->as_of, b->tool_version, b->filters, b->files_sig,
				   b->rules_sig, b->waivers_sig };

	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		if (strcmp(av[i], bv[i]))
			return diag_set(d, b->path, 0,
					"run %lld differs from run %lld of %s in its %s%s%s%s: "
					"every shard must evaluate the same pack, parameters and "
					"as-of time with the same cfgaudit",
					(long long)b->run_id, (long long)a->run_id, a->path, what[i],
					i < 2 ? " (" : "", i < 2 ? bv[i] : "", i < 2 ? ")" : "");
	return 0;
}

/* K/N shards: one N, each K once, none missing. */
static int check_shard_numbers(const struct shard_in *in, size_t n, struct diag *d)
{
	unsigned count = in[0].sel.n;
	char *seen;

	if (!count)
		return 0;
	seen = xcalloc(count, 1);
	for (size_t i = 0; i < n; i++) {
		const struct shard_selection *s = &in[i].sel;

		if (s->n != count) {
			free(seen);
			return diag_set(d, in[i].path, 0,
					"is not one of %u shards (%s splits into %u)", count,
					in[0].path, s->n);
		}
		if (seen[s->k]++) {
			free(seen);
			return diag_set(d, in[i].path, 0, "is shard %u/%u, as another input is",
					s->k, s->n);
		}
	}
	for (unsigned k = 0; k < count; k++)
		if (!seen[k]) {
			free(seen);
			return diag_set(d, NULL, 0,
					"shard %u/%u is missing: the merged report would lack its "
					"accounts",
					k, count);
		}
	free(seen);
	return 0;
}

struct owner {
	char account[SHARD_ACCOUNT_LEN];
	size_t shard;
};

static int owner_cmp(const void *a, const void *b)
{
	return strcmp(((const struct owner *)a)->account, ((const struct owner *)b)->account);
}

/* No account owned by two shards. */
static int check_disjoint(const struct shard_in *in, size_t n, long long *accounts,
			  struct diag *d)
{
	struct owner *o = NULL;
	size_t no = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < in[i].n_owned; j++) {
			o = xrealloc(o, (no + 1) * sizeof(*o));
			memcpy(o[no].account, in[i].owned[j], SHARD_ACCOUNT_LEN);
			o[no++].shard = i;
		}
	if (no)
		qsort(o, no, sizeof(*o), owner_cmp);
	for (size_t i = 1; i < no && !rc; i++)
		if (!strcmp(o[i].account, o[i - 1].account))
			rc = diag_set(d, in[o[i].shard].path, 0,
				      "account %s is in %s too: shards must not overlap",
				      o[i].account, in[o[i - 1].shard].path);
	*accounts = (long long)no;
	free(o);
	return rc;
}

static void shard_in_release(struct shard_in *in)
{
	shard_release(&in->sel);
	free(in->as_of);
	free(in->tool_version);
	free(in->filters);
	free(in->started_at);
	free(in->finished_at);
	free(in->files_sig);
	free(in->rules_sig);
	free(in->waivers_sig);
	free(in->owned);
}

/* ---- writing ---- */

/* Run sql with one text bound to ?1. */
static int exec_text(struct store *s, const char *sql, const char *text, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(s, sql, d);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_error(s, d, sql);
}

/* The columns of main.<table> as a list, and whether it has run_id and
 * account_id. Returns the number of columns (0: no such table). */
static int main_columns(struct store *s, const char *table, struct strbuf *cols, int *has_run,
			int *has_account, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(s, "SELECT name FROM pragma_table_info(?1, 'main')", d);
	int n = 0;

	*has_run = *has_account = 0;
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(q, 0);

		strbuf_addf(cols, "%s\"%s\"", n++ ? ", " : "", c);
		*has_run |= !strcmp(c, "run_id");
		*has_account |= !strcmp(c, "account_id");
	}
	sqlite3_finalize(q);
	return n;
}

/* Waivers are one file for all shards (checked), but each shard counted
 * the results it waived, its context accounts' included. Expired
 * waivers' counts ("would have waived") are summed here; active ones are
 * recounted from the merged waived results in recount_waivers. */
static int add_waiver_counts(struct store *s, const struct shard_in *in, struct diag *d)
{
	char *sql = xstrfmt(
	    "UPDATE main.run_waivers AS m SET matched = m.matched + w.matched"
	    " FROM sh.run_waivers AS w"
	    " WHERE w.run_id = %lld AND w.waiver_no = m.waiver_no AND m.status = 'expired'",
	    (long long)in->run_id);
	int rc = store_exec(s, sql, d);

	free(sql);
	return rc;
}

/* Active and unused waivers: what the merged run's waived results say. */
static int recount_waivers(struct store *s, struct diag *d)
{
	int waivers = store_table_exists(s, "run_waivers", d);
	int waived = waivers > 0 ? store_table_exists(s, "run_waived", d) : 0;

	if (waivers < 0 || waived < 0)
		return -1;
	if (!waived)
		return 0;
	return store_exec(
	    s,
	    "UPDATE main.run_waivers AS m SET"
	    "  matched = (SELECT count(*) FROM main.run_waived AS w WHERE w.waiver_no = m.waiver_no),"
	    "  status = CASE WHEN EXISTS (SELECT 1 FROM main.run_waived AS w"
	    "                             WHERE w.waiver_no = m.waiver_no) THEN 'active'"
	    "                ELSE 'unused' END"
	    " WHERE m.status <> 'expired'",
	    d);
}

/* Copy one attached table into main: for run tables, the merged run's
 * rows (under the shard's run id until renumber_runs), only the owned
 * accounts' where rows name one; every row otherwise. */
static int copy_table(struct store *s, const struct shard_in *in, int first, const char *table,
		      int run_table, struct diag *d)
{
	struct strbuf cols, sql;
	int has_run, has_account, n, rc = 0;

	strbuf_init(&cols, 256);
	strbuf_init(&sql, 512);
	n = main_columns(s, table, &cols, &has_run, &has_account, d);
	if (n <= 0) {
		rc = n < 0 ? -1 : diag_set(d, in->path, 0, "table %s: no columns", table);
		goto out;
	}
	run_table = run_table && has_run;
	if (run_table && !first && !strcmp(table, "run_waivers")) {
		rc = add_waiver_counts(s, in, d);
		goto out;
	}
	if (run_table && !has_account && !first)
		goto out; /* per-run rows (files, rules): equal in every shard */
	strbuf_addf(&sql, "INSERT OR IGNORE INTO main.\"%s\"(%s) SELECT %s FROM sh.\"%s\"", table,
		    cols.buf, cols.buf, table);
	if (run_table)
		strbuf_addf(&sql, " WHERE run_id = %lld%s", (long long)in->run_id,
			    has_account ? " AND account_id IN (SELECT account_id FROM temp.owned)"
					: "");
	rc = store_exec(s, sql.buf, d);
out:
	strbuf_release(&cols);
	strbuf_release(&sql);
	return rc;
}

/* The shard's results of its owned accounts, with the run_resources and
 * run_annotations rows they name: those are numbered across a store, so
 * the copies are renumbered after main's highest numbers (a shard's
 * rows are not shared with another's, and every copy stays in its
 * shard's order). */
static int copy_results(struct store *s, const struct shard_in *in, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(
	    s,
	    "SELECT (SELECT coalesce(max(resource_no), 0) FROM main.run_resources),"
	    " (SELECT coalesce(max(annotation_no), 0) FROM main.run_annotations)",
	    d);
	long long r, a;
	char *kept, *sql;
	int rc;

	if (!q)
		return -1;
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return store_error(s, d, "reading the merged results");
	}
	r = sqlite3_column_int64(q, 0);
	a = sqlite3_column_int64(q, 1);
	sqlite3_finalize(q);
	/* the run's results as it shows them: a run stored by reference to
	 * a base (eval --since-run) has only its own rows in run_results,
	 * the others in run_results_ref (copied after them) */
	kept = xstrfmt("FROM sh.run_results_all WHERE run_id = %lld"
		       " AND account_id IN (SELECT account_id FROM temp.owned)",
		       (long long)in->run_id);
	sql = xstrfmt("INSERT INTO main.run_resources(resource_no, resource_type, resource_id,"
		      " item_key) SELECT resource_no + %lld, resource_type, resource_id, item_key"
		      " FROM sh.run_resources WHERE resource_no IN (SELECT resource_no %s)"
		      " ORDER BY resource_no;\n"
		      "INSERT INTO main.run_annotations(annotation_no, annotation)"
		      " SELECT annotation_no + %lld, annotation FROM sh.run_annotations"
		      " WHERE annotation_no IN (SELECT annotation_no %s) ORDER BY annotation_no;\n"
		      "INSERT INTO main.run_results(run_id, rule_no, account_id, aws_region,"
		      " resource_no, verdict, annotation_no)"
		      " SELECT run_id, rule_no, account_id, aws_region, resource_no + %lld, verdict,"
		      " annotation_no + %lld FROM sh.run_results WHERE run_id = %lld"
		      " AND account_id IN (SELECT account_id FROM temp.owned) ORDER BY rowid;\n"
		      "INSERT INTO main.run_results(run_id, rule_no, account_id, aws_region,"
		      " resource_no, verdict, annotation_no)"
		      " SELECT run_id, rule_no, account_id, aws_region, resource_no + %lld, verdict,"
		      " annotation_no + %lld FROM sh.run_results_ref WHERE run_id = %lld"
		      " AND account_id IN (SELECT account_id FROM temp.owned)",
		      r, kept, a, kept, r, a, (long long)in->run_id, r, a, (long long)in->run_id);
	rc = store_exec(s, sql, d);
	free(kept);
	free(sql);
	return rc;
}

/* Every run table's rows now belong to the merged run (the shards' run
 * ids may differ; their rows are disjoint by account). */
static int renumber_runs(struct store *s, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(
	    s,
	    "SELECT name FROM main.sqlite_master WHERE type = 'table'"
	    " AND (name = 'runs' OR name LIKE 'run\\_%' ESCAPE '\\')"
	    " AND EXISTS (SELECT 1 FROM pragma_table_info(name) WHERE name = 'run_id')",
	    d);
	int rc = 0;

	if (!q)
		return -1;
	while (!rc && sqlite3_step(q) == SQLITE_ROW) {
		char *sql = xstrfmt("UPDATE main.\"%s\" SET run_id = %d",
				    (const char *)sqlite3_column_text(q, 0), MERGED_RUN_ID);

		rc = store_exec(s, sql, d);
		free(sql);
	}
	sqlite3_finalize(q);
	return rc;
}

/* The tables of the attached shard, with their DDL. */
static int copy_tables(struct store *s, const struct shard_in *in, int first, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(
	    s,
	    "SELECT t.name, t.sql, m.name IS NOT NULL FROM sh.sqlite_master AS t"
	    " LEFT JOIN main.sqlite_master AS m ON m.type = 'table' AND m.name = t.name"
	    " WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	    "   AND t.name NOT IN ('runs', 'shard_selection', 'merged_shards')"
	    /* the merged run is stored in full: none of its shards' bases,
	     * nor the digests of their results (store/run.h) */
	    "   AND t.name NOT IN ('run_chain', 'run_reach', 'run_stale', 'run_places', 'run_ref',"
	    "    'run_digest')"
	    " ORDER BY t.name",
	    d);
	int rc = 0;

	if (!q)
		return -1;
	while (!rc && sqlite3_step(q) == SQLITE_ROW) {
		char *name = xstrdup((const char *)sqlite3_column_text(q, 0));
		const char *ddl = (const char *)sqlite3_column_text(q, 1);

		/* a table another module creates on first use: the shard's DDL */
		if (!sqlite3_column_int(q, 2))
			rc = store_exec(s, ddl, d);
		if (rc || !strcmp(name, "run_resources") || !strcmp(name, "run_annotations"))
			; /* with their results */
		else if (!strcmp(name, "run_results"))
			rc = copy_results(s, in, d);
		else
			rc = copy_table(s, in, first, name, !strncmp(name, "run_", 4), d);
		free(name);
	}
	sqlite3_finalize(q);
	return rc;
}

/* The merged run's row: the first shard's, with the times of all. */
static int write_run(struct store *s, const struct shard_in *in, size_t n, struct diag *d)
{
	const char *started = in[0].started_at, *finished = in[0].finished_at;
	struct strbuf cols, sql;
	sqlite3_stmt *q;
	int has_run, has_account, rc;

	for (size_t i = 1; i < n; i++) {
		if (strcmp(in[i].started_at, started) < 0)
			started = in[i].started_at;
		if (strcmp(in[i].finished_at, finished) > 0)
			finished = in[i].finished_at;
	}
	strbuf_init(&cols, 256);
	strbuf_init(&sql, 512);
	rc = main_columns(s, "runs", &cols, &has_run, &has_account, d) > 0 ? 0 : -1;
	strbuf_addf(&sql, "INSERT INTO main.runs(%s) SELECT %s FROM sh.runs WHERE run_id = %lld",
		    cols.buf, cols.buf, (long long)in[0].run_id);
	if (!rc)
		rc = store_exec(s, sql.buf, d);
	q = rc ? NULL
	       : store_prepare(s, "UPDATE main.runs SET started_at = ?1, finished_at = ?2", d);
	if (q) {
		sqlite3_bind_text(q, 1, started, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, finished, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : store_error(s, d, "writing the run");
		sqlite3_finalize(q);
	} else {
		rc = -1;
	}
	strbuf_release(&cols);
	strbuf_release(&sql);
	return rc;
}

static const char merged_shards_sql[] =
	"CREATE TABLE IF NOT EXISTS merged_shards(\n"
	"  run_id       INTEGER NOT NULL,  -- the merged run\n"
	"  shard_path   TEXT NOT NULL,     -- as given to cfgaudit merge\n"
	"  shard_sha256 TEXT NOT NULL,     -- of the shard database file\n"
	"  shard_run_id INTEGER NOT NULL,  -- the run taken from it\n"
	"  selection    TEXT NOT NULL,     -- what it was loaded with\n"
	"  accounts     INTEGER NOT NULL   -- accounts it owns in the run\n"
	")";

static int note_shard(struct store *s, const struct shard_in *in, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(s,
					"INSERT INTO merged_shards VALUES (?1, ?2, ?3, ?4, ?5, ?6)", d);
	char sel[256];
	int rc;

	if (!q)
		return -1;
	shard_describe(&in->sel, sel, sizeof(sel));
	sqlite3_bind_int(q, 1, MERGED_RUN_ID);
	sqlite3_bind_text(q, 2, in->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, in->run_id);
	sqlite3_bind_text(q, 5, sel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, (long long)in->n_owned);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, "recording the shards");
}

/* The owned accounts of one shard, for the run tables' WHERE. */
static int fill_owned(struct store *s, const struct shard_in *in, struct diag *d)
{
	int rc = store_exec(s, "DELETE FROM temp.owned", d);

	for (size_t i = 0; i < in->n_owned && !rc; i++)
		rc = exec_text(s, "INSERT INTO temp.owned VALUES (?1)", in->owned[i], d);
	return rc;
}

/* Attach shard i of in[0..n) and copy what it contributes; the first
 * also gives the run's row. */
static int merge_one(struct store *s, const struct shard_in *all, size_t i, size_t n,
		     struct diag *d)
{
	const struct shard_in *in = &all[i];
	int rc = exec_text(s, "ATTACH DATABASE ?1 AS sh", in->path, d);

	if (rc)
		return -1;
	/* one transaction per shard (SQLite attaches only outside one); the
	 * file is renamed into place only when all are in */
	rc = store_begin(s, d);
	if (!rc)
		rc = fill_owned(s, in, d);
	if (!rc && i == 0)
		rc = write_run(s, all, n, d);
	if (!rc)
		rc = copy_tables(s, in, i == 0, d);
	if (!rc)
		rc = note_shard(s, in, d);
	if (!rc)
		rc = store_commit(s, d);
	else
		store_rollback(s);
	{
		struct diag dd;

		if (store_exec(s, "DETACH DATABASE sh", &dd) && !rc) {
			*d = dd;
			rc = -1;
		}
	}
	return rc;
}

static long long count_rows(struct store *s, const char *sql)
{
	struct diag d;
	sqlite3_stmt *q = store_prepare(s, sql, &d);
	long long n = 0;

	if (q && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* Write the merged store at tmp. */
static int write_merged(const char *tmp, const struct shard_in *in, size_t n,
			struct merge_stats *st, struct diag *d)
{
	struct store *s = store_open(tmp, STORE_READ_WRITE, d);
	int rc;

	if (!s)
		return -1;
	rc = store_exec(s, "CREATE TEMP TABLE owned(account_id TEXT PRIMARY KEY)", d);
	if (!rc)
		rc = store_exec(s, merged_shards_sql, d);
	for (size_t i = 0; i < n && !rc; i++)
		rc = merge_one(s, in, i, n, d);
	if (!rc)
		rc = renumber_runs(s, d);
	if (!rc)
		rc = recount_waivers(s, d);
	if (!rc) {
		st->results = count_rows(s, "SELECT count(*) FROM run_results");
		st->items = count_rows(s, "SELECT count(*) FROM items");
	}
	store_close(s);
	return rc;
}

int store_merge(const char *out, const char *const *paths, size_t n, struct merge_stats *st,
		struct diag *d)
{
	struct shard_in *in = xcalloc(n ? n : 1, sizeof(*in));
	char *tmp = xstrfmt("%s.tmp-%ld", out, (long)getpid());
	int rc = 0;

	memset(st, 0, sizeof(*st));
	st->shards = n;
	if (access(out, F_OK) == 0)
		rc = diag_set(d, out, 0, "exists already: cfgaudit merge writes a new database");
	for (size_t i = 0; i < n && !rc; i++) {
		in[i].path = paths[i];
		rc = read_shard(&in[i], d);
	}
	for (size_t i = 1; i < n && !rc; i++)
		rc = check_same_run(&in[0], &in[i], d);
	if (!rc)
		rc = check_shard_numbers(in, n, d);
	if (!rc)
		rc = check_disjoint(in, n, &st->accounts, d);
	if (!rc)
		rc = write_merged(tmp, in, n, st, d);
	if (!rc && rename(tmp, out) != 0)
		rc = diag_set(d, out, 0, "cannot rename the merged database into place");
	if (rc) {
		unlink(tmp);
		char *wal = xstrfmt("%s-wal", tmp), *shm = xstrfmt("%s-shm", tmp);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
	}
	for (size_t i = 0; i < n; i++)
		shard_in_release(&in[i]);
	free(in);
	free(tmp);
	return rc;
}
