/*
 * jparse: a JSON parser that builds jansson values straight from a buffer
 * that holds one whole value, for the reader's hot path.
 *
 * jansson's own json_loadb reads through a character stream one byte at a
 * time and was most of the reader's time; this parser works on the
 * buffer directly and hands finished strings and keys to jansson's
 * *_nocheck constructors after validating them itself. It accepts
 * exactly what json_loadb(JSON_DECODE_ANY | JSON_ALLOW_NUL) accepts and
 * builds the same values, except that (with JPARSE_INTEGRAL) a number
 * with a fraction of zero below 2^53 becomes an integer, which is the
 * reader's normalization anyway.
 *
 * Used by src/ingest, and by src/eval/derived.c to read configurations;
 * it lives in util so that neither of the two depends on the other.
 */
#ifndef CFGAUDIT_JPARSE_H
#define CFGAUDIT_JPARSE_H

#include <jansson.h>
#include <stddef.h>

/* Deepest nesting accepted when the caller sets no limit: the reader's
 * default limit, which also bounds the parser's recursion (a few hundred
 * KiB of stack at most). */
#define JPARSE_MAX_DEPTH 512

enum {
	JPARSE_INTEGRAL = 1, /* integral reals (5.0) become integers */
};

struct jparse_error {
	size_t position; /* byte offset in the buffer where the problem is */
	char text[160];	 /* what is wrong, lowercase */
};

/* Parse buf[0, len): one JSON value with optional blanks around it.
 * max_depth <= 0 means JPARSE_MAX_DEPTH. Returns a new reference, or
 * NULL with e filled. */
json_t *jparse(const char *buf, size_t len, int max_depth, int flags, struct jparse_error *e);

#endif
