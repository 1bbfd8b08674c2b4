/*
 * quickid: a validating JSON walk that keeps nothing but the top-level
 * identity members (see quickid.h).
 *
 * The walk is stricter than the full parser, never looser: whatever it
 * accepts, jparse accepts too and reads the same. Strings are checked for
 * control characters, valid escapes and valid UTF-8 (a \u escape, legal
 * or not, is left to the full path, which knows surrogates); numbers
 * follow the JSON grammar, and any exponent or more than 18 digits is
 * left to the full path (jansson refuses integers beyond 64 bits and
 * reals that overflow).
 */
#include "ingest/quickid.h"
#include "ingest/normalize.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* 0: an ordinary string byte; 1: '"'; 2: '\\'; 3: a control byte; 4: a
 * byte of a multi-byte UTF-8 sequence. */
static const unsigned char string_class[256] = {
	[0x00] = 3, [0x01] = 3, [0x02] = 3, [0x03] = 3, [0x04] = 3, [0x05] = 3, [0x06] = 3,
	[0x07] = 3, [0x08] = 3, [0x09] = 3, [0x0a] = 3, [0x0b] = 3, [0x0c] = 3, [0x0d] = 3,
	[0x0e] = 3, [0x0f] = 3, [0x10] = 3, [0x11] = 3, [0x12] = 3, [0x13] = 3, [0x14] = 3,
	[0x15] = 3, [0x16] = 3, [0x17] = 3, [0x18] = 3, [0x19] = 3, [0x1a] = 3, [0x1b] = 3,
	[0x1c] = 3, [0x1d] = 3, [0x1e] = 3, [0x1f] = 3, ['"'] = 1, ['\\'] = 2,
	[0x80 ... 0xff] = 4,
};

struct walk {
	const char *p, *end;
	int depth, max_depth;
};

static void skip_blanks(struct walk *w)
{
	while (w->p < w->end &&
	       (*w->p == ' ' || *w->p == '\n' || *w->p == '\r' || *w->p == '\t'))
		w->p++;
}

/* A string starting at w->p ('"'). Returns 0 and its contents' slice and
 * whether it had escapes, or -1. */
static int walk_string(struct walk *w, const char **s, size_t *len, int *escaped)
{
	const char *p = w->p + 1;

	*escaped = 0;
	*s = p;
	for (;;) {
		while (p < w->end && string_class[(unsigned char)*p] == 0)
			p++;
		if (p >= w->end)
			return -1;
		switch (string_class[(unsigned char)*p]) {
		case 1:
			*len = (size_t)(p - *s);
			w->p = p + 1;
			return 0;
		case 2:
			if (p + 1 >= w->end || !p[1] || !strchr("\"\\/bfnrt", p[1]))
				return -1; /* \u and anything else: the full path */
			*escaped = 1;
			p += 2;
			break;
		case 3:
			return -1;
		default: {
			size_t n = utf8_valid_prefix(p, (size_t)(w->end - p));

			/* utf8_valid_prefix gives the length of the first character
			 * when it is valid; 1 for an ASCII byte never happens here. */
			if (n < 2)
				return -1;
			p += n;
		}
		}
	}
}

