/*
 * reader: turns the bytes of one input file into canonical configuration
 * items, one at a time, in bounded memory.
 *
 * The file may be gzip-compressed or plain (detected from the magic
 * bytes). Its shape is detected from the content, not the name: a
 * ConfigSnapshot or ConfigHistory body, an OversizedChangeNotification,
 * `aws configservice` output (get-resource-config-history,
 * batch-get-resource-config, batch-get-aggregate-resource-config,
 * select-resource-config, select-aggregate-resource-config), a change
 * notification (SNS message, SNS envelope, EventBridge event, Config rule
 * invokingEvent), or a bare array of items.
 *
 * Every item is returned in the canonical (S3 delivery) form described in
 * cfgaudit-ingest(1), section NORMALIZATION:
 *   configurationItemVersion, configurationItemCaptureTime (canonical
 *   YYYY-MM-DDTHH:MM:SS.mmmZ), configurationStateId (JSON integer, absent
 *   if the input has none), awsAccountId, configurationItemStatus,
 *   resourceType, resourceId, resourceName, ARN, awsRegion,
 *   availabilityZone, resourceCreationTime (canonical or null),
 *   tags (object {key: value}), relationships (array of {resourceId,
 *   resourceName, resourceType, name}), configuration (object or null),
 *   supplementaryConfiguration (object), and any other keys unchanged.
 */
#ifndef CFGAUDIT_READER_H
#define CFGAUDIT_READER_H

#include <jansson.h>
#include <stdio.h>

#include "util/diag.h"

/* How the message of an item-less AWS Config API answer begins. */
#define NOTHING_TO_LOAD "nothing to load:"

/* The shape a reader detected; stored as files.kind. */
enum reader_kind {
	READER_UNKNOWN = 0,
	READER_SNAPSHOT,	    /* "ConfigSnapshot": configSnapshotId + configurationItems */
	READER_HISTORY,		    /* "ConfigHistory": configurationItems, no snapshot id */
	READER_OVERSIZED,	    /* "OversizedChangeNotification" */
	READER_API_ITEMS,	    /* "ApiItems": configurationItems / baseConfigurationItems */
	READER_SELECT_RESULTS,	    /* "SelectResults": Results[] of JSON strings */
	READER_CHANGE_NOTIFICATION, /* "ChangeNotification": SNS / EventBridge / rule event */
	READER_ITEM_ARRAY,	    /* "ItemArray": a bare array of items (or one item) */
	READER_AWS_VERDICTS,	    /* "AwsVerdicts": AWS's own verdicts (verdict_answer.h) */
};

/* The files.kind text of a kind ("ConfigSnapshot", ...). */
const char *reader_kind_name(enum reader_kind k);

struct item_reader; /* opaque */

/* Limits that protect against hostile input; 0 means the default. */
struct reader_limits {
	size_t max_item_bytes;	  /* one item's JSON text (default 256 MiB) */
	int max_depth;		  /* JSON nesting (default 512) */
	double max_inflate_ratio; /* decompressed / compressed bytes (default 200) */
};

/* Start reading from f (not closed by the reader). name is used in
 * diagnostics only. Returns NULL with d filled if f cannot be read. */
struct item_reader *item_reader_open(FILE *f, const char *name, const struct reader_limits *lim,
				     struct diag *d);

/* Next canonical item. Returns 1 and sets *item (caller owns the
 * reference), 2 for an item the known or text callback took, 3 for one
 * the text callback left out, 0 at the end of the
 * file, or -1 with d filled: the path,
 * the byte offset in the decompressed stream, and what is wrong. After
 * -1 the reader must only be closed. A file that is valid JSON but not
 * AWS Config data is an error ("not an AWS Config file: ..."); an AWS
 * Config API answer that holds no items by its nature (rules, recorders,
 * AWS's compliance verdicts, ...) is an error that begins with
 * NOTHING_TO_LOAD and says what the answer is. */
