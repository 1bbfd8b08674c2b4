/*
 * test_normalize: every normalization listed in cfgaudit-ingest(1).
 */
#include "ingest/normalize.h"
#include "ingest/reader.h"
#include "tests/unit/tap.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

/* normalize the JSON text s; return the canonical item (or NULL, d set) */
static json_t *norm(const char *s, struct diag *d)
{
	json_error_t e;
	json_t *in = json_loads(s, JSON_DECODE_ANY, &e);

	diag_clear(d);
	if (!in) {
		printf("# bad test json: %s\n", e.text);
		return NULL;
	}
	return normalize_item(in, d);
}

int main(void)
{
	struct diag d;
	json_t *it = norm("{\"version\":\"1.3\",\"accountId\":\"123456789012\",\"arn\":\"a\","
			  "\"configurationItemCaptureTime\":\"2017-11-09T12:35:43.639000-05:00\","
			  "\"configurationStateId\":\"1510248943639\",\"resourceType\":\"AWS::S3::Bucket\","
			  "\"resourceId\":\"b\",\"awsRegion\":\"us-east-1\",\"configuration\":\"{\\\"x\\\":1}\"}",
			  &d);

	ok(it != NULL, "api item normalizes: %s", d.msg);
	is_str(json_string_value(json_object_get(it, "awsAccountId")), "123456789012", "accountId renamed");
	is_str(json_string_value(json_object_get(it, "configurationItemCaptureTime")),
	       "2017-11-09T17:35:43.639Z", "capture time canonical");
	is_int(json_integer_value(json_object_get(it, "configurationStateId")), 1510248943639LL,
	       "state id is an integer");
	json_decref(it);
	return tap_done();
}
