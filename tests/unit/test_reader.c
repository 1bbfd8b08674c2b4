/*
 * test_reader: the item reader end to end, on documents built here (plain
 * and gzip, split and truncated) and on the files in tests/data/reader/.
 */
#include "ingest/gzstream.h"
#include "ingest/jdump.h"
#include "ingest/reader.h"
#include "ingest/scan.h"
#include "tests/unit/tap.h"
#include "util/diag.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* gzip-compress len bytes of s (one member) into a new buffer */
static unsigned char *gzip_mem(const void *s, size_t len, size_t *outlen)
{
	z_stream zs;
	size_t cap = compressBound(len) + 64;
	unsigned char *out = malloc(cap);

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)s;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

struct result {
	int n;	/* items read */
	int rc; /* last item_reader_next return */
	enum reader_kind kind;
	char snapshot[128];
	struct diag d;
	char first_id[256]; /* resourceId of the first item */
	char last_id[256];
	char first_dump[8192]; /* first item, compact, sorted keys */
};

/* Items whose jdump text differs from jansson's compact dump (the writer
 * may use either: they must agree on every item the reader returns). */
static int jdump_checked, jdump_mismatch;

static void check_jdump(const json_t *item)
{
	char *want = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	struct strbuf sb = STRBUF_INIT;

	jdump(item, &sb);
	jdump_checked++;
	if (!want || strcmp(want, sb.buf))
		jdump_mismatch++;
	free(want);
	strbuf_release(&sb);
}

static void read_named(FILE *f, const char *name, const struct reader_limits *lim,
		       struct result *res)
{
	struct item_reader *r;
	json_t *item;

	memset(res, 0, sizeof(*res));
	diag_clear(&res->d);
	r = item_reader_open(f, name, lim, &res->d);
	if (!r) {
		res->rc = -1;
		return;
	}
	while ((res->rc = item_reader_next(r, &item, &res->d)) == 1) {
		const char *id = json_string_value(json_object_get(item, "resourceId"));

		if (res->n == 0) {
			char *s = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);

			snprintf(res->first_dump, sizeof(res->first_dump), "%s", s);
			free(s);
			snprintf(res->first_id, sizeof(res->first_id), "%s", id ? id : "");
		}
		snprintf(res->last_id, sizeof(res->last_id), "%s", id ? id : "");
		check_jdump(item);
		res->n++;
		json_decref(item);
	}
	res->kind = item_reader_kind(r);
	if (item_reader_snapshot_id(r))
		snprintf(res->snapshot, sizeof(res->snapshot), "%s", item_reader_snapshot_id(r));
	item_reader_close(r);
}

static void read_stream(FILE *f, const struct reader_limits *lim, struct result *res)
{
	read_named(f, "test.json", lim, res);
}

static void read_mem(const void *buf, size_t len, int gz, const struct reader_limits *lim,
		     struct result *res)
{
	unsigned char *z = NULL;
	size_t zlen = 0;
	FILE *f;

	if (gz) {
		z = gzip_mem(buf, len, &zlen);
		buf = z;
		len = zlen;
	}
	f = len ? fmemopen((void *)buf, len, "rb") : fopen("/dev/null", "rb");
	read_stream(f, lim, res);
	fclose(f);
	free(z);
}

static void read_str(const char *s, int gz, struct result *res)
{
	read_mem(s, strlen(s), gz, NULL, res);
}

#define S3_ITEM(id, extra)                                                                         \
	"{\"configurationItemVersion\":\"1.3\","                                                   \
	"\"configurationItemCaptureTime\":\"2024-03-01T10:00:00.123Z\","                           \
	"\"configurationStateId\":1709287200123,\"awsAccountId\":\"123456789012\","                \
	"\"configurationItemStatus\":\"OK\",\"resourceType\":\"AWS::S3::Bucket\","                 \
	"\"resourceId\":\"" id "\",\"resourceName\":\"" id "\",\"ARN\":\"arn:aws:s3:::" id         \
	"\",\"awsRegion\":\"us-east-1\",\"availabilityZone\":\"Regional\","                        \
	"\"resourceCreationTime\":\"2020-01-01T00:00:00Z\",\"tags\":{\"env\":\"prod\"},"           \
	"\"relationships\":[],\"configuration\":{\"name\":\"" id "\"},"                            \
	"\"supplementaryConfiguration\":{}" extra "}"

