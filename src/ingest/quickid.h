/*
 * quickid: the identity of a configuration item read straight from its
 * JSON text, without building the item -- for the items a snapshot
 * repeats, which ingest only needs to recognize as already stored.
 *
 * quickid_read succeeds only for the plain delivery form, when what it
 * reads is exactly what parsing and normalizing would give: a JSON object
 * that is valid through and through (every nested value checked, nothing
 * kept), whose awsAccountId is a 12-digit string, whose awsRegion,
 * resourceType, resourceId and configurationItemCaptureTime are
 * non-empty strings without escapes, each present once, whose
 * configurationStateId is absent or a plain integer (number or digits in
 * a string), whose configurationItemStatus is absent or a string, and
 * which has no API-style accountId. Anything else -- including what is
 * merely unusual, such as \u escapes or exponents -- says "not quick",
 * and the caller takes the full path, which also gives the precise error
 * for bad input. Internal to src/ingest.
 */
#ifndef CFGAUDIT_QUICKID_H
#define CFGAUDIT_QUICKID_H

#include <stddef.h>

#include "util/timeutil.h"

enum { QID_ACCOUNT, QID_REGION, QID_TYPE, QID_ID, QID_CAPTURE, QID_FIELDS };

struct quickid {
	/* Slices of the input (not NUL-terminated), in QID_* order. */
	const char *field[QID_FIELDS];
	size_t len[QID_FIELDS];
	char capture[TIME_ISO_LEN]; /* canonical capture time */
	int has_state_id;
	long long state_id;
	const char *text; /* the whole item's JSON text (buf) ... */
	size_t text_len;  /* ... and its length, to tell repeated texts apart */
};

/* Read the identity of the item in buf[0, len). Returns 1 with q filled,
 * or 0 when the item needs the full path. Nesting deeper than max_depth
 * is "not quick". */
int quickid_read(const char *buf, size_t len, int max_depth, struct quickid *q);

#endif
