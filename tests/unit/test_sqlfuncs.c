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
	r = q("SELECT regexp('(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	      "aaaaaaaaaaaaaaaaaab')");
	ok(!strcmp(r, "0") || (strstr(r, "ERROR") && strstr(r, "limit")),
	   "catastrophic backtracking ends (no match or a limit error): %s", r);

	/* A pattern that changes from row to row is compiled for each row,
	 * never answered from the previous row's pattern. */
	Q("WITH v(p, t) AS (VALUES ('^a', 'abc'), ('^b', 'abc'), "
	  "('c$', 'abc'), ('^a', 'xbc'), ('^a', 'abc')) "
	  "SELECT group_concat(regexp(p, t), ',') FROM v",
	  "1,0,1,0,1");
	r = q("WITH v(p) AS (VALUES ('^a'), ('('), ('^b')) "
	      "SELECT group_concat(regexp(p, 'abc'), ',') FROM v");
	ok(strstr(r, "ERROR") && strstr(r, "\"(\""), "a bad pattern on a later row is reported: %s",
	   r);

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

	Q("SELECT kms_key_ref('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd')",
	  "1234abcd-12ab-34cd");
	Q("SELECT kms_key_ref(' arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/app ')",
	  "alias/app");
	Q("SELECT kms_key_ref('alias/aws/sns')", "alias/aws/sns");
	Q("SELECT kms_key_ref('mrk-1234abcd')", "mrk-1234abcd");
	Q("SELECT kms_key_ref('arn:aws:kms:us-east-1:111122223333:other/x')",
	  "arn:aws:kms:us-east-1:111122223333:other/x");
	Q("SELECT kms_key_ref('arn:aws:kms')", "arn:aws:kms");
	Q("SELECT kms_key_ref('arn:aws:kms:r:a:key/')", "arn:aws:kms:r:a:key/");
	Q("SELECT kms_key_ref('  ')", "NULL");
	Q("SELECT kms_key_ref(NULL)", "NULL");
	/* kms_keys_check reads the kms_keys table of the evaluation */
	Q("CREATE TEMP TABLE kms_keys(account_id, region, ref, key_id, key_arn, aws_managed)",
	  "(no row)");
	Q("INSERT INTO kms_keys VALUES ('1', 'r', 'k1', 'k1', NULL, 0),"
	  " ('1', 'r', 'alias/app', 'k1', NULL, 0)", "(no row)");
	Q("SELECT kms_keys_check('arn:aws:kms:r:1:alias/app', 'k1', '1', 'r')", "listed");
	Q("SELECT kms_keys_check('k1', ' alias/app ', '1', 'r')", "listed");
	Q("SELECT kms_keys_check('k2', 'k1', '1', 'r')", "unlisted");
	Q("SELECT kms_keys_check('alias/aws/sns', 'k1', '1', 'r')", "unlisted");
	Q("SELECT kms_keys_check('alias/aws/sns', 'alias/aws/s3', '1', 'r')", "unlisted");
	Q("SELECT kms_keys_check('alias/other', 'k2, k9', '1', 'r')", "unresolved-key:k2");
	Q("SELECT kms_keys_check('k2', 'alias/new', '1', 'r')", "unresolved-listed:alias/new");
	Q("SELECT kms_keys_check('k1', 'alias/app', '2', 'r')", "unresolved-listed:alias/app");
	Q("SELECT kms_keys_check('', 'k1', '1', 'r')", "NULL");
	Q("SELECT kms_keys_check('k1', NULL, '1', 'r')", "NULL");

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

/* list_unreadable, on values as -> gives them from a configuration */
#define LU(json, call) "SELECT list_unreadable(json('" json "') -> " call ")"

static void test_list_unreadable(void)
{
	const char *r;

	Q(LU("{\"a\":[{\"x\":1},null,{}]}", "'$.a', 'a'"), "NULL");
	Q(LU("{\"a\":[]}", "'$.a', 'a'"), "NULL");
	Q(LU("{\"a\":null}", "'$.a', 'a'"), "NULL");
	Q(LU("{}", "'$.a', 'a'"), "NULL");
	Q(LU("{\"a\":[{\"x\":1},\"s\"]}", "'$.a', 'a'"),
	  "a holds an element that is not an object");
	Q(LU("{\"a\":[[{}]]}", "'$.a', 'a'"), "a holds an element that is not an object");
	Q(LU("{\"a\":{\"x\":[1]}}", "'$.a', 'a'"), "a is not a list");
	Q(LU("{\"a\":\"[{}]\"}", "'$.a', 'a'"), "a is not a list");
	Q(LU("{\"e\":{\"v\":7}}", "'$.e.v', 'e.v'"), "e.v is not a list");
	/* one_object: an object stands for a list of one */
	Q(LU("{\"a\":{\"x\":[1]}}", "'$.a', 'a', 1"), "NULL");
	Q(LU("{\"a\":true}", "'$.a', 'a', 1"), "a is neither an object nor a list");
	Q(LU("{\"a\":[{},3]}", "'$.a', 'a', '1'"), "a holds an element that is not an object");
	Q(LU("{\"a\":{\"x\":[1]}}", "'$.a', 'a', 0"), "a is not a list");
	Q(LU("{\"a\":true}", "'$.a', 'a', NULL"), "NULL");
	Q("SELECT list_unreadable(NULL, 'a')", "NULL");
	Q("SELECT list_unreadable('[1]', NULL)", "NULL");
	Q("SELECT list_unreadable('not json', 'a')", "NULL");
	Q("SELECT list_unreadable('\"x\\u0000y\"', 'a')", "a is not a list");
	r = q("SELECT list_unreadable('[]', 'a', 2)");
	ok(strstr(r, "ERROR") && strstr(r, "one_object"), "one_object other than 0 or 1: %s", r);
}

static void test_times(void)
{
	Q("SELECT as_of()", "2026-11-28T12:00:00.000Z");
	Q("SELECT unless_incomplete('NON_COMPLIANT', '111122223333/eu-west-1')",
	  "INSUFFICIENT_DATA");
	Q("SELECT unless_incomplete('NON_COMPLIANT', NULL)", "NON_COMPLIANT");
	Q("SELECT unless_incomplete('COMPLIANT', '111122223333/eu-west-1')", "COMPLIANT");
	Q("SELECT incomplete_note('no trail', 'NON_COMPLIANT', '111122223333/eu-west-1')",
	  "not concluded: the data may be incomplete (no configuration snapshot of "
	  "111122223333/eu-west-1 at or before 2026-11-28T12:00:00.000Z): no trail");
	Q("SELECT incomplete_note('no trail', 'NON_COMPLIANT', NULL)", "no trail");
	Q("SELECT incomplete_note('trail t', 'COMPLIANT', 'x/y')", "trail t");
	Q("SELECT time_text(1798675200)", "2026-12-31T00:00:00Z");
	Q("SELECT time_text(1798675200999)", "2026-12-31T00:00:00Z");
	Q("SELECT time_text('2026-12-31T01:00:00+01:00')", "2026-12-31T00:00:00Z");
	Q("SELECT time_text('soon')", "NULL");
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

/* Run sql with ?1 bound to policy, written with ` for " to keep the
 * tests readable, and ?2 to arg2 (if not NULL). Same result as q(). */
static const char *qp(const char *sql, const char *policy, const char *arg2)
{
	static char out[65536];
	char *doc = strdup(policy);
	sqlite3_stmt *st;
	int rc;

	for (char *c = doc; *c; c++)
		if (*c == '`')
			*c = '"';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
		free(doc);
		return out;
	}
	sqlite3_bind_text(st, 1, doc, -1, SQLITE_TRANSIENT);
	if (arg2)
		sqlite3_bind_text(st, 2, arg2, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, sizeof(out), "%s", t ? (const char *)t : "NULL");
	} else {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	free(doc);
	return out;
}

#define ADMIN(pol, want)                                                                           \
	is_str(qp("SELECT policy_admin_statement(?1)", pol, NULL), want, "admin %s", pol)
#define FULL(pol, want)                                                                            \
	is_str(qp("SELECT policy_full_access_action(?1)", pol, NULL), want, "full %s", pol)
#define PUBLIC(pol, want)                                                                          \
	is_str(qp("SELECT policy_is_public(?1)", pol, NULL), want, "public %s", pol)
#define PUBLIC_ACT(pol, acts, want)                                                                \
	is_str(qp("SELECT policy_is_public(?1, ?2)", pol, acts), want, "public %s for %s", pol,    \
	       acts)
#define SSL(pol, want)                                                                             \
	is_str(qp("SELECT policy_denies_insecure_transport(?1)", pol, NULL), want, "ssl %s", pol)
#define SSL_B(pol, b, want)                                                                        \
	is_str(qp("SELECT policy_denies_insecure_transport(?1, ?2)", pol, b), want,                \
	       "ssl %s on %s", pol, b)
#define KMS(pol, csv, want)                                                                        \
	is_str(qp("SELECT policy_allowed_action_matching(?1, ?2)", pol, csv), want, "kms %s / %s", \
	       pol, csv)

static void test_policy_input(void)
{
	const char *admin = "{`Version`:`2012-10-17`,`Statement`:[{`Effect`:`Allow`,"
			    "`Action`:`*`,`Resource`:`*`}]}";

	ADMIN(admin, "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
	/* The same document URL-encoded, as IAM items carry it. */
	ADMIN("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow"
	      "%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%7D",
	      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
	ADMIN("%7b%22Statement%22%3A%5B%5D%7D", "NULL");
	/* A JSON string holding the document (policyText as delivered). */
	ADMIN("`{\\`Statement\\`:{\\`Effect\\`:\\`Allow\\`,\\`Action\\`:\\`*\\`,\\`Resource\\`:\\`*"
	      "\\`}}`",
	      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
	/* S3's BucketPolicy object around the policy text, or around a parsed policy. */
	SSL("{`policyText`:`{\\`Statement\\`:{\\`Effect\\`:\\`Deny\\`,\\`Principal\\`:\\`*\\`,"
	    "\\`Action\\`:\\`s3:*\\`,\\`Resource\\`:\\`*\\`,\\`Condition\\`:{\\`Bool\\`:"
	    "{\\`aws:SecureTransport\\`:\\`false\\`}}}}`}",
	    "1");
	PUBLIC("{`policyText`:{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:*`}}}",
	       "1");
	PUBLIC("{`policyText`:null}", "0");
	/* Not documents: NULL, never a crash. */
	ADMIN("{`Statement`:[", "NULL");
	ADMIN("[1,2]", "NULL");
	ADMIN("`just a string`", "NULL");
	ADMIN("", "NULL");
	ADMIN("%7Bnot json", "NULL");
	Q("SELECT policy_admin_statement(NULL)", "NULL");
	Q("SELECT policy_admin_statement(42)", "NULL");
	Q("SELECT policy_is_public(CAST(X'7B22537461746566656E74223A22FF227D' AS TEXT))", "NULL");
	/* Odd shapes inside a valid document are skipped. */
	ADMIN("{`Statement`:[1,`x`,null,{`Effect`:`Allow`,`Action`:[1,`*`],`Resource`:[`*`]}]}",
	      "{\"Effect\":\"Allow\",\"Action\":[1,\"*\"],\"Resource\":[\"*\"]}");
	ADMIN("{`Statement`:{`Effect`:`Allow`,`Action`:{`a`:`*`},`Resource`:`*`}}", "NULL");
	ADMIN("{`Version`:`2012-10-17`}", "NULL");
	PUBLIC("{`Statement`:`nope`}", "0");
}

static void test_policy_admin(void)
{
	ADMIN("{`Statement`:[{`Effect`:`Allow`,`Action`:`s3:*`,`Resource`:`*`},"
	      "{`Effect`:`Allow`,`Action`:[`ec2:*`,`*:*`],`Resource`:[`arn:aws:s3:::b`,`*`]}]}",
	      "{\"Effect\":\"Allow\",\"Action\":[\"ec2:*\",\"*:*\"],\"Resource\":[\"arn:aws:s3:::"
	      "b\",\"*\"]}");
	/* AWS's own compliant example: a service wildcard is not admin. */
	ADMIN("{`Statement`:{`Effect`:`Allow`,`Action`:`service:*`,`Resource`:`*`}}", "NULL");
	ADMIN("{`Statement`:{`Effect`:`Deny`,`Action`:`*`,`Resource`:`*`}}", "NULL");
	ADMIN("{`Statement`:{`Effect`:`allow`,`Action`:`*`,`Resource`:`*`}}", "NULL");
	ADMIN("{`Statement`:{`Effect`:`Allow`,`Action`:`*`,`Resource`:`arn:aws:s3:::b/*`}}",
	      "NULL");
	/* NotAction / NotResource statements are not "Action * on Resource *". */
	ADMIN("{`Statement`:{`Effect`:`Allow`,`NotAction`:`iam:*`,`Resource`:`*`}}", "NULL");
	ADMIN("{`Statement`:{`Effect`:`Allow`,`Action`:`*`,`NotResource`:`arn:aws:s3:::b`}}",
	      "NULL");
	/* Conditions do not make a statement less administrative. */
	ADMIN("{`Statement`:{`Effect`:`Allow`,`Action`:`*`,`Resource`:`*`,"
	      "`Condition`:{`Bool`:{`aws:MultiFactorAuthPresent`:`true`}}}}",
	      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
	      "{\"aws:MultiFactorAuthPresent\":\"true\"}}}");

	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`ec2:*`,`Resource`:`arn:aws:ec2:*:*:instance/"
	     "i-1`}}",
	     "ec2:*");
	FULL("{`Statement`:[{`Effect`:`Allow`,`Action`:[`ec2:Describe*`,`s3:Get*`],`Resource`:`*`},"
	     "{`Effect`:`Allow`,`Action`:[`s3:GetObject`,`S3:*`],`Resource`:`*`}]}",
	     "S3:*");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:[`ec2:Describe*`,`*Object`],`Resource`:`*`}}",
	     "NULL");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`*`,`Resource`:`*`}}", "*");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`*:*`,`Resource`:`*`}}", "*:*");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`ec2:**`,`Resource`:`*`}}", "ec2:**");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`ec2:`,`Resource`:`*`}}", "NULL");
	FULL("{`Statement`:{`Effect`:`Allow`,`Action`:`:*`,`Resource`:`*`}}", "NULL");
	FULL("{`Statement`:{`Effect`:`Deny`,`Action`:`ec2:*`,`Resource`:`*`}}", "NULL");
	FULL("{`Statement`:{`Effect`:`Allow`,`NotAction`:`ec2:*`,`Resource`:`*`}}", "NULL");
}

