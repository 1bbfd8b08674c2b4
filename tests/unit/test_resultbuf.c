/*
 * test_resultbuf: one verdict per (rule, resource), the worst winning;
 * dropping an invalid rule's results; counts; the resolver finding the
 * item of a resource once; and storing through the virtual table into
 * run_results (src/eval/resultbuf.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval/eval.h"
#include "eval/resultbuf.h"
#include "store/store.h"
#include "tests/unit/tap.h"

enum { C, NC, NA, ID }; /* eval_compliance_names order */

static void add(struct resultbuf *rb, const char *id, const char *acct, int compliance,
		const char *ann, const char *key)
{
	struct result_row r = { "AWS::EC2::SecurityGroup", id, acct, "us-east-1", compliance,
				ann, ann ? strlen(ann) : 0, key, key ? strlen(key) : 0 };

	resultbuf_add(rb, &r);
}

/* A resolver that knows sg-3's item and counts its calls. */
static int resolves;

static int resolve(void *ctx, const char *type, const char *id, const char *account,
		   const char *region, const void **key, size_t *len)
{
	(void)ctx;
	(void)type;
	(void)account;
	(void)region;
	resolves++;
	*key = !strcmp(id, "sg-3") ? "key-3" : NULL;
	*len = *key ? 5 : 0;
	return !strcmp(id, "sg-fail") ? -1 : 0;
}

static char *query(struct store *s, const char *sql)
{
	static char out[4096];
	sqlite3_stmt *st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			strncat(out, v ? v : "NULL", sizeof(out) - strlen(out) - 2);
			strncat(out, i + 1 < sqlite3_column_count(st) ? "|" : ";",
				sizeof(out) - strlen(out) - 1);
		}
	}
	sqlite3_finalize(st);
	return out;
}

