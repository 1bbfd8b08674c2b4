/*
 * jscan: in-place reading of plain JSON documents (see jscan.h).
 */
#include "eval/jscan.h"
#include "util/utf8.h"

#include <sqlite3.h>
#include <stdint.h>

#include <string.h>

/* 1 for a byte that ends the plain run of a string: the quote, the
 * backslash, a control byte or a byte >= 0x80 (UTF-8 to validate) */
static inline int string_stop(unsigned char c)
{
	return (unsigned char)(c - 0x20) >= 0x60 || c == '"' || c == '\\';
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The first byte at or after q that ends a plain run (or end), eight
 * bytes at a time: a word is looked at byte by byte only when it may
 * hold such a byte (a quote or a backslash: a zero byte after the XOR; a
 * control byte: a borrow; a byte >= 0x80: its high bit). */
static inline const char *plain_run(const char *q, const char *end)
{
	for (;;) {
		const char *lim;

		while (end - q >= 8) {
			uint64_t w, a, b;

			memcpy(&w, q, 8);
			a = w ^ (ONES * '"');
			b = w ^ (ONES * '\\');
			if ((((a - ONES) & ~a) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) | w) & HIGH)
				break;
			q += 8;
		}
		lim = end - q >= 8 ? q + 8 : end;
		while (q < lim && !string_stop((unsigned char)*q))
			q++;
		if (q < lim || q >= end)
			return q;
	}
}