static void test_snapshot_basic(void)
{
	static const char doc[] =
	    "{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"abc-123\","
	    "\"configurationItems\":[" S3_ITEM("b1", "") "," S3_ITEM("b2", "") "]}";
	static const char hist[] =
	    "{\"fileVersion\":\"1.0\",\"configurationItems\":[" S3_ITEM("h1", "") "]}";
	static const char late_id[] = "{\"configurationItems\":[" S3_ITEM(
	    "x1", "") "],\"fileVersion\":\"1.0\",\"configSnapshotId\":\"late\"}";
	struct result res;

	for (int gz = 0; gz <= 1; gz++) {
		read_str(doc, gz, &res);
		is_int(res.rc, 0, "snapshot (gz=%d) reads to the end: %s", gz, res.d.msg);
		is_int(res.n, 2, "snapshot (gz=%d) has 2 items", gz);
		is_int(res.kind, READER_SNAPSHOT, "snapshot (gz=%d) kind", gz);
		is_str(res.snapshot, "abc-123", "snapshot id (gz=%d)", gz);
		is_str(res.last_id, "b2", "last item (gz=%d)", gz);

		read_str(hist, gz, &res);
		is_int(res.rc, 0, "history (gz=%d) reads", gz);
		is_int(res.n, 1, "history (gz=%d) has 1 item", gz);
		is_int(res.kind, READER_HISTORY, "history (gz=%d) kind", gz);
		is_str(res.snapshot, "", "history has no snapshot id");
	}
	read_str(late_id, 0, &res);
	is_int(res.kind, READER_SNAPSHOT, "configSnapshotId after the array: kind is snapshot");
	is_str(res.snapshot, "late", "configSnapshotId after the array is found");
}

/* Read a file; returns its result. */
static void read_file(const char *path, const struct reader_limits *lim, struct result *res)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		memset(res, 0, sizeof(*res));
		res->rc = -99;
		snprintf(res->d.msg, sizeof(res->d.msg), "cannot open %.900s", path);
		return;
	}
	read_named(f, path, lim, res);
	fclose(f);
}

/* Every item of a file, dumped compactly with sorted keys, one per line. */
static char *dump_all(const char *path, size_t chunk, int *rc)
{
	FILE *f = fopen(path, "rb");
	struct item_reader *r;
	struct diag d;
	json_t *item;
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);

	out[0] = '\0';
	scan_test_chunk = chunk;
	diag_clear(&d);
	r = item_reader_open(f, path, NULL, &d);
	while ((*rc = item_reader_next(r, &item, &d)) == 1) {
		char *s = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);
		size_t n = strlen(s);

		while (len + n + 2 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, s, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
		free(s);
		json_decref(item);
	}
	if (*rc < 0) {
		size_t n = strlen(d.msg);

		while (len + n + 2 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, d.msg, n + 1);
		len += n;
	}
	item_reader_close(r);
	fclose(f);
	scan_test_chunk = 0;
	return out;
}

#define DATA CFGAUDIT_SRCDIR "/tests/data/reader/"

struct expect {
	const char *file;
	int rc;	   /* 0 or -1 */
	int items; /* items returned (before an error) */
	enum reader_kind kind;
	const char *msg;      /* substring of the error, or NULL */
	const char *snapshot; /* snapshot id, or NULL */
};

