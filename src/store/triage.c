/*
 * store/triage: the run_rule_triage table (see triage.h).
 */
#include "store/triage.h"
#include "store/walk.h"

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

int triage_write(struct store *s, int64_t run_id, int rule_no, const struct triage_info *t,
		 struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (store_exec(s, triage_ddl, d))
		return -1;
	st = walk_prepare(s,
			  "INSERT OR REPLACE INTO run_rule_triage(run_id, rule_no, severity,"
			  " severity_source, remediation, documentation)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			  run_id, 0, d);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 2, rule_no);
	sqlite3_bind_text(st, 3, t->severity, -1, SQLITE_STATIC);
	if (t->source)
		sqlite3_bind_text(st, 4, t->source, -1, SQLITE_STATIC);
	if (t->remediation)
		sqlite3_bind_text(st, 5, t->remediation, -1, SQLITE_STATIC);
	if (t->documentation)
		sqlite3_bind_text(st, 6, t->documentation, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	return walk_end(s, st, rc, d, "cannot record a rule's severity");
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
	st = walk_prepare(s,
			  "SELECT u.pack_name, u.config_rule_name, t.severity, t.severity_source,"
			  " t.remediation, t.documentation FROM run_rule_triage AS t"
			  " JOIN run_rules AS u ON u.run_id = t.run_id AND u.rule_no = t.rule_no"
			  " WHERE t.run_id = ?1",
			  run_id, 0, d);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct triage_info t = { walk_text(st, 2), walk_text(st, 3), walk_text(st, 4),
					 walk_text(st, 5) };

		if (!t.severity)
			t.severity = "";
		fn(walk_text(st, 0), walk_text(st, 1), &t, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the run's severities");
}