static void test_policy_public(void)
{
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Resource`:`arn:aws:s3:::b/*`}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:{`AWS`:`*`},`Action`:`s3:GetObject`}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:{`AWS`:[`arn:aws:iam::111122223333:root`"
	       ",`*`]},"
	       "`Action`:`s3:GetObject`}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:{`AWS`:`arn:aws:iam::*:root`},"
	       "`Action`:`s3:GetObject`}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`NotPrincipal`:{`AWS`:`arn:aws:iam::111122223333:"
	       "root`},"
	       "`Action`:`s3:GetObject`}}",
	       "1");
	PUBLIC(
	    "{`Statement`:{`Effect`:`Allow`,`Principal`:{`AWS`:`arn:aws:iam::111122223333:root`},"
	    "`Action`:`s3:*`}}",
	    "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:{`Service`:`cloudtrail.amazonaws.com`},"
	       "`Action`:`s3:PutObject`}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`}}", "0");
	/* Conditions that pin the grant to fixed values restrict it. */
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`aws:SourceAccount`:`111122223333`}}}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`aws:SourceAccount`:111122223333}}}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`ArnLike`:{`AWS:SourceArn`:`arn:aws:cloudfront::111122223333:"
	       "distribution/E1`}}}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`aws:PrincipalOrgID`:[`o-abc123`]}}}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`IpAddress`:{`aws:SourceIp`:[`203.0.113.0/24`,`2001:db8::/32`]}}}}",
	       "0");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`aws:SourceVpce`:`vpce-1a2b3c4d`}}}}",
	       "0");
	/* ... and conditions that do not restrict leave it public. */
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`IpAddress`:{`aws:SourceIp`:`0.0.0.0/0`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringLike`:{`aws:SourceArn`:`arn:aws:s3:::*`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`aws:SourceAccount`:`${aws:PrincipalAccount}`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringNotEquals`:{`aws:SourceAccount`:`111122223333`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEqualsIfExists`:{`aws:SourceVpce`:`vpce-1`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`Bool`:{`aws:SecureTransport`:`true`}}}}",
	       "1");
	PUBLIC("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`,"
	       "`Condition`:{`StringEquals`:{`s3:prefix`:`public/`}}}}",
	       "1");

	/* With actions: read versus write. */
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`}}",
		   "s3:GetObject,s3:ListBucket", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`}}",
		   "s3:PutObject,s3:DeleteObject", "0");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`S3:Put*`}}",
		   "s3:PutObject, s3:DeleteObject", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:[`s3:*`]}}",
		   "s3:PutObject", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`*`}}", "s3:PutObject",
		   "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`NotAction`:`s3:Put*`}}",
		   "s3:PutObject", "0");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`NotAction`:`s3:Put*`}}",
		   "s3:GetObject", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:GetObject`}}", "",
		   "0");
	/* Action / NotAction: elements that are not strings are skipped, case is ignored, a
	 * NotAction grants what it does not cover whole, neither grants nothing. */
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:[1,`S3:get*`]}}",
		   "s3:GetObject", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:[1,null]}}",
		   "s3:GetObject", "0");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`NotAction`:[1,`S3:GET*`]}}",
		   "s3:GetObject", "0");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`NotAction`:[1]}}",
		   "s3:GetObject", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`NotAction`:`s3:GetObject`}}",
		   "s3:Get*", "1");
	PUBLIC_ACT("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Resource`:`*`}}",
		   "s3:GetObject", "0");
	Q("SELECT policy_is_public('{\"Statement\":[]}', NULL)", "NULL");
}

