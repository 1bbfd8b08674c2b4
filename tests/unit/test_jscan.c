/*
 * test_jscan: the in-place reader (jscan.c). A container's iterator
 * (jscan_iter_start) finds its values without validating them again;
 * each value it gives must be the one that reading it anew, validating
 * (jscan_read), gives: same kind, text, string content and integer.
 */
#include <string.h>

#include "eval/jscan.h"
#include "tests/unit/tap.h"

static int same(const struct jscan_val *a, const struct jscan_val *b)
{
	if (a->kind != b->kind || a->start != b->start || a->end != b->end)
		return 0;
	if (a->kind == JS_STR && (a->s != b->s || a->len != b->len))
		return 0;
	return a->kind != JS_INT || a->i == b->i;
}

/* Every value under container c, at any depth, checked against
 * jscan_read: the number that differ (or cannot be iterated). */
static int walk(const struct jscan_val *c, int *values)
{
	struct jscan_iter it;
	struct jscan_val k, x, ref, kref;
	int n, bad = 0;

	jscan_iter_start(&it, c);
	while ((n = jscan_next(&it, c->kind == JS_OBJ ? &k : NULL, &x)) > 0) {
		(*values)++;
		if (jscan_read(x.start, c->end, &ref) || !same(&x, &ref))
			bad++;
		if (c->kind == JS_OBJ && (jscan_read(k.start, c->end, &kref) || !same(&k, &kref)))
			bad++;
		if (x.kind == JS_ARR || x.kind == JS_OBJ)
			bad += walk(&x, values);
	}
	return bad + (n != 0);
}

static void check(const char *doc, const char *what)
{
	struct jscan_val v;
	int values = 0;

	if (jscan_doc(doc, strlen(doc), &v) || (v.kind != JS_OBJ && v.kind != JS_ARR)) {
		ok(0, "%s: a plain document", what);
		return;
	}
	is_int(walk(&v, &values), 0, "%s: %d values found as read anew", what, values);
}

int main(void)
{
	check("{\"ipPermissions\":[{\"fromPort\":80,\"ipProtocol\":\"tcp\",\"ipv6Ranges\":[],"
	      "\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}],\"ipRanges\":[\"0.0.0.0/0\"]},"
	      "{\"toPort\":-1,\"ipv4Ranges\":null,\"ipRanges\":\"10.0.0.0/8\"}],\"vpcId\":\"v\"}",
	      "security group");
	/* brackets, braces, colons and commas inside strings; UTF-8 */
	check("{\"a]\":\"}{[\",\"b\":[\"]\",\"[[\",\"{\"],\"c}\":{\"d{\":\"x:y,z\"},"
	      "\"\xc3\xa9t\xc3\xa9\":\"\xe2\x82\xac\"}",
	      "structural bytes in strings");
	check(" [ 1 , -2 , 0.5 , -0 , 123456789012345678901 , true , false , null ,"
	      " \"\" , [ ] , { } , [ [ [ { \"k\" : [ 1 ] } ] ] ] ] ",
	      "blanks, numbers and literals");
	check("{\"a\":{\"a\":{\"a\":{\"a\":[{},[],{\"b\":[[],{}]}]}}},\"a\":1}",
	      "nesting and a duplicate key");
	return tap_done();
}
