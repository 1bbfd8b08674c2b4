/*
 * itemtext: an item's stored columns from its JSON text (itemtext.h).
 *
 * The text is walked once. Every value must already be what jdump would
 * write for it after jparse (JPARSE_INTEGRAL) read it:
 *   - no blanks between tokens;
 *   - strings: no control bytes, valid UTF-8 (util/utf8.h, as jparse
 *     checks it), and only the escapes jdump writes the same way
 *     (\" \\ \b \f \n \r \t; \/ and \u are read back as other bytes);
 *   - numbers: integers of at most 18 digits, not -0 (a fraction or an
 *     exponent may become an integer or print otherwise);
 *   - no key twice in one object (the parsed path keeps one of them).
 * Then the members are checked against what normalize and item_encode
 * do, and any of them that would change or fail sends the item to the
 * parsed path.
 */
#define _GNU_SOURCE /* memmem */
#include "ingest/itemtext.h"
#include "ingest/jdump.h"
#include "ingest/normalize.h"
#include "util/diag.h"
#include "util/jparse.h"
#include "util/urldecode.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Deeper items take the parsed path (and its depth limit). */
#define FAST_MAX_DEPTH 64
/* Objects with more keys are checked for repeats by sorting. */
#define FEW_KEYS 48

struct key_slot {
	const char *p; /* the key's text, quotes included */
	size_t len;
	uint32_t hash;
};

struct walk {
	const char *p, *end;
	int depth, max_depth;
	struct item_text_scratch *s;
	int rewrite; /* a key repeats, or a real number is an integer: see copy_value */
};

/* 1: a byte that stands for itself in a string jdump writes (printable
 * ASCII but the quote and the backslash). */
static unsigned char plain_byte[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void init_plain(void)
{
	for (int c = 0x20; c < 0x80; c++)
		plain_byte[c] = c != '"' && c != '\\';
}

void item_text_scratch_init(struct item_text_scratch *s)
{
	pthread_once(&plain_once, init_plain);
	memset(s, 0, sizeof(*s));
	strbuf_init(&s->extra, 256);
	strbuf_init(&s->cols, 256);
	strbuf_init(&s->unescaped, 256);
}

void item_text_scratch_release(struct item_text_scratch *s)
{
	strbuf_release(&s->extra);
	strbuf_release(&s->cols);
	strbuf_release(&s->unescaped);
	free(s->keys);
	free(s->spans);
	free(s->repeats);
	memset(s, 0, sizeof(*s));
}

/* Whether any of the 8 bytes of x is not a plain_byte: a quote, a
 * backslash, a control character or a byte of 0x80 or more (the usual
 * SWAR tests; a bit set after the first such byte does not matter). */
static int any_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b) | (x - ones * 0x20) | x) & high ? 1 : 0;
}

/* Past a run of plain bytes from p (eight at a time while it lasts). */
static const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end)
{
	uint64_t x;

	while (end - p >= 8) {
		memcpy(&x, p, sizeof(x));
		if (any_special(x))
			break;
		p += 8;
	}
	while (p < end && plain_byte[*p])
		p++;
	return p;
}

/* At '"': move past the closing quote. *escaped tells whether the string
 * had an escape. -1 when it is not in jdump's form. */
static int canon_string(struct walk *w, int *escaped)
{
	const unsigned char *p = (const unsigned char *)w->p + 1;
	const unsigned char *end = (const unsigned char *)w->end;

	*escaped = 0;
	while (p < end) {
		unsigned c = *p;

		if (plain_byte[c]) {
			p = skip_plain(p + 1, end);
		} else if (c == '"') {
			w->p = (const char *)p + 1;
			return 0;
		} else if (c == '\\') {
			if (p + 1 >= end || !p[1] || !strchr("\"\\bfnrt", p[1]))
				return -1;
			*escaped = 1;
			p += 2;
		} else if (c >= 0x80) {
			size_t n = utf8_valid_prefix((const char *)p, (size_t)(end - p));

			if (!n)
				return -1;
			p += n;
		} else {
			return -1;
		}
	}
	return -1;
}

/* An integer as jdump writes it; its value in *v. */
static int canon_number(struct walk *w, int64_t *v)
{
	const char *p = w->p, *end = w->end;
	int neg = 0, digits = 0;
	int64_t x = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0') {
		if (neg)
			return -1; /* -0 is written 0 */
		p++;
	} else {
		while (p < end && *p >= '0' && *p <= '9') {
			if (++digits > 18)
				return -1;
			x = x * 10 + (*p++ - '0');
		}
	}
	if (p < end && (*p == 'e' || *p == 'E'))
		return -1;
	if (p < end && *p == '.') {
		/* 5.0: jparse reads an integer (copy_value writes it so) */
		if (digits > 15 || p + 1 >= end || p[1] != '0')
			return -1;
		for (p++; p < end && *p == '0'; p++)
			;
		if (p < end && ((*p >= '1' && *p <= '9') || *p == 'e' || *p == 'E'))
			return -1;
		w->rewrite = 1;
	}
	w->p = p;
	*v = neg ? -x : x;
	return 0;
}

