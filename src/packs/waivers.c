/*
 * waivers: the waivers file, matching, and what a run records of it
 * (waivers.h, cfgaudit-waivers(5)).
 */
#include "packs/waivers.h"
#include "packs/yamltree.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* A waivers file is a short list; anything larger is a mistake. */
#define WAIVERS_FILE_MAX (4 * 1024 * 1024)
#define DAY_MS (86400LL * 1000)

static const char *const entry_keys[] = {
	"rule", "account", "resource", "reason", "approved_by", "expires",
};
#define N_KEYS (sizeof(entry_keys) / sizeof(entry_keys[0]))

void waivers_free(struct waivers *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].rule);
		free(w->v[i].account);
		free(w->v[i].resource);
		free(w->v[i].reason);
		free(w->v[i].approved_by);
		free(w->v[i].expires);
	}
	free(w->v);
	free(w->path);
	free(w->text);
	free(w);
}

static int valid_account(const char *a)
{
	if (!strcmp(a, "*"))
		return 1;
	if (strlen(a) != 12)
		return 0;
	for (; *a; a++)
		if (*a < '0' || *a > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD", a real date: the first millisecond after that day. */
static int parse_expiry(const char *s, int64_t *ms)
{
	char iso[TIME_ISO_LEN];
	int64_t start;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || time_parse_iso(s, &start))
		return -1;
	/* time_parse_iso may normalize 2026-02-30; a round trip rejects it. */
	time_format_iso(start, iso);
	if (strncmp(iso, s, 10))
		return -1;
	*ms = start + DAY_MS;
	return 0;
}

/* The six values of one entry, in entry_keys order (borrowed). */
static int entry_values(const char *path, const struct ynode *e, const char *val[N_KEYS],
			struct diag *d)
{
	if (e->kind != YN_MAP)
		return diag_set(d, path, e->line, "a waiver must be a mapping of %s, %s, %s, %s, "
				"%s and %s", entry_keys[0], entry_keys[1], entry_keys[2],
				entry_keys[3], entry_keys[4], entry_keys[5]);
	for (size_t k = 0; k < N_KEYS; k++)
		val[k] = NULL;
	for (size_t i = 0; i < e->n; i++) {
		const struct ynode *key = ymap_key(e, i), *v = ymap_val(e, i);
		size_t k;

		for (k = 0; k < N_KEYS; k++)
			if (yscalar_is(key, entry_keys[k]))
				break;
		if (k == N_KEYS)
			return diag_set(d, path, key->line, "unknown waiver key '%.100s'",
					key->kind == YN_SCALAR ? key->text : "?");
		if (v->kind != YN_SCALAR || strlen(v->text) != v->text_len || !*v->text)
			return diag_set(d, path, v->line, "waiver '%s' must be a non-empty string",
					entry_keys[k]);
		val[k] = v->text;
	}
	for (size_t k = 0; k < N_KEYS; k++)
		if (!val[k])
			return diag_set(d, path, e->line, "waiver has no '%s'", entry_keys[k]);
	return 0;
}

static int load_entry(struct waivers *w, const struct ynode *e, struct diag *d)
{
	const char *val[N_KEYS];
	struct waiver *x;
	int64_t expires_ms;

	if (entry_values(w->path, e, val, d))
		return -1;
	if (!valid_account(val[1]))
		return diag_set(d, w->path, e->line,
				"waiver account '%.100s' is not a 12-digit account id or '*'", val[1]);
	if (parse_expiry(val[5], &expires_ms))
		return diag_set(d, w->path, e->line, "waiver expires '%.100s' is not a date "
				"(YYYY-MM-DD)", val[5]);
	x = &w->v[w->n++];
	x->rule = xstrdup(val[0]);
	x->account = xstrdup(val[1]);
	x->resource = xstrdup(val[2]);
	x->reason = xstrdup(val[3]);
	x->approved_by = xstrdup(val[4]);
	x->expires = xstrdup(val[5]);
	x->expires_ms = expires_ms;
	x->line = e->line;
	return 0;
}

struct waivers *waivers_load(const char *path, struct diag *d)
{
	struct waivers *w = xcalloc(1, sizeof(*w));
	struct strbuf sb = STRBUF_INIT;
	struct ynode *root = NULL;

	w->path = xstrdup(path);
	if (read_file(path, &sb, WAIVERS_FILE_MAX, d))
		goto fail;
	w->text = strbuf_detach(&sb, &w->len);
	sha256_hex(w->text, w->len, w->sha256);
	root = ytree_parse(path, w->text, w->len, d);
	if (!root)
		goto fail;
	if (root->kind != YN_SEQ) {
		diag_set(d, path, root->line, "a waivers file is a list of waivers");
		goto fail;
	}
	w->v = xcalloc(root->n ? root->n : 1, sizeof(*w->v));
	for (size_t i = 0; i < root->n; i++)
		if (load_entry(w, root->items[i], d))
			goto fail;
	ynode_free(root);
	return w;
fail:
	ynode_free(root);
	strbuf_release(&sb);
	waivers_free(w);
	return NULL;
}

int waivers_check_rules(const struct waivers *w, const struct ruleset *rs, struct diag *d)
{
	size_t n_ids = 0;
	char **ids = NULL;
	char **names = NULL;
	int ret = 0;

	for (size_t i = 0; i < w->n && !ret; i++) {
		struct rule *r = NULL;
		struct diag rd;
		int found = ruleset_find(rs, w->v[i].rule, &r, &rd);

		rule_free(r);
		if (found > 0)
			continue;
		if (!ids) { /* managed-rule names: read every rule once */
			ids = ruleset_list(rs, &n_ids);
			names = xcalloc(n_ids + 1, sizeof(*names));
			for (size_t k = 0; k < n_ids; k++) {
				struct rule *x = NULL;

				if (ruleset_find(rs, ids[k], &x, &rd) > 0)
					names[k] = xstrdup(x->name);
				rule_free(x);
			}
		}
		found = 0;
		for (size_t k = 0; k < n_ids && !found; k++)
			found = names[k] && !strcmp(names[k], w->v[i].rule);
		if (!found)
			ret = diag_set(d, w->path, w->v[i].line,
				       "waiver names unknown rule '%.200s' (see 'cfgaudit rules list')",
				       w->v[i].rule);
	}
	for (size_t k = 0; k < n_ids; k++) {
		free(ids[k]);
		free(names[k]);
	}
	free(ids);
	free(names);
	return ret;
}

/* ---- What a run records ---- */

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

static int rule_matches(const struct waiver *x, const struct waiver_rule *r)
{
	return (r->identifier && !strcmp(x->rule, r->identifier)) ||
	       (r->name && !strcmp(x->rule, r->name)) ||
	       (r->config_rule_name && !strcmp(x->rule, r->config_rule_name));
}

static int resource_matches(const struct waiver *x, const char *account, const char *id,
			    const char *arn)
{
	if (strcmp(x->account, "*") && strcmp(x->account, account))
		return 0;
	return (id && !fnmatch(x->resource, id, 0)) || (arn && !fnmatch(x->resource, arn, 0));
}

/* Match the NON_COMPLIANT results of one rule. */
static int match_rule(struct store *s, sqlite3_stmt *sel, sqlite3_stmt *ins, int64_t run_id,
		      const struct waivers *w, const struct waiver_rule *r, int64_t now_ms,
		      long *matched, long *waived, struct diag *d)
{
	int rc;

	sqlite3_reset(sel);
	sqlite3_bind_int64(sel, 1, run_id);
	sqlite3_bind_int(sel, 2, r->rule_no);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *acct = (const char *)sqlite3_column_text(sel, 0);
		const char *id = (const char *)sqlite3_column_text(sel, 3);
		const char *arn = (const char *)sqlite3_column_text(sel, 4);
		long live = -1;

		/* The first unexpired entry waives; every expired one that
		 * matches counts what it would have waived. */
		for (size_t k = 0; k < w->n; k++) {
			if (!rule_matches(&w->v[k], r) || !resource_matches(&w->v[k], acct, id, arn))
				continue;
			if (now_ms >= w->v[k].expires_ms)
				matched[k]++;
			else if (live < 0)
				live = (long)k;
		}
		if (live < 0)
			continue;
		matched[live]++;
		(*waived)++;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, run_id);
		sqlite3_bind_int(ins, 2, r->rule_no);
		for (int c = 0; c < 4; c++)
			sqlite3_bind_value(ins, 3 + c, sqlite3_column_value(sel, c));
		sqlite3_bind_int64(ins, 7, live);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return store_error(s, d, "cannot record a waived result");
	}
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the run's results");
	return 0;
}

