/*
 * scan: the incremental byte-level JSON scanner under the reader.
 *
 * It never builds a tree. It keeps a window of the decompressed stream,
 * hands out single non-blank bytes for the top-level grammar (which the
 * reader walks), and finds the exact extent of one JSON value (tracking
 * strings, escapes and nesting depth) so that the value's bytes can be
 * given to jansson. The window only ever holds the value being captured
 * plus one read chunk, so memory is bounded by the largest value.
 *
 * Internal to src/ingest (the module's public header is reader.h).
 */
#ifndef CFGAUDIT_SCAN_H
#define CFGAUDIT_SCAN_H

#include <stddef.h>
#include <sys/types.h>

/* Resumable state of scan_value() (one value). */
struct scan_state {
	int depth;     /* open containers */
	int max_depth; /* error above this */
	int in_string; /* inside a string (container member or the value itself) */
	int scalar;    /* the value is a number or literal: ends at a delimiter or EOF */
	int started;   /* first byte seen */
};

enum scan_result {
	SCAN_DONE = 0, /* the value ends; *pos is just past it */
	SCAN_MORE,     /* the bytes ran out first; call again with more */
	SCAN_DEPTH,    /* nesting deeper than max_depth */
};

/* Scan buf[*pos, len) as the continuation of the value that starts at
 * buf[start] (bytes from start on must be unchanged between calls). The
 * first call has *pos == start and a zeroed state with max_depth set. */
enum scan_result scan_value(struct scan_state *st, const char *buf, size_t start, size_t len,
			    size_t *pos);

/* The byte source: like read(2); -1 with a message in err. */
typedef ssize_t (*scan_read_fn)(void *ctx, char *buf, size_t n, char *err, size_t errlen);

enum scan_error {
	SCAN_E_NONE = 0,
	SCAN_E_READ,	  /* the source failed (gzip error, I/O); see err */
	SCAN_E_TRUNCATED, /* end of input inside a value */
	SCAN_E_TOO_BIG,	  /* value larger than max_value */
	SCAN_E_DEPTH,	  /* value nested deeper than max_depth */
	SCAN_E_BLANKS,	  /* more than max_value blank bytes in a row */
};

struct scanner {
	char *buf;	       /* window; buf[0] is at stream offset base */
	size_t cap;	       /* bytes allocated */
	size_t pos;	       /* next unread byte */
	size_t end;	       /* bytes valid */
	long long base;	       /* stream offset of buf[0] */
	int eof;	       /* the source reported its end */
	size_t chunk;	       /* bytes asked of the source per read */
	size_t max_value;      /* largest value scanner_value() captures */
	int max_depth;	       /* deepest nesting scanner_value() accepts */
	scan_read_fn read;     /* source */
	void *ctx;	       /* source's context */
	enum scan_error error; /* last error kind */
	char err[512];	       /* last error text */
};

#define SCAN_EOF (-2)
#define SCAN_ERR (-1)

/* Tests set this to a small number (e.g. 1) to make every read tiny, so
 * that values are split across many buffer refills. 0 = normal. */
extern size_t scan_test_chunk;

void scanner_init(struct scanner *s, scan_read_fn read, void *ctx, size_t max_value, int max_depth);
void scanner_release(struct scanner *s);

/* The next non-blank byte, not consumed; SCAN_EOF at the end of input;
 * SCAN_ERR if the source failed (s->error, s->err). */
int scanner_peek(struct scanner *s);

/* Make at least n bytes from the current position available (fewer at
 * the end of input); returns how many are, or -1 if the source failed.
 * For looking at a few bytes, such as a byte-order mark. */
long scanner_ensure(struct scanner *s, size_t n);

/* Consume the byte scanner_peek() returned. */
static inline void scanner_skip(struct scanner *s)
{
	s->pos++;
}

/* Capture the value starting at the next non-blank byte. On success
 * returns 0, val and len point into the window (valid until the next call)
 * and *off is the value's stream offset. Returns -1 with s->error set. */
int scanner_value(struct scanner *s, const char **val, size_t *len, long long *off);

/* Stream offset of the next unread byte. */
static inline long long scanner_offset(const struct scanner *s)
{
	return s->base + (long long)s->pos;
}

#endif
