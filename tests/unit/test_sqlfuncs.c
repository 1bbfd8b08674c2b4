/*
 * test_sqlfuncs: the SQL helper functions of cfgaudit-rules(5), run as
 * real SQL on an in-memory connection, the way rule files call them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "eval/sqlfuncs.h"
#include "tests/unit/tap.h"

static sqlite3 *db;

/* 2026-11-28T12:00:00.000Z */
#define AS_OF_MS 1795867200000LL

/* Run sql and return the first column of its first row as text: "NULL"
 * for SQL NULL, "(no row)", or "ERROR: message". The buffer is static:
 * compare before the next call. */
static const char *q(const char *sql)
{
	static char out[65536];
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
		return out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, sizeof(out), "%s", t ? (const char *)t : "NULL");
	} else if (rc == SQLITE_DONE) {
		snprintf(out, sizeof(out), "(no row)");
	} else {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return out;
}

/* Expect sql to give want. */
#define Q(sql, want) is_str(q(sql), want, "%s", sql)

static void test_regexp(void)
{
	unsigned long before;
	const char *r;

	Q("SELECT regexp('^sg-[0-9a-f]+$', 'sg-0abc12')", "1");
	Q("SELECT 'sg-0abc12' REGEXP '^sg-[0-9a-f]+$'", "1");
	Q("SELECT regexp('^prod', 'dev-prod')", "0");
	Q("SELECT regexp(NULL, 'x')", "NULL");
	Q("SELECT regexp('x', NULL)", "NULL");
	Q("SELECT regexp('(?i)^PROD', 'production')", "1");
	/* UTF mode: '.' is one character, and invalid UTF-8 in the subject is
	 * no error. */
	Q("SELECT regexp('^.$', 'é')", "1");
	Q("SELECT regexp('^a.c$', CAST(X'61FF63' AS TEXT))", "0");
	Q("SELECT regexp('b', CAST(X'61FF62' AS TEXT))", "1");
	Q("SELECT regexp('^1', 123)", "1");

	r = q("SELECT regexp('a(b', 'ab')");
	ok(strstr(r, "ERROR") && strstr(r, "a(b") && strstr(r, "missing closing parenthesis") &&
		   strstr(r, "offset 3"),
	   "bad pattern is an SQL error naming the pattern, PCRE2's message and offset: %s", r);
	r = q("SELECT regexp(CAST(X'28FF29' AS TEXT), 'x')");
	ok(strstr(r, "ERROR") && strstr(r, "UTF-8"), "invalid UTF-8 pattern is an error: %s", r);
	r = q("SELECT regexp('(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab')");
	ok(!strcmp(r, "0") || (strstr(r, "ERROR") && strstr(r, "limit")),
	   "catastrophic backtracking ends (no match or a limit error): %s", r);

	/* Compiled once per statement, not once per row. */
	before = sqlfuncs_regexp_compiles();
	Q("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
	  "SELECT count(*) FROM n WHERE regexp('^[0-9]*7$', i)",
	  "100");
	ok(sqlfuncs_regexp_compiles() - before == 1, "1000 rows, one compile (%lu)",
	   sqlfuncs_regexp_compiles() - before);
	before = sqlfuncs_regexp_compiles();
	Q("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
	  "SELECT count(*) FROM n WHERE CAST(i AS TEXT) REGEXP '^1'",
	  "112");
	ok(sqlfuncs_regexp_compiles() - before == 1, "REGEXP operator: one compile (%lu)",
	   sqlfuncs_regexp_compiles() - before);
}

