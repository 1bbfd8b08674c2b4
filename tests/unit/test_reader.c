/*
 * test_reader: the item reader end to end, on documents built here (plain
 * and gzip, split and truncated) and on the files in tests/data/reader/.
 */
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
	int n;                  /* items read */
	int rc;                 /* last item_reader_next return */
	enum reader_kind kind;
	char snapshot[128];
	struct diag d;
	char first_id[256];     /* resourceId of the first item */
	char last_id[256];
	char first_dump[8192];  /* first item, compact, sorted keys */
};

static void read_stream(FILE *f, const struct reader_limits *lim, struct result *res)
{
	struct item_reader *r;
	json_t *item;

	memset(res, 0, sizeof(*res));
	diag_clear(&res->d);
	r = item_reader_open(f, "test.json", lim, &res->d);
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
		res->n++;
		json_decref(item);
	}
	res->kind = item_reader_kind(r);
	if (item_reader_snapshot_id(r))
		snprintf(res->snapshot, sizeof(res->snapshot), "%s", item_reader_snapshot_id(r));
	item_reader_close(r);
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

#define S3_ITEM(id, extra)                                                                 \
	"{\"configurationItemVersion\":\"1.3\","                                           \
	"\"configurationItemCaptureTime\":\"2024-03-01T10:00:00.123Z\","                   \
	"\"configurationStateId\":1709287200123,\"awsAccountId\":\"123456789012\","        \
	"\"configurationItemStatus\":\"OK\",\"resourceType\":\"AWS::S3::Bucket\","         \
	"\"resourceId\":\"" id "\",\"resourceName\":\"" id "\",\"ARN\":\"arn:aws:s3:::" id \
	"\",\"awsRegion\":\"us-east-1\",\"availabilityZone\":\"Regional\","                \
	"\"resourceCreationTime\":\"2020-01-01T00:00:00Z\",\"tags\":{\"env\":\"prod\"},"   \
	"\"relationships\":[],\"configuration\":{\"name\":\"" id "\"},"                    \
	"\"supplementaryConfiguration\":{}" extra "}"

static void test_snapshot_basic(void)
{
	static const char doc[] = "{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"abc-123\","
				  "\"configurationItems\":[" S3_ITEM("b1", "") "," S3_ITEM("b2", "")
				  "]}";
	static const char hist[] = "{\"fileVersion\":\"1.0\",\"configurationItems\":[" S3_ITEM(
		"h1", "") "]}";
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

int main(void)
{
	test_snapshot_basic();
	return tap_done();
}