/* A number; *integer tells whether it was a plain integer. */
static int walk_number(struct walk *w, int *integer)
{
	const char *p = w->p;
	int digits = 0;

	*integer = 1;
	if (p < w->end && *p == '-')
		p++;
	if (p >= w->end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0') {
		p++;
		digits++;
	} else {
		while (p < w->end && *p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (p < w->end && *p == '.') {
		*integer = 0;
		p++;
		if (p >= w->end || *p < '0' || *p > '9')
			return -1;
		while (p < w->end && *p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (p < w->end && (*p == 'e' || *p == 'E'))
		return -1; /* valid, but left to the full path */
	if (digits > 18)
		return -1;
	w->p = p;
	return 0;
}

/* The value of the digits (with an optional '-') in [p, end), which the
 * caller has checked: at most 18 digits, so no overflow. The text is not
 * NUL-terminated, so strtoll cannot be used. */
static long long digits_value(const char *p, const char *end)
{
	long long v = 0;
	int neg = p < end && *p == '-';

	for (p += neg; p < end; p++)
		v = v * 10 + (*p - '0');
	return neg ? -v : v;
}

static int walk_literal(struct walk *w, const char *lit, size_t n)
{
	if ((size_t)(w->end - w->p) < n || memcmp(w->p, lit, n))
		return -1;
	w->p += n;
	return 0;
}

static int walk_value(struct walk *w);

static int walk_container(struct walk *w, char close)
{
	if (++w->depth > w->max_depth)
		return -1;
	w->p++;
	skip_blanks(w);
	if (w->p < w->end && *w->p == close) {
		w->p++;
		w->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			const char *s;
			size_t len;
			int escaped;

			if (w->p >= w->end || *w->p != '"' || walk_string(w, &s, &len, &escaped))
				return -1;
			skip_blanks(w);
			if (w->p >= w->end || *w->p != ':')
				return -1;
			w->p++;
		}
		if (walk_value(w))
			return -1;
		skip_blanks(w);
		if (w->p >= w->end)
			return -1;
		if (*w->p == close) {
			w->p++;
			w->depth--;
			return 0;
		}
		if (*w->p != ',')
			return -1;
		w->p++;
	}
}

static int walk_value(struct walk *w)
{
	const char *s;
	size_t len;
	int flag;

	skip_blanks(w);
	if (w->p >= w->end)
		return -1;
	switch (*w->p) {
	case '"':
		return walk_string(w, &s, &len, &flag);
	case '{':
		return walk_container(w, '}');
	case '[':
		return walk_container(w, ']');
	case 't':
		return walk_literal(w, "true", 4);
	case 'f':
		return walk_literal(w, "false", 5);
	case 'n':
		return walk_literal(w, "null", 4);
	default:
		return walk_number(w, &flag);
	}
}

static const char *const identity_keys[QID_FIELDS] = {
	"awsAccountId", "awsRegion", "resourceType", "resourceId", "configurationItemCaptureTime",
};

static int key_is(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(s, name, len);
}

/* Members whose value normalization may refuse, and the first bytes of
 * the values it always takes (a string holds JSON-in-string, which may
 * be bad: left to the full path). */
static const struct {
	const char *name;
	const char *starts; /* first bytes accepted */
} checked_members[] = {
	{ "configuration", "{[nt0123456789-f" },
	{ "supplementaryConfiguration", "{n" },
	{ "relationships", "[n" },
	{ "tags", "{n" },
};
#define N_CHECKED (sizeof(checked_members) / sizeof(checked_members[0]))
/* Bits of *seen: the identity fields, then state id, status, then these. */
#define SEEN_STATE (1u << QID_FIELDS)
#define SEEN_STATUS (2u << QID_FIELDS)
#define SEEN_CHECKED(i) (4u << (QID_FIELDS + (i)))

/* The value of a top-level member named s[0, len). */
static int member_value(struct walk *w, const char *s, size_t len, struct quickid *q,
			unsigned *seen)
{
	const char *v;
	size_t vlen;
	int escaped, integer;

	if (key_is(s, len, "accountId"))
		return -1; /* API form: normalize renames it */
	for (int f = 0; f < QID_FIELDS; f++) {
		if (!key_is(s, len, identity_keys[f]))
			continue;
		if ((*seen & (1u << f)) || w->p >= w->end || *w->p != '"' ||
		    walk_string(w, &v, &vlen, &escaped) || escaped || vlen == 0)
			return -1;
		*seen |= 1u << f;
		q->field[f] = v;
		q->len[f] = vlen;
		return 0;
	}
	for (size_t i = 0; i < N_CHECKED; i++) {
		if (!key_is(s, len, checked_members[i].name))
			continue;
		/* Once only: with two, the last one counts. */
		if ((*seen & SEEN_CHECKED(i)) || w->p >= w->end || !*w->p ||
		    !strchr(checked_members[i].starts, *w->p))
			return -1;
		*seen |= SEEN_CHECKED(i);
		return walk_value(w);
	}
	if (key_is(s, len, "configurationStateId")) {
		const char *start;

		if ((*seen & SEEN_STATE) || w->p >= w->end)
			return -1;
		*seen |= SEEN_STATE;
		if (*w->p == '"') {
			if (walk_string(w, &v, &vlen, &escaped) || escaped || vlen == 0 || vlen > 18)
				return -1;
			for (size_t i = 0; i < vlen; i++)
				if (v[i] < '0' || v[i] > '9')
					return -1;
			q->has_state_id = 1;
			q->state_id = digits_value(v, v + vlen);
			return 0;
		}
		start = w->p;
		if (walk_number(w, &integer) || !integer)
			return -1;
		q->has_state_id = 1;
		q->state_id = digits_value(start, w->p);
		return 0;
	}
	if (key_is(s, len, "configurationItemStatus")) {
		if ((*seen & SEEN_STATUS) || w->p >= w->end)
			return -1;
		*seen |= SEEN_STATUS;
		if (*w->p == 'n')
			return walk_literal(w, "null", 4);
		return *w->p == '"' ? walk_string(w, &v, &vlen, &escaped) : -1;
	}
	return walk_value(w);
}

/* The members of the item's object, w->p at its '{': 0, or -1 when the
 * item is not in the plain form. */
static int walk_members(struct walk *w, struct quickid *q, unsigned *seen)
{
	w->p++;
	skip_blanks(w);
	if (w->p < w->end && *w->p == '}')
		return -1;
	for (;;) {
		const char *s;
		size_t klen;
		int escaped;

		if (w->p >= w->end || *w->p != '"' || walk_string(w, &s, &klen, &escaped) || escaped)
			return -1;
		skip_blanks(w);
		if (w->p >= w->end || *w->p != ':')
			return -1;
		w->p++;
		skip_blanks(w);
		if (member_value(w, s, klen, q, seen))
			return -1;
		skip_blanks(w);
		if (w->p >= w->end)
			return -1;
		if (*w->p == '}')
			break;
		if (*w->p != ',')
			return -1;
		w->p++;
		skip_blanks(w);
	}
	w->p++;
	skip_blanks(w);
	return w->p == w->end ? 0 : -1;
}

/* The identity as the full path would take it: an account of 12 digits,
 * a region it accepts, the capture time normalized then made canonical
 * (into q->capture). */
static int check_identity(struct quickid *q)
{
	char text[64], normal[TIME_ISO_LEN];

	if (q->len[QID_ACCOUNT] != 12)
		return -1;
	for (int i = 0; i < 12; i++)
		if (q->field[QID_ACCOUNT][i] < '0' || q->field[QID_ACCOUNT][i] > '9')
			return -1;
	if (q->len[QID_REGION] >= sizeof(text))
		return -1;
	memcpy(text, q->field[QID_REGION], q->len[QID_REGION]);
	text[q->len[QID_REGION]] = '\0';
	if (!normalize_region_ok(text))
		return -1;
	if (q->len[QID_CAPTURE] >= sizeof(text))
		return -1;
	memcpy(text, q->field[QID_CAPTURE], q->len[QID_CAPTURE]);
	text[q->len[QID_CAPTURE]] = '\0';
	if (normalize_time_text(text, q->len[QID_CAPTURE], normal) ||
	    time_canonical(normal, q->capture))
		return -1;
	return 0;
}

int quickid_read(const char *buf, size_t len, int max_depth, struct quickid *q)
{
	struct walk w = { buf, buf + len, 1, max_depth };
	unsigned seen = 0;

	memset(q, 0, sizeof(*q));
	q->text = buf;
	q->text_len = len;
	skip_blanks(&w);
	if (w.p >= w.end || *w.p != '{' || max_depth < 2)
		return 0;
	if (walk_members(&w, q, &seen) ||
	    (seen & ((1u << QID_FIELDS) - 1)) != (1u << QID_FIELDS) - 1)
		return 0;
	return check_identity(q) ? 0 : 1;
}