static void test_policy_ssl(void)
{
	const char *good =
	    "{`Statement`:[{`Sid`:`AllowSSLRequestsOnly`,`Effect`:`Deny`,"
	    "`Principal`:`*`,`Action`:`s3:*`,`Resource`:[`arn:aws:s3:::b`,"
	    "`arn:aws:s3:::b/*`],`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}]}";

	SSL(good, "1");
	SSL_B(good, "arn:aws:s3:::b", "1");
	SSL_B(good, "b", "1");
	SSL_B(good, "other", "0");
	SSL_B(good, "arn:aws:s3:::bb", "0");
	/* Only the bucket, or only the objects: not covered. */
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`Resource`:`arn:aws:s3:::b/*`,`Condition`:{`Bool`:{`aws:SecureTransport`:false}}}}",
	      "b", "0");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`Resource`:`arn:aws:s3:::b/public/"
	      "*`,`Condition`:{`Bool`:{`aws:SecureTransport`:false}}}}",
	      "b", "0");
	/* Two statements together, wildcards, Principal {"AWS": "*"}, BoolIfExists. */
	SSL_B("{`Statement`:[{`Effect`:`Deny`,`Principal`:{`AWS`:`*`},`Action`:`*`,"
	      "`Resource`:`arn:aws:s3:::b`,`Condition`:{`BoolIfExists`:{`aws:SecureTransport`:`"
	      "False`}}},"
	      "{`Effect`:`Deny`,`Principal`:{`AWS`:[`*`]},`Action`:[`S3:*`],`Resource`:`arn:aws:s3:"
	      "::b*`,"
	      "`Condition`:{`Bool`:{`aws:securetransport`:[`false`]}}}]}",
	      "arn:aws:s3:::b", "1");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "arn:aws-cn:s3:::b", "1");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`NotResource`:`arn:aws:s3:::b/public/*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "0");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`NotResource`:`arn:aws:s3:::other/*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "1");
	/* Resource / NotResource: elements that are not strings are skipped, case counts, a
	 * NotResource denies what it does not touch, neither denies nothing. */
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`Resource`:[1,`arn:aws:s3:::b`,`arn:aws:s3:::b/*`],"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "1");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`Resource`:`arn:aws:s3:::B*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "0");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`NotResource`:[1,`arn:aws:s3:::B/*`],"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "1");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`NotResource`:`arn:aws:s3:::b/private/*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "0");
	SSL_B("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,"
	      "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	      "b", "0");
	/* Not a deny of all insecure requests. */
	SSL("{`Statement`:{`Effect`:`Allow`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`,"
	    "`Condition`:{`Bool`:{`aws:SecureTransport`:`true`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:GetObject`,`Resource`:`*`,"
	    "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`NotAction`:`s3:GetObject`,`Resource`:`*"
	    "`,"
	    "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:{`AWS`:`arn:aws:iam::111122223333:root`},"
	    "`Action`:`s3:*`,`Resource`:`*`,`Condition`:{`Bool`:{`aws:SecureTransport`:`false`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`,"
	    "`Condition`:{`Bool`:{`aws:SecureTransport`:`true`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`,"
	    "`Condition`:{`NumericLessThan`:{`s3:TlsVersion`:1.2}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`,"
	    "`Condition`:{`Bool`:{`aws:SecureTransport`:`false`},"
	    "`StringEquals`:{`aws:SourceVpce`:`vpce-1`}}}}",
	    "0");
	SSL("{`Statement`:{`Effect`:`Deny`,`Principal`:`*`,`Action`:`s3:*`,`Resource`:`*`}}", "0");
	SSL("{`Statement`:[]}", "0");
	Q("SELECT policy_denies_insecure_transport(NULL)", "NULL");
	Q("SELECT policy_denies_insecure_transport('{}', NULL)", "NULL");
}