static void test_cidr(void)
{
	Q("SELECT cidr_is_open('0.0.0.0/0')", "1");
	Q("SELECT cidr_is_open('::/0')", "1");
	Q("SELECT cidr_is_open(' 0.0.0.0/0 ')", "1");
	Q("SELECT cidr_is_open('::0/0')", "1");
	Q("SELECT cidr_is_open('0.0.0.0/1')", "0");
	Q("SELECT cidr_is_open('10.0.0.0/8')", "0");
	Q("SELECT cidr_is_open('2001:db8::/32')", "0");
	Q("SELECT cidr_is_open('0.0.0.0')", "0");
	Q("SELECT cidr_is_open('0.0.0.0/33')", "0");
	Q("SELECT cidr_is_open('0.0.0.0/')", "0");
	Q("SELECT cidr_is_open('0.0.0.0/0x')", "0");
	Q("SELECT cidr_is_open('junk')", "0");
	Q("SELECT cidr_is_open('')", "0");
	Q("SELECT cidr_is_open(CAST(X'302E302E302E30002F30' AS TEXT))", "0");
	Q("SELECT cidr_is_open(NULL)", "NULL");

	Q("SELECT cidr_contains('10.0.0.0/8', '10.1.2.3')", "1");
	Q("SELECT cidr_contains('10.0.0.0/8', '10.1.0.0/16')", "1");
	Q("SELECT cidr_contains('10.0.0.0/8', '11.0.0.0/16')", "0");
	Q("SELECT cidr_contains('10.1.0.0/16', '10.0.0.0/8')", "0");
	Q("SELECT cidr_contains('10.0.0.1/8', '10.200.0.1')", "1");
	Q("SELECT cidr_contains('192.168.1.0/25', '192.168.1.127')", "1");
	Q("SELECT cidr_contains('192.168.1.0/25', '192.168.1.128')", "0");
	Q("SELECT cidr_contains('0.0.0.0/0', '203.0.113.9/32')", "1");
	Q("SELECT cidr_contains('2001:db8::/32', '2001:db8:1::/48')", "1");
	Q("SELECT cidr_contains('2001:db8::/33', '2001:db8:8000::1')", "0");
	Q("SELECT cidr_contains('::/0', '10.0.0.1')", "0");
	Q("SELECT cidr_contains('10.0.0.0/8', '::1')", "0");
	Q("SELECT cidr_contains('10.0.0.0/8', 'nope')", "NULL");
	Q("SELECT cidr_contains('10.0.0.0/129', '10.0.0.1')", "NULL");
	Q("SELECT cidr_contains('010.0.0.0/8', '10.0.0.1')", "NULL");
	Q("SELECT cidr_contains('2001:db8::/129', '2001:db8::1')", "NULL");
	Q("SELECT cidr_contains(NULL, '10.0.0.1')", "NULL");
	Q("SELECT cidr_contains('10.0.0.0/8', NULL)", "NULL");
}

