/*
 * test_pit: snapshot presence runs kept by the writer (in every order of
 * loading), the item key, and the point-in-time state pit_build derives.
 */
#include "ingest/writer.h"
#include "store/pit.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "tests/unit/tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCT "123456789012"
#define REGION "us-east-1"

static struct item_encoder *enc;

/* One snapshot's contents: resource ids, each at its one version. */
struct snap {
	const char *time;
	const char *ids; /* space-separated */
};

static const struct snap snaps[] = {
    {"2026-01-01T00:00:00.000Z", "a b c"},
    {"2026-01-02T00:00:00.000Z", "a c"},
    {"2026-01-03T00:00:00.000Z", "a b c"},
    {"2026-01-04T00:00:00.000Z", "a d"},
};
#define NSNAPS 4

static json_t *make_item(const char *id, const char *capture, long long state, const char *status)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:{s:s}}", "awsAccountId", ACCT,
			 "awsRegion", REGION, "resourceType", "AWS::EC2::Instance", "resourceId",
			 id, "configurationItemCaptureTime", capture, "configurationStateId", state,
			 "configurationItemStatus", status, "configuration", "id", id);
}

static int load(struct store *s, struct writer *w, const char *path, const char *ids,
		const char *when, int snapshot, const char *capture, long long state)
{
	struct writer_file f;
	struct item_batch b;
	struct diag d;
	char buf[64], *tok, *save = NULL;
	int rc;

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.size = 1;
	snprintf(f.sha256, sizeof(f.sha256), "%064d", 0);
	store_file_key(path, f.sha256, f.key);
	f.kind = snapshot ? "ConfigSnapshot" : "ConfigHistory";
	f.account = ACCT;
	f.region = REGION;
	f.has_time = time_parse_iso(when, &f.delivered_ms) == 0;
	f.snapshot = snapshot;
	item_batch_init(&b);
	snprintf(buf, sizeof(buf), "%s", ids);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		json_t *it = make_item(tok, capture, state, "OK");

		if (item_encode(enc, &b, it, NULL, NULL, &d))
			printf("# encode: %s\n", d.msg);
		json_decref(it);
	}
	/* Alternate grouped and separate transactions: same result. */
	rc = writer_begin(w, &f, path[strlen(path) - 1] % 2, &d) || writer_add(w, &b, &d) ||
	     writer_finish(w, (long long)b.n, 0, &d);
	if (rc)
		printf("# load %s: %s\n", path, d.msg);
	item_batch_release(&b);
	(void)s;
	return rc;
}