static int literal(struct walk *w, const char *word, size_t n)
{
	if ((size_t)(w->end - w->p) < n || memcmp(w->p, word, n))
		return -1;
	w->p += n;
	return 0;
}

static uint32_t key_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct key_slot *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->p, y->p, x->len);
}

/* Whether two of the keys k[0, n) are the same text (escapes have one
 * form here, so same text is same key). */
static int repeated_key(struct key_slot *k, size_t n)
{
	if (n <= FEW_KEYS) {
		/* tag: the length and the first bytes after the quote */
		for (size_t i = 0; i < n; i++)
			k[i].hash = (uint32_t)k[i].len << 16 | (unsigned char)k[i].p[1] << 8 |
				    (unsigned char)k[i].p[k[i].len - 2];
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (k[i].hash == k[j].hash && k[i].len == k[j].len &&
				    !memcmp(k[i].p, k[j].p, k[i].len))
					return 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		k[i].hash = key_hash(k[i].p, k[i].len);
	qsort(k, n, sizeof(*k), cmp_slot);
	for (size_t i = 1; i < n; i++)
		if (!cmp_slot(&k[i - 1], &k[i]))
			return 1;
	return 0;
}

static void push_key(struct item_text_scratch *s, const char *p, size_t len)
{
	ALLOC_GROW(s->keys, s->n_keys + 1, s->alloc_keys);
	s->keys[s->n_keys].p = p;
	s->keys[s->n_keys].len = len;
	s->n_keys++;
}

static int canon_value(struct walk *w);

/* After a member at depth: 0 (',' passed), 1 (close passed), -1. */
static int next_member(struct walk *w, char close)
{
	if (w->p >= w->end)
		return -1;
	if (*w->p == ',') {
		w->p++;
		return 0;
	}
	if (*w->p != close)
		return -1;
	w->p++;
	w->depth--;
	return 1;
}

static int canon_array(struct walk *w)
{
	int rc;

	if (++w->depth > w->max_depth)
		return -1;
	w->p++;
	if (w->p < w->end && *w->p == ']') {
		w->p++;
		w->depth--;
		return 0;
	}
	do {
		if (canon_value(w))
			return -1;
	} while ((rc = next_member(w, ']')) == 0);
	return rc < 0 ? -1 : 0;
}

/* One "key": of an object; the key is pushed for the repeat check. */
static int canon_key(struct walk *w, int *escaped)
{
	const char *k = w->p;

	if (k >= w->end || *k != '"' || canon_string(w, escaped))
		return -1;
	push_key(w->s, k, (size_t)(w->p - k));
	if (w->p >= w->end || *w->p != ':')
		return -1;
	w->p++;
	return 0;
}

static int canon_object(struct walk *w)
{
	size_t first = w->s->n_keys;
	const char *start = w->p;
	int rc, esc;

	if (++w->depth > w->max_depth)
		return -1;
	w->p++;
	if (w->p < w->end && *w->p == '}') {
		w->p++;
		w->depth--;
		return 0;
	}
	do {
		if (canon_key(w, &esc) || canon_value(w))
			return -1;
	} while ((rc = next_member(w, '}')) == 0);
	if (rc < 0)
		return -1;
	if (repeated_key(w->s->keys + first, w->s->n_keys - first)) {
		/* jparse keeps each key once (copy_object) */
		w->rewrite = 1;
		ALLOC_GROW(w->s->repeats, w->s->n_repeats + 1, w->s->alloc_repeats);
		w->s->repeats[w->s->n_repeats++] = start;
	}
	w->s->n_keys = first;
	return 0;
}

static int canon_value(struct walk *w)
{
	int esc;
	int64_t v;

	if (w->p >= w->end)
		return -1;
	switch (*w->p) {
	case '{':
		return canon_object(w);
	case '[':
		return canon_array(w);
	case '"':
		return canon_string(w, &esc);
	case 't':
		return literal(w, "true", 4);
	case 'f':
		return literal(w, "false", 5);
	case 'n':
		return literal(w, "null", 4);
	default:
		return canon_number(w, &v);
	}
}

/* The item's top-level members that item_encode reads, and the API
 * names normalize renames (any of those takes the parsed path). */
enum member {
	M_VERSION,
	M_CAPTURE,
	M_STATE,
	M_ACCOUNT,
	M_STATUS,
	M_TYPE,
	M_ID,
	M_NAME,
	M_ARN,
	M_REGION,
	M_AZ,
	M_CREATION,
	M_TAGS,
	M_RELATIONSHIPS,
	M_CONFIGURATION,
	M_SUPPLEMENTARY,
	M_COUNT,
	M_RENAMED = M_COUNT,
	M_EXTRA,
};

static const struct {
	const char *name;
	size_t len;
	enum member m;
} members[] = {
#define M(s, m) {s, sizeof(s) - 1, m}
    M("configurationItemVersion", M_VERSION),
    M("configurationItemCaptureTime", M_CAPTURE),
    M("configurationStateId", M_STATE),
    M("awsAccountId", M_ACCOUNT),
    M("configurationItemStatus", M_STATUS),
    M("resourceType", M_TYPE),
    M("resourceId", M_ID),
    M("resourceName", M_NAME),
    M("ARN", M_ARN),
    M("awsRegion", M_REGION),
    M("availabilityZone", M_AZ),
    M("resourceCreationTime", M_CREATION),
    M("tags", M_TAGS),
    M("relationships", M_RELATIONSHIPS),
    M("configuration", M_CONFIGURATION),
    M("supplementaryConfiguration", M_SUPPLEMENTARY),
    M("version", M_RENAMED),
    M("accountId", M_RENAMED),
    M("arn", M_RENAMED),
    M("configurationItemMD5Hash", M_RENAMED),
#undef M
};

/* k: the key's text without quotes. */
static enum member member_of(const char *k, size_t len)
{
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (members[i].len == len && members[i].name[0] == k[0] &&
		    !memcmp(members[i].name, k, len))
			return members[i].m;
	return M_EXTRA;
}

/* The members of the item, walked: values of the known members in v[],
 * the others appended to s->extra as "key":value pairs. parsed[i]: the
 * value is not in jdump's form (only allowed for the JSON members, which
 * are then parsed alone). */
struct members {
	const char *v[M_COUNT];
	size_t n[M_COUNT];
	unsigned char parsed[M_COUNT];
};

/* Past the string that starts at p (its opening quote), or NULL when it
 * does not end before end. */
static const char *string_end(const char *p, const char *end)
{
	for (p++; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t k = 0;

		if (!q)
			return NULL;
		while (q[-1 - (ptrdiff_t)k] == '\\') /* stops at the opening quote */
			k++;
		p = q + 1;
		if (!(k & 1))
			return p;
	}
	return NULL;
}

/* Past a string, an object or an array in any form (its syntax is
 * checked when it is parsed); -1 for anything else. */
static int skip_value(struct walk *w)
{
	const char *p = w->p, *end = w->end;
	int depth = 0;

	if (p >= end || (*p != '{' && *p != '[' && *p != '"'))
		return -1;
	while (p < end) {
		char c = *p;

		if (c == '"') {
			if (!(p = string_end(p, end)))
				return -1;
		} else {
			p++;
			if (c == '{' || c == '[')
				depth++;
			else if (c == '}' || c == ']')
				depth--;
		}
		if (depth <= 0) {
			w->p = p;
			return depth < 0 ? -1 : 0;
		}
	}
	return -1;
}

static int json_member(enum member m)
{
	return m == M_CONFIGURATION || m == M_SUPPLEMENTARY || m == M_TAGS ||
	       m == M_RELATIONSHIPS;
}

/* One member's value at w->p, as member which. */
static int walk_member(struct walk *w, struct members *m, enum member which)
{
	const char *v = w->p;
	size_t keys = w->s->n_keys;

	w->rewrite = 0;
	if (canon_value(w) || (w->rewrite && !json_member(which))) {
		if (!json_member(which))
			return -1;
		w->s->n_keys = keys;
		w->p = v;
		w->depth = 1;
		if (skip_value(w))
			return -1;
		m->parsed[which] = 1;
	} else if (w->rewrite) {
		m->parsed[which] = 2; /* copy_value writes it */
	}
	m->v[which] = v;
	m->n[which] = (size_t)(w->p - v);
	return 0;
}

static int walk_item(struct walk *w, struct members *m)
{
	int rc, esc;

	if (w->p >= w->end || *w->p != '{' || ++w->depth > w->max_depth)
		return -1;
	w->p++;
	do {
		const char *k = w->p, *v;
		enum member which;

		if (canon_key(w, &esc) || esc)
			return -1;
		v = w->p;
		which = member_of(k + 1, (size_t)(v - k) - 3);
		if (which == M_RENAMED)
			return -1;
		if (which != M_EXTRA) {
			if (walk_member(w, m, which))
				return -1;
			continue;
		}
		w->rewrite = 0;
		if (canon_value(w) || w->rewrite)
			return -1;
		strbuf_addch(&w->s->extra, w->s->extra.len ? ',' : '{');
		strbuf_add(&w->s->extra, k, (size_t)(w->p - k));
	} while ((rc = next_member(w, '}')) == 0);
	if (rc < 0 || w->p != w->end)
		return -1;
	return repeated_key(w->s->keys, w->s->n_keys) ? -1 : 0;
}

static int absent(const struct members *m, enum member i)
{
	return !m->v[i] || (m->n[i] == 4 && !memcmp(m->v[i], "null", 4));
}

/* A string member without escapes: its content. */
static int plain(const struct members *m, enum member i, const char **s, size_t *n)
{
	if (!m->v[i] || m->v[i][0] != '"' || memchr(m->v[i], '\\', m->n[i]))
		return -1;
	*s = m->v[i] + 1;
	*n = m->n[i] - 2;
	return 0;
}

static void set_col(struct item_text *it, enum item_col c, const char *s, size_t n)
{
	it->col[c] = s;
	it->len[c] = (uint32_t)n;
}

/* A non-empty string member without escapes, as column c. */
static int identity(struct item_text *it, enum item_col c, const struct members *m,
		    enum member i)
{
	const char *s;
	size_t n;

	if (plain(m, i, &s, &n) || !n)
		return -1;
	set_col(it, c, s, n);
	return 0;
}

/* The number of the n digits at s. */
static int num(const char *s, int n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* A time already in the form normalize and item_encode give it
 * (YYYY-MM-DDTHH:MM:SS.mmmZ of a real date, seconds below 60): the times
 * that normalize_time_text keeps and time_canonical writes back the same,
 * checked without parsing and formatting them. */
static int canonical_time(const char *s, size_t n)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, leap;

	if (n != sizeof(pat) - 1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return -1;
	y = num(s, 4);
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	if (mo < 1 || mo > 12 || d < 1 || num(s + 11, 2) > 23 || num(s + 14, 2) > 59 ||
	    num(s + 17, 2) > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d > dim[mo - 1] + (mo == 2 && leap) ? -1 : 0;
}

static int read_identity(struct item_text *it, const struct members *m)
{
	char region[32];

	if (identity(it, ICOL_ACCOUNT, m, M_ACCOUNT) || it->len[ICOL_ACCOUNT] < 12 ||
	    it->len[ICOL_ACCOUNT] > 20 ||
	    strspn(it->col[ICOL_ACCOUNT], "0123456789") < it->len[ICOL_ACCOUNT])
		return -1;
	if (identity(it, ICOL_REGION, m, M_REGION) || it->len[ICOL_REGION] >= sizeof(region))
		return -1;
	memcpy(region, it->col[ICOL_REGION], it->len[ICOL_REGION]);
	region[it->len[ICOL_REGION]] = '\0';
	if (!normalize_region_ok(region))
		return -1;
	if (identity(it, ICOL_TYPE, m, M_TYPE) || identity(it, ICOL_ID, m, M_ID))
		return -1;
	if (identity(it, ICOL_CAPTURE, m, M_CAPTURE) ||
	    canonical_time(it->col[ICOL_CAPTURE], it->len[ICOL_CAPTURE]))
		return -1;
	if (!absent(m, M_STATE)) {
		struct walk w = {m->v[M_STATE], m->v[M_STATE] + m->n[M_STATE], 0, 0, NULL, 0};

		if (canon_number(&w, &it->state_id) || w.p != w.end || w.rewrite)
			return -1;
		it->has_state_id = 1;
	}
	return 0;
}

/* A scalar column: NULL, a string's content, or other JSON as it is. */
static int scalar(struct item_text *it, enum item_col c, const struct members *m, enum member i)
{
	const char *s;
	size_t n;

	if (absent(m, i))
		return 0;
	if (m->v[i][0] != '"') {
		set_col(it, c, m->v[i], m->n[i]);
		return 0;
	}
	if (plain(m, i, &s, &n))
		return -1;
	set_col(it, c, s, n);
	return 0;
}

/* supplementaryConfiguration: normalize parses the strings among its
 * members (and BucketPolicy's policyText). */
static int plain_supplementary(const char *v, size_t n)
{
	struct item_text_scratch none = {0};
	struct walk w = {v + 1, v + n, 1, FAST_MAX_DEPTH, &none, 0};
	int esc, rc = 0;

	if (n == 2)
		return 0;
	do {
		const char *k = w.p;

		if (canon_key(&w, &esc) || w.p >= w.end || *w.p == '"' ||
		    ((size_t)(w.p - k) == 15 && !memcmp(k, "\"BucketPolicy\"", 14)) ||
		    canon_value(&w))
			rc = -1;
	} while (!rc && next_member(&w, '}') == 0);
	free(none.keys);
	return rc;
}

/* A member of an object being copied: its key (quotes included) and
 * its value. */
struct member_span {
	const char *k, *v;
	size_t klen, vlen;
};

/* The end of the value at p, in the form canon_value accepts. */
static const char *value_end(const char *p, const char *end)
{
	struct walk w = {p, end, 0, 0, NULL, 0};

	if (*p == '"' || *p == '{' || *p == '[') {
		if (skip_value(&w))
			return end; /* cannot happen: canon_value read it */
		return w.p;
	}
	while (p < end && *p != ',' && *p != '}' && *p != ']')
		p++;
	return p;
}

static const char *copy_value(const char *p, const char *end, struct strbuf *out,
			      struct item_text_scratch *s);

/* Whether a key repeats in the object at p (canon_object noted it). */
static int has_repeats(const struct item_text_scratch *s, const char *p)
{
	for (size_t i = 0; i < s->n_repeats; i++)
		if (s->repeats[i] == p)
			return 1;
	return 0;
}

static int same_key(const struct member_span *a, const struct member_span *b)
{
	return a->klen == b->klen && !memcmp(a->k, b->k, a->klen);
}

/* An object whose keys repeat: each key once, at its first place, with
 * its last value (as jparse keeps a repeated key). Returns its end. */
static const char *copy_object(const char *p, const char *end, struct strbuf *out,
			       struct item_text_scratch *s)
{
	size_t first = s->n_spans, n;

	for (p++; p < end && *p != '}';) {
		struct member_span *m;

		ALLOC_GROW(s->spans, s->n_spans + 1, s->alloc_spans);
		m = &s->spans[s->n_spans++];
		m->k = p;
		p = string_end(p, end);
		m->klen = (size_t)(p - m->k);
		m->v = p + 1;
		p = value_end(m->v, end);
		m->vlen = (size_t)(p - m->v);
		if (p < end && *p == ',')
			p++;
	}
	n = s->n_spans;
	strbuf_addch(out, '{');
	for (size_t i = first; i < n; i++) {
		size_t last = i, j;

		for (j = first; j < i && !same_key(&s->spans[j], &s->spans[i]); j++)
			;
		if (j < i)
			continue; /* written at its first place */
		for (j = i + 1; j < n; j++)
			if (same_key(&s->spans[j], &s->spans[i]))
				last = j;
		if (out->buf[out->len - 1] != '{')
			strbuf_addch(out, ',');
		strbuf_add(out, s->spans[i].k, s->spans[i].klen);
		strbuf_addch(out, ':');
		copy_value(s->spans[last].v, end, out, s);
	}
	strbuf_addch(out, '}');
	s->n_spans = first;
	return p + 1;
}

/* Copy the value at p (in the form canon_value accepts) as jparse then
 * jdump give it back: repeated keys as copy_object writes them, a real
 * number with a zero fraction as an integer. Returns its end. */
static const char *copy_value(const char *p, const char *end, struct strbuf *out,
			      struct item_text_scratch *s)
{
	const char *e, *dot;
	char close;

	if (*p == '"') {
		e = string_end(p, end);
		strbuf_add(out, p, (size_t)(e - p));
		return e;
	}
	if (*p != '{' && *p != '[') {
		for (e = p; e < end && *e != ',' && *e != '}' && *e != ']';)
			e++;
		dot = memchr(p, '.', (size_t)(e - p));
		strbuf_add(out, p, (size_t)((dot ? dot : e) - p)); /* 5.0 -> 5 */
		return e;
	}
	if (*p == '{' && has_repeats(s, p))
		return copy_object(p, end, out, s);
	close = *p == '{' ? '}' : ']';
	strbuf_addch(out, *p++);
	while (*p != close) {
		if (*p == ',' || *p == ':')
			strbuf_addch(out, *p++);
		else
			p = copy_value(p, end, out, s);
	}
	strbuf_addch(out, close);
	return p + 1;
}

/* An item being read: its members, and the columns of members parsed
 * alone (at off[c] in s->cols until the end, which may move). */
struct reading {
	struct members m;
	struct item_text_scratch *s;
	int max_depth;
	size_t off[ICOL_COUNT];
	unsigned char in_cols[ICOL_COUNT];
};

/* Member which, parsed alone and normalized as normalize does it, then
 * written as jdump writes it, as column c. */
static int parse_member(struct reading *rd, struct item_text *it, enum member which,
			enum item_col c, const char *name)
{
	json_t *item = json_object(), *v;
	struct diag d;
	int rc = -1;

	if (rd->max_depth < 2 ||
	    !(v = jparse(rd->m.v[which], rd->m.n[which], rd->max_depth - 1, JPARSE_INTEGRAL, NULL)))
		goto out;
	json_object_set_new(item, name, v);
	if (which == M_CONFIGURATION)
		json_object_set_new(item, "resourceType",
				    json_stringn(it->col[ICOL_TYPE], it->len[ICOL_TYPE]));
	diag_clear(&d);
	if (normalize_member(item, name, &d))
		goto out;
	v = json_object_get(item, name);
	if (!v || json_is_null(v)) {
		/* a blank configuration string: no configuration */
		rc = which == M_CONFIGURATION ? 0 : -1;
		goto out;
	}
	rd->off[c] = rd->s->cols.len;
	rd->in_cols[c] = 1;
	jdump(v, &rd->s->cols);
	set_col(it, c, NULL, rd->s->cols.len - rd->off[c]);
	rc = 0;
out:
	json_decref(item);
	return rc;
}

/* ---- JSON inside strings, decoded from the text (what normalize
 * parses: supplementaryConfiguration's string members, BucketPolicy's
 * policyText, SNS policies, IAM policy documents). Each returns 1 when
 * it wrote the value to out, 0 when the value stays as it is, -1 when
 * the member must be parsed instead. ---- */

/* text[0, n): JSON that parses to an object or array, written as jdump
 * would write it (1); 0 when it is JSON of another kind but a string;
 * -1 when it is not in the form canon_value accepts (or is a string,
 * which normalize would read once more). */
static int splice_json(const char *text, size_t n, struct strbuf *out, struct item_text_scratch *s)
{
	struct walk w = {text, text + n, 0, FAST_MAX_DEPTH, s, 0};
	size_t keys = s->n_keys;
	int rc = canon_value(&w);

	s->n_keys = keys;
	if (rc || w.p != w.end || text[0] == '"')
		return -1;
	if (text[0] != '{' && text[0] != '[')
		return 0;
	copy_value(text, text + n, out, s);
	return 1;
}

/* normalize_unstring of the JSON string v[0, n) (a value the walk read):
 * a string holding JSON becomes that JSON. */
static int unstring_text(const char *v, size_t n, struct strbuf *out, struct item_text_scratch *s)
{
	struct strbuf *u = &s->unescaped;
	struct walk w = {v, v + n, 0, 0, NULL, 0};
	int rc;

	strbuf_reset(u);
	for (const char *p = v + 1; p < v + n - 1; p++) {
		if (*p != '\\') {
			strbuf_addch(u, *p);
			continue;
		}
		p++;
		strbuf_addch(u, *p == 'b' ? '\b' : *p == 'f' ? '\f' : *p == 'n' ? '\n' :
				 *p == 'r' ? '\r' : *p == 't' ? '\t' : *p);
	}
	(void)w;
	if (!normalize_looks_like_json(u->buf ? u->buf : "", u->len))
		return 0;
	rc = splice_json(u->buf, u->len, out, s);
	/* JSON of another kind replaces the string too: leave it to jparse */
	return rc == 0 ? -1 : rc;
}

/* decode_policy of the JSON string v[0, n): percent-decoded, then parsed;
 * anything that does not decode, or is not an object or an array, stays. */
static int policy_text(const char *v, size_t n, struct strbuf *out, struct item_text_scratch *s)
{
	const char *c = v + 1;
	size_t len = n - 2, dlen;
	char *dec;
	int rc;

	if (memchr(c, '\\', len))
		return -1;
	if (!memchr(c, '%', len))
		return normalize_looks_like_json(c, len) ? splice_json(c, len, out, s) : 0;
	if (!(dec = url_decode(c, len, 1, &dlen)))
		return 0;
	rc = splice_json(dec, dlen, out, s);
	free(dec);
	return rc;
}

/* A member's key k (quotes included) is name. */
static int key_is(const char *k, size_t klen, const char *name)
{
	size_t n = strlen(name);

	return klen == n + 2 && !memcmp(k + 1, name, n);
}

typedef int (*member_fn)(const char *k, size_t klen, const char *v, size_t vlen,
			 struct strbuf *out, struct item_text_scratch *s);

/* Copy the object p[0, end) (no key repeated), each value through fn
 * (1: fn wrote it; 0: copied as it is). 1, or -1 when fn gave up. */
static int copy_members(const char *p, const char *end, struct strbuf *out,
			struct item_text_scratch *s, member_fn fn)
{
	strbuf_addch(out, '{');
	for (p++; p < end && *p != '}';) {
		const char *k = p, *v = string_end(p, end) + 1;
		size_t klen = (size_t)(v - 1 - k);
		int rc;

		p = value_end(v, end);
		if (out->buf[out->len - 1] != '{')
			strbuf_addch(out, ',');
		strbuf_add(out, k, klen);
		strbuf_addch(out, ':');
		if ((rc = fn(k, klen, v, (size_t)(p - v), out, s)) < 0)
			return -1;
		if (rc == 0)
			strbuf_add(out, v, (size_t)(p - v));
		if (p < end && *p == ',')
			p++;
	}
	strbuf_addch(out, '}');
	return 1;
}

/* Copy the array v[0, n), each object element through copy_members. */
static int copy_elements(const char *v, size_t n, struct strbuf *out, struct item_text_scratch *s,
			 member_fn fn)
{
	const char *p = v + 1, *end = v + n, *e;

	strbuf_addch(out, '[');
	while (p < end && *p != ']') {
		e = value_end(p, end);
		if (*p != '{')
			strbuf_add(out, p, (size_t)(e - p));
		else if (copy_members(p, e, out, s, fn) < 0)
			return -1;
		p = e;
		if (p < end && *p == ',') {
			strbuf_addch(out, ',');
			p++;
		}
	}
	strbuf_addch(out, ']');
	return 1;
}

static int policy_document(const char *k, size_t klen, const char *v, size_t vlen,
			   struct strbuf *out, struct item_text_scratch *s)
{
	return key_is(k, klen, "policyDocument") && *v == '"' ? policy_text(v, vlen, out, s) : 0;
}

static int version_document(const char *k, size_t klen, const char *v, size_t vlen,
			    struct strbuf *out, struct item_text_scratch *s)
{
	return key_is(k, klen, "document") && *v == '"' ? policy_text(v, vlen, out, s) : 0;
}

/* An IAM configuration (normalize.c, fix_type_specific). */
static int iam_member(const char *k, size_t klen, const char *v, size_t vlen, struct strbuf *out,
		      struct item_text_scratch *s)
{
	if (key_is(k, klen, "assumeRolePolicyDocument"))
		return *v == '"' ? policy_text(v, vlen, out, s) : 0;
	if (*v != '[')
		return 0;
	if (key_is(k, klen, "userPolicyList") || key_is(k, klen, "rolePolicyList") ||
	    key_is(k, klen, "groupPolicyList"))
		return copy_elements(v, vlen, out, s, policy_document);
	if (key_is(k, klen, "policyVersionList"))
		return copy_elements(v, vlen, out, s, version_document);
	return 0;
}

/* An SNS topic's configuration. */
static int sns_member(const char *k, size_t klen, const char *v, size_t vlen, struct strbuf *out,
		      struct item_text_scratch *s)
{
	if (*v == '"' && (key_is(k, klen, "Policy") || key_is(k, klen, "EffectiveDeliveryPolicy")))
		return unstring_text(v, vlen, out, s);
	return 0;
}

static int policy_text_member(const char *k, size_t klen, const char *v, size_t vlen,
			      struct strbuf *out, struct item_text_scratch *s)
{
	return *v == '"' && key_is(k, klen, "policyText") ? unstring_text(v, vlen, out, s) : 0;
}

/* supplementaryConfiguration (normalize.c, fix_supplementary). */
static int sup_member(const char *k, size_t klen, const char *v, size_t vlen, struct strbuf *out,
		      struct item_text_scratch *s)
{
	if (key_is(k, klen, "BucketPolicy")) {
		if (*v == '"')
			return -1; /* unstrung, then its policyText too */
		if (*v == '{')
			return copy_members(v, v + vlen, out, s, policy_text_member);
	}
	return *v == '"' ? unstring_text(v, vlen, out, s) : 0;
}

/* A member whose text has JSON inside strings (and no repeated key):
 * written as normalize then jdump would give it (0), or -1 (parse it). */
static int decode_member(struct reading *rd, struct item_text *it, enum member which,
			 enum item_col c)
{
	const char *v = rd->m.v[which], *end = v + rd->m.n[which];
	struct strbuf *out = &rd->s->cols;
	size_t off = out->len;
	int rc = -1;

	if (rd->m.parsed[which] || *v != '{')
		return -1;
	if (which == M_SUPPLEMENTARY)
		rc = copy_members(v, end, out, rd->s, sup_member);
	else if (which == M_CONFIGURATION && it->col[ICOL_TYPE][5] == 'I')
		rc = copy_members(v, end, out, rd->s, iam_member);
	else if (which == M_CONFIGURATION)
		rc = copy_members(v, end, out, rd->s, sns_member);
	if (rc < 0) {
		out->len = off;
		return -1;
	}
	rd->off[c] = off;
	rd->in_cols[c] = 1;
	set_col(it, c, NULL, out->len - off);
	return 0;
}

/* A JSON member: dflt when absent (NULL: SQL NULL), its text when that
 * is what normalize and jdump give (as_is), else parsed alone. */
static int json_col(struct reading *rd, struct item_text *it, enum member which, enum item_col c,
		    const char *name, const char *dflt, int as_is)
{
	const struct members *m = &rd->m;

	if (absent(m, which)) {
		if (dflt)
			set_col(it, c, dflt, strlen(dflt));
		return 0;
	}
	if (as_is && !m->parsed[which]) {
		set_col(it, c, m->v[which], m->n[which]);
		return 0;
	}
	if (as_is && m->parsed[which] == 2) {
		rd->off[c] = rd->s->cols.len;
		rd->in_cols[c] = 1;
		copy_value(m->v[which], m->v[which] + m->n[which], &rd->s->cols, rd->s);
		set_col(it, c, NULL, rd->s->cols.len - rd->off[c]);
		return 0;
	}
	if (!decode_member(rd, it, which, c))
		return 0;
	return parse_member(rd, it, which, c, name);
}

/* normalize decodes policies in the configuration of these types */
static int policy_type(const struct item_text *it)
{
	const char *s = it->col[ICOL_TYPE];
	size_t n = it->len[ICOL_TYPE];

	return (n >= 10 && !memcmp(s, "AWS::IAM::", 10)) ||
	       (n == 15 && !memcmp(s, "AWS::SNS::Topic", 15));
}

static int read_json_columns(struct reading *rd, struct item_text *it)
{
	const struct members *m = &rd->m;
	const char *conf = m->v[M_CONFIGURATION], *sup = m->v[M_SUPPLEMENTARY];
	const char *tags = m->v[M_TAGS], *rel = m->v[M_RELATIONSHIPS];

	/* configuration: JSON inside a string is parsed, and so is what is
	 * not an object (normalize refuses it) */
	if (json_col(rd, it, M_CONFIGURATION, ICOL_CONFIGURATION, "configuration", NULL,
		     conf && (conf[0] == '{' || conf[0] == 'n') && !(conf[0] == '{' && policy_type(it))))
		return -1;
	/* supplementaryConfiguration: so are its string members */
	if (json_col(rd, it, M_SUPPLEMENTARY, ICOL_SUPPLEMENTARY, "supplementaryConfiguration",
		     "{}", sup && sup[0] == '{' && !plain_supplementary(sup, m->n[M_SUPPLEMENTARY])))
		return -1;
	/* tags: a list of pairs becomes an object */
	if (json_col(rd, it, M_TAGS, ICOL_TAGS, "tags", "{}", tags && tags[0] == '{'))
		return -1;
	/* relationships: relationshipName becomes name */
	return json_col(rd, it, M_RELATIONSHIPS, ICOL_RELATIONSHIPS, "relationships", "[]",
			rel && rel[0] == '[' &&
			    !memmem(rel, m->n[M_RELATIONSHIPS], "\"relationshipName\"", 18));
}

static int read_columns(struct item_text *it, const struct members *m)
{
	const char *s;
	size_t n;

	if (scalar(it, ICOL_NAME, m, M_NAME) || scalar(it, ICOL_ARN, m, M_ARN) ||
	    scalar(it, ICOL_AZ, m, M_AZ) || scalar(it, ICOL_VERSION, m, M_VERSION))
		return -1;
	if (absent(m, M_STATUS))
		set_col(it, ICOL_STATUS, "OK", 2);
	else if (identity(it, ICOL_STATUS, m, M_STATUS))
		return -1;
	if (!absent(m, M_CREATION)) {
		if (plain(m, M_CREATION, &s, &n) || canonical_time(s, n))
			return -1;
		set_col(it, ICOL_CREATION, s, n);
	}
	return 0;
}

int item_text_read(const char *buf, size_t len, int max_depth, struct item_text *it,
		   struct item_text_scratch *s)
{
	struct walk w = {buf, buf + len, 0, FAST_MAX_DEPTH, s, 0};
	struct reading rd;

	if (max_depth > 0 && max_depth < w.max_depth)
		w.max_depth = max_depth;
	memset(&rd, 0, sizeof(rd));
	rd.s = s;
	rd.max_depth = max_depth;
	memset(it, 0, sizeof(*it));
	s->n_keys = 0;
	s->n_repeats = 0;
	strbuf_reset(&s->extra);
	strbuf_reset(&s->cols);
	if (walk_item(&w, &rd.m) || read_identity(it, &rd.m) || read_columns(it, &rd.m) ||
	    read_json_columns(&rd, it))
		return 0;
	for (int c = 0; c < ICOL_COUNT; c++)
		if (rd.in_cols[c])
			it->col[c] = s->cols.buf + rd.off[c];
	if (s->extra.len) {
		strbuf_addch(&s->extra, '}');
		set_col(it, ICOL_EXTRA, s->extra.buf, s->extra.len);
	}
	return 1;
}
