/*
 * since_timed: the resources a rule of the evaluation time re-evaluates
 * although they did not change (see since_timed.h).
 */
#include "store/since_timed.h"
#include "store/since.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The prior results are read through the results view (unqualified: it
 * may become a TEMP one), which resolves a run's results whatever way
 * they are stored; their item version must be the current one (a changed
 * resource is re-evaluated already). */
static const char timed_sql[] =
	"INSERT OR IGNORE INTO temp.since_timed(rid)"
	" SELECT i.rowid FROM results r JOIN main.items i ON i.item_key = r.item_key"
	" WHERE r.run_id = ?1 AND r.pack_name = ?2 AND r.config_rule_name = ?3"
	"  AND r.compliance_type IN (%s)"
	"  AND EXISTS (SELECT 1 FROM pit_items p WHERE p.resource_type = i.resource_type"
	"   AND p.resource_id = i.resource_id AND p.account_id = i.account_id"
	"   AND p.region = i.region AND p.rid = i.rowid)";

/* Add the resources of rule r to temp.since_timed, with *st the statement
 * of the rule before (prepared again only for other verdicts: a prepare
 * of the results view costs more than its step). */
static int add_rule(struct store *s, int64_t prior_id, const struct since_timed_rule *r,
		    const struct since_timed_rule *before, sqlite3_stmt **st, struct diag *d)
{
	int rc;

	if (!*st || strcmp(before->verdicts, r->verdicts)) {
		char *list = since_type_list(r->verdicts), *sql = xstrfmt(timed_sql, list);

		sqlite3_finalize(*st);
		*st = store_prepare(s, sql, d);
		free(list);
		free(sql);
		if (!*st)
			return -1;
	}
	sqlite3_reset(*st);
	sqlite3_bind_int64(*st, 1, prior_id);
	sqlite3_bind_text(*st, 2, r->pack_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 3, r->config_rule_name, -1, SQLITE_STATIC);
	rc = sqlite3_step(*st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the prior results of a rule of the time");
	return 0;
}

int since_timed_add(struct store *s, int64_t prior_id, const struct since_timed_rule *rules,
		    size_t n, long *added, struct diag *d)
{
	sqlite3_stmt *st = NULL;

	*added = 0;
	if (!n)
		return 0;
	if (store_exec(s,
		       "DROP TABLE IF EXISTS temp.since_timed;"
		       "CREATE TEMP TABLE since_timed(rid INTEGER PRIMARY KEY);",
		       d))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (add_rule(s, prior_id, &rules[i], i ? &rules[i - 1] : NULL, &st, d)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (store_exec(s,
		       "INSERT OR IGNORE INTO temp.since_changed SELECT resource_type, resource_id,"
		       " account_id, region FROM main.items"
		       " WHERE rowid IN (SELECT rid FROM temp.since_timed);",
		       d))
		return -1;
	*added = sqlite3_changes(s->db);
	return store_exec(s,
			  "INSERT OR IGNORE INTO temp.since_stale SELECT rid FROM temp.since_timed;"
			  "INSERT OR IGNORE INTO temp.since_places SELECT resource_type,"
			  " account_id, region FROM main.items"
			  " WHERE rowid IN (SELECT rid FROM temp.since_timed);"
			  "DROP TABLE temp.since_timed;",
			  d);
}
