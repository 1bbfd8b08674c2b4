/*
 * normalize: one canonical configuration item from any shape of input
 * (S3 delivery, API/CLI, select row, notification). The entry point,
 * normalize_item(), is declared in reader.h; this header exposes the
 * pieces the reader and the unit tests use directly.
 *
 * Internal to src/ingest.
 */
#ifndef CFGAUDIT_NORMALIZE_H
#define CFGAUDIT_NORMALIZE_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/timeutil.h"

/* normalize_item() for a value every number of which was read by jparse
 * with JPARSE_INTEGRAL: the walk that turns integral reals into integers
 * is skipped, since none are left. Same contract otherwise. */
json_t *normalize_item_parsed(json_t *in, struct diag *d);

/* Whether normalize would try to parse the string s as JSON (it is not
 * a bare word). */
int normalize_looks_like_json(const char *s, size_t len);

/* What normalize does to one member (configuration, which also needs
 * resourceType in item; supplementaryConfiguration; tags; relationships)
 * of item, an object that may hold only that member: for items stored
 * from their text with one member parsed (itemtext.h). Returns 0, or -1
 * with d filled as normalize would fill it. */
int normalize_member(json_t *item, const char *member, struct diag *d);


/* 1 if s is an AWS region name (the pattern AWS documents, e.g.
 * us-east-1, us-gov-west-1, us-isob-east-1) or "global"; 0 otherwise. */
int normalize_region_ok(const char *s);

/* If v is a string holding JSON, the parsed value, repeatedly (for values
 * encoded more than once); otherwise v. Returns a new reference. */
json_t *normalize_unstring(json_t *v);

/* Canonical time text of v: an ISO 8601 string, or a number of epoch
 * seconds or milliseconds (time_epoch_number_to_ms; the AWS CLI v1 prints
 * milliseconds). Returns 0, or -1 if v is not a time. */
int normalize_time(const json_t *v, char out[TIME_ISO_LEN]);
/* Python datetime texts ("datetime.datetime(2026, 11, 1, 10, 0,
 * tzinfo=tzlocal())") read as UTC although the text does not say their
 * zone: tzinfo=tzlocal() (the zone of the machine that wrote the file),
 * and no tzinfo or one not understood. tzutc() and tzoffset() are exact. */
struct normalize_zone_guesses {
	long long tzlocal; /* tzinfo=tzlocal() */
	long long unknown; /* no tzinfo, or one not understood */
};

/* The guesses this thread made since the last call, and start again. */
void normalize_zone_take(struct normalize_zone_guesses *out);

/* The same for a JSON string's text (s[len] is its NUL). Counts the
 * zone guesses above. */
int normalize_time_text(const char *s, size_t len, char out[TIME_ISO_LEN]);

#endif