static const struct expect files[] = {
    {"snapshot.json.gz", 0, 50, READER_SNAPSHOT, NULL, "2f7c1e4a-0b4d-4b8e-9a52-7d1f0f6f9c11"},
    {"snapshot-id-last.json", 0, 3, READER_SNAPSHOT, NULL, "id-after-items"},
    {"history.json.gz", 0, 2, READER_HISTORY, NULL, NULL},
    {"history-2members.json.gz", 0, 2, READER_HISTORY, NULL, NULL},
    {"get-resource-config-history.json", 0, 2, READER_API_ITEMS, NULL, NULL},
    {"batch-get-resource-config.json", 0, 1, READER_API_ITEMS, NULL, NULL},
    {"batch-get-aggregate-resource-config.json", 0, 2, READER_API_ITEMS, NULL, NULL},
    {"select-resource-config.json", 0, 2, READER_SELECT_RESULTS, NULL, NULL},
    {"select-aggregate-resource-config.json", 0, 1, READER_SELECT_RESULTS, NULL, NULL},
    {"select-missing-type.json", -1, 1, READER_SELECT_RESULTS,
     "row 1: the select query did not select resourceType;", NULL},
    {"change-notification.json", 0, 1, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"oversized-body.json.gz", 0, 1, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"oversized-summary.json", 0, 0, READER_OVERSIZED, NULL, NULL},
    {"snapshot-delivery-notification.json", 0, 0, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"sns-envelope.json", 0, 1, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"eventbridge.json", 0, 1, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"rule-event.json", 0, 1, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"bare-array.json", 0, 3, READER_ITEM_ARRAY, NULL, NULL},
    {"single-item.json", 0, 1, READER_ITEM_ARRAY, NULL, NULL},
    {"empty.json", -1, 0, READER_UNKNOWN, "empty file", NULL},
    {"truncated.json.gz", -1, -1, READER_SNAPSHOT, "unexpected end of gzip data", NULL},
    {"corrupt.json.gz", -1, -1, READER_UNKNOWN, "corrupt gzip data at compressed offset", NULL},
    {"truncated.json", -1, 33, READER_SNAPSHOT,
     "truncated json inside configurationItems (item 33)", NULL},
    {"binary-junk.bin", -1, 0, READER_UNKNOWN, "not json or gzip data", NULL},
    {"not-config.json", -1, 0, READER_UNKNOWN, "not an AWS Config file", NULL},
    /* an EventBridge event of another service: an envelope with no item */
    {"cloudtrail-event.json", 0, 0, READER_CHANGE_NOTIFICATION, NULL, NULL},
    {"missing-type.json", -1, 2, READER_HISTORY, "item 2: resourceType is missing", NULL},
    {"cloudtrail-log.json", -1, 0, READER_UNKNOWN, "not an AWS Config file: a CloudTrail log",
     NULL},
};

static void test_files(void)
{
	struct result res;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const struct expect *e = &files[i];

		char path[4096];

		snprintf(path, sizeof(path), DATA "%s", e->file);
		read_file(path, NULL, &res);
		is_int(res.rc, e->rc, "%s: return code (%s)", e->file, res.d.msg);
		if (e->items >= 0)
			is_int(res.n, e->items, "%s: items", e->file);
		if (e->rc == 0 || e->kind != READER_UNKNOWN)
			is_int(res.kind, e->kind, "%s: kind %s", e->file,
			       reader_kind_name(res.kind));
		if (e->msg) {
			ok(strstr(res.d.msg, e->msg) != NULL, "%s: message '%s'", e->file,
			   res.d.msg);
			ok(strstr(res.d.path, e->file) != NULL, "%s: error names the file",
			   e->file);
			ok(res.d.offset >= 0, "%s: error has an offset (%lld)", e->file,
			   res.d.offset);
		}
		if (e->rc == 0)
			is_str(res.snapshot[0] ? res.snapshot : NULL, e->snapshot,
			       "%s: snapshot id", e->file);
	}
}

