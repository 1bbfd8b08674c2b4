/*
 * itemtext: the stored columns of a configuration item read straight
 * from its JSON text, for items that normalization would leave as they
 * are (writer.h, item_encode_text).
 *
 * An S3 delivery writes items as compact JSON in the canonical shape:
 * for those, every column is a slice of the text (or a constant), the
 * same bytes the parsed path (jparse, normalize, jdump) would produce,
 * without building a tree. A JSON member (configuration,
 * supplementaryConfiguration, tags, relationships) that normalization
 * changes (JSON inside strings, decoded policies, tags as a list, real
 * numbers, blanks) is parsed and normalized alone. Anything else that
 * the parsed path would change or reject
 * (blanks between tokens, escapes jdump writes otherwise, real numbers,
 * duplicate keys, JSON inside strings, API names, types whose policies
 * are decoded, times not in the canonical form, ...) makes item_text_read
 * return 0, and the caller takes the parsed path, which gives the same
 * rows or the same error as before.
 */
#ifndef CFGAUDIT_INGEST_ITEMTEXT_H
#define CFGAUDIT_INGEST_ITEMTEXT_H

#include "store/items.h"
#include "util/strbuf.h"

#include <stddef.h>
#include <stdint.h>

struct item_text {
	const char *col[ICOL_COUNT]; /* NULL for SQL NULL; not NUL-terminated */
	uint32_t len[ICOL_COUNT];
	int has_state_id;
	int64_t state_id;
};

/* Scratch memory reused from item to item. */
struct item_text_scratch {
	struct strbuf extra; /* the extra column's text */
	struct strbuf cols;  /* the text of members parsed alone */
	struct strbuf unescaped; /* JSON inside a string, unescaped */
	struct key_slot *keys; /* object keys being checked for repeats */
	size_t n_keys, alloc_keys;
	struct member_span *spans; /* members of objects being copied */
	size_t n_spans, alloc_spans;
	const char **repeats; /* objects in which a key repeats */
	size_t n_repeats, alloc_repeats;
};

void item_text_scratch_init(struct item_text_scratch *s);
void item_text_scratch_release(struct item_text_scratch *s);

/* 1 with *it filled (slices of buf, or of s's buffers)
 * when the item text buf[0, len) is stored as it is; 0 when it needs the
 * parsed path. max_depth is the reader's nesting limit. */
int item_text_read(const char *buf, size_t len, int max_depth, struct item_text *it,
		   struct item_text_scratch *s);

#endif