int item_reader_next(struct item_reader *r, json_t **item, struct diag *d);

/* Items stored already can be recognized without being built: for each
 * element of a configurationItems array in the plain delivery form (see
 * quickid.h), after the first, known(ctx, q) is asked; when it returns 1
 * the element is taken as recorded by the callback and item_reader_next
 * returns 2 without an item. (The first element is always built: it
 * decides whether the file is API output.) */
struct quickid;
typedef int (*item_known_fn)(void *ctx, const struct quickid *q);
void item_reader_set_known(struct item_reader *r, item_known_fn known, void *ctx);

/* Items in the form stored as they are can be stored from their text:
 * for each element of a configurationItems array after the first that
 * the known callback did not take, text(ctx, val, len, max_depth) is
 * asked; when it returns nonzero (2: stored, 3: left out, of an account
 * not selected) the element is taken and item_reader_next returns that
 * value without an item; 0 lets the reader parse and normalize it. */
typedef int (*item_text_fn)(void *ctx, const char *text, size_t len, int max_depth);
void item_reader_set_text(struct item_reader *r, item_text_fn text, void *ctx);

/* Inside the text callback: the offset and index of the element it is
 * given, for item_reader_parse_taken. */
void item_reader_element(const struct item_reader *r, long long *off, long long *index);

/* An element the text callback took without reading it (to be read by
 * other threads) that turns out to need the parsed path: parse and
 * normalize its text as the reader would have at that element (off and
 * index from item_reader_element), with the same errors. Returns 1 with
 * *item, or -1 with d filled (the reader is then finished). */
int item_reader_parse_taken(struct item_reader *r, const char *val, size_t len, long long off,
			    long long index, json_t **item, struct diag *d);

/* What the content is. Provisional after the first item_reader_next call
 * (a configSnapshotId may follow the configurationItems array); kind and
 * snapshot id are final once item_reader_next has returned 0. A raw
 * ConfigurationItemChangeNotification message (the body of an
 * OversizedChangeNotification object) reads as READER_CHANGE_NOTIFICATION:
 * the content is the same, only the object's path tells them apart. */
enum reader_kind item_reader_kind(const struct item_reader *r);

/* configSnapshotId of a snapshot body, or NULL. Borrowed. Final once
 * item_reader_next has returned 0. */
const char *item_reader_snapshot_id(const struct item_reader *r);

/* Times written as Python datetime reprs whose zone the text does not
 * give (tzinfo=tzlocal(), or none) are read as UTC. If the items read so
 * far had any, write the warning that says so into buf (len bytes), set
 * *off to the offset of the first such item and return 1; else 0. */
int item_reader_zone_warning(const struct item_reader *r, char *buf, size_t len, long long *off);

/* Bytes of decompressed input consumed so far. */
long long item_reader_offset(const struct item_reader *r);

/* Digest the input as it is read: every byte of it, compressed or not
 * (see gzstream_set_digest). c stays the caller's; call before the first
 * item_reader_next. Once that has returned 0, c has seen the whole input
 * and item_reader_raw_bytes is its length. */
struct sha256_ctx;
void item_reader_set_digest(struct item_reader *r, struct sha256_ctx *c);

/* The account and region the file's path names (empty if none), for
 * answers whose results do not name theirs (AWS's verdicts of one
 * account, verdict_answer.h). */
void item_reader_set_place(struct item_reader *r, const char *account, const char *region);

/* Bytes read from the input so far (compressed bytes for gzip). */
long long item_reader_raw_bytes(const struct item_reader *r);

void item_reader_close(struct item_reader *r);

/* Normalise one item of any shape (API, notification, select row) into the
 * canonical form above. Takes a reference to in and returns a new one, or
 * NULL with d filled (what is wrong, e.g. "resourceType is missing"). */
json_t *normalize_item(json_t *in, struct diag *d);

#endif