/* Tiny read chunks split every value across refills: same items, same error. */
static void test_chunk_sizes(void)
{
	static const size_t chunks[] = {1, 2, 3, 7, 64, 4093};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		int rc0, rc;
		char *want;

		snprintf(path, sizeof(path), DATA "%s", files[i].file);
		want = dump_all(path, 0, &rc0);
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			char *got = dump_all(path, chunks[c], &rc);

			/* after an error only the message must match: small reads may
			 * return more items before a gzip error is seen */
			const char *lw = strrchr(want, '\n'), *lg = strrchr(got, '\n');

			if (rc0 == 0)
				ok(rc == 0 && !strcmp(got, want),
				   "%s: same items with %zu-byte reads", files[i].file, chunks[c]);
			else
				ok(rc == rc0 && !strcmp(lg ? lg + 1 : got, lw ? lw + 1 : want),
				   "%s: same error with %zu-byte reads", files[i].file, chunks[c]);
			free(got);
		}
		free(want);
	}
}

/* Inflating in a thread (forced from the first byte here) gives the
 * same items and the same errors as inflating inline. */
static void test_inflate_thread(void)
{
	size_t saved = gzstream_thread_after;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		int rc0, rc;
		char *want, *got;

		snprintf(path, sizeof(path), DATA "%s", files[i].file);
		gzstream_thread_after = 0;
		want = dump_all(path, 0, &rc0);
		gzstream_thread_after = 1;
		got = dump_all(path, 7, &rc);
		ok(rc == rc0 && !strcmp(got, want), "%s: same result with an inflate thread",
		   files[i].file);
		free(want);
		free(got);
	}
	/* a reader closed early stops its thread */
	{
		FILE *f = fopen(DATA "snapshot.json.gz", "rb");
		struct diag d;
		struct item_reader *r;
		json_t *item;

		gzstream_thread_after = 1;
		r = item_reader_open(f, "early", NULL, &d);
		ok(item_reader_next(r, &item, &d) == 1, "first item with a thread");
		json_decref(item);
		item_reader_close(r);
		fclose(f);
		ok(1, "closing early returns");
	}
	gzstream_thread_after = saved;
}

/* Every cut of a document short of its end is an error, never a crash or
 * a silent partial success. */
static void test_truncation(void)
{
	static const char doc[] = "{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"s\\\"1\","
				  "\"configurationItems\":[" S3_ITEM("a\\\"{[", "") "," S3_ITEM(
				      "b2", ",\"x\":[1,2.5,{\"y\":\"}]\\\\\"}]") "]}\n";
	size_t len = strlen(doc), body = len - 1;
	int bad_plain = 0, bad_gz = 0;
	struct result res;

	read_mem(doc, len, 0, NULL, &res);
	is_int(res.rc, 0, "full document reads (%s)", res.d.msg);
	is_int(res.n, 2, "full document has 2 items");
	is_str(res.first_id, "a\"{[", "resourceId with quote and brackets");
	for (size_t cut = 0; cut < body; cut++) {
		read_mem(doc, cut, 0, NULL, &res);
		if (res.rc != -1 || res.d.offset < 0) {
			bad_plain++;
			printf("# cut %zu: rc %d n %d\n", cut, res.rc, res.n);
		}
		scan_test_chunk = 3;
		read_mem(doc, cut, 1, NULL, &res);
		scan_test_chunk = 0;
		if (res.rc != -1)
			bad_gz++;
	}
	is_int(bad_plain, 0, "every plain cut (%zu) is an error with an offset", body);
	is_int(bad_gz, 0, "every gzip cut is an error");

	/* cutting the compressed bytes of a gzip file */
	{
		size_t zlen, bad = 0;
		unsigned char *z = gzip_mem(doc, len, &zlen);

		for (size_t cut = 1; cut < zlen; cut++) {
			FILE *f = fmemopen(z, cut, "rb");

			/* every other cut with an inflate thread */
			gzstream_thread_after = cut % 2 ? 1 : 0;
			read_stream(f, NULL, &res);
			gzstream_thread_after = 4u << 20;
			fclose(f);
			if (res.rc != -1)
				bad++;
		}
		is_int(bad, 0, "every cut of the compressed bytes (%zu) is an error", zlen);
		free(z);
	}
}

