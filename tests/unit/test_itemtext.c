/*
 * test_itemtext: an item stored from its text (itemtext.h) is encoded to
 * the same bytes as the parsed path (jparse, normalize, item_encode), on
 * every item of tests/data/ingest/itemtext/items.txt (one item a line:
 * escapes, Unicode, real numbers, repeated keys, JSON inside strings,
 * API names, odd times, tags as lists, policies ...); the text path takes
 * the items it should and leaves the others to the parsed path.
 */
#include "ingest/itemtext.h"
#include "ingest/normalize.h"
#include "ingest/writer.h"
#include "tests/unit/tap.h"
#include "util/diag.h"
#include "util/jparse.h"

#include <stdlib.h>
#include <string.h>

/* The parsed path's record of text in b, or -1 when it fails. */
static int parsed(struct item_encoder *e, struct item_batch *b, const char *text, size_t len)
{
	struct diag d;
	json_t *v = jparse(text, len, 512, JPARSE_INTEGRAL, NULL), *item;
	int rc;

	if (!v)
		return -1;
	diag_clear(&d);
	item = normalize_item_parsed(v, &d);
	if (!item)
		return -1;
	rc = item_encode(e, b, item, NULL, NULL, &d);
	json_decref(item);
	return rc;
}

static int took(const char *text)
{
	struct item_encoder *e = item_encoder_new();
	char account[24];
	int t = item_encoder_read_text(e, text, strlen(text), 512, account);

	item_encoder_free(e);
	return t;
}

static void test_items_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct item_encoder *pe = item_encoder_new(), *te = item_encoder_new();
	struct item_batch pb, tb;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, taken = 0, same = 0;

	ok(f != NULL, "%s opens", path);
	if (!f)
		return;
	item_batch_init(&pb);
	item_batch_init(&tb);
	while ((n = getline(&line, &cap, f)) > 0) {
		char account[24];

		if (line[n - 1] == '\n')
			n--;
		lineno++;
		item_batch_reset(&pb);
		item_batch_reset(&tb);
		if (!item_encoder_read_text(te, line, (size_t)n, 512, account))
			continue;
		taken++;
		item_encode_text(te, &tb);
		if (parsed(pe, &pb, line, (size_t)n) == 0 && pb.n == tb.n &&
		    pb.data.len == tb.data.len && !memcmp(pb.data.buf, tb.data.buf, pb.data.len))
			same++;
		else
			ok(0, "line %d: the text path's record differs from the parsed path's", lineno);
	}
	ok(lineno >= 60, "%d items read", lineno);
	ok(taken >= 30, "the text path took %d of them", taken);
	is_int(same, taken, "each to the same bytes as the parsed path");
	free(line);
	fclose(f);
	item_batch_release(&pb);
	item_batch_release(&tb);
	item_encoder_free(pe);
	item_encoder_free(te);
}

#define ITEM(extra)                                                                                \
	"{\"configurationItemCaptureTime\":\"2026-11-01T10:00:00.000Z\",\"awsAccountId\":"        \
	"\"111122223333\",\"resourceType\":\"AWS::EC2::Volume\",\"resourceId\":\"vol-1\","         \
	"\"awsRegion\":\"us-east-1\"" extra "}"

static void test_which(void)
{
	ok(took(ITEM("")) == 1, "a plain item");
	ok(took(ITEM(",\"configuration\":{\"a\":\"\\\"\\\\\\n\",\"b\":[1,-2,0,true,null]}")) == 1,
	   "escapes jdump writes the same way, integers, literals");
	ok(took(ITEM(",\"configuration\":{\"a\":1.5}")) == 1, "a real number: parsed alone");
	ok(took(ITEM(",\"configuration\":\"{}\"")) == 1, "configuration as a string: parsed alone");
	ok(took(ITEM(",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]")) == 1, "tags as a list");
	ok(took(ITEM(",\"configuration\":12")) == 0 && took(ITEM(",\"configuration\":[1]")) == 0,
	   "a configuration that is no object: left to normalize, which refuses it");
	ok(took(ITEM(",\"resourceName\":\"a\\\"b\"")) == 0, "an escape in a scalar column");
	ok(took(ITEM(",\"x\":1.5")) == 0, "a real number in another member");
	ok(took(ITEM(",\"x\":\"\\/\"")) == 0, "an escape jdump writes otherwise");
	ok(took(ITEM(",\"x\":{\"a\":1,\"a\":2}")) == 0, "a key twice in an object");
	ok(took(ITEM(",\"resourceId\":\"vol-2\"")) == 0, "a top-level key twice");
	ok(took(ITEM(",\"arn\":\"x\"")) == 0, "an API name");
	ok(took(ITEM(",\"resourceCreationTime\":\"2026-11-01T10:00:00Z\"")) == 0,
	   "a time in another form");
	ok(took(ITEM(" ")) == 0, "a blank between tokens");
	ok(took(ITEM(",\"x\":-0")) == 0, "-0");
	ok(took(ITEM(",\"x\":1234567890123456789")) == 0, "19 digits");
	ok(took("{\"awsAccountId\":\"111122223333\"}") == 0, "an item without its identity");
	ok(took("[]") == 0 && took("") == 0 && took("{") == 0, "not an object");
}

int main(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/data/ingest/itemtext/items.txt", top ? top : ".");
	test_which();
	test_items_file(path);
	return tap_done();
}