static int store_entries(struct store *s, int64_t run_id, const struct waivers *w,
			 const long *matched, int64_t now_ms, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO run_waivers(run_id, waiver_no, line, rule, account, resource, reason,"
	    " approved_by, expires, status, matched) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	    d);
	int ret = 0;

	if (!st)
		return -1;
	for (size_t k = 0; k < w->n && !ret; k++) {
		const struct waiver *x = &w->v[k];
		const char *status = now_ms >= x->expires_ms ? "expired"
				     : matched[k]	     ? "active"
							     : "unused";

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)k);
		sqlite3_bind_int64(st, 3, x->line);
		sqlite3_bind_text(st, 4, x->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, x->account, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, x->resource, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, x->reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, x->approved_by, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, x->expires, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 11, matched[k]);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = store_error(s, d, "cannot record a waiver");
	}
	sqlite3_finalize(st);
	return ret;
}

static int store_file(struct store *s, int64_t run_id, const struct waivers *w, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "INSERT INTO run_waiver_files(run_id, path, sha256, content)"
					 " VALUES (?1, ?2, ?3, ?4)",
					 d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, w->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, w->text, (int)w->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, "cannot record the waivers file");
}

int waivers_store_run(struct store *s, int64_t run_id, const struct waivers *w,
		      const struct waiver_rule *rules, size_t n_rules, int64_t now_ms,
		      long *waived, struct diag *d)
{
	long *matched = xcalloc(w->n ? w->n : 1, sizeof(*matched));
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int ret = -1;

	*waived = 0;
	if (store_exec(s, waivers_ddl, d) || store_file(s, run_id, w, d))
		goto out;
	sel = store_prepare(s,
			    "SELECT r.account_id, r.aws_region, r.resource_type, r.resource_id, i.arn"
			    " FROM run_results AS r LEFT JOIN items AS i ON i.item_key = r.item_key"
			    " WHERE r.run_id = ?1 AND r.rule_no = ?2"
			    " AND r.compliance_type = 'NON_COMPLIANT'",
			    d);
	ins = store_prepare(s,
			    "INSERT OR IGNORE INTO run_waived(run_id, rule_no, account_id, aws_region,"
			    " resource_type, resource_id, waiver_no) VALUES (?1,?2,?3,?4,?5,?6,?7)",
			    d);
	if (!sel || !ins)
		goto out;
	for (size_t i = 0; i < n_rules; i++) {
		int any = 0;

		for (size_t k = 0; k < w->n && !any; k++)
			any = rule_matches(&w->v[k], &rules[i]);
		if (any && match_rule(s, sel, ins, run_id, w, &rules[i], now_ms, matched, waived, d))
			goto out;
	}
	ret = store_entries(s, run_id, w, matched, now_ms, d);
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	free(matched);
	return ret;
}

static int have_tables(struct store *s, int *yes, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
	       " ('run_waiver_files', 'run_waivers', 'run_waived')", d);

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot read the schema");
	}
	*yes = sqlite3_column_int(st, 0) == 3;
	sqlite3_finalize(st);
	return 0;
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
	int yes = 0, used = 0;

	if (have_tables(s, &yes, d))
		return -1;
	if (!yes)
		return 0;
	if (read_file_row(s, run_id, rd, &used, d))
		return -1;
	if (!used)
		return 0;
	if ((rd->entry && read_entries(s, run_id, rd, d)) ||
	    (rd->waived && read_waived(s, run_id, rd, d)))
		return -1;
	return 1;
}