static void test_shapes_inline(void)
{
	struct result res;

	read_str("[]", 0, &res);
	is_int(res.rc, 0, "empty array: no error");
	is_int(res.n, 0, "empty array: no items");
	read_str("{\"version\":\"0\",\"detail-type\":\"Config Rules Compliance Change\","
		 "\"source\":\"aws.config\",\"detail\":{\"resourceId\":\"sg-1\","
		 "\"resourceType\":\"AWS::EC2::SecurityGroup\",\"awsRegion\":\"eu-west-1\","
		 "\"configRuleName\":\"r\",\"newEvaluationResult\":{}}}",
		 0, &res);
	ok(res.rc == 0 && res.n == 0, "compliance-change event: no items, no error (%s)",
	   res.d.msg);
	read_str("\xef\xbb\xbf[]", 0, &res);
	ok(res.rc == 0 && res.n == 0, "utf-8 byte-order mark skipped (%s)", res.d.msg);
	read_str("\xff\xfe[\x00]\x00", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "UTF-16"), "utf-16: %s", res.d.msg);
	read_str("\xef\xbb", 0, &res);
	ok(res.rc == -1, "cut byte-order mark: %s", res.d.msg);
	read_str("  \n\t ", 0, &res);
	is_int(res.rc, -1, "blanks only: error");
	ok(strstr(res.d.msg, "empty file") != NULL, "blanks only: empty file (%s)", res.d.msg);
	read_str("\"just a string\"", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "not an AWS Config file"), "top-level string: %s",
	   res.d.msg);
	read_str("42", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "not an AWS Config file"), "top-level number: %s",
	   res.d.msg);
	read_str("{\"fileVersion\":\"1.0\",\"configurationItems\":[]} x", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "after the end"), "trailing data: %s", res.d.msg);
	read_str("{\"configurationItems\":[1]}", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "item 0: not a json object"), "scalar item: %s",
	   res.d.msg);
	read_str("{\"configurationItems\":[" S3_ITEM("a", "") ",]}", 0, &res);
	ok(res.rc == -1 && res.n == 1 && strstr(res.d.msg, "invalid json"), "trailing comma: %s",
	   res.d.msg);
	read_str("{\"configurationItems\":[" S3_ITEM("a", "") " " S3_ITEM("b", "") "]}", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "expected ',' or ']'"), "missing comma: %s",
	   res.d.msg);
	read_str("{\"configurationItems\":{}}", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "not an AWS Config file"), "items not an array: %s",
	   res.d.msg);
	read_str("{\"Results\":[\"{not json\"]}", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "row 0: invalid json"), "bad row string: %s",
	   res.d.msg);
	read_str("{\"Type\":\"Notification\",\"Message\":\"nope\"}", 0, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "SNS Message does not hold valid json"),
	   "bad SNS message: %s", res.d.msg);
	read_str("{\"invokingEvent\":\"{\\\"messageType\\\":\\\"ScheduledNotification\\\","
		 "\\\"recordVersion\\\":\\\"1.0\\\"}\"}",
		 0, &res);
	ok(res.rc == 0 && res.n == 0, "scheduled rule event: no items, no error (%s)", res.d.msg);
	/* a list of rule events */
	{
		FILE *f = fopen(DATA "rule-event.json", "rb");
		char buf[8192], doc[20000];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		fclose(f);
		buf[n] = '\0';
		snprintf(doc, sizeof(doc), "[%s,%s]", buf, buf);
		read_str(doc, 0, &res);
		ok(res.rc == 0 && res.n == 2, "array of rule events: 2 items (%s)", res.d.msg);
	}
	/* \u escapes and an escaped backslash before a quote, in the key too */
	read_str("{\"fileVersion\":\"1.0\",\"configuration\\u0049tems\":[" S3_ITEM(
		     "x\\\\", ",\"note\":\"\\u00e9\\\\\\\"}\"") "]}",
		 0, &res);
	is_int(res.rc, 0, "escaped member name and values (%s)", res.d.msg);
	is_str(res.first_id, "x\\", "resourceId ending in a backslash");
	is_int(res.kind, READER_HISTORY, "escaped member name still streams");
}

