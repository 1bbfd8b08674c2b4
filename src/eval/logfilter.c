/*
 * logfilter: CloudWatch Logs JSON filter patterns (see logfilter.h), by
 * recursive descent over the pattern text; the event is walked with
 * jansson. Evaluation happens while parsing: a branch that cannot change
 * the result is still parsed (syntax errors anywhere fail the pattern)
 * but not evaluated.
 */
#include <config.h>

#include "eval/logfilter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_VALUE 4096

struct lf {
	const char *p, *end;
	const json_t *event;
	const char *err;
	int depth;
};

static void skip_ws(struct lf *s)
{
	while (s->p < s->end && isspace((unsigned char)*s->p))
		s->p++;
}

static int fail(struct lf *s, const char *msg)
{
	if (!s->err)
		s->err = msg;
	return -1;
}

static int at(struct lf *s, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(s);
	if ((size_t)(s->end - s->p) >= n && memcmp(s->p, tok, n) == 0) {
		s->p += n;
		return 1;
	}
	return 0;
}

/* A keyword: the word must end there (IS NULL, not ISNULLX). */
static int at_word(struct lf *s, const char *word)
{
	const char *save = s->p;

	if (!at(s, word))
		return 0;
	if (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '_')) {
		s->p = save;
		return 0;
	}
	return 1;
}

