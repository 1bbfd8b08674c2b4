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
#include "store/run.h"
#include "store/store.h"
#include "util/keymap.h"
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

/* The run's digest (run_digest, store/run.h) decoded as text: per row
 * "resource_no rule_no account/region verdict;", then per resource
 * "resource_no key_hash;"; "" when the run has none. Rows and
 * resources as the store has them, in rowid and number order, must read
 * the same (digest_from_rows). */
static char *digest_text(struct store *s, int run_id)
{
	static char out[4096];
	sqlite3_stmt *st;
	const char *blob, *places;
	const struct run_digest_head *h;
	size_t len;

	out[0] = '\0';
	if (sqlite3_prepare_v2(s->db, "SELECT digest FROM run_digest WHERE run_id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return out;
	sqlite3_bind_int(st, 1, run_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return out;
	}
	blob = sqlite3_column_blob(st, 0);
	len = (size_t)sqlite3_column_bytes(st, 0);
	h = (const void *)blob;
	if (len < sizeof(*h) || h->magic != RUN_DIGEST_MAGIC ||
	    len != sizeof(*h) + h->places_len + h->n_rows * sizeof(struct run_digest_row) +
			h->n_res * sizeof(struct run_digest_res)) {
		sqlite3_finalize(st);
		return strcpy(out, "bad blob");
	}
	places = blob + sizeof(*h);
	for (uint64_t i = 0; i < h->n_rows; i++) {
		struct run_digest_row r;
		const char *p = places;

		memcpy(&r, places + h->places_len + i * sizeof(r), sizeof(r));
		for (int32_t k = 0; k < r.place; k++)
			p += strlen(p) + 1, p += strlen(p) + 1;
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%lld %d %s/%s %d;",
			 (long long)r.resource_no, r.rule_no, p, p + strlen(p) + 1, r.verdict);
	}
	for (uint64_t i = 0; i < h->n_res; i++) {
		struct run_digest_res r;

		memcpy(&r, places + h->places_len + h->n_rows * sizeof(struct run_digest_row) +
				   i * sizeof(r),
		       sizeof(r));
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%lld %016llx;",
			 (long long)r.resource_no, (unsigned long long)r.key_hash);
	}
	sqlite3_finalize(st);
	return out;
}

/* The same text from the stored rows and resources. */
static char *digest_from_rows(struct store *s, int run_id)
{
	static char out[4096];
	sqlite3_stmt *st;
	char sql[512];

	out[0] = '\0';
	snprintf(sql, sizeof(sql),
		 "SELECT resource_no, rule_no, account_id, aws_region, verdict FROM run_results"
		 " WHERE run_id = %d ORDER BY rowid",
		 run_id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%lld %d %s/%s %d;",
			 (long long)sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
			 sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
			 sqlite3_column_int(st, 4));
	sqlite3_finalize(st);
	/* the run's new resources: those numbered after every earlier run's */
	snprintf(sql, sizeof(sql),
		 "SELECT resource_no, item_key FROM run_resources WHERE resource_no >"
		 " (SELECT coalesce(max(resource_no), 0) FROM run_results WHERE run_id < %d)"
		 " ORDER BY 1",
		 run_id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const void *key = sqlite3_column_blob(st, 1);

		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%lld %016llx;",
			 (long long)sqlite3_column_int64(st, 0),
			 key ? (unsigned long long)keymap_hash(key, (size_t)sqlite3_column_bytes(st, 1))
			     : 0ULL);
	}
	sqlite3_finalize(st);
	return out;
}

/* Store rb's results as run run_id, a new run without rules. 0 or -1. */
static int store_run(struct store *s, struct resultbuf *rb, int run_id)
{
	struct diag d;
	char sql[128];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO runs VALUES (%d, 't', 't', 't', 'v', '{}', 'complete');", run_id);
	if (store_exec(s, sql, &d) || store_begin(s, &d) || resultbuf_store(&rb, 1, s, run_id, &d) ||
	    store_commit(s, &d))
		return -1;
	return 0;
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
	is_str(digest_text(s, 1), digest_from_rows(s, 1),
	       "the run's digest holds its rows and new resources, in the order stored");
	ok(strstr(digest_text(s, 1), "111111111111/us-east-1") &&
	       strstr(digest_text(s, 1), "222222222222/us-east-1"),
	   "... with their places");
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
	is_str(digest_text(s, 2), digest_from_rows(s, 2),
	       "run 2's digest: its rows, numbered after run 1's");
	ok(store_exec(s, "SELECT * FROM json_each('[1]')", &d) == 0,
	   "the connection's other virtual tables still work after storing");

	/* An account longer than the digest keeps: the results are stored,
	 * without a digest (the reader then reads the rows). */
	{
		struct resultbuf *longer = resultbuf_new();
		char account[202];

		memset(account, '7', sizeof(account) - 1);
		account[sizeof(account) - 1] = '\0';
		resultbuf_begin_rule(longer, 1);
		add(longer, "sg-1", "111111111111", C, NULL, NULL);
		add(longer, "sg-1", account, NC, NULL, NULL);
		ok(store_run(s, longer, 3) == 0, "store results with a 201-character account");
		is_str(query(s, "SELECT count(*), max(length(account_id)) FROM run_results"
				" WHERE run_id = 3"),
		       "2|201;", "... both stored");
		is_str(digest_text(s, 3), "", "... with no digest");
		resultbuf_free(longer);
	}

	/* The same text in a row, a longer and a shorter one after it: one
	 * copy per text, each result its own text. */
	{
		struct resultbuf *texts = resultbuf_new();

		resultbuf_begin_rule(texts, 1);
		add(texts, "sg-a", "111111111111", NC, "same", NULL);
		add(texts, "sg-b", "111111111111", NC, "same", NULL);
		add(texts, "sg-c", "111111111111", NC, "samey", NULL);
		add(texts, "sg-d", "111111111111", NC, "sam", NULL);
		add(texts, "sg-e", "111111111111", NC, "same", NULL);
		add(texts, "sg-f", "111111111111", NC, "", NULL);
		add(texts, "sg-g", "111111111111", NC, NULL, NULL);
		ok(store_run(s, texts, 4) == 0, "store annotations repeated in a row");
		is_str(query(s, "SELECT group_concat(resource_id || '=' || coalesce(annotation, 'NULL'),"
				" ' ') FROM (SELECT resource_id, annotation FROM run_results"
				" JOIN run_resources USING (resource_no) LEFT JOIN run_annotations"
				" USING (annotation_no) WHERE run_id = 4 ORDER BY resource_id)"),
		       "sg-a=same sg-b=same sg-c=samey sg-d=sam sg-e=same sg-f= sg-g=NULL;",
		       "... each result has its own text");
		is_str(query(s, "SELECT count(DISTINCT annotation_no), count(annotation_no)"
				" FROM run_results WHERE run_id = 4"),
		       "4|6;", "... one copy per distinct text");
		resultbuf_free(texts);
	}
	resultbuf_free(rb);
	resultbuf_free(other);
	store_close(s);
	unlink(path);
	return tap_done();
}