static inline const char *blanks(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ' &&
	       (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* At the opening quote: the content of a string without escapes or
 * control bytes, valid UTF-8. Returns the byte after the closing quote. */
static const char *scan_string(const char *p, const char *end, struct jscan_val *v)
{
	const char *q = p + 1;

	while (q < end) {
		unsigned char c;

		q = plain_run(q, end);
		if (q >= end)
			break;
		c = (unsigned char)*q;
		if (c == '"') {
			if (v) {
				v->s = p + 1;
				v->len = (size_t)(q - p - 1);
			}
			return q + 1;
		}
		if (c == '\\' || c < 0x20)
			return NULL;
		if (c >= 0x80) {
			size_t n = utf8_valid_prefix(q, (size_t)(end - q));

			if (!n)
				return NULL;
			q += n;
		} else {
			q++;
		}
	}
	return NULL;
}

/* A number in JSON's grammar: an integer of at most 18 digits (JS_INT),
 * or a real without an exponent and of at most 300 digits before its
 * point, or -0 (JS_REAL, which the callers do not read: only skip). */
static const char *scan_number(const char *p, const char *end, struct jscan_val *v)
{
	const char *q = p;
	int neg = 0, digits = 0;
	long long x = 0;

	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (q >= end || *q < '0' || *q > '9')
		return NULL;
	if (*q == '0') {
		q++;
		digits = 1;
	} else {
		while (q < end && *q >= '0' && *q <= '9') {
			if (digits < 18)
				x = x * 10 + (*q - '0');
			q++;
			if (++digits > 300)
				return NULL;
		}
	}
	v->kind = JS_INT;
	if (digits > 18 || (neg && x == 0))
		v->kind = JS_REAL;
	if (q < end && *q == '.') {
		q++;
		if (q >= end || *q < '0' || *q > '9')
			return NULL;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		v->kind = JS_REAL;
	}
	if (q < end && (*q == 'e' || *q == 'E'))
		return NULL;
	v->i = neg ? -x : x;
	return q;
}

/* What skipping a value calls for each member of its objects, at any
 * depth (walk NULL: nothing). */
struct walk {
	void (*fn)(void *ctx, const struct jscan_val *key, const struct jscan_val *v);
	void *ctx;
};

static const char *skip_value(const char *p, const char *end, int depth, struct jscan_val *v,
			      const struct walk *w);

/* At '[' or '{': past the matching close, every element valid. */
static const char *skip_container(const char *p, const char *end, int depth,
				  const struct walk *w)
{
	char close = *p == '[' ? ']' : '}';
	int first = 1;

	if (depth >= JSCAN_MAX_DEPTH)
		return NULL;
	p++;
	for (;;) {
		struct jscan_val key, val;

		p = blanks(p, end);
		if (p >= end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (!first) {
			if (*p != ',')
				return NULL;
			p = blanks(p + 1, end);
			if (p >= end)
				return NULL;
		}
		first = 0;
		if (close == '}') {
			if (*p != '"' || !(p = scan_string(p, end, w ? &key : NULL)))
				return NULL;
			p = blanks(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p++;
		}
		if (!(p = skip_value(p, end, depth + 1, w ? &val : NULL, w)))
			return NULL;
		if (w && close == '}') {
			key.kind = JS_STR;
			w->fn(w->ctx, &key, &val);
		}
	}
}

/* The value at p (after blanks): past its end, v filled when not NULL. */
static const char *skip_value(const char *p, const char *end, int depth, struct jscan_val *v,
			      const struct walk *w)
{
	struct jscan_val tmp;
	const char *q;

	if (!v)
		v = &tmp;
	p = blanks(p, end);
	if (p >= end)
		return NULL;
	v->start = p;
	switch (*p) {
	case '"':
		v->kind = JS_STR;
		q = scan_string(p, end, v);
		break;
	case '[':
	case '{':
		v->kind = *p == '[' ? JS_ARR : JS_OBJ;
		q = skip_container(p, end, depth, w);
		break;
	case 't':
		v->kind = JS_TRUE;
		q = end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
		break;
	case 'f':
		v->kind = JS_FALSE;
		q = end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
		break;
	case 'n':
		v->kind = JS_NULL;
		q = end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
		break;
	default:
		q = scan_number(p, end, v);
	}
	v->end = q;
	return q;
}

/*
 * The value at p (after blanks) in text that skip_value has validated
 * already, as skip_value reads it: a container's iterator (jscan_iter_start)
 * walks text read whole before, and validating it again at each level
 * was most of the time of the builders that go down several levels (a
 * security group's permissions, their ranges). In valid plain text a
 * quote always ends a string (no escapes), so only quotes and brackets
 * need looking at; scalars other than strings are read as before.
 */
static const char *skip_valid(const char *p, const char *end, struct jscan_val *v)
{
	const char *q;
	int depth = 0;

	p = blanks(p, end);
	if (p >= end)
		return NULL;
	if (*p == '"') {
		if (!(q = memchr(p + 1, '"', (size_t)(end - p - 1))))
			return NULL;
		v->kind = JS_STR;
		v->start = p;
		v->s = p + 1;
		v->len = (size_t)(q - p - 1);
		return v->end = q + 1;
	}
	if (*p != '[' && *p != '{')
		return skip_value(p, end, 1, v, NULL);
	v->kind = *p == '[' ? JS_ARR : JS_OBJ;
	v->start = p;
	for (q = p; q < end; q++) {
		switch (*q) {
		case '"':
			q = memchr(q + 1, '"', (size_t)(end - q - 1));
			if (!q)
				return v->end = NULL;
			break;
		case '[':
		case '{':
			depth++;
			break;
		case ']':
		case '}':
			if (--depth == 0)
				return v->end = q + 1;
			break;
		default:
			break;
		}
	}
	return v->end = NULL;
}

/* A literal running into letters or digits ("truex", "01") ends where
 * a comma, a close or a blank must follow, which the callers check. */
int jscan_read(const char *p, const char *end, struct jscan_val *v)
{
	return skip_value(p, end, 0, v, NULL) ? 0 : -1;
}

int jscan_doc(const char *buf, size_t len, struct jscan_val *v)
{
	const char *end = buf + len, *q = skip_value(buf, end, 0, v, NULL);

	return q && blanks(q, end) == end ? 0 : -1;
}

int jscan_object_doc(const char *buf, size_t len, struct jscan_iter *it)
{
	const char *end = buf + len, *p = blanks(buf, end);

	if (p >= end || *p != '{')
		return -1;
	it->p = p + 1;
	it->end = end;
	it->close = '}';
	it->first = 1;
	it->validated = 0;
	return 0;
}

int jscan_doc_end(const struct jscan_iter *it)
{
	return blanks(it->p, it->end) == it->end ? 0 : -1;
}

void jscan_iter_start(struct jscan_iter *it, const struct jscan_val *container)
{
	it->p = container->start + 1;
	it->end = container->end;
	it->close = container->kind == JS_ARR ? ']' : '}';
	it->first = 1;
	it->validated = 1; /* read by skip_value, whole */
}

int jscan_next(struct jscan_iter *it, struct jscan_val *key, struct jscan_val *v)
{
	const char *p = blanks(it->p, it->end);

	if (p >= it->end)
		return -1;
	if (*p == it->close) {
		it->p = p + 1;
		return 0;
	}
	if (!it->first) {
		if (*p != ',')
			return -1;
		p = blanks(p + 1, it->end);
		if (p >= it->end)
			return -1;
	}
	it->first = 0;
	if (it->close == '}') {
		if (!key || *p != '"')
			return -1;
		key->kind = JS_STR;
		key->start = p;
		p = it->validated ? skip_valid(p, it->end, key) : scan_string(p, it->end, key);
		if (!p)
			return -1;
		key->end = p;
		p = blanks(p, it->end);
		if (p >= it->end || *p != ':')
			return -1;
		p++;
	} else if (key) {
		key->kind = 0;
	}
	if (it->validated) {
		struct jscan_val tmp;

		p = skip_valid(p, it->end, v ? v : &tmp);
	} else {
		p = skip_value(p, it->end, 1, v, NULL);
	}
	if (!p)
		return -1;
	it->p = p;
	return 1;
}

int jscan_is(const struct jscan_val *v, const char *key, size_t klen)
{
	return v->kind == JS_STR && v->len == klen && !memcmp(v->s, key, klen);
}

int jscan_member(const struct jscan_val *o, const char *key, size_t klen, int last,
		 struct jscan_val *v)
{
	struct jscan_iter it;
	struct jscan_val k, x;
	int n;

	v->kind = 0;
	if (o->kind != JS_OBJ)
		return 0;
	jscan_iter_start(&it, o);
	while ((n = jscan_next(&it, &k, &x)) > 0)
		if (jscan_is(&k, key, klen)) {
			*v = x;
			if (!last)
				return 0;
		}
	return n;
}

int jscan_compact(const struct jscan_val *v)
{
	int in_string = 0;

	for (const char *p = v->start; p < v->end; p++) {
		if (*p == '"')
			in_string = !in_string; /* plain strings have no escaped quotes */
		else if (!in_string && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			return 0;
	}
	return 1;
}

int jscan_extractable(const struct jscan_val *v)
{
	return v->kind != JS_ARR && v->kind != JS_OBJ && v->kind != JS_REAL;
}

void jscan_bind_extract(sqlite3_stmt *st, int i, const struct jscan_val *v)
{
	switch (v->kind) {
	case JS_STR:
		sqlite3_bind_text(st, i, v->s, (int)v->len, SQLITE_STATIC);
		break;
	case JS_INT:
		sqlite3_bind_int64(st, i, v->i);
		break;
	case JS_TRUE:
		sqlite3_bind_int(st, i, 1);
		break;
	case JS_FALSE:
		sqlite3_bind_int(st, i, 0);
		break;
	default:
		sqlite3_bind_null(st, i);
	}
}

void jscan_bind_json(sqlite3_stmt *st, int i, const struct jscan_val *v)
{
	if (v->kind)
		sqlite3_bind_text(st, i, v->start, (int)(v->end - v->start), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int jscan_walk(const struct jscan_val *v,
	       void (*fn)(void *ctx, const struct jscan_val *key, const struct jscan_val *member),
	       void *ctx)
{
	struct walk w = { fn, ctx };

	if (v->kind != JS_ARR && v->kind != JS_OBJ)
		return 0;
	return skip_container(v->start, v->end, 1, &w) ? 0 : -1;
}

int jscan_fill(struct store *s, const struct jscan_fill *f, struct diag *d)
{
	sqlite3_stmt *item = NULL, *ins = NULL, *by_sql = NULL;
	int rc = -1, step;

	if (store_exec(s, f->create, d) || !(item = store_prepare(s, f->items, d)) ||
	    !(ins = store_prepare(s, f->insert, d)) || !(by_sql = store_prepare(s, f->by_sql, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		sqlite3_stmt *st = ins;
		int n = f->n_insert;

		if (f->scan(item, ins)) {
			st = by_sql;
			n = f->n_by;
		}
		for (int c = 0; c < n; c++)
			sqlite3_bind_value(st, c + 1, sqlite3_column_value(item, c));
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_error(s, d, f->what);
			sqlite3_reset(st);
			goto out;
		}
		sqlite3_reset(st);
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, f->what);
		goto out;
	}
	rc = store_exec(s, f->index, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(by_sql);
	return rc;
}

int jscan_by_one_row(struct store *s, const char *what, const char *clear, sqlite3_stmt *put,
		     sqlite3_stmt *by_sql, sqlite3_stmt *item, int n, struct diag *d)
{
	int ok;

	for (int c = 0; c < n; c++)
		sqlite3_bind_value(put, c + 1, sqlite3_column_value(item, c));
	if (store_exec(s, clear, d))
		return -1;
	ok = sqlite3_step(put) == SQLITE_DONE && sqlite3_step(by_sql) == SQLITE_DONE;
	if (!ok)
		store_error(s, d, what);
	sqlite3_reset(put);
	sqlite3_reset(by_sql);
	return ok ? 0 : -1;
}

int jscan_like_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}
