/*
 * test_quickid: the identity read from an item's text without building it
 * (src/ingest/quickid.c). What it accepts must be exactly what the full
 * path (jparse, normalize_item_parsed) reads; anything unusual must be
 * refused, so that the full path runs and reports it. A mutation test
 * checks the "never looser" side on thousands of damaged items.
 */
#include "util/jparse.h"
#include "ingest/normalize.h"
#include "ingest/quickid.h"
#include "tests/unit/tap.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

#define ITEM(extra)                                                                               \
	"{\"configurationItemVersion\":\"1.3\",\"configurationItemCaptureTime\":"                 \
	"\"2026-11-05T01:08:06.123Z\",\"configurationStateId\":1762304886123,"                    \
	"\"awsAccountId\":\"333333333333\",\"configurationItemStatus\":\"OK\","                  \
	"\"resourceType\":\"AWS::EC2::SecurityGroup\",\"resourceId\":\"sg-01c51d190157e09f5\","   \
	"\"resourceName\":\"default\",\"ARN\":\"arn:aws:ec2:eu-west-1:333333333333:security-"     \
	"group/sg-01c51d190157e09f5\",\"awsRegion\":\"eu-west-1\",\"availabilityZone\":"          \
	"\"Not Applicable\",\"tags\":{\"Name\":\"caf\xc3\xa9 \\\"x\\\"\"},\"relationships\":"      \
	"[{\"resourceId\":\"vpc-1\",\"resourceType\":\"AWS::EC2::VPC\",\"name\":\"Is contained "  \
	"in Vpc\"}],\"configuration\":{\"ipPermissions\":[{\"fromPort\":22,\"ipProtocol\":"       \
	"\"tcp\",\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}],\"toPort\":22.5}],\"flag\":true,"    \
	"\"none\":null,\"neg\":-0.25},\"supplementaryConfiguration\":{}" extra "}"

static int quick(const char *s, struct quickid *q)
{
	return quickid_read(s, strlen(s), 64, q);
}

static int field_is(const struct quickid *q, int f, const char *want)
{
	return q->len[f] == strlen(want) && !memcmp(q->field[f], want, q->len[f]);
}

/* The full path's identity of text, or -1 if it fails there. */
static int full_identity(const char *text, size_t len, json_t **out)
{
	struct jparse_error e;
	struct diag d;
	json_t *v = jparse(text, len, 64, JPARSE_INTEGRAL, &e);

	*out = NULL;
	if (!v)
		return -1;
	diag_clear(&d);
	*out = normalize_item_parsed(v, &d);
	return *out ? 0 : -1;
}

static int same_identity(const struct quickid *q, json_t *item)
{
	static const char *const names[QID_FIELDS] = {
		"awsAccountId", "awsRegion", "resourceType", "resourceId",
		"configurationItemCaptureTime",
	};
	json_t *sid = json_object_get(item, "configurationStateId");

	for (int f = 0; f < QID_CAPTURE; f++) {
		json_t *v = json_object_get(item, names[f]);

		if (!json_is_string(v) || !field_is(q, f, json_string_value(v)))
			return 0;
	}
	if (strcmp(q->capture,
		   json_string_value(json_object_get(item, "configurationItemCaptureTime"))))
		return 0;
	if (q->has_state_id != (sid != NULL))
		return 0;
	return !sid || json_integer_value(sid) == q->state_id;
}

static void test_accepts(void)
{
	struct quickid q;
	json_t *item;

	ok(quick(ITEM(""), &q) == 1, "a delivery item is quick");
	ok(field_is(&q, QID_ACCOUNT, "333333333333") && field_is(&q, QID_REGION, "eu-west-1") &&
		   field_is(&q, QID_TYPE, "AWS::EC2::SecurityGroup") &&
		   field_is(&q, QID_ID, "sg-01c51d190157e09f5"),
	   "identity fields read");
	is_str(q.capture, "2026-11-05T01:08:06.123Z", "capture time canonical");
	ok(q.has_state_id && q.state_id == 1762304886123LL, "state id as a number");
	ok(full_identity(ITEM(""), strlen(ITEM("")), &item) == 0 && same_identity(&q, item),
	   "the same identity as the full path");
	json_decref(item);

	ok(quick("{\"awsAccountId\":\"000000000001\",\"awsRegion\":\"global\",\"resourceType\":"
		 "\"AWS::IAM::Role\",\"resourceId\":\"AROA1\",\"configurationItemCaptureTime\":"
		 "\"2026-11-05T01:08:06Z\",\"configurationStateId\":\"42\"}",
		 &q) == 1 &&
		   q.has_state_id && q.state_id == 42,
	   "state id as a string of digits");
	is_str(q.capture, "2026-11-05T01:08:06.000Z", "capture time made canonical");
	ok(quick(" \n{\"awsAccountId\":\"000000000001\",\"awsRegion\":\"us-east-1\",\"resourceType\":"
		 "\"T\",\"resourceId\":\"i\",\"configurationItemCaptureTime\":"
		 "\"2026-11-05T01:08:06Z\",\"configurationItemStatus\":null} \t",
		 &q) == 1 &&
		   !q.has_state_id,
	   "blanks around, no state id, null status");
}