static void test_limits(void)
{
	struct reader_limits lim = {0};
	struct result res;
	char *big;
	size_t n = 3u << 20, len;

	/* one item over max_item_bytes */
	big = malloc(n + 4096);
	len = (size_t)snprintf(
	    big, 4096,
	    "{\"fileVersion\":\"1.0\",\"configurationItems\":[" S3_ITEM("a", ",\"pad\":\""));
	memset(big + len, 'x', n);
	len += n;
	len += (size_t)sprintf(big + len, "\"}]}");
	lim.max_item_bytes = 1u << 20;
	read_mem(big, len, 0, &lim, &res);
	ok(res.rc == -1 && strstr(res.d.msg, "larger than the limit of 1048576 bytes"),
	   "item over max_item_bytes: %s", res.d.msg);
	lim.max_item_bytes = 0;
	read_mem(big, len, 1, &lim, &res);
	ok(res.rc == 0 && res.n == 1, "the same item within the default limit (%s)", res.d.msg);
	free(big);

	/* a top-level object of many tiny members */
	{
		size_t cap = 20000 * 16, dlen = 0;
		char *doc = malloc(cap);

		doc[dlen++] = '{';
		for (int i = 0; i < 12000; i++)
			dlen += (size_t)sprintf(doc + dlen, "%s\"m%d\":0", i ? "," : "", i);
		doc[dlen++] = '}';
		read_mem(doc, dlen, 0, NULL, &res);
		ok(res.rc == -1 && strstr(res.d.msg, "more than 10000 members"),
		   "too many top-level members: %s", res.d.msg);
		free(doc);
	}

	/* nesting */
	{
		char doc[4096];
		int k = 0;

		k += sprintf(doc + k, "[{\"resourceType\":\"t\",\"deep\":");
		for (int i = 0; i < 40; i++)
			doc[k++] = '[';
		for (int i = 0; i < 40; i++)
			doc[k++] = ']';
		k += sprintf(doc + k, "}]");
		lim.max_depth = 16;
		read_mem(doc, (size_t)k, 0, &lim, &res);
		ok(res.rc == -1 && strstr(res.d.msg, "deeper than the limit of 16"),
		   "nesting over max_depth: %s", res.d.msg);
		lim.max_depth = 0;
	}

	/* a small gzip bomb: 64 MiB of blanks inside an array */
	{
		size_t bn = 64u << 20, zlen;
		char *bomb = malloc(bn);
		unsigned char *z;
		FILE *f;

		memset(bomb, ' ', bn);
		bomb[0] = '[';
		bomb[bn - 1] = ']';
		z = gzip_mem(bomb, bn, &zlen);
		free(bomb);
		lim.max_inflate_ratio = 100;
		f = fmemopen(z, zlen, "rb");
		read_stream(f, &lim, &res);
		fclose(f);
		ok(res.rc == -1 && strstr(res.d.msg, "decompression ratio exceeds 100:1"),
		   "gzip bomb (%zu -> 64 MiB) stops: %s", zlen, res.d.msg);
		ok(res.d.offset >= (8 << 20) && res.d.offset < (32 << 20),
		   "gzip bomb stops early (at %lld)", res.d.offset);
		lim.max_inflate_ratio = 0;
		f = fmemopen(z, zlen, "rb");
		read_stream(f, &lim, &res);
		fclose(f);
		ok(res.rc == -1 && strstr(res.d.msg, "decompression ratio exceeds 200:1"),
		   "the default limit (200:1) stops it too: %s", res.d.msg);
		lim.max_inflate_ratio = 2000;
		f = fmemopen(z, zlen, "rb");
		read_stream(f, &lim, &res);
		fclose(f);
		ok(res.rc == 0, "the same file within a 2000:1 limit reads (%s)", res.d.msg);
		lim.max_inflate_ratio = 0;
		free(z);
	}
}

