/*
 * test_policy: the wildcard matching under the policy_* SQL helpers
 * (policy.c) and the document reader, called directly; the SQL-level
 * behaviour is in test_sqlfuncs.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/policy.h"
#include "util/urldecode.h"
#include "tests/unit/tap.h"

static int match(const char *p, const char *s, int nocase)
{
	return policy_glob_match(p, strlen(p), s, strlen(s), nocase);
}

static int meet(const char *p, const char *q)
{
	int a = policy_glob_intersect(p, strlen(p), q, strlen(q), 1);
	int b = policy_glob_intersect(q, strlen(q), p, strlen(p), 1);

	/* Intersection is symmetric; a difference is a bug in itself. */
	return a == b ? a : -1;
}

static void test_match(void)
{
	is_int(match("kms:*", "kms:Decrypt", 1), 1, "star matches a suffix");
	is_int(match("KMS:decrypt", "kms:Decrypt", 1), 1, "actions fold case");
	is_int(match("arn:aws:s3:::B", "arn:aws:s3:::b", 0), 0, "resources do not fold case");
	is_int(match("kms:De?rypt", "kms:Decrypt", 1), 1, "? matches one character");
	is_int(match("kms:De?rypt", "kms:Deccrypt", 1), 0, "? matches exactly one");
	is_int(match("*", "", 1), 1, "star matches empty");
	is_int(match("", "", 1), 1, "empty matches empty");
	is_int(match("", "a", 1), 0, "empty does not match a");
	is_int(match("a*b*c", "aXXbYYbZZc", 1), 1, "backtracking over stars");
	is_int(match("a*b*c", "aXXbYYbZZ", 1), 0, "backtracking fails cleanly");
	is_int(match("**a**", "bab", 1), 1, "runs of stars");
	is_int(match("kms:Re*", "kms:ReEncryptFrom", 1), 1, "prefix pattern");
	is_int(match("s3:Get*", "s3:PutObject", 1), 0, "other prefix");
}

static void test_intersect(void)
{
	is_int(meet("kms:*", "kms:Decrypt"), 1, "pattern and name");
	is_int(meet("kms:Re*", "kms:ReEncrypt*"), 1, "nested prefixes");
	is_int(meet("kms:Get*", "kms:ReEncrypt*"), 0, "disjoint prefixes");
	is_int(meet("a*", "*b"), 1, "prefix and suffix meet in ab");
	is_int(meet("a*c", "*b"), 0, "a..c never ends in b");
	is_int(meet("a?c", "*b*"), 1, "abc");
	is_int(meet("a?", "a"), 0, "lengths differ");
	is_int(meet("*", "*"), 1, "stars");
	is_int(meet("", "*"), 1, "empty and star");
	is_int(meet("", "?"), 0, "empty and one character");
	is_int(meet("*x*", "*y*"), 1, "xy");
	is_int(meet("x*y", "y*x"), 0, "different ends");
	is_int(meet("s3:*Object", "s3:Get*"), 1, "s3:GetObject");
	is_int(meet("s3:*Object", "s3:Get*Acl"), 0, "Object vs Acl");
}

/* Pattern number n over the tokens a, b, *, ?: n in base 5, one token
 * per digit 1..4, a digit 0 ends the pattern. Returns -1 for numbers with
 * digits after the end (repeats of a shorter pattern). */
static int make_pattern(unsigned n, char *out)
{
	static const char tok[] = "ab*?";
	size_t k = 0;

	while (n % 5 && k < 4) {
		out[k++] = tok[n % 5 - 1];
		n /= 5;
	}
	out[k] = '\0';
	return n ? -1 : 0;
}

/* Does p match every string of a and b up to 8 characters that q matches? */
static int covers_brute(const char *p, const char *q)
{
	char str[16];

	for (unsigned len = 0; len <= 8; len++)
		for (unsigned bits = 0; bits < (1u << len); bits++) {
			for (unsigned c = 0; c < len; c++)
				str[c] = (bits >> c) & 1 ? 'b' : 'a';
			if (policy_glob_match(q, strlen(q), str, len, 0) &&
			    !policy_glob_match(p, strlen(p), str, len, 0))
				return 0;
		}
	return 1;
}

/* Every pair of short patterns: the dynamic programme agrees with brute
 * force over all strings of a and b up to 8 characters (a common string,
 * if any, is never longer than the two patterns' literal parts plus one
 * character per star). */
static void test_intersect_exhaustive(void)
{
	char p[8], q[8], str[16];
	int bad = 0, pairs = 0, unsound = 0;

	for (unsigned i = 0; i < 625; i++) {
		if (make_pattern(i, p))
			continue;
		for (unsigned j = 0; j < 625; j++) {
			int want = 0;

			if (make_pattern(j, q))
				continue;
			for (unsigned len = 0; len <= 8 && !want; len++)
				for (unsigned bits = 0; bits < (1u << len) && !want; bits++) {
					for (unsigned c = 0; c < len; c++)
						str[c] = (bits >> c) & 1 ? 'b' : 'a';
					want = policy_glob_match(p, strlen(p), str, len, 0) &&
					       policy_glob_match(q, strlen(q), str, len, 0);
				}
			pairs++;
			if (policy_glob_covers(p, strlen(p), q, strlen(q), 0) &&
			    !covers_brute(p, q)) {
				if (unsound++ < 5)
					printf("# '%s' claimed to cover '%s'\n", p, q);
			}
			if (policy_glob_intersect(p, strlen(p), q, strlen(q), 0) != want) {
				if (bad++ < 5)
					printf("# '%s' and '%s': expected %d\n", p, q, want);
			}
		}
	}
	ok(bad == 0, "intersection agrees with brute force on %d pattern pairs (%d differ)", pairs,
	   bad);
	ok(unsound == 0, "covers is never claimed wrongly (%d pairs)", unsound);
	is_int(policy_glob_covers("kms:*", 5, "kms:ReEncrypt*", 14, 1), 1,
	       "kms:* covers kms:ReEncrypt*");
	is_int(policy_glob_covers("kms:Re*", 7, "kms:*", 5, 1), 0, "kms:Re* does not cover kms:*");
	is_int(policy_glob_covers("*", 1, "a?b*", 4, 1), 1, "* covers everything");
}

