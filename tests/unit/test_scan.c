/*
 * test_scan: the incremental JSON value scanner on its own: where a value
 * ends, whatever is inside its strings, and the same answer when the
 * bytes arrive in pieces.
 */
#include "ingest/jdump.h"
#include "util/jparse.h"
#include "ingest/scan.h"
#include "tests/unit/tap.h"

#include <stdlib.h>
#include <string.h>

/* Scan s whole: the length of the value, -1 (needs more) or -2 (too deep). */
static long scan_all(const char *s, int max_depth)
{
	struct scan_state st = {.max_depth = max_depth};
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
	struct scan_state st = {.max_depth = 100};
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
	long end;	  /* length of the value */
	const char *what;
} cases[] = {
    {"{\"a\":1} tail", 7, "object"},
    {"[1,2,[3]],", 9, "nested array"},
    {"\"plain\" ", 7, "string"},
    {"\"a\\\"b\" x", 6, "escaped quote inside a string"},
    {"\"a\\\\\" x", 5, "escaped backslash before the closing quote"},
    {"\"a\\\\\\\"b\" x", 8, "backslash, then escaped quote"},
    {"{\"k\":\"}]\\\"{[\"}, 1", 14, "brackets and escaped quotes inside a string"},
    {"{\"k\\u0022\":\"\\u007d\"}]", 20, "\\u escapes"},
    {"{\"a\":{\"b\":{\"c\":[{}]}}}   ", 22, "deep nesting"},
    {"12345,", 5, "number"},
    {"-1.5e10]", 7, "number ending at a bracket"},
    {"true}", 4, "literal"},
    {"null ", 4, "null"},
    {"{\"s\":\"\xc3\xa9\\n\\t\"}x", 14, "utf-8 and escapes"},
};

/* jparse must accept exactly what jansson accepts and build equal values */
static int same_as_jansson(const char *s, size_t len)
{
	json_error_t je;
	struct jparse_error pe;
	json_t *a = jparse(s, len, 0, 0, &pe);
	json_t *b = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	int same = (!a && !b) || (a && b && json_equal(a, b));

	if (same && a) {
		/* and jdump writes what jansson writes */
		char *want = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		struct strbuf sb = STRBUF_INIT;

		jdump(a, &sb);
		same = want && !strcmp(want, sb.buf);
		free(want);
		strbuf_release(&sb);
	}

	json_decref(a);
	json_decref(b);
	return same;
}