static void test_policy_kms(void)
{
	const char *csv = "kms:Decrypt,kms:ReEncryptFrom";

	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`*`}}", csv,
	    "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:[`kms:ReEncrypt*`],`Resource`:`*`}}", csv,
	    "kms:ReEncryptFrom");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`KMS:*`,`Resource`:`*`}}", csv, "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`*`,`Resource`:`*`}}", " kms:ReEncryptFrom ",
	    "kms:ReEncryptFrom");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:De?rypt`,`Resource`:`*`}}", csv,
	    "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Encrypt`,`Resource`:`*`}}", csv, "NULL");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,"
	    "`Resource`:`arn:aws:kms:us-east-1:111122223333:key/"
	    "1234abcd-12ab-34cd-56ef-1234567890ab`}}",
	    csv, "NULL");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`arn:aws:kms:*:*:key/"
	    "*`}}",
	    csv, "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,"
	    "`Resource`:`arn:aws:kms:us-east-1:111122223333:key/*`}}",
	    csv, "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`arn:aws:kms:*`}}",
	    csv, "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,"
	    "`Resource`:`arn:aws:kms:*:*:alias/*`}}",
	    csv, "NULL");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`arn:aws:s3:::*`}}",
	    csv, "NULL");
	KMS("{`Statement`:{`Effect`:`Deny`,`Action`:`kms:Decrypt`,`Resource`:`*`}}", csv, "NULL");
	/* Blocked patterns with wildcards meet policy patterns with wildcards. */
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:ReEncryptFrom`,`Resource`:`*`}}",
	    "kms:ReEncrypt*", "kms:ReEncrypt*");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Re*`,`Resource`:`*`}}", "kms:*Encrypt*",
	    "kms:*Encrypt*");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Get*`,`Resource`:`*`}}", "kms:ReEncrypt*",
	    "NULL");
	/* NotAction grants what it does not name. */
	KMS("{`Statement`:{`Effect`:`Allow`,`NotAction`:`iam:*`,`Resource`:`*`}}", csv,
	    "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`NotAction`:[`kms:*`],`Resource`:`*`}}", csv, "NULL");
	KMS("{`Statement`:{`Effect`:`Allow`,`NotAction`:`kms:Decrypt`,`Resource`:`*`}}", csv,
	    "kms:ReEncryptFrom");
	KMS("{`Statement`:{`Effect`:`Allow`,`NotAction`:`kms:ReEncrypt?`,`Resource`:`*`}}",
	    "kms:ReEncrypt*", "kms:ReEncrypt*");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`NotResource`:`arn:aws:s3:::b`}"
	    "}",
	    csv, "kms:Decrypt");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`*`}}", "", "NULL");
	KMS("{`Statement`:{`Effect`:`Allow`,`Action`:`kms:Decrypt`,`Resource`:`*`}}", " , ,",
	    "NULL");
	Q("SELECT policy_allowed_action_matching('{}', NULL)", "NULL");
	Q("SELECT policy_allowed_action_matching(NULL, 'kms:Decrypt')", "NULL");
}

/* Fill the temporary table pc with rows i = 1..n, p = the SQL expression
 * expr of i, in place of its rows. */
static void fill_pc(int n, const char *expr)
{
	char sql[1024];

	Q("DELETE FROM pc", "(no row)");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO pc WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
		 "WHERE i < %d) SELECT i, %s FROM n",
		 n, expr);
	Q(sql, "(no row)");
}

/* The per-connection cache of parsed policies: a text is parsed once
 * however many rows and functions read it, texts are compared whole,
 * and the cache stays bounded. */
static void test_policy_cache(void)
{
	unsigned long before;

	/* The same text from many rows, read by several functions. */
	Q("CREATE TEMP TABLE pc(i INTEGER, p TEXT)", "(no row)");
	fill_pc(500, "'{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
		     "\"Action\":\"s3:GetObject\",\"Sid\":\"cache-same\"}}'");
	before = sqlfuncs_policy_parses();
	Q("SELECT sum(policy_is_public(p)) FROM pc", "500");
	Q("SELECT sum(policy_is_public(p, 's3:GetObject')) FROM pc", "500");
	Q("SELECT count(policy_admin_statement(p)) FROM pc", "0");
	Q("SELECT count(*) FROM pc WHERE policy_full_access_action(p) IS NULL", "500");
	is_int(sqlfuncs_policy_parses() - before, 1,
	       "one text from 500 rows, four calls: one parse");

	/* Texts that differ only in their last bytes (same length). */
	fill_pc(1000, "printf('{\"Sid\":\"%s\",\"Statement\":{\"Principal\":\"*\","
		      "\"Action\":\"s3:*\",\"Effect\":\"%s\"}}', hex(zeroblob(2000)), "
		      "CASE i % 2 WHEN 0 THEN 'Allow' ELSE 'Allox' END)");
	before = sqlfuncs_policy_parses();
	Q("SELECT sum(policy_is_public(p)) FROM pc", "500");
	Q("SELECT sum(policy_is_public(p)) FROM pc WHERE i % 2 = 0", "500");
	Q("SELECT sum(policy_is_public(p)) FROM pc WHERE i % 2 = 1", "0");
	is_int(sqlfuncs_policy_parses() - before, 2, "two texts differing late: two parses");

	/* More texts than entries: the first ones are evicted, parsed again,
	 * and read the same. */
	fill_pc(10000, "printf('{\"Statement\":{\"Effect\":\"%s\",\"Principal\":\"*\","
		      "\"Action\":\"s3:*\",\"Sid\":\"e%d\"}}', CASE i % 3 WHEN 0 THEN 'Deny' "
		      "ELSE 'Allow' END, i)");
	before = sqlfuncs_policy_parses();
	Q("SELECT sum(policy_is_public(p)) FROM pc", "6667");
	is_int(sqlfuncs_policy_parses() - before, 10000, "10000 texts: 10000 parses");
	Q("SELECT policy_is_public(p) FROM pc WHERE i = 1", "1");
	Q("SELECT policy_is_public(p) FROM pc WHERE i = 3", "0");
	is_int(sqlfuncs_policy_parses() - before, 10002, "the first texts were evicted");
	Q("SELECT policy_is_public(p) FROM pc WHERE i = 10000", "1");
	is_int(sqlfuncs_policy_parses() - before, 10002, "the last ones were not");

	/* Bounded in bytes too: 30 texts of 200 kB do not all stay. */
	fill_pc(30,
		"printf('{\"Sid\":\"%s\",\"Statement\":{\"Principal\":\"*\","
		"\"Action\":\"s3:*\",\"Effect\":\"Allow\"},\"n\":%d}', hex(zeroblob(100000)), i)");
	before = sqlfuncs_policy_parses();
	Q("SELECT sum(policy_is_public(p)) FROM pc", "30");
	Q("SELECT policy_is_public(p) FROM pc WHERE i = 1", "1");
	is_int(sqlfuncs_policy_parses() - before, 31, "6 MB of texts: the first was evicted");
	/* A text over the cache's bound for one text is parsed each time. */
	fill_pc(1, "printf('{\"Sid\":\"%s\",\"Statement\":{\"Principal\":\"*\","
		   "\"Action\":\"s3:*\",\"Effect\":\"Allow\"}}', hex(zeroblob(200000)))");
	before = sqlfuncs_policy_parses();
	Q("SELECT policy_is_public(p) + policy_is_public(p) FROM pc", "2");
	is_int(sqlfuncs_policy_parses() - before, 2, "a 400 kB text is not cached");
	Q("DROP TABLE pc", "(no row)");
}

static void test_hostile(void)
{
	/* Huge and deep inputs: answers or NULL, never a crash. */
	Q("SELECT policy_is_public('{\"Statement\":' || replace(hex(zeroblob(5000)), '00', '[') || "
	  "'1' || replace(hex(zeroblob(5000)), '00', ']') || '}')",
	  "NULL");
	Q("SELECT length(url_decode(replace(hex(zeroblob(1000000)), '00', '%41')))", "1000000");
	Q("SELECT csv_contains(replace(hex(zeroblob(100000)), '00', 'a,'), 'b')", "0");
	Q("SELECT regexp('^x', replace(hex(zeroblob(1000000)), '00', 'y'))", "0");
	Q("SELECT ports_within(replace(hex(zeroblob(20000)), '00', '1,'), 1, 1)", "1");
	Q("SELECT "
	  "policy_allowed_action_matching('{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"' "
	  "|| replace(hex(zeroblob(3000)), '00', '*a') || '\",\"Resource\":\"*\"}}', "
	  "'kms:' || replace(hex(zeroblob(3000)), '00', '*b'))",
	  "NULL");
	Q("SELECT cidr_is_open(replace(hex(zeroblob(100000)), '00', '0'))", "0");
	Q("SELECT age_days(replace(hex(zeroblob(100000)), '00', '9'))", "NULL");
}

/* The worked example of cfgaudit-rules(5), taken from the page itself so
 * that the documentation cannot drift from what runs: the roff escapes of
 * the .EX block after .SH EXAMPLE are undone and the rule is run against
 * a stand-in current_items. */
static char *man_example(void)
{
	char path[4096], line[1024];
	char *sql = NULL;
	size_t len = 0, alloc = 0;
	int state = 0; /* 0 before EXAMPLE, 1 before .EX, 2 inside */
	FILE *f;

	snprintf(path, sizeof(path), "%s/man/cfgaudit-rules.5", CFGAUDIT_SRCDIR);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (state == 0 && !strncmp(line, ".SH EXAMPLE", 11))
			state = 1;
		else if (state == 1 && !strncmp(line, ".EX", 3))
			state = 2;
		else if (state == 2 && !strncmp(line, ".EE", 3))
			break;
		else if (state == 2) {
			for (const char *c = line; *c; c++) {
				char ch = *c;

				if (c[0] == '\\' && c[1] == '-')
					ch = '-', c++;
				else if (c[0] == '\\' && c[1] == 'e')
					ch = '\\', c++;
				else if (c[0] == '\\' && c[1] == '&') {
					c++;
					continue;
				}
				if (len + 2 > alloc) {
					alloc = alloc ? alloc * 2 : 4096;
					sql = realloc(sql, alloc);
					if (!sql)
						abort();
				}
				sql[len++] = ch;
				sql[len] = '\0';
			}
		}
	}
	fclose(f);
	return sql;
}

static void test_man_example(void)
{
	static const char setup[] =
	    "CREATE TEMP TABLE current_items(item_key, account_id, region, resource_type,"
	    " resource_id, resource_name, arn, availability_zone, status, capture_time, state_id,"
	    " item_version, resource_creation_time, configuration, supplementary, tags,"
	    " relationships);"
	    "INSERT INTO current_items(item_key, account_id, region, resource_type, resource_id,"
	    " configuration) VALUES"
	    "(1, '1', 'r', 'AWS::EC2::SecurityGroup', 'sg-ssh', "
	    "'{\"ipPermissions\":[{\"ipProtocol\":"
	    "\"tcp\",\"fromPort\":22,\"toPort\":22,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/"
	    "0\"}]}]}'),"
	    "(2, '1', 'r', 'AWS::EC2::SecurityGroup', 'sg-all6', '{\"ipPermissions\":[\"junk\","
	    "{\"ipProtocol\":\"-1\",\"ipv6Ranges\":[{\"cidrIpv6\":\"::/0\"}]}]}'),"
	    "(3, '1', 'r', 'AWS::EC2::SecurityGroup', 'sg-ok', "
	    "'{\"ipPermissions\":[{\"ipProtocol\":"
	    "\"tcp\",\"fromPort\":22,\"toPort\":22,\"ipv4Ranges\":[{\"cidrIp\":\"10.0.0.0/8\"}]},"
	    "{\"ipProtocol\":\"udp\",\"fromPort\":22,\"toPort\":22,\"ipv4Ranges\":[{\"cidrIp\":"
	    "\"0.0.0.0/0\"}]}]}'),"
	    "(4, '1', 'r', 'AWS::EC2::SecurityGroup', 'sg-norec', NULL),"
	    "(5, '1', 'r', 'AWS::EC2::Instance', 'i-1', '{}');";
	char *sql = man_example(), *err = NULL, got[4096] = "";
	sqlite3_stmt *st;

	if (!sql) {
		ok(1, "man page example # SKIP man/cfgaudit-rules.5 not found");
		return;
	}
	ok(sqlite3_exec(db, setup, NULL, NULL, &err) == SQLITE_OK, "stand-in current_items: %s",
	   err ? err : "ok");
	sqlite3_free(err);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		ok(0, "man page example compiles: %s", sqlite3_errmsg(db));
		free(sql);
		return;
	}
	ok(sqlite3_column_count(st) == 6 && !strcmp(sqlite3_column_name(st, 0), "resource_type") &&
	       !strcmp(sqlite3_column_name(st, 5), "annotation"),
	   "man page example has the six result columns");
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = strlen(got);

		snprintf(got + n, sizeof(got) - n, "%s=%s;", sqlite3_column_text(st, 1),
			 sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	is_str(got,
	       "sg-ssh=NON_COMPLIANT;sg-all6=NON_COMPLIANT;sg-ok=COMPLIANT;"
	       "sg-norec=INSUFFICIENT_DATA;",
	       "man page example gives the documented verdicts");
	free(sql);
	q("DROP TABLE temp.current_items");
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
	test_list_unreadable();
	test_times();
	test_policy_input();
	test_policy_admin();
	test_policy_public();
	test_policy_ssl();
	test_policy_kms();
	test_policy_cache();
	test_hostile();
	test_man_example();
	test_flags();
	sqlite3_close(db);
	return tap_done();
}