/* Nesting deeper than jparse takes (policy_parse then asks json_loadb,
 * which takes up to 2048 levels) is still a document. */
static void test_parse_deep(void)
{
	enum { DEPTH = 1000 };
	char *buf = malloc(2 * DEPTH + 64);
	size_t len = 0;
	json_t *j;

	len += (size_t)sprintf(buf, "{\"Statement\":[],\"x\":");
	for (int i = 0; i < DEPTH; i++)
		buf[len++] = '[';
	for (int i = 0; i < DEPTH; i++)
		buf[len++] = ']';
	buf[len++] = '}';
	j = policy_parse(buf, len);
	ok(j && json_is_object(j), "a document nested %d deep is read as json_loadb reads it", DEPTH);
	json_decref(j);
	free(buf);
}

static void test_parse(void)
{
	json_t *j;
	size_t n;
	char *d;

	d = url_decode("%7B%7d%2B+%", 11, 0, &n);
	is_str(d, "{}++%", "url decoding");
	is_int(n, 5, "decoded length");
	free(d);

	j = policy_parse("  {\"Statement\":[]}", 18);
	ok(j && json_is_object(j), "document with leading space");
	json_decref(j);
	j = policy_parse("\"%7B%7D\"", 8);
	ok(j && json_is_object(j), "URL-encoded document inside a JSON string");
	json_decref(j);
	j = policy_parse("\"\\\"{}\\\"\"", 8);
	ok(j && json_is_object(j), "document inside a string inside a string");
	json_decref(j);
	j = policy_parse("{\"a\":1} trailing", 16);
	ok(j == NULL, "trailing junk is invalid");
	j = policy_parse("{\"a\":\"\\u0000\"}", 14);
	ok(j == NULL, "NUL in a string is invalid");
	j = policy_parse("{\"a\":\"\xff\"}", 9);
	ok(j == NULL, "invalid UTF-8 is invalid");
	j = policy_parse("%7B", 3);
	ok(j == NULL, "a bare %%7B is invalid");
	test_parse_deep();
}

/* Mutated policies: every analysis must answer (or see no document) for
 * thousands of random corruptions of a realistic policy, without a crash
 * or a sanitizer report. A fixed seed keeps the run reproducible. */
static void test_mutations(void)
{
	static const char base[] =
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
	    "{\"AWS\":[\"*\",\"arn:aws:iam::*:root\"]},\"NotAction\":[\"kms:Re?*\",\"s3:*\"],"
	    "\"Resource\":[\"arn:aws:kms:*:*:key/"
	    "*\",\"*\"],\"Condition\":{\"ForAnyValue:StringLike\":"
	    "{\"aws:SourceIp\":[\"10.0.0.0/8\",\"::/"
	    "0\"]},\"Bool\":{\"aws:SecureTransport\":false}}},"
	    "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"NotResource\":"
	    "\"arn:aws:s3:::b/?\",\"Condition\":{\"BoolIfExists\":{\"aws:SecureTransport\":"
	    "[\"false\"]}}}]}";
	static const char bytes[] = "{}[]\",:*?%7B\\u0000\xff\xc3 Allow Deny Action";
	unsigned long seed = 12345;
	char buf[sizeof(base) + 64];
	int docs = 0, differ = 0;

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = sizeof(base) - 1;
		json_error_t err;
		json_t *j, *ref;
		char *a;

		memcpy(buf, base, len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			buf[(seed >> 33) % len] = bytes[(seed >> 17) % (sizeof(bytes) - 1)];
		}
		j = policy_parse(buf, len);
		/* the document json_loadb reads (policy_parse reads through
		 * jparse), or none when it reads none */
		ref = json_loadb(buf, len, JSON_DECODE_ANY, &err);
		if (!ref || (json_is_object(ref) && json_object_get(ref, "Statement")))
			differ += ref ? !j || !json_equal(j, ref) : j != NULL;
		json_decref(ref);
		if (!j)
			continue;
		docs++;
		(void)policy_admin_statement(j);
		(void)policy_full_access_action(j);
		(void)policy_is_public(j, NULL, 0);
		(void)policy_is_public(j, "s3:GetObject,kms:*", 18);
		(void)policy_denies_insecure_transport(j, NULL);
		(void)policy_denies_insecure_transport(j, "b");
		a = policy_allowed_action_matching(j, "kms:Decrypt,kms:ReEncrypt*", 26);
		free(a);
		json_decref(j);
	}
	ok(docs > 100, "3000 mutated policies analysed without a crash (%d still documents)", docs);
	is_int(differ, 0, "each read as json_loadb reads it");
}

int main(void)
{
	test_match();
	test_intersect();
	test_intersect_exhaustive();
	test_parse();
	test_mutations();
	return tap_done();
}