/* Every valid-JSON file under $SHARED_DIR/samples reads; the invalid ones
 * fail with an offset. */
static void test_shared_samples(void)
{
	static const char *const dirs[] = {"rdk-example-ci", "custodian-config"};
	/* invalid JSON upstream */
	static const char *const invalid[] = {"AWS_EC2_NetworkInterface.json",
					      "AWS_SSM_ManagedInstanceInventory_Linux.json"};
	/* valid JSON that is rejected on purpose, and why: an awsRegion that
	 * is no region (it would become an account-region of its own). The
	 * other odd ones (13- and 11-digit accounts, a state id "test", a
	 * Python datetime repr) ingest, as the project requires */
	static const char *const rejected[][2] = {
	    {"AWS_EC2_CustomerGateway.json",
	     "awsRegion \"Not Applicable\" is not an AWS region name"}};
	/* valid messages that carry no item: a scheduled rule event, and an
	 * EventBridge event of another service (a CloudTrail API call) */
	static const char *const itemless[] = {"poll-evaluation.json", "event-cloudsearch.json"};
	const char *shared = getenv("SHARED_DIR");
	int files_seen = 0, dirs_seen = 0;

	if (!shared || !*shared) {
		ok(1, "# SKIP SHARED_DIR not set");
		return;
	}
	for (size_t di = 0; di < 2; di++) {
		char dpath[4096];
		DIR *dir;
		struct dirent *de;

		snprintf(dpath, sizeof(dpath), "%s/samples/%s", shared, dirs[di]);
		dir = opendir(dpath);
		if (dir)
			dirs_seen++;
		if (!dir) {
			ok(1, "# SKIP %s absent", dpath);
			continue;
		}
		while ((de = readdir(dir)) != NULL) {
			char path[8192];
			struct result res;
			const char *why = NULL;
			int is_invalid = 0, is_itemless = 0;

			if (!strstr(de->d_name, ".json"))
				continue;
			files_seen++;
			snprintf(path, sizeof(path), "%s/%s", dpath, de->d_name);
			for (size_t i = 0; i < 2; i++)
				is_invalid |= !strcmp(de->d_name, invalid[i]);
			for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++)
				if (*rejected[i][0] && !strcmp(de->d_name, rejected[i][0]))
					why = rejected[i][1];
			for (size_t i = 0; i < sizeof(itemless) / sizeof(itemless[0]); i++)
				is_itemless |= !strcmp(de->d_name, itemless[i]);
			read_file(path, NULL, &res);
			if (is_invalid)
				ok(res.rc == -1 && res.d.offset > 0 &&
				       (strstr(res.d.msg, "invalid json") ||
					strstr(res.d.msg, "truncated json")),
				   "sample %s (invalid upstream) fails at offset %lld: %s",
				   de->d_name, res.d.offset, res.d.msg);
			else if (why)
				ok(res.rc == -1 && strstr(res.d.msg, why),
				   "sample %s is rejected: %s", de->d_name, res.d.msg);
			else if (is_itemless)
				ok(res.rc == 0 && res.n == 0, "sample %s: no items, no error (%s)",
				   de->d_name, res.d.msg);
			else
				ok(res.rc == 0 && res.n >= 1, "sample %s: %d item(s) (%s)",
				   de->d_name, res.n, res.d.msg);
		}
		closedir(dir);
	}
	if (dirs_seen)
		ok(files_seen > 90, "samples found (%d)", files_seen);
}

int main(void)
{
	test_snapshot_basic();
	test_files();
	test_chunk_sizes();
	test_inflate_thread();
	test_truncation();
	test_shapes_inline();
	test_limits();
	test_shared_samples();
	ok(jdump_checked > 1000 && jdump_mismatch == 0,
	   "jdump text equals jansson's on every item read (%d checked, %d differ)", jdump_checked,
	   jdump_mismatch);
	return tap_done();
}
