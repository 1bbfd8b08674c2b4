/*
 * test_scan: the incremental JSON value scanner on its own: where a value
 * ends, whatever is inside its strings, and the same answer when the
 * bytes arrive in pieces.
 */
#include "ingest/scan.h"
#include "tests/unit/tap.h"

#include <stdlib.h>
#include <string.h>

/* Scan s whole: the length of the value, -1 (needs more) or -2 (too deep). */
static long scan_all(const char *s, int max_depth)
{
	struct scan_state st = { .max_depth = max_depth };
	size_t pos = 0;
	enum scan_result r = scan_value(&st, s, 0, strlen(s), &pos);

	if (r == SCAN_MORE)
		return -1;
	if (r == SCAN_DEPTH)
		return -2;
	return (long)pos;
}

/* Scan s fed in pieces of size step (the buffer grows, old bytes stay). */
static long scan_pieces(const char *s, size_t step)
{
	struct scan_state st = { .max_depth = 100 };
	size_t pos = 0, len = strlen(s), have = 0;

	for (;;) {
		enum scan_result r;

		have = have + step > len ? len : have + step;
		r = scan_value(&st, s, 0, have, &pos);
		if (r == SCAN_DONE)
			return (long)pos;
		if (r == SCAN_DEPTH)
			return -2;
		if (have == len)
			return -1;
	}
}

static const struct {
	const char *text; /* value followed by something else */
	long end;         /* length of the value */
	const char *what;
} cases[] = {
	{ "{\"a\":1} tail", 7, "object" },
	{ "[1,2,[3]],", 9, "nested array" },
	{ "\"plain\" ", 7, "string" },
	{ "\"a\\\"b\" x", 6, "escaped quote inside a string" },
	{ "\"a\\\\\" x", 5, "escaped backslash before the closing quote" },
	{ "\"a\\\\\\\"b\" x", 8, "backslash, then escaped quote" },
	{ "{\"k\":\"}]\\\"{[\"}, 1", 14, "brackets and escaped quotes inside a string" },
	{ "{\"k\\u0022\":\"\\u007d\"}]", 20, "\\u escapes" },
	{ "{\"a\":{\"b\":{\"c\":[{}]}}}   ", 22, "deep nesting" },
	{ "12345,", 5, "number" },
	{ "-1.5e10]", 7, "number ending at a bracket" },
	{ "true}", 4, "literal" },
	{ "null ", 4, "null" },
	{ "{\"s\":\"\xc3\xa9\\n\\t\"}x", 14, "utf-8 and escapes" },
};

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	for (size_t i = 0; i < n; i++) {
		is_int(scan_all(cases[i].text, 100), cases[i].end, "%s", cases[i].what);
		for (size_t step = 1; step <= 5; step++)
			is_int(scan_pieces(cases[i].text, step), cases[i].end, "%s in %zu-byte pieces",
			       cases[i].what, step);
	}

	/* every proper prefix of a container or string value needs more */
	{
		static const char v[] = "{\"a\":[1,{\"b\":\"x\\\"}\\\\\"}],\"c\":\"]\"}";
		int bad = 0;

		for (size_t cut = 0; cut < strlen(v); cut++) {
			struct scan_state st = { .max_depth = 100 };
			size_t pos = 0;

			if (scan_value(&st, v, 0, cut, &pos) != SCAN_MORE)
				bad++;
		}
		is_int(bad, 0, "every prefix of a value needs more bytes");
		is_int(scan_all(v, 100), (long)strlen(v), "the whole value ends at its end");
	}

	/* depth */
	is_int(scan_all("[[[[1]]]]", 4), 9, "depth 4 within a limit of 4");
	is_int(scan_all("[[[[[1]]]]]", 4), -2, "depth 5 over a limit of 4");
	is_int(scan_all("{\"a\":\"[[[[[[[[\"}", 2), 16, "brackets in strings do not count");

	/* a scalar at the end of the bytes may go on */
	is_int(scan_all("123", 10), -1, "number at the end of the bytes needs more");

	/* a long string, found with memchr across a split */
	{
		size_t len = 100000;
		char *s = malloc(len + 8);

		s[0] = '"';
		memset(s + 1, 'x', len);
		s[len / 2] = '\\';
		s[len / 2 + 1] = '"';
		strcpy(s + len + 1, "\" ,");
		is_int(scan_pieces(s, 4096), (long)len + 2, "long string with an escaped quote");
		free(s);
	}
	return tap_done();
}