static const char *const jtexts[] = {
    "{}",
    "[]",
    " [ 1 , 2 ] ",
    "\"\"",
    "\"a\\u00e9\\n\\t\\\"\\\\\\/\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\"",
    "\"\\ude00\"",
    "\"\\u0000x\"",
    "{\"a\\u0000b\":1}",
    "\"\xc3\xa9\"",
    "\"\xc3\"",
    "\"\xed\xa0\x80\"",
    "\"\xc0\x80\"",
    "\"\x01\"",
    "\"tab\there\"",
    "0",
    "-0",
    "-0.0",
    "01",
    "1.",
    ".5",
    "1e5",
    "1E+5",
    "1e-5",
    "-",
    "--1",
    "1e400",
    "-1e400",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "123abc",
    "true",
    "tru",
    "nul",
    "null x",
    "{\"a\":1,\"a\":2}",
    "{\"a\" 1}",
    "{\"a\":}",
    "{,}",
    "[1,]",
    "[,1]",
    "{\"a\":1,}",
    "[1 2]",
    "{\"a\":[{\"b\":{\"c\":[true,false,null,1.25,\"x\"]}}]}",
    "",
    "   ",
    "\"\\x\"",
    "\"\\u12\"",
    "\"\\u12g4\"",
    "[\"unterminated",
    "{\"k\":\"v\"",
    "1.5e",
    "2.50",
    "[1.0, 2.000, -3.5e2]",
    "{\"\\\"k\":\"\\\\\"}",
};

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	for (size_t i = 0; i < sizeof(jtexts) / sizeof(jtexts[0]); i++)
		ok(same_as_jansson(jtexts[i], strlen(jtexts[i])),
		   "jparse agrees with jansson on %s", jtexts[i]);
	/* mutations of a realistic item: agree on every one */
	{
		static const char base[] =
		    "{\"configuration\":{\"name\":\"b\\u00e9\",\"n\":[1,2.5,-3e2,true,null],"
		    "\"p\":\"{\\\"Version\\\":\\\"2012\\\"}\"},\"tags\":{\"k\":\"v\"},"
		    "\"id\":1790596253289,\"s\":\"\xe2\x82\xac \\ud83d\\ude00\"}";
		static const char alphabet[] = "{}[]\",:\\u0123456789eE.-+ tfnal\x80\xc3\x01";
		char buf[sizeof(base)];
		unsigned seed = 12345;
		int bad = 0;

		ok(same_as_jansson(base, strlen(base)), "jparse agrees on the base item");
		for (int i = 0; i < 20000; i++) {
			size_t len = strlen(base);

			memcpy(buf, base, sizeof(base));
			for (int m = 0; m < 1 + i % 3; m++) {
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % len;

				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 4 == 0 && len > 1) {
					memmove(buf + at, buf + at + 1, len - at);
					len--;
				} else {
					buf[at] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
				}
			}
			if (!same_as_jansson(buf, len)) {
				if (bad++ < 5)
					printf("# disagree: %.*s\n", (int)len, buf);
			}
		}
		is_int(bad, 0, "jparse agrees with jansson on 20000 mutations");
	}
	/* a long string full of escapes: the scratch buffer grows */
	{
		static const char piece[] = "ab\\n\\u00e9\\ud83d\\ude00\xc3\xa9";
		size_t len = 0, cap = 300000, pl = sizeof(piece) - 1;
		char *t = malloc(cap);

		t[len++] = '"';
		while (len + pl + 1 < cap) {
			memcpy(t + len, piece, pl);
			len += pl;
		}
		t[len++] = '"';
		ok(same_as_jansson(t, len), "long string with escapes (%zu bytes)", len);
		free(t);
	}
	/* jdump writes exactly what jansson's compact dump writes */
	{
		static const char *const docs[] = {
		    "{\"a\":1,\"b\":[true,false,null,-0,-9223372036854775808,9223372036854775807],"
		    "\"c\":{},\"d\":[],\"e\":\"\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\","
		    "\"\\u00e9\\u2028\\ud83d\\ude00\":\"\x7f\"}",
		    "[0.5,1e300,-1.5e-7,3.141592653589793,100.0,1e-5,123456789.125,2.5e15]",
		    "\"only a string\"",
		    "42",
		};
		int bad = 0;

		for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
			struct jparse_error pe;
			json_t *v = jparse(docs[i], strlen(docs[i]), 0, 0, &pe);
			char *want =
			    json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
			struct strbuf sb = STRBUF_INIT;

			jdump(v, &sb);
			ok(v && !strcmp(sb.buf, want), "jdump %zu: %s", i, sb.buf);
			free(want);
			strbuf_release(&sb);
			json_decref(v);
		}
		/* every byte value inside strings and keys */
		for (int c = 1; c < 0x80; c++) {
			char k[2] = {(char)c, 0};
			json_t *o = json_object();
			char *want;
			struct strbuf sb = STRBUF_INIT;

			json_object_set_new(o, k, json_stringn(k, 1));
			want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
			jdump(o, &sb);
			bad += strcmp(sb.buf, want) != 0;
			free(want);
			strbuf_release(&sb);
			json_decref(o);
		}
		is_int(bad, 0, "jdump escapes every ASCII byte as jansson does");
	}
	/* the reader's integral flag */
	{
		struct jparse_error pe;
		json_t *v = jparse("[5.0,-2.0,0.5,1e2]", 18, 0, JPARSE_INTEGRAL, &pe);
		char *t = json_dumps(v, JSON_COMPACT);

		is_str(t, "[5,-2,0.5,100]", "integral reals become integers");
		free(t);
		json_decref(v);
		v = jparse("[[[[1]]]]", 9, 3, 0, &pe);
		ok(!v && strstr(pe.text, "depth"), "jparse depth limit: %s", pe.text);
		v = jparse("{\"a\": tru}", 11, 0, 0, &pe);
		is_int(pe.position, 6, "error position");
	}

	for (size_t i = 0; i < n; i++) {
		is_int(scan_all(cases[i].text, 100), cases[i].end, "%s", cases[i].what);
		for (size_t step = 1; step <= 5; step++)
			is_int(scan_pieces(cases[i].text, step), cases[i].end,
			       "%s in %zu-byte pieces", cases[i].what, step);
	}

	/* every proper prefix of a container or string value needs more */
	{
		static const char v[] = "{\"a\":[1,{\"b\":\"x\\\"}\\\\\"}],\"c\":\"]\"}";
		int bad = 0;

		for (size_t cut = 0; cut < strlen(v); cut++) {
			struct scan_state st = {.max_depth = 100};
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
