/*
 * jparse: buffer-to-jansson JSON parser (see jparse.h).
 *
 * Strings without escapes (nearly all of them) are handed to jansson
 * straight from the input buffer; only strings with escapes are decoded
 * into a scratch buffer. UTF-8 is validated here (util/utf8.h, the same
 * rules as jansson: shortest form, no surrogates), because the *_nocheck
 * constructors trust their caller. Reals are read with strtod_l in the C
 * locale, so a caller's setlocale() cannot change what "1.5" means.
 */
#define _GNU_SOURCE
#include "util/jparse.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <locale.h>
#include <math.h> /* HUGE_VAL only */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *buf;	/* start of the input, for positions */
	const char *p;		/* next byte */
	const char *end;	/* one past the last byte */
	int depth;		/* open containers */
	int max_depth;		/* error above this */
	int flags;		/* JPARSE_* */
	struct jparse_error *e; /* where errors go */
	char *tmp;		/* scratch: unescaped strings, number text */
	size_t tmpcap;		/* its size */
};

/* 1: ends the fast scan of a string (quote, backslash, control byte);
 * 2: a byte >= 0x80 (the string needs UTF-8 validation) */
static unsigned char str_class[256];
static locale_t c_locale;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
	for (int c = 0; c < 0x20; c++)
		str_class[c] = 1;
	str_class['"'] = 1;
	str_class['\\'] = 1;
	for (int c = 0x80; c < 0x100; c++)
		str_class[c] = 2;
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

__attribute__((format(printf, 3, 4))) static json_t *fail(struct parser *P, const char *at,
							  const char *fmt, ...)
{
	va_list ap;

	if (P->e) {
		P->e->position = (size_t)(at - P->buf);
		va_start(ap, fmt);
		vsnprintf(P->e->text, sizeof(P->e->text), fmt, ap);
		va_end(ap);
	}
	return NULL;
}

/* Room for need bytes in the scratch buffer, keeping its content. */
static void tmp_reserve(struct parser *P, size_t need)
{
	if (need <= P->tmpcap)
		return;
	P->tmpcap = need < 256 ? 256 : need * 2;
	P->tmp = xrealloc(P->tmp, P->tmpcap);
}

static inline void skip_blanks(struct parser *P)
{
	const char *p = P->p, *end = P->end;

	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	P->p = p;
}

static int valid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
		} else {
			size_t n = utf8_valid_prefix(s + i, len - i);

			if (!n)
				return 0;
			i += n;
		}
	}
	return 1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Skip bytes that need no attention inside a string (not a quote, not a
 * backslash, not a control byte, not >= 0x80), eight at a time while
 * possible: most strings are plain ASCII. */
static inline const char *skip_plain(const char *q, const char *end)
{
	while (end - q >= 8) {
		uint64_t w, quote, bslash, ctrl;

		memcpy(&w, q, 8);
		quote = w ^ (ONES * '"');
		bslash = w ^ (ONES * '\\');
		/* a zero byte in quote/bslash, or a byte < 0x20, or a byte >= 0x80 */
		quote = (quote - ONES) & ~quote;
		bslash = (bslash - ONES) & ~bslash;
		ctrl = (w - ONES * 0x20) & ~w;
		quote = (quote | bslash | ctrl | w) & HIGHS;
		if (quote) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* false hits only ever follow a true one, so the lowest
			 * flagged byte is the first that needs attention */
			return q + (__builtin_ctzll(quote) >> 3);
#else
			break;
#endif
		}
		q += 8;
	}
	while (q < end && !str_class[(unsigned char)*q])
		q++;
	return q;
}