static void test_refuses(void)
{
	static const char *const not_quick[] = {
		/* identity that normalization would change or refuse */
		"{\"awsAccountId\":\"33333333333\"}",
		"{\"accountId\":\"333333333333\"}",
		"{\"awsAccountId\":333333333333}",
		"{\"awsRegion\":\"eu\\u002dwest-1\"}",
		"{\"resourceId\":\"a\\\"b\"}",
		"{\"resourceId\":\"\"}",
		"{\"resourceId\":\"dup\"}",
		"{\"configurationStateId\":1.5}",
		"{\"configurationStateId\":\"12a\"}",
		"{\"configurationStateId\":null}",
		"{\"configurationStateId\":1e3}",
		"{\"configurationItemStatus\":5}",
		"{\"configurationItemCaptureTime\":\"not a time\"}",
		"{\"aws\\u0041ccountId\":\"333333333333\"}",
		/* valid JSON the full path handles */
		"{\"x\":\"\\u00e9\"}",
		"{\"x\":12345678901234567890}",
		/* invalid JSON */
		"{\"x\":[1,2,]}",
		"{\"x\":tru}",
		"{\"x\":\"a\x01\"}",
		"{\"x\":\"\xc3\"}",
		"{\"x\":\"\xed\xa0\x80\"}",
		"{\"x\":01}",
		"{\"x\":-}",
		"{\"x\":\"\\q\"}",
		"{\"x\" 1}",
		"{\"x\":1}}",
		"{\"x\":{\"y\":1}",
	};
	char buf[2048];
	struct quickid q;
	int all = 1;

	for (size_t i = 0; i < sizeof(not_quick) / sizeof(not_quick[0]); i++) {
		/* Put each fragment into an otherwise quick item. */
		const char *frag = not_quick[i];
		size_t n = strlen(frag);

		if (!strcmp(frag, "{\"resourceId\":\"dup\"}"))
			snprintf(buf, sizeof(buf), "%.*s,\"resourceId\":\"again\"}",
				 (int)strlen(ITEM("")) - 1, ITEM(""));
		else
			snprintf(buf, sizeof(buf), "%.*s,%.*s", (int)strlen(ITEM("")) - 1, ITEM(""),
				 (int)n - 1, frag + 1);
		if (quick(buf, &q)) {
			all = 0;
			printf("# accepted: %s\n", frag);
		}
	}
	ok(all, "every unusual or invalid item is left to the full path");
	ok(quick("[1]", &q) == 0 && quick("{}", &q) == 0 && quick("", &q) == 0,
	   "not an object, or an empty one");
	{
		/* The item nests 6 deep; the limit means what it means to jparse. */
		struct jparse_error e;
		json_t *v5 = jparse(ITEM(""), strlen(ITEM("")), 5, 0, &e);
		json_t *v6 = jparse(ITEM(""), strlen(ITEM("")), 6, 0, &e);

		ok(!v5 && quickid_read(ITEM(""), strlen(ITEM("")), 5, &q) == 0,
		   "nesting beyond the limit, as for jparse");
		ok(v6 && quickid_read(ITEM(""), strlen(ITEM("")), 6, &q) == 1,
		   "nesting at the limit, as for jparse");
		json_decref(v6);
	}
	ok(quickid_read(ITEM(""), strlen(ITEM("")) - 1, 64, &q) == 0, "truncated");
}

/* Damage the item at random, many times: whatever quickid still accepts,
 * the full path must accept too, with the same identity. */
static void test_never_looser(void)
{
	const char *base = ITEM("");
	size_t len = strlen(base);
	char *buf = malloc(len + 8);
	unsigned seed = 12345;
	long accepted = 0, bad = 0;
	static const char alphabet[] = "\"\\{}[],:0123456789.-eE tfnul\x01\x80\xc3\xff ax";

	for (int round = 0; round < 20000; round++) {
		struct quickid q;
		json_t *item;
		size_t n = len;

		memcpy(buf, base, len);
		for (int k = 1 + round % 3; k > 0; k--) {
			size_t at;

			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 8) % 3) {
			case 0: /* replace a byte */
				buf[at] = alphabet[(seed >> 12) % (sizeof(alphabet) - 1)];
				break;
			case 1: /* delete a byte */
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			default: /* insert a byte */
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = alphabet[(seed >> 12) % (sizeof(alphabet) - 1)];
				n++;
			}
		}
		if (!quickid_read(buf, n, 64, &q))
			continue;
		accepted++;
		if (full_identity(buf, n, &item) || !same_identity(&q, item)) {
			if (bad++ < 5)
				printf("# quick but not so in full: %.*s\n", (int)n, buf);
		}
		json_decref(item);
	}
	ok(bad == 0, "20000 damaged items: none accepted that the full path reads otherwise");
	ok(accepted > 100, "... and damage outside the identity still leaves many quick (%ld)",
	   accepted);
	free(buf);
}

int main(void)
{
	test_accepts();
	test_refuses();
	test_never_looser();
	return tap_done();
}
