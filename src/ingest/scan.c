/*
 * scan: incremental JSON value scanner (see scan.h).
 *
 * Speed matters here: every decompressed byte passes through this file.
 * Inside strings the scanner jumps from quote to quote with memchr and
 * decides whether a quote is escaped by counting the backslashes before
 * it (the window always holds the whole value, so looking back is safe).
 * Outside strings a table lookup per byte finds the next structural byte.
 */
#include "ingest/scan.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CHUNK (256u * 1024u)

size_t scan_test_chunk;

/* 1: quote, 2: opener, 3: closer */
static const unsigned char structural[256] = {
    ['"'] = 1, ['{'] = 2, ['['] = 2, ['}'] = 3, [']'] = 3,
};

/* bytes that end a number or literal */
static const unsigned char delimiter[256] = {
    [','] = 1,	[']'] = 1, ['}'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1,
    ['\r'] = 1, [':'] = 1, ['"'] = 1, ['{'] = 1, ['['] = 1,
};

/* The first byte of a value: a string, a container or a scalar. */
static enum scan_result scan_first(struct scan_state *st, const char *buf, size_t len, size_t *p)
{
	unsigned char c;

	if (*p >= len)
		return SCAN_MORE;
	c = (unsigned char)buf[*p];
	st->started = 1;
	if (c == '"') {
		st->in_string = 1;
		(*p)++;
	} else if (c == '{' || c == '[') {
		st->depth = 1;
		(*p)++;
		if (st->depth > st->max_depth)
			return SCAN_DEPTH;
	} else {
		st->scalar = 1;
	}
	return SCAN_DONE;
}

/* Inside a string at *p: past its closing quote (1), or the end of what
 * is there (0, *p = len). */
static int scan_string(const char *buf, size_t len, size_t *p)
{
	for (;;) {
		const char *q = memchr(buf + *p, '"', len - *p);
		size_t qi, k = 0;

		if (!q) {
			*p = len;
			return 0;
		}
		qi = (size_t)(q - buf);
		/* the opening quote stops this walk, so it stays >= start */
		while (buf[qi - 1 - k] == '\\')
			k++;
		*p = qi + 1;
		if (!(k & 1))
			return 1;
	}
}

enum scan_result scan_value(struct scan_state *st, const char *buf, size_t start, size_t len,
			    size_t *pos)
{
	size_t p = *pos;

	(void)start;
	if (!st->started) {
		enum scan_result r = scan_first(st, buf, len, &p);

		if (r != SCAN_DONE) {
			*pos = p;
			return r;
		}
	}
	if (st->scalar) {
		while (p < len && !delimiter[(unsigned char)buf[p]])
			p++;
		*pos = p;
		return p < len ? SCAN_DONE : SCAN_MORE;
	}
	for (;;) {
		if (st->in_string) {
			if (!scan_string(buf, len, &p)) {
				*pos = len;
				return SCAN_MORE;
			}
			st->in_string = 0;
			if (st->depth == 0) {
				*pos = p;
				return SCAN_DONE;
			}
		}
		while (p < len && !structural[(unsigned char)buf[p]])
			p++;
		if (p >= len) {
			*pos = len;
			return SCAN_MORE;
		}
		switch (structural[(unsigned char)buf[p++]]) {
		case 1:
			st->in_string = 1;
			break;
		case 2:
			if (++st->depth > st->max_depth) {
				*pos = p;
				return SCAN_DEPTH;
			}
			break;
		default:
			if (--st->depth == 0) {
				*pos = p;
				return SCAN_DONE;
			}
			break;
		}
	}
}

void scanner_init(struct scanner *s, scan_read_fn read, void *ctx, size_t max_value, int max_depth)
{
	memset(s, 0, sizeof(*s));
	s->chunk = scan_test_chunk ? scan_test_chunk : DEFAULT_CHUNK;
	s->cap = s->chunk < 4096 ? 4096 : 2 * s->chunk;
	s->buf = xmalloc(s->cap);
	s->max_value = max_value;
	s->max_depth = max_depth;
	s->read = read;
	s->ctx = ctx;
}

void scanner_release(struct scanner *s)
{
	free(s->buf);
	s->buf = NULL;
	s->cap = s->end = s->pos = 0;
}

/* Drop the bytes before keep, make room and read one chunk. Indices into
 * the window shift down by keep (the caller adjusts its own). Returns the
 * bytes read, 0 at end of input, -1 on a source error. */
static ssize_t fill(struct scanner *s, size_t keep)
{
	ssize_t n;
	size_t want;

	if (s->eof)
		return 0;
	if (keep) {
		memmove(s->buf, s->buf + keep, s->end - keep);
		s->end -= keep;
		s->pos -= keep;
		s->base += (long long)keep;
	}
	if (s->cap - s->end < s->chunk) {
		size_t ncap = s->cap * 2;

		if (ncap < s->end + s->chunk)
			ncap = s->end + s->chunk;
		s->buf = xrealloc(s->buf, ncap);
		s->cap = ncap;
	}
	want = s->cap - s->end;
	if (want > s->chunk)
		want = s->chunk;
	n = s->read(s->ctx, s->buf + s->end, want, s->err, sizeof(s->err));
	if (n < 0) {
		s->error = SCAN_E_READ;
		return -1;
	}
	if (n == 0)
		s->eof = 1;
	s->end += (size_t)n;
	return n;
}

int scanner_peek(struct scanner *s)
{
	long long from = scanner_offset(s);

	for (;;) {
		while (s->pos < s->end) {
			unsigned char c = (unsigned char)s->buf[s->pos];

			if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
				return c;
			s->pos++;
		}
		/* Blanks cost no memory, but an endless stream of them (a pipe,
		 * a device) would be read forever: a run of them is bounded
		 * like a value. */
		if (scanner_offset(s) - from > (long long)s->max_value) {
			s->error = SCAN_E_BLANKS;
			snprintf(s->err, sizeof(s->err), "more than %zu blank bytes in a row",
				 s->max_value);
			return SCAN_ERR;
		}
		ssize_t n = fill(s, s->pos);

		if (n < 0)
			return SCAN_ERR;
		if (n == 0)
			return SCAN_EOF;
	}
}

long scanner_ensure(struct scanner *s, size_t n)
{
	while (s->end - s->pos < n) {
		ssize_t got = fill(s, s->pos);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
	}
	return (long)(s->end - s->pos);
}

int scanner_value(struct scanner *s, const char **val, size_t *len, long long *off)
{
	struct scan_state st = {.max_depth = s->max_depth};
	size_t p;
	int c = scanner_peek(s);

	if (c == SCAN_ERR)
		return -1;
	if (c == SCAN_EOF) {
		s->error = SCAN_E_TRUNCATED;
		snprintf(s->err, sizeof(s->err), "unexpected end of input");
		return -1;
	}
	/* the value starts at s->pos; keep the window from there */
	p = s->pos;
	for (;;) {
		enum scan_result r = scan_value(&st, s->buf, s->pos, s->end, &p);
		ssize_t n;
		size_t keep;

		if (r == SCAN_DONE)
			break;
		if (r == SCAN_DEPTH) {
			s->error = SCAN_E_DEPTH;
			snprintf(s->err, sizeof(s->err), "json nested deeper than %d levels",
				 s->max_depth);
			return -1;
		}
		if (s->end - s->pos > s->max_value) {
			s->error = SCAN_E_TOO_BIG;
			snprintf(s->err, sizeof(s->err), "json value larger than %zu bytes",
				 s->max_value);
			return -1;
		}
		keep = s->pos;
		n = fill(s, keep);
		if (n < 0)
			return -1;
		p -= keep;
		if (n == 0) {
			if (st.scalar)
				break;
			s->error = SCAN_E_TRUNCATED;
			snprintf(s->err, sizeof(s->err), "unexpected end of input");
			return -1;
		}
	}
	*val = s->buf + s->pos;
	*len = p - s->pos;
	*off = scanner_offset(s);
	s->pos = p;
	return 0;
}