/* The character a one-letter escape stands for (\u is handled apart). */
static const char unescaped[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
	['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/*
 * The string whose opening quote is at P->p. On success out and len give the
 * decoded text: inside the input when it had no escapes (*in_tmp = 0),
 * else in P->tmp (valid until the next string). Returns 0 or -1.
 */
static int parse_string(struct parser *P, const char **out, size_t *len, int *in_tmp)
{
	const char *s = P->p + 1, *q = s, *end = P->end;
	int high = 0;
	size_t o;

	for (;;) {
		q = skip_plain(q, end);
		if (q >= end) {
			fail(P, q, "premature end of input inside a string");
			return -1;
		}
		if (*q == '"') {
			if (high && !valid_utf8(s, (size_t)(q - s))) {
				fail(P, s, "invalid utf-8 in a string");
				return -1;
			}
			*out = s;
			*len = (size_t)(q - s);
			*in_tmp = 0;
			P->p = q + 1;
			return 0;
		}
		if (*q == '\\')
			break;
		if ((unsigned char)*q < 0x20) {
			fail(P, q, "control character 0x%02x inside a string", (unsigned char)*q);
			return -1;
		}
		high = 1;
		q++;
	}
	/* escapes: decode into the scratch buffer, which grows with the text
	 * (an escape never decodes to more than 4 bytes) */
	o = (size_t)(q - s);
	tmp_reserve(P, o + 16);
	memcpy(P->tmp, s, o);
	for (;;) {
		const char *run = q;

		q = skip_plain(q, end);
		tmp_reserve(P, o + (size_t)(q - run) + 8);
		memcpy(P->tmp + o, run, (size_t)(q - run));
		o += (size_t)(q - run);
		if (q >= end) {
			fail(P, q, "premature end of input inside a string");
			return -1;
		}
		if (*q == '"')
			break;
		if ((unsigned char)*q >= 0x80) {
			high = 1;
			P->tmp[o++] = *q++;
			continue;
		}
		if ((unsigned char)*q < 0x20) {
			fail(P, q, "control character 0x%02x inside a string", (unsigned char)*q);
			return -1;
		}
		/* a backslash */
		if (q + 1 >= end) {
			fail(P, q, "premature end of input inside a string");
			return -1;
		}
		if (unescaped[(unsigned char)q[1]]) {
			P->tmp[o++] = unescaped[(unsigned char)q[1]];
			q += 2;
			continue;
		}
		switch (q[1]) {
		case 'u': {
			unsigned cp, lo;

			if (end - q < 6 || hex4(q + 2, &cp)) {
				fail(P, q, "invalid \\u escape");
				return -1;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - q < 12 || q[6] != '\\' || q[7] != 'u' ||
				    hex4(q + 8, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					fail(P, q, "invalid unicode surrogate pair");
					return -1;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				q += 12;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(P, q, "invalid unicode: lone low surrogate");
				return -1;
			} else {
				q += 6;
			}
			o += put_utf8(P->tmp + o, cp);
			break;
		}
		default:
			fail(P, q, "invalid escape");
			return -1;
		}
	}
	if (high && !valid_utf8(P->tmp, o)) {
		fail(P, s, "invalid utf-8 in a string");
		return -1;
	}
	*out = P->tmp;
	*len = o;
	*in_tmp = 1;
	P->p = q + 1;
	return 0;
}

/* x has no fraction and is exactly an integer below 2^53 */
static int integral(double x)
{
	return x > -9007199254740992.0 && x < 9007199254740992.0 && x == (double)(long long)x;
}

static json_t *parse_number(struct parser *P)
{
	const char *start = P->p, *p = P->p, *end = P->end;
	int neg = 0, real = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return fail(P, start, "invalid token");
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return fail(P, start, "invalid number");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		real = 1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return fail(P, start, "invalid number");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		real = 1;
	}
	P->p = p;
	if (!real) {
		uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

		for (const char *d = start + neg; d < p; d++) {
			unsigned digit = (unsigned)(*d - '0');

			if (v > (limit - digit) / 10)
				return fail(P, start,
					    neg ? "too big negative integer" : "too big integer");
			v = v * 10 + digit;
		}
		if (neg)
			return json_integer(v == (uint64_t)INT64_MAX + 1 ? INT64_MIN
									 : -(json_int_t)v);
		return json_integer((json_int_t)v);
	} else {
		size_t n = (size_t)(p - start);
		double x;

		tmp_reserve(P, n + 1);
		memcpy(P->tmp, start, n);
		P->tmp[n] = '\0';
		x = strtod_l(P->tmp, NULL, c_locale);
		if (x == HUGE_VAL || x == -HUGE_VAL)
			return fail(P, start, "real number overflow");
		if ((P->flags & JPARSE_INTEGRAL) && integral(x))
			return json_integer((json_int_t)x);
		return json_real(x);
	}
}

static json_t *parse_value(struct parser *P);

/* At a container's opening byte: enter it. Returns 0 when members
 * follow, 1 when it is empty (and already left), -1 on too deep. */
static int open_container(struct parser *P, char close)
{
	if (++P->depth > P->max_depth) {
		fail(P, P->p, "maximum parsing depth reached");
		return -1;
	}
	P->p++;
	skip_blanks(P);
	if (P->p < P->end && *P->p == close) {
		P->p++;
		P->depth--;
		return 1;
	}
	return 0;
}

/* After a member: 0 when a ',' says another follows, 1 when the closer
 * ends the container (left), -1 on anything else. what names the
 * container in messages ("an array", "an object"). */
static int next_member(struct parser *P, char close, const char *what)
{
	skip_blanks(P);
	if (P->p >= P->end) {
		fail(P, P->p, "premature end of input inside %s", what);
		return -1;
	}
	if (*P->p == ',') {
		P->p++;
		return 0;
	}
	if (*P->p == close) {
		P->p++;
		P->depth--;
		return 1;
	}
	fail(P, P->p, "',' or '%c' expected", close);
	return -1;
}

static json_t *parse_array(struct parser *P)
{
	json_t *arr, *v;
	int rc = open_container(P, ']');

	if (rc < 0)
		return NULL;
	arr = json_array();
	while (rc == 0) {
		if (!(v = parse_value(P)))
			goto fail;
		json_array_append_new(arr, v);
		if ((rc = next_member(P, ']', "an array")) < 0)
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

static json_t *parse_object(struct parser *P)
{
	json_t *obj, *v;
	int rc = open_container(P, '}');

	if (rc < 0)
		return NULL;
	obj = json_object();
	while (rc == 0) {
		const char *key;
		char *owned = NULL;
		size_t klen;
		int in_tmp;

		skip_blanks(P);
		if (P->p >= P->end || *P->p != '"') {
			fail(P, P->p, "string or '}' expected");
			goto fail;
		}
		if (parse_string(P, &key, &klen, &in_tmp))
			goto fail;
		if (in_tmp && memchr(key, '\0', klen)) {
			/* as jansson: C callers could not look such a key up */
			fail(P, P->p, "nul byte in an object key");
			goto fail;
		}
		if (in_tmp) {
			/* the value may reuse the scratch buffer */
			owned = xmalloc(klen + 1);
			memcpy(owned, key, klen);
			owned[klen] = '\0';
			key = owned;
		}
		skip_blanks(P);
		if (P->p >= P->end || *P->p != ':') {
			free(owned);
			fail(P, P->p, "':' expected");
			goto fail;
		}
		P->p++;
		v = parse_value(P);
		if (!v) {
			free(owned);
			goto fail;
		}
		json_object_setn_new_nocheck(obj, key, klen, v);
		free(owned);
		if ((rc = next_member(P, '}', "an object")) < 0)
			goto fail;
	}
	return obj;
fail:
	json_decref(obj);
	return NULL;
}

static json_t *literal(struct parser *P, const char *word, size_t n, json_t *v)
{
	if ((size_t)(P->end - P->p) < n || memcmp(P->p, word, n))
		return fail(P, P->p, "invalid token");
	P->p += n;
	return v;
}

static json_t *parse_value(struct parser *P)
{
	skip_blanks(P);
	if (P->p >= P->end)
		return fail(P, P->p, "premature end of input");
	switch (*P->p) {
	case '{':
		return parse_object(P);
	case '[':
		return parse_array(P);
	case '"': {
		const char *s;
		size_t len;
		int in_tmp;

		if (parse_string(P, &s, &len, &in_tmp))
			return NULL;
		return json_stringn_nocheck(s, len);
	}
	case 't':
		return literal(P, "true", 4, json_true());
	case 'f':
		return literal(P, "false", 5, json_false());
	case 'n':
		return literal(P, "null", 4, json_null());
	default:
		return parse_number(P);
	}
}

json_t *jparse(const char *buf, size_t len, int max_depth, int flags, struct jparse_error *e)
{
	struct parser P = {
	    .buf = buf,
	    .p = buf,
	    .end = buf + len,
	    .max_depth = max_depth > 0 ? max_depth : JPARSE_MAX_DEPTH,
	    .flags = flags,
	    .e = e,
	};
	json_t *v;

	pthread_once(&init_once, init_tables);
	v = parse_value(&P);
	if (v) {
		skip_blanks(&P);
		if (P.p < P.end) {
			fail(&P, P.p, "end of input expected");
			json_decref(v);
			v = NULL;
		}
	}
	free(P.tmp);
	return v;
}
