/*
 * test_pit_meta: what a whole build records of a state to be kept
 * (pit_delta_record). Its pit_meta says the builder's count and rowid
 * digest; a state whose builder counted other rows than it handed
 * SQLite, or whose INSERT made another number of rows, is not kept.
 */
#include "store/pit_delta.h"
#include "store/store.h"
#include "tests/unit/tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T "2026-01-01T00:00:00.000Z"

/* The rows of the state: type, id, account, region, rowid. */
static const struct {
	const char *type, *id;
	int64_t rid;
} rows[] = {
	{ "AWS::EC2::Instance", "i-1", 11 },
	{ "AWS::EC2::Instance", "i-2", 12 },
	{ "AWS::S3::Bucket", "b-1", 13 },
};
#define NROWS 3

/* A scratch file attached as pit, holding the state's tables and rows
 * and their statistics, as a whole build leaves them. */
static int scratch(struct store *s, const char *path, struct diag *d)
{
	char *sql;
	int rc;

	unlink(path);
	sql = malloc(strlen(path) + 64);
	sprintf(sql, "ATTACH '%s' AS pit", path);
	rc = store_exec(s, sql, d);
	free(sql);
	if (rc || store_exec(s,
			     "CREATE TABLE pit.pit_items(resource_type TEXT NOT NULL,"
			     " resource_id TEXT NOT NULL, account_id TEXT NOT NULL,"
			     " region TEXT NOT NULL, rid INTEGER NOT NULL, item_key BLOB NOT NULL,"
			     " resource_name TEXT, PRIMARY KEY (resource_type, resource_id,"
			     " account_id, region)) WITHOUT ROWID;"
			     "CREATE INDEX pit.pit_items_by_id ON pit_items(resource_id);",
			     d))
		return -1;
	for (int i = 0; i < NROWS; i++) {
		sql = malloc(256);
		snprintf(sql, 256,
			 "INSERT INTO pit.pit_items VALUES ('%s', '%s', '1', 'us-east-1', %lld,"
			 " x'00', NULL)",
			 rows[i].type, rows[i].id, (long long)rows[i].rid);
		rc = store_exec(s, sql, d);
		free(sql);
		if (rc)
			return -1;
	}
	return store_exec(s, "ANALYZE pit", d);
}

/* pit_delta_record with the builder's figures, the count and digest
 * off by skew_n and skew_hash, the rows made off by skew_made: h.keep,
 * or -1. */
static int record(struct store *s, const char *path, int64_t skew_n, uint64_t skew_hash,
		  int64_t skew_made)
{
	struct pit_kept k;
	struct pit_hint h;
	struct diag d;
	const char *prev[3] = { "", "", "" };
	int rc;

	memset(&h, 0, sizeof(h));
	h.latest_mark = 0; /* the store has no items: every one is at or before T */
	if (scratch(s, path, &d)) {
		printf("# scratch: %s\n", d.msg);
		return -1;
	}
	pit_kept_init(&k);
	for (int i = 0; i < NROWS; i++) {
		pit_kept_row(&k, rows[i].rid, rows[i].type, rows[i].id, "1", "us-east-1", T, "", 1,
			     PIT_CURRENT, prev);
		prev[0] = rows[i].type;
		prev[1] = rows[i].id;
		prev[2] = "1";
		k.given_n++; /* as the build's scan hands them */
		k.given_hash += pit_delta_mix(rows[i].rid);
	}
	k.inserted = NROWS + skew_made;
	k.n += skew_n;
	k.hash += skew_hash;
	rc = pit_delta_record(s, T, &k, &h, &d);
	if (rc)
		printf("# record: %s\n", d.msg);
	pit_kept_release(&k);
	store_exec(s, "DETACH pit", &d);
	return rc ? -1 : h.keep;
}

int main(void)
{
	char dbpath[256], pitpath[300];
	struct diag d;
	struct store *s;

	snprintf(dbpath, sizeof(dbpath), "%s/test_pit_meta.%d.db",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	snprintf(pitpath, sizeof(pitpath), "%s-pit", dbpath);
	unlink(dbpath);
	s = store_open(dbpath, STORE_READ_WRITE, &d);
	ok(s != NULL, "store opened");
	if (!s)
		return tap_done();
	is_int(record(s, pitpath, 0, 0, 0), 1, "the builder's count and digest are the rows': kept");
	is_int(record(s, pitpath, 0, 1, 0), 0, "another rowid digest than the rows': not kept");
	is_int(record(s, pitpath, 0, pit_delta_mix(14), 0), 0,
	       "a row more in the digest than in the rows: not kept");
	is_int(record(s, pitpath, 1, pit_delta_mix(14), 0), 0,
	       "a row more counted than in the rows: not kept");
	is_int(record(s, pitpath, 0, 0, -1), 0, "a row fewer made than handed: not kept");
	store_close(s);
	unlink(pitpath);
	unlink(dbpath);
	return tap_done();
}