/* The presence runs as text: "id first..last" per line, sorted. */
static void runs(struct store *s, struct strbuf *out)
{
	sqlite3_stmt *st;

	strbuf_reset(out);
	st = sqlite3_prepare_v2(
		 s->db,
		 "SELECT i.resource_id, substr(p.first_time, 9, 2), CASE WHEN p.last_time >"
		 " '9999' THEN 'open' ELSE substr(p.last_time, 9, 2) END"
		 " FROM snapshot_presence p JOIN items i USING (item_key)"
		 " ORDER BY 1, 2",
		 -1, &st, NULL) == SQLITE_OK
		 ? st
		 : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(out, "%s %s..%s\n", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
}

static void current(struct store *s, const char *as_of, struct strbuf *out)
{
	struct pit_filter f;
	struct diag d;
	sqlite3_stmt *st;

	memset(&f, 0, sizeof(f));
	if (as_of)
		time_parse_iso(as_of, &f.as_of_ms);
	else
		f.as_of_ms = INT64_MAX;
	strbuf_reset(out);
	if (pit_build(s, &f, &d)) {
		strbuf_addf(out, "error: %s", d.msg);
		return;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT resource_id FROM current_items ORDER BY 1", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(out, "%s ", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static struct store *fresh(const char *path)
{
	struct diag d;
	char wal[512];

	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	return store_open(path, STORE_READ_WRITE, &d);
}

static const char expected_runs[] = "a 01..open\n"
				    "b 01..01\n"
				    "b 03..03\n"
				    "c 01..03\n"
				    "d 04..open\n";

int main(void)
{
	char dbpath[256];
	struct strbuf sb = STRBUF_INIT;
	int perm[24][NSNAPS], np = 0, all_ok = 1;

	snprintf(dbpath, sizeof(dbpath), "%s/test_pit.%d.db",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	enc = item_encoder_new();

	/* The fast key is the store's key. */
	{
		unsigned char k1[STORE_KEY_LEN], k2[STORE_KEY_LEN];

		store_item_key(ACCT, "global", "AWS::IAM::Role", "AROA1",
			       "2026-01-01T00:00:00.000Z", "42", k1);
		item_encoder_key(enc, ACCT, "global", "AWS::IAM::Role", "AROA1",
				 "2026-01-01T00:00:00.000Z", "42", k2);
		ok(!memcmp(k1, k2, STORE_KEY_LEN), "item_encoder_key equals store_item_key");
		store_item_key(ACCT, REGION, "T", "x", "2026-01-01T00:00:00.000Z", "", k1);
		item_encoder_key(enc, ACCT, REGION, "T", "x", "2026-01-01T00:00:00.000Z", "", k2);
		ok(!memcmp(k1, k2, STORE_KEY_LEN), "... also without a state id");
	}

	/* The key of an encoded item uses the state id's decimal text. */
	{
		const long long ids[] = {0, 7, -5, 1549956556288LL, INT64_MAX, INT64_MIN};
		int same = 1;

		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			struct item_batch b;
			struct item_rec r;
			struct diag d;
			size_t pos = 0;
			char text[32];
			unsigned char want[STORE_KEY_LEN];
			json_t *it = make_item("x", "2026-01-01T00:00:00.000Z", ids[i], "OK");

			item_batch_init(&b);
			snprintf(text, sizeof(text), "%lld", ids[i]);
			store_item_key(ACCT, REGION, "AWS::EC2::Instance", "x",
				       "2026-01-01T00:00:00.000Z", text, want);
			if (item_encode(enc, &b, it, NULL, NULL, &d) ||
			    !item_batch_next(&b, &pos, &r) || memcmp(r.key, want, STORE_KEY_LEN) ||
			    r.state_id != ids[i])
				same = 0;
			json_decref(it);
			item_batch_release(&b);
		}
		ok(same,
		   "encoded keys match store_item_key for state ids 0, 7, -5, large, extremes");
	}

	/* Every order of loading the four snapshots gives the same runs. */
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			for (int c = 0; c < 4; c++)
				for (int e = 0; e < 4; e++)
					if (a != b && a != c && a != e && b != c && b != e &&
					    c != e) {
						perm[np][0] = a;
						perm[np][1] = b;
						perm[np][2] = c;
						perm[np][3] = e;
						np++;
					}
	/* Each order twice: with the open runs held in memory, and with
	 * the database path a series too large for memory takes. */
	for (int p = 0; p < 2 * np; p++) {
		struct store *s = fresh(dbpath);
		struct diag d;
		struct writer *w = s ? writer_new(s, &d) : NULL;
		char order[16];

		if (!w) {
			ok(0, "open store");
			break;
		}
		if (p >= np)
			writer_limit_open_set(w, 0);
		for (int i = 0; i < NSNAPS; i++) {
			char path[64];
			int k = perm[p % np][i];

			snprintf(path, sizeof(path), "snap-%d", k);
			load(s, w, path, snaps[k].ids, snaps[k].time, 1, "2025-12-31T00:00:00.000Z",
			     7);
			order[i] = (char)('1' + k);
		}
		order[NSNAPS] = '\0';
		runs(s, &sb);
		if (strcmp(sb.buf, expected_runs)) {
			all_ok = 0;
			printf("# order %s gave:\n%s", order, sb.buf);
		}
		if (p == np - 1) {
			/* Point in time, on the last database. */
			current(s, "2026-01-01T12:00:00Z", &sb);
			is_str(sb.buf, "a b c ", "state after the first snapshot");
			current(s, "2026-01-02T12:00:00Z", &sb);
			is_str(sb.buf, "a c ", "b is gone when absent from the next snapshot");
			current(s, "2026-01-03T00:00:00Z", &sb);
			is_str(sb.buf, "a b c ", "b is back with the snapshot that holds it again");
			current(s, NULL, &sb);
			is_str(sb.buf, "a d ", "latest");
			current(s, "2025-12-30", &sb);
			is_str(sb.buf, "", "nothing before the first capture");
			/* A history item newer than the deciding snapshot wins. */
			load(s, w, "hist-1", "b", "2026-01-02T18:00:00Z", 0,
			     "2026-01-02T06:00:00.000Z", 8);
			current(s, "2026-01-02T12:00:00Z", &sb);
			is_str(sb.buf, "a b c ", "a history version after the snapshot keeps b");
			current(s, "2026-01-02T05:00:00Z", &sb);
			is_str(sb.buf, "a c ", "but not before it was captured");
			{
				sqlite3_stmt *st;
				int n = -1;

				if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM relationships",
						       -1, &st, NULL) == SQLITE_OK &&
				    sqlite3_step(st) == SQLITE_ROW)
					n = sqlite3_column_int(st, 0);
				sqlite3_finalize(st);
				is_int(n, 0,
				       "relationships view works on items without relationships");
				if (sqlite3_prepare_v2(
					s->db,
					"SELECT account_id || ' ' || aws_region FROM accounts", -1,
					&st, NULL) == SQLITE_OK &&
				    sqlite3_step(st) == SQLITE_ROW)
					is_str((const char *)sqlite3_column_text(st, 0),
					       ACCT " " REGION, "accounts holds the pair");
				else
					ok(0, "accounts holds the pair");
				sqlite3_finalize(st);
			}
			{
				char t[TIME_ISO_LEN];
				struct diag d2;

				is_int(pit_latest_time(s, t, &d2), 0, "pit_latest_time finds data");
				is_str(t, "2026-01-04T00:00:00.000Z",
				       "latest time is the last delivery");
			}
		}
		if (writer_flush(w, &d))
			ok(0, "flush: %s", d.msg);
		writer_free(w);
		store_close(s);
	}
	ok(all_ok, "all %d load orders give the same presence runs, in memory or not", np);

	/* Loading the same snapshot twice changes nothing. */
	{
		struct store *s = fresh(dbpath);
		struct diag d;
		struct writer *w = writer_new(s, &d);
		struct strbuf a = STRBUF_INIT;

		load(s, w, "s1", "a b", "2026-01-01T00:00:00Z", 1, "2025-12-31T00:00:00.000Z", 7);
		load(s, w, "s2", "a b", "2026-01-02T00:00:00Z", 1, "2025-12-31T00:00:00.000Z", 7);
		runs(s, &a);
		load(s, w, "s2-copy", "a b", "2026-01-02T00:00:00Z", 1, "2025-12-31T00:00:00.000Z",
		     7);
		runs(s, &sb);
		is_str(sb.buf, a.buf, "a second file of the same snapshot time adds no runs");
		strbuf_release(&a);
		if (writer_flush(w, &d))
			ok(0, "flush: %s", d.msg);
		writer_free(w);
		store_close(s);
	}
	{
		struct diag d2;
		char t[TIME_ISO_LEN];
		struct store *e = fresh(dbpath);

		is_int(pit_latest_time(e, t, &d2), 1, "an empty store has no latest time");
		store_close(e);
	}
	unlink(dbpath);
	{
		char x[300];

		snprintf(x, sizeof(x), "%s-wal", dbpath);
		unlink(x);
		snprintf(x, sizeof(x), "%s-shm", dbpath);
		unlink(x);
	}
	item_encoder_free(enc);
	strbuf_release(&sb);
	return tap_done();
}
