/*
 * textpool: the item texts of one big file, read by one thread, encoded
 * by helper threads and handed back in the file's order.
 *
 * The thread reading the file adds each item's text (the reader's text
 * callback takes it unread) to the chunk being filled, and submits it
 * when it is full; helpers read the chunks with the text path
 * (item_encoder_read_text) into a batch each. The reading thread takes
 * the chunks back oldest first (textpool_oldest, which encodes queued
 * chunks itself while it waits), so the writer sees the items in the
 * order of the file, as if one thread had read them. A chunk one of
 * whose items needs the parsed path comes back with ok = 0: the reading
 * thread then reads it again item by item (it alone may parse, with the
 * reader's state).
 */
#ifndef CFGAUDIT_TEXTPOOL_H
#define CFGAUDIT_TEXTPOOL_H

#include "ingest/writer.h"
#include "util/strbuf.h"

#include <stddef.h>

/* One item of a chunk: where its text is, and what the reader knew of it. */
struct textpool_item {
	size_t at, len;	     /* in the chunk's text */
	long long off;	     /* item_reader_element: offset ... */
	long long index;     /* ... and index of the element */
	long long items;     /* items of the file before it */
	long long after_off; /* item_reader_offset when it was taken */
};

struct textpool_chunk {
	struct strbuf text;
	struct textpool_item *it;
	size_t n, alloc;
	int max_depth;
	struct item_batch *b; /* the encoded items (when ok) */
	int ok;		      /* every item took the text path */
	int state;	      /* internal */
};

struct textpool;

/* A pool with n helper threads (at least one is started, or NULL),
 * whose chunks hold about a batch of items (chunk_items 0), or
 * chunk_items items each (tests). */
struct textpool *textpool_new(int n, size_t chunk_items);
/* Join the helpers and free everything, chunks still queued included. */
void textpool_free(struct textpool *p);

/* Add one item's text to the chunk being filled. Call only while
 * textpool_full is 0. */
void textpool_add(struct textpool *p, const char *text, size_t len, int max_depth,
		  const struct textpool_item *where);
/* Submit the chunk being filled if it is big enough (or, with force,
 * if it holds anything). */
void textpool_submit(struct textpool *p, int force);
/* Submitted chunks not yet taken back. */
size_t textpool_pending(const struct textpool *p);
/* 1 when no chunk can be filled before the oldest is taken back. */
int textpool_full(const struct textpool *p);
/* The oldest submitted chunk, once encoded (e encodes queued chunks
 * meanwhile); the caller may swap its batch b for another. NULL when
 * none is pending. */
struct textpool_chunk *textpool_oldest(struct textpool *p, struct item_encoder *e);
/* Done with the oldest chunk. */
void textpool_pop(struct textpool *p);

#endif