static void test_ports(void)
{
	/* All traffic covers every port, whatever the bounds say. */
	Q("SELECT port_in_rule('-1', NULL, NULL, 22)", "1");
	Q("SELECT port_in_rule(-1, -1, -1, 22)", "1");
	Q("SELECT port_in_rule('all', NULL, NULL, 3389)", "1");
	Q("SELECT port_in_rule('tcp', 22, 22, 22)", "1");
	Q("SELECT port_in_rule('TCP', 20, 25, 22)", "1");
	Q("SELECT port_in_rule('6', '0', '65535', 22)", "1");
	Q("SELECT port_in_rule(6, 80, 80, 22)", "0");
	Q("SELECT port_in_rule('tcp', 23, 1024, 22)", "0");
	Q("SELECT port_in_rule('tcp', NULL, NULL, 22)", "1");
	Q("SELECT port_in_rule('tcp', -1, -1, 22)", "1");
	Q("SELECT port_in_rule('tcp', 25, 20, 22)", "1");
	Q("SELECT port_in_rule('tcp', ' 22 ', '22', 22)", "1");
	Q("SELECT port_in_rule('tcp', 22.0, 22.0, '22')", "1");
	Q("SELECT port_in_rule('udp', 22, 22, 22)", "0");
	Q("SELECT port_in_rule('17', NULL, NULL, 22)", "0");
	Q("SELECT port_in_rule('icmp', -1, -1, 22)", "0");
	Q("SELECT port_in_rule('', 22, 22, 22)", "0");
	Q("SELECT port_in_rule(NULL, 22, 22, 22)", "NULL");
	Q("SELECT port_in_rule('tcp', 22, 22, NULL)", "NULL");
	Q("SELECT port_in_rule('tcp', 'x', 22, 22)", "NULL");
	Q("SELECT port_in_rule('tcp', 22.5, 23, 22)", "NULL");

	Q("SELECT port_range_overlaps('tcp', 1000, 2000, 1500, 3000)", "1");
	Q("SELECT port_range_overlaps('tcp', 1000, 2000, 2000, 3000)", "1");
	Q("SELECT port_range_overlaps('tcp', 1000, 2000, 2001, 3000)", "0");
	Q("SELECT port_range_overlaps('tcp', 1000, 2000, 3000, 1500)", "1");
	Q("SELECT port_range_overlaps('-1', NULL, NULL, 5, 5)", "1");
	Q("SELECT port_range_overlaps('udp', 0, 65535, 5, 5)", "0");
	Q("SELECT port_range_overlaps('tcp', 1, 2, NULL, 5)", "NULL");

	Q("SELECT ports_within('443,1020-1025', 443, 443)", "1");
	Q("SELECT ports_within('443,1020-1025', 1021, 1025)", "1");
	Q("SELECT ports_within('443,1020-1025', 1021, 1026)", "0");
	Q("SELECT ports_within('443, 1020 - 1025 ,', 1020, 1020)", "1");
	Q("SELECT ports_within('80-90,91-95', 85, 95)", "1");
	Q("SELECT ports_within('91-95,80-90', 85, 95)", "1");
	Q("SELECT ports_within('80-90,92-95', 85, 95)", "0");
	Q("SELECT ports_within('1025-1020', 1022, 1022)", "1");
	Q("SELECT ports_within('0-65535', NULL, NULL)", "1");
	Q("SELECT ports_within('0-65534', -1, -1)", "0");
	Q("SELECT ports_within('443', 444, 443)", "0");
	Q("SELECT ports_within('', 443, 443)", "0");
	Q("SELECT ports_within(NULL, 443, 443)", "0");
	Q("SELECT ports_within('443,http', 443, 443)", "NULL");
	Q("SELECT ports_within('70000', 443, 443)", "NULL");
	Q("SELECT ports_within('443', 'x', 443)", "NULL");
}

static void test_strings(void)
{
	Q("SELECT csv_contains('20, 21, 3306 ,3389', '3306')", "1");
	Q("SELECT csv_contains('20,21', 21)", "1");
	Q("SELECT csv_contains('20,21', '2')", "0");
	Q("SELECT csv_contains('a,,b', '')", "1");
	Q("SELECT csv_contains('a,b', '')", "0");
	Q("SELECT csv_contains('Prod', 'prod')", "0");
	Q("SELECT csv_contains(NULL, 'a')", "NULL");
	Q("SELECT csv_contains('a', NULL)", "NULL");

	Q("SELECT url_decode('%7B%22Version%22%3A%222012-10-17%22%7D')",
	  "{\"Version\":\"2012-10-17\"}");
	Q("SELECT url_decode('a+b%20c')", "a+b c");
	Q("SELECT url_decode('100%')", "100%");
	Q("SELECT url_decode('%zz%4')", "%zz%4");
	Q("SELECT url_decode('%e2%82%ac')", "\xe2\x82\xac");
	Q("SELECT length(url_decode('%00x'))", "0");
	Q("SELECT hex(CAST(url_decode('%00x') AS BLOB))", "0078");
	Q("SELECT url_decode(NULL)", "NULL");

	Q("SELECT json_unstring('\"{\\\"a\\\":1}\"')", "{\"a\":1}");
	Q("SELECT json_unstring('{\"a\":1}')", "{\"a\":1}");
	Q("SELECT json_unstring('\"plain text\"')", "\"plain text\"");
	Q("SELECT json_unstring('not json')", "not json");
	Q("SELECT json_unstring('\"[1,2]\"')", "[1,2]");
	Q("SELECT json_unstring(json_object('p', json('{\"x\":1}')) -> '$.p')", "{\"x\":1}");
	Q("SELECT json_unstring(json_quote('{\"Statement\":[]}'))", "{\"Statement\":[]}");
	Q("SELECT json_unstring(42)", "42");
	Q("SELECT typeof(json_unstring(42))", "integer");
	Q("SELECT json_unstring(NULL)", "NULL");
}

