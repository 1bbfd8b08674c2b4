/*
 * fuzz_quickid: libFuzzer target for the identity read from an item's
 * text (src/ingest/quickid.c), checked against the full path: whatever
 * quickid accepts, jparse and normalize_item_parsed must accept, with the
 * same identity. A difference aborts, so the fuzzer keeps the input.
 */
#include "util/jparse.h"
#include "ingest/normalize.h"
#include "ingest/quickid.h"
#include "util/diag.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const struct quickid *q, int f, json_t *v)
{
	return json_is_string(v) && json_string_length(v) == q->len[f] &&
	       !memcmp(json_string_value(v), q->field[f], q->len[f]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[QID_CAPTURE] = {
		"awsAccountId", "awsRegion", "resourceType", "resourceId",
	};
	const char *text = (const char *)data;
	struct jparse_error e;
	struct quickid q;
	struct diag d;
	json_t *v, *item, *sid;

	if (!quickid_read(text, size, 32, &q))
		return 0;
	v = jparse(text, size, 32, JPARSE_INTEGRAL, &e);
	if (!v)
		abort(); /* quick, but not JSON to the full parser */
	diag_clear(&d);
	item = normalize_item_parsed(v, &d);
	if (!item)
		abort(); /* quick, but refused by normalization */
	for (int f = 0; f < QID_CAPTURE; f++)
		if (!same(&q, f, json_object_get(item, names[f])))
			abort();
	if (strcmp(q.capture,
		   json_string_value(json_object_get(item, "configurationItemCaptureTime"))))
		abort();
	sid = json_object_get(item, "configurationStateId");
	if (q.has_state_id != (sid != NULL) || (sid && json_integer_value(sid) != q.state_id))
		abort();
	json_decref(item);
	return 0;
}