int main(void)
{
	struct resultbuf *rb = resultbuf_new(), *other = resultbuf_new();
	struct resultbuf *both[2];
	char path[] = "/tmp/cfgaudit-test-resultbuf-XXXXXX";
	struct store *s;
	struct diag d;
	int fd;

	resultbuf_begin_rule(rb, 1);
	add(rb, "sg-1", "111111111111", NA, "na", "key-1");
	add(rb, "sg-1", "111111111111", C, "ok", "key-1");
	add(rb, "sg-1", "111111111111", NC, "bad", "key-1");
	add(rb, "sg-1", "111111111111", ID, "unknown", "key-1");
	add(rb, "sg-2", "111111111111", C, NULL, NULL);
	add(rb, "sg-2", "222222222222", NC, "other account", NULL);
	is_int(resultbuf_rule_counts(rb)[NC], 2, "rule 1: two NON_COMPLIANT");
	is_int(resultbuf_rule_counts(rb)[C], 1, "rule 1: one COMPLIANT");
	is_int(resultbuf_rule_counts(rb)[NA] + resultbuf_rule_counts(rb)[ID], 0,
	       "replaced verdicts are not counted");

	resultbuf_begin_rule(rb, 2);
	add(rb, "sg-1", "111111111111", C, "rule 2", "key-1");
	add(rb, "sg-9", "111111111111", NC, "dropped", NULL);
	resultbuf_drop_rule(rb);
	is_int(resultbuf_rule_counts(rb)[C] + resultbuf_rule_counts(rb)[NC], 0,
	       "a dropped rule counts nothing");

	resultbuf_begin_rule(rb, 3);
	add(rb, "sg-1", "111111111111", ID, "weird \"quote\" ';--", "key-1");
	add(rb, "sg-1", "111111111111", C, "better is not worse", "key-1");

	/* Resources met without their item's key are looked up, once. */
	resultbuf_set_resolver(other, resolve, NULL);
	resultbuf_begin_rule(other, 5);
	add(other, "sg-3", "111111111111", C, NULL, NULL);
	add(other, "sg-3", "111111111111", NC, "worse", NULL);
	add(other, "sg-4", "111111111111", C, NULL, NULL);
	resultbuf_begin_rule(other, 6);
	add(other, "sg-3", "111111111111", C, "again", NULL);
	is_int(resolves, 2, "the resolver is asked once per resource");
	{
		struct result_row r = {"AWS::EC2::SecurityGroup",
				       "sg-fail",
				       "111111111111",
				       "us-east-1",
				       C,
				       NULL,
				       0,
				       NULL,
				       0};

		is_int(resultbuf_add(other, &r), -1, "a failing resolver fails the add");
		is_int(resultbuf_rule_counts(other)[C], 1, "... and adds nothing");
	}
	resultbuf_set_resolver(other, NULL, NULL);
	is_int(resultbuf_noncompliant_triples(rb), 2,
	       "two (rule, account, region) triples are NON_COMPLIANT");

	/* Another connection's buffer, with rules before and between, taken
	 * out of order. */
	resultbuf_begin_rule(other, 4);
	add(other, "sg-7", "111111111111", NA, "last", NULL);
	resultbuf_begin_rule(other, 2);
	add(other, "sg-5", "111111111111", C, "from the other buffer", NULL);
	both[0] = rb;
	both[1] = other;

	fd = mkstemp(path);
	close(fd);
	unlink(path);
	s = store_open(path, STORE_READ_WRITE, &d);
	ok(s != NULL, "store_open");
	if (!s)
		return tap_done();
	ok(store_exec(s,
		      "INSERT INTO runs VALUES (1, 't', 't', 't', 'v', '{}', 'complete');"
		      "INSERT INTO run_rules (run_id, config_rule_name, identifier, evaluated,"
		      " rule_no) VALUES (1, 'r1', 'R1', 1, 1), (1, 'r2', 'R2', 0, 2),"
		      " (1, 'r3', 'R3', 1, 3), (1, 'r4', 'R4', 1, 4), (1, 'r5', 'R5', 1, 5),"
		      " (1, 'r6', 'R6', 1, 6);",
		      &d) == 0,
	   "a run with six rules");
	ok(store_begin(s, &d) == 0 && resultbuf_store(both, 2, s, 1, &d) == 0 &&
	       store_commit(s, &d) == 0,
	   "store the results");
	is_str(query(s, "SELECT config_rule_name, resource_id, account_id, compliance_type,"
			" annotation, item_key FROM results WHERE run_id = 1 ORDER BY 1, 2, 3"),
	       "r1|sg-1|111111111111|NON_COMPLIANT|bad|key-1;"
	       "r1|sg-2|111111111111|COMPLIANT|NULL|NULL;"
	       "r1|sg-2|222222222222|NON_COMPLIANT|other account|NULL;"
	       "r2|sg-5|111111111111|COMPLIANT|from the other buffer|NULL;"
	       "r3|sg-1|111111111111|INSUFFICIENT_DATA|weird \"quote\" ';--|key-1;"
	       "r4|sg-7|111111111111|NOT_APPLICABLE|last|NULL;"
	       "r5|sg-3|111111111111|NON_COMPLIANT|worse|key-3;"
	       "r5|sg-4|111111111111|COMPLIANT|NULL|NULL;"
	       "r6|sg-3|111111111111|COMPLIANT|again|key-3;",
	       "one row per rule and resource, the worst verdict with its annotation");
	is_str(query(s, "SELECT group_concat(rule_no, ' ') FROM (SELECT rule_no FROM run_results"
			" ORDER BY rowid)"),
	       "1 1 1 2 3 4 5 5 6;", "two buffers, each out of order, are stored in rule order");
	is_str(query(s, "SELECT typeof(item_key), count(*) FROM results GROUP BY 1 ORDER BY 1"),
	       "blob|4;null|5;", "item keys are stored as blobs, missing ones as NULL");
	is_str(query(s, "SELECT (SELECT count(*) FROM run_resources),"
			" (SELECT count(*) FROM run_annotations),"
			" (SELECT group_concat(verdict, ' ') FROM run_results)"),
	       "7|7|1 0 1 0 3 2 1 0 0;",
	       "each resource and annotation the results name stored once, verdicts as numbers");
	ok(store_exec(s,
		      "INSERT INTO runs VALUES (2, 't', 't', 't', 'v', '{}', 'complete');"
		      "INSERT INTO run_rules SELECT 2, pack_name, config_rule_name, identifier,"
		      " owner, evaluated, reason, parameters, scope, rule_sha256, rule_no"
		      " FROM run_rules WHERE run_id = 1;",
		      &d) == 0 &&
	       store_begin(s, &d) == 0 && resultbuf_store(both, 2, s, 2, &d) == 0 &&
	       store_commit(s, &d) == 0,
	   "store the same buffers again as run 2");
	is_str(query(s, "SELECT (SELECT count(*) FROM (SELECT pack_name, config_rule_name, account_id,"
			" aws_region, resource_type, resource_id, compliance_type, annotation,"
			" item_key FROM results WHERE run_id = 1 EXCEPT SELECT pack_name,"
			" config_rule_name, account_id, aws_region, resource_type, resource_id,"
			" compliance_type, annotation, item_key FROM results WHERE run_id = 2)),"
			" (SELECT count(*) FROM results WHERE run_id = 2),"
			" (SELECT count(*) FROM run_resources), (SELECT count(*) FROM run_annotations)"),
	       "0|9|14|14;", "a second run reads the same, its rows numbered after the first's");
	ok(store_exec(s, "SELECT * FROM json_each('[1]')", &d) == 0,
	   "the connection's other virtual tables still work after storing");
	resultbuf_free(rb);
	resultbuf_free(other);
	store_close(s);
	unlink(path);
	return tap_done();
}
