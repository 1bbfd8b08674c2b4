/*
 * triage: per-rule severity, remediation and documentation of a run
 * (triage.h).
 */
#include "eval/triage.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char triage_ddl[] =
	"CREATE TABLE IF NOT EXISTS run_rule_triage(\n"
	"  run_id          INTEGER NOT NULL,\n"
	"  rule_no         INTEGER NOT NULL, -- run_rules.rule_no\n"
	"  severity        TEXT NOT NULL,    -- critical, high, medium, low; '' unrated\n"
	"  severity_source TEXT,             -- 'Security Hub S3.14', 'default: exposure', 'pack P'\n"
	"  remediation     TEXT,\n"
	"  documentation   TEXT,             -- AWS's page of the managed rule\n"
	"  PRIMARY KEY (run_id, rule_no)\n"
	");\n";

int triage_severity_rank(const char *severity)
{
	enum rule_severity s;

	if (!severity || rule_severity_parse(severity, &s))
		return 0;
	return (int)s;
}

int triage_store_rule(struct store *s, int64_t run_id, int rule_no, const struct rule *r,
		      const char *pack, const char *severity_override,
		      const char *remediation_override, struct diag *d)
{
	sqlite3_stmt *st;
	struct strbuf src = STRBUF_INIT;
	char *doc = r ? rule_doc_url(r) : NULL;
	const char *sev = r ? rule_severity_name(r->severity) : "";
	int rc = SQLITE_ERROR;

	if (severity_override) {
		sev = severity_override;
		strbuf_addf(&src, "pack %s", pack && *pack ? pack : "?");
	} else if (r && r->severity_source) {
		strbuf_addstr(&src, r->severity_source);
	}
	if (store_exec(s, triage_ddl, d)) {
		free(doc);
		strbuf_release(&src);
		return -1;
	}
	st = store_prepare(s,
			   "INSERT OR REPLACE INTO run_rule_triage(run_id, rule_no, severity,"
			   " severity_source, remediation, documentation)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			   d);
	if (st) {
		const char *rem = remediation_override ? remediation_override
				  : r ? r->remediation : NULL;

		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int(st, 2, rule_no);
		sqlite3_bind_text(st, 3, sev, -1, SQLITE_STATIC);
		if (src.len)
			sqlite3_bind_text(st, 4, src.buf, -1, SQLITE_STATIC);
		if (rem)
			sqlite3_bind_text(st, 5, rem, -1, SQLITE_STATIC);
		if (doc)
			sqlite3_bind_text(st, 6, doc, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			store_error(s, d, "cannot record a rule's severity");
	}
	free(doc);
	strbuf_release(&src);
	return st && rc == SQLITE_DONE ? 0 : -1;
}

int triage_load(struct store *s, int64_t run_id,
		void (*fn)(const char *pack, const char *rule, const struct triage_info *t,
			   void *ctx),
		void *ctx, struct diag *d)
{
	sqlite3_stmt *st;
	int exists = store_table_exists(s, "run_rule_triage", d), rc;

	if (exists <= 0)
		return exists;
	st = store_prepare(s,
			   "SELECT u.pack_name, u.config_rule_name, t.severity, t.severity_source,"
			   " t.remediation, t.documentation FROM run_rule_triage AS t"
			   " JOIN run_rules AS u ON u.run_id = t.run_id AND u.rule_no = t.rule_no"
			   " WHERE t.run_id = ?1",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct triage_info t = {
			(const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4),
			(const char *)sqlite3_column_text(st, 5),
		};

		if (!t.severity)
			t.severity = "";
		fn((const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1), &t, ctx);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the run's severities");
	return 0;
}