static void test_times(void)
{
	Q("SELECT as_of()", "2026-11-28T12:00:00.000Z");
	Q("SELECT age_days('2026-11-27T12:00:00.000Z')", "1.0");
	Q("SELECT age_days('2026-11-27T12:00:00Z')", "1.0");
	Q("SELECT age_days('2026-11-28')", "0.5");
	Q("SELECT age_days('2026-11-28 06:00:00+00:00')", "0.25");
	Q("SELECT age_days('2026-11-28T13:00:00+01:00')", "0.0");
	Q("SELECT age_days(' 2026-11-27T12:00:00.000Z ')", "1.0");
	Q("SELECT age_days(1795780800000)", "1.0");
	Q("SELECT age_days(1795780800)", "1.0");
	Q("SELECT age_days('1795780800')", "1.0");
	Q("SELECT age_days(1795780800.0)", "1.0");
	Q("SELECT days_until('2026-12-28T12:00:00.000Z')", "30.0");
	Q("SELECT days_until('2026-11-27T12:00:00.000Z')", "-1.0");
	Q("SELECT typeof(age_days('2020-01-01'))", "real");
	Q("SELECT age_days('yesterday')", "NULL");
	Q("SELECT age_days('2026-02-30')", "NULL");
	Q("SELECT age_days('0x10')", "NULL");
	Q("SELECT age_days('inf')", "NULL");
	Q("SELECT age_days('')", "NULL");
	Q("SELECT age_days(1e300)", "NULL");
	Q("SELECT age_days(NULL)", "NULL");
	Q("SELECT days_until(NULL)", "NULL");

	/* Registering again moves the evaluation time. */
	is_int(sqlfuncs_register(db, AS_OF_MS + 86400000LL), SQLITE_OK, "register again");
	Q("SELECT as_of()", "2026-11-29T12:00:00.000Z");
	Q("SELECT age_days('2026-11-27T12:00:00.000Z')", "2.0");
	is_int(sqlfuncs_register(db, AS_OF_MS), SQLITE_OK, "register back");
	Q("SELECT age_days('2026-11-27T12:00:00.000Z')", "1.0");
}

static void test_flags(void)
{
	const char *r;

	/* The time functions may not be indexed: not deterministic. */
	Q("CREATE TABLE t(x)", "(no row)");
	r = q("CREATE INDEX t_age ON t(age_days(x))");
	ok(strstr(r, "ERROR") != NULL, "no expression index on age_days: %s", r);
	/* No function may be used from the stored schema. */
	r = q("CREATE VIEW v AS SELECT cidr_is_open(x) AS o FROM t");
	if (!strstr(r, "ERROR"))
		r = q("SELECT * FROM v");
	ok(strstr(r, "ERROR") && strstr(r, "unsafe use of cidr_is_open"),
	   "stored views cannot call the helpers: %s", r);
	Q("CREATE TEMP VIEW tv AS SELECT cidr_is_open('::/0') AS o", "(no row)");
	Q("SELECT o FROM tv", "1");
}

int main(void)
{
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;
	is_int(sqlfuncs_register(db, AS_OF_MS), SQLITE_OK, "register");
	test_regexp();
	test_cidr();
	test_ports();
	test_strings();
	test_times();
	test_flags();
	sqlite3_close(db);
	return tap_done();
}