int logfilter_glob(const char *pat, size_t plen, const char *text, size_t tlen)
{
	size_t p = 0, t = 0, star_p = (size_t)-1, star_t = 0;

	while (t < tlen) {
		if (p < plen && pat[p] == '*') {
			star_p = p++;
			star_t = t;
		} else if (p < plen && pat[p] == text[t]) {
			p++;
			t++;
		} else if (star_p != (size_t)-1) {
			p = star_p + 1;
			t = ++star_t;
		} else {
			return 0;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* Parse a selector; *found is the field, or NULL when the event has none. */
static int selector(struct lf *s, const json_t **found)
{
	const json_t *cur = s->event;

	skip_ws(s);
	if (s->p >= s->end || *s->p != '$')
		return fail(s, "expected a selector starting with $");
	s->p++;
	for (;;) {
		if (s->p < s->end && *s->p == '.') {
			const char *name = ++s->p;
			char key[256];
			size_t n;

			while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '_' ||
						 *s->p == '-' || *s->p == '@' || *s->p == ':'))
				s->p++;
			n = (size_t)(s->p - name);
			if (n == 0 || n >= sizeof(key))
				return fail(s, "bad field name in selector");
			memcpy(key, name, n);
			key[n] = '\0';
			cur = cur && json_is_object(cur) ? json_object_get(cur, key) : NULL;
		} else if (s->p < s->end && *s->p == '[') {
			size_t idx = 0;
			const char *d = ++s->p;

			while (s->p < s->end && isdigit((unsigned char)*s->p) && s->p - d < 9)
				idx = idx * 10 + (size_t)(*s->p++ - '0');
			if (s->p == d || s->p >= s->end || *s->p != ']')
				return fail(s, "bad array index in selector");
			s->p++;
			cur = cur && json_is_array(cur) ? json_array_get(cur, idx) : NULL;
		} else {
			break;
		}
	}
	if (cur == s->event)
		return fail(s, "selector names no field");
	*found = cur;
	return 0;
}

/* Parse a value into buf (quoted: unescaped; unquoted: up to white space,
 * ')' , '}' or an operator). Sets *quoted. */
static int value(struct lf *s, char *buf, size_t cap, size_t *len, int *quoted)
{
	size_t n = 0;

	skip_ws(s);
	*quoted = 0;
	if (s->p < s->end && *s->p == '"') {
		*quoted = 1;
		s->p++;
		while (s->p < s->end && *s->p != '"') {
			char c = *s->p++;
			if (c == '\\' && s->p < s->end)
				c = *s->p++;
			if (n + 1 >= cap)
				return fail(s, "value too long");
			buf[n++] = c;
		}
		if (s->p >= s->end)
			return fail(s, "unterminated quoted value");
		s->p++;
	} else {
		while (s->p < s->end && !isspace((unsigned char)*s->p) && *s->p != ')' &&
		       *s->p != '}' && *s->p != '&' && *s->p != '|') {
			if (n + 1 >= cap)
				return fail(s, "value too long");
			buf[n++] = *s->p++;
		}
		if (n == 0)
			return fail(s, "missing value");
	}
	buf[n] = '\0';
	*len = n;
	return 0;
}

static int parse_number(const char *v, double *out)
{
	char *e;

	if (!*v)
		return -1;
	*out = strtod(v, &e);
	return *e ? -1 : 0;
}

/* The text a string comparison sees for a field: strings as they are,
 * numbers and booleans as written in JSON; NULL for others. */
static char *field_text(const json_t *f)
{
	if (json_is_string(f))
		return strdup(json_string_value(f));
	if (json_is_number(f) || json_is_boolean(f))
		return json_dumps(f, JSON_ENCODE_ANY);
	return NULL;
}

/* IS NULL / IS TRUE / IS FALSE / NOT EXISTS on field f, after IS or NOT
 * (is: which). Returns 1, 0, or -1 (s says why). */
static int test_word(struct lf *s, const json_t *f, int is)
{
	if (is) {
		if (at_word(s, "NULL"))
			return f && json_is_null(f);
		if (at_word(s, "TRUE"))
			return f && json_is_true(f);
		if (at_word(s, "FALSE"))
			return f && json_is_false(f);
		return fail(s, "expected NULL, TRUE or FALSE after IS");
	}
	if (at_word(s, "EXISTS"))
		return f == NULL;
	return fail(s, "expected EXISTS after NOT");
}

/* = or != of field f and the value buf (len bytes; quoted: given in
 * quotes): numbers compare as numbers, anything else as a glob. */
static int test_equal(const json_t *f, const char *buf, size_t len, int quoted, int ne)
{
	double want;
	int r;
	char *t;

	if (!f)
		return 0;
	if (!quoted && json_is_number(f) && parse_number(buf, &want) == 0)
		r = json_number_value(f) == want;
	else if ((t = field_text(f)) != NULL) {
		r = logfilter_glob(buf, len, t, strlen(t));
		free(t);
	} else {
		r = 0;
	}
	return ne ? !r : r;
}

static int test(struct lf *s, const json_t *f)
{
	char buf[MAX_VALUE];
	size_t len;
	int quoted, ne = 0;
	const char *op;

	if (at_word(s, "IS"))
		return test_word(s, f, 1);
	if (at_word(s, "NOT"))
		return test_word(s, f, 0);
	if (at(s, "!="))
		op = "!=", ne = 1;
	else if (at(s, "<="))
		op = "<=";
	else if (at(s, ">="))
		op = ">=";
	else if (at(s, "<"))
		op = "<";
	else if (at(s, ">"))
		op = ">";
	else if (at(s, "="))
		op = "=";
	else
		return fail(s, "expected an operator (=, !=, <, <=, >, >=, IS, NOT EXISTS)");
	if (value(s, buf, sizeof(buf), &len, &quoted))
		return -1;
	if (op[0] == '<' || op[0] == '>') {
		double want, got;

		if (quoted || parse_number(buf, &want))
			return fail(s, "a numeric comparison needs a number");
		if (!f || !json_is_number(f))
			return 0;
		got = json_number_value(f);
		if (op[0] == '<')
			return op[1] ? got <= want : got < want;
		return op[1] ? got >= want : got > want;
	}
	return test_equal(f, buf, len, quoted, ne);
}

static int expr(struct lf *s);

static int term(struct lf *s)
{
	const json_t *f = NULL;

	if (at(s, "(")) {
		int r;

		if (++s->depth > MAX_DEPTH)
			return fail(s, "parentheses nested too deeply");
		r = expr(s);
		s->depth--;
		if (r < 0)
			return -1;
		if (!at(s, ")"))
			return fail(s, "missing )");
		return r;
	}
	if (selector(s, &f))
		return -1;
	return test(s, f);
}

static int and_expr(struct lf *s)
{
	int r = term(s);

	while (r >= 0 && at(s, "&&")) {
		int b = term(s);
		if (b < 0)
			return -1;
		r = r && b;
	}
	return r;
}

static int expr(struct lf *s)
{
	int r = and_expr(s);

	while (r >= 0 && at(s, "||")) {
		int b = and_expr(s);
		if (b < 0)
			return -1;
		r = r || b;
	}
	return r;
}

int logfilter_match(const char *pattern, size_t len, const json_t *event, const char **err)
{
	struct lf s = {pattern, pattern + len, event, NULL, 0};
	int r;

	if (!pattern || !json_is_object(event)) {
		r = fail(&s, "no pattern or the event is not a JSON object");
		goto out;
	}
	if (memchr(pattern, '\0', len)) {
		r = fail(&s, "NUL in pattern");
		goto out;
	}
	if (!at(&s, "{")) {
		r = fail(&s, "not a JSON filter pattern (does not start with {)");
		goto out;
	}
	r = expr(&s);
	if (r >= 0 && !at(&s, "}"))
		r = fail(&s, "expected && , || or } after a comparison");
	if (r >= 0) {
		skip_ws(&s);
		if (s.p != s.end)
			r = fail(&s, "text after the closing }");
	}
out:
	if (err)
		*err = r < 0 ? s.err : NULL;
	return r;
}

void logfilter_fn_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *pat = (const char *)sqlite3_value_text(argv[0]);
	const char *ev = (const char *)sqlite3_value_text(argv[1]);
	json_t *event;
	int r;

	(void)argc;
	if (!pat || !ev)
		return;
	event = json_loadb(ev, (size_t)sqlite3_value_bytes(argv[1]), 0, NULL);
	if (!event)
		return;
	r = logfilter_match(pat, (size_t)sqlite3_value_bytes(argv[0]), event, NULL);
	json_decref(event);
	if (r >= 0)
		sqlite3_result_int(ctx, r);
}
