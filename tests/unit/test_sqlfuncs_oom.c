/*
 * test_sqlfuncs_oom: the SQL helpers when SQLite runs out of memory. An
 * allocator that fails after N successful allocations is installed, and
 * each query is run for every N until it completes: every run must give
 * either the right answer or an out-of-memory error, never a different
 * answer (such as a NULL taken for a missing value) and never a crash.
 * The arguments are integers so that the helpers' own text conversions
 * allocate too. A separate program, because SQLite's allocator is
 * process-wide.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "eval/sqlfuncs.h"
#include "tests/unit/tap.h"

static sqlite3_mem_methods real;
static long budget = -1; /* allocations left before failing; -1 = unlimited */
static int failed;	 /* an allocation was refused in this run */

static void *fail_malloc(int n)
{
	if (budget == 0) {
		failed = 1;
		return NULL;
	}
	if (budget > 0)
		budget--;
	return real.xMalloc(n);
}

static void *fail_realloc(void *p, int n)
{
	if (budget == 0) {
		failed = 1;
		return NULL;
	}
	if (budget > 0)
		budget--;
	return real.xRealloc(p, n);
}

/* Run sql once: "ROW:value", "ERR:message". */
static void run(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* Numbers are formatted here: converting them with
		 * sqlite3_column_text would itself allocate. */
		switch (sqlite3_column_type(st, 0)) {
		case SQLITE_NULL:
			snprintf(out, n, "ROW:NULL");
			break;
		case SQLITE_INTEGER:
			snprintf(out, n, "ROW:%lld", (long long)sqlite3_column_int64(st, 0));
			break;
		case SQLITE_FLOAT:
			snprintf(out, n, "ROW:%.6f", sqlite3_column_double(st, 0));
			break;
		default:
			snprintf(out, n, "ROW:%s", (const char *)sqlite3_column_text(st, 0));
			break;
		}
	} else {
		snprintf(out, n, "ERR:%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
}

static void check(sqlite3 *db, const char *sql)
{
	char want[512], got[512];
	int bad = 0, runs = 0;

	budget = -1;
	run(db, sql, want, sizeof(want));
	for (long n = 0; n < 10000; n++) {
		failed = 0;
		budget = n;
		run(db, sql, got, sizeof(got));
		budget = -1;
		runs++;
		if (strcmp(got, want) && !strstr(got, "out of memory")) {
			if (bad++ < 3)
				printf("# budget %ld: got '%s', expected '%s'\n", n, got, want);
		}
		if (!failed)
			break;
	}
	ok(bad == 0 && !strncmp(want, "ROW:", 4), "%s -> %s under %d allocation failures", sql,
	   want, runs - 1);
}

int main(void)
{
	sqlite3_mem_methods m;
	sqlite3 *db;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) != SQLITE_OK)
		return 1;
	m = real;
	m.xMalloc = fail_malloc;
	m.xRealloc = fail_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK ||
	    sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;
	is_int(sqlfuncs_register(db, 1795867200000LL), SQLITE_OK, "register");

	/* Integer arguments make SQLite allocate their text form. */
	check(db, "SELECT csv_contains('1,22,333', 333)");
	check(db, "SELECT ports_within(443, 443, 443)");
	check(db, "SELECT regexp('^4[0-9]$', 42)");
	check(db, "SELECT cidr_is_open(0)");
	check(db, "SELECT url_decode(7)");
	check(db, "SELECT json_unstring('\"{}\"')");
	check(db, "SELECT port_in_rule('tcp', '20', '25', 22)");
	check(db, "SELECT age_days('2026-11-27T12:00:00Z')");
	check(db, "SELECT policy_is_public('{\"Statement\":{\"Effect\":\"Allow\","
		  "\"Principal\":\"*\",\"Action\":\"s3:*\"}}', 's3:GetObject')");
	check(db, "SELECT policy_admin_statement('{\"Statement\":{\"Effect\":\"Allow\","
		  "\"Action\":\"*\",\"Resource\":\"*\"}}')");
	check(db, "SELECT as_of()");
	sqlite3_close(db);
	return tap_done();
}
