/*
 * policy: see policy.h. The analysis is deliberately syntactic: it reads
 * statements one at a time, as AWS's managed-rule pages describe, and
 * does not compute the effective permissions of the whole document (a
 * Deny elsewhere does not cancel an Allow that a rule asks about).
 *
 * Hostile input: the text is bounded before parsing, jansson bounds the
 * nesting depth, and this file only walks a fixed depth (document ->
 * statement -> element -> values), so no recursion depends on the input.
 */
#define _GNU_SOURCE /* memmem */
#include "eval/policy.h"
#include "util/urldecode.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval/cidr.h"
#include "util/jparse.h"
#include "util/xalloc.h"

/* Largest policy text read (after decoding). AWS's largest policy (S3
 * bucket policy) is 20 KiB; anything far beyond is not a policy. */
#define POLICY_TEXT_MAX (4u << 20)
/* A JSON string holding the document, or URL-encoded text: how many
 * such wrappings are undone. */
#define POLICY_UNWRAP_MAX 4
/* Patterns longer than this are intersected approximately (see
 * policy_glob_intersect); IAM actions are under 128 characters. */
#define GLOB_DP_MAX 512

/*
 * json_loadb(text, JSON_DECODE_ANY) -- what a policy is read with --
 * through jparse, which builds the same values several times faster
 * (policies are parsed per rule and per statement: much of the time of
 * the every-rule runs). jparse accepts what json_loadb does with
 * JSON_ALLOW_NUL, nested at most JPARSE_MAX_DEPTH deep; anything it
 * refuses (deeper nesting, invalid JSON) and any text that may hold a
 * NUL escape goes to json_loadb itself, which decides.
 */
static json_t *load_policy_json(const char *text, size_t len)
{
	struct jparse_error je;
	json_error_t err;
	json_t *j = memmem(text, len, "\\u0000", 6) ? NULL : jparse(text, len, 0, 0, &je);

	return j ? j : json_loadb(text, len, JSON_DECODE_ANY, &err);
}

json_t *policy_parse(const char *text, size_t len)
{
	char *owned = NULL;
	json_t *j = NULL;

	for (int level = 0; level < POLICY_UNWRAP_MAX; level++) {
		size_t n;

		while (len > 0 && isspace((unsigned char)*text)) {
			text++;
			len--;
		}
		if (len > POLICY_TEXT_MAX)
			break;
		if (len >= 3 && text[0] == '%' && text[1] == '7' && (text[2] | 0x20) == 'b') {
			char *dec = url_decode(text, len, 0, &n);

			free(owned);
			owned = dec;
			text = owned;
			len = n;
			continue;
		}
		j = load_policy_json(text, len);
		if (json_is_object(j) && !json_object_get(j, "Statement")) {
			/* S3's BucketPolicy object, {"policyText": "..."}, is
			 * taken for the policy it holds. */
			json_t *pt = json_object_get(j, "policyText");

			if (json_is_object(pt) || json_is_string(pt)) {
				json_incref(pt);
				json_decref(j);
				j = pt;
			}
		}
		if (!j || json_is_object(j))
			break;
		if (!json_is_string(j)) {
			json_decref(j);
			j = NULL;
			break;
		}
		n = json_string_length(j);
		{
			char *inner = xmalloc(n + 1);

			memcpy(inner, json_string_value(j), n + 1);
			free(owned);
			owned = inner;
		}
		json_decref(j);
		j = NULL;
		text = owned;
		len = n;
	}
	free(owned);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* ---- wildcard matching ---- */

static int char_eq(unsigned char a, unsigned char b, int nocase)
{
	return nocase ? tolower(a) == tolower(b) : a == b;
}

/* Does pattern p match s? When covers is set, s is itself a pattern and
 * the question is whether p matches every string s matches (a sufficient
 * test): then a '*' in s is only absorbed by a '*' in p, and a '?' in s
 * by a '?' or '*' in p. Greedy matching with backtracking to the last
 * star is exact here because every other token consumes one character. */
static int glob_match_mode(const char *p, size_t plen, const char *s, size_t slen, int nocase,
			   int covers)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;

	while (si < slen) {
		int one = 0;

		if (pi < plen && p[pi] != '*') {
			unsigned char pc = (unsigned char)p[pi], sc = (unsigned char)s[si];

			if (covers && sc == '*')
				one = 0;
			else if (pc == '?')
				one = 1;
			else if (covers && sc == '?')
				one = 0;
			else
				one = char_eq(pc, sc, nocase);
		}
		if (one) {
			pi++;
			si++;
		} else if (pi < plen && p[pi] == '*') {
			star_p = pi++;
			star_s = si;
		} else if (star_p != (size_t)-1) {
			pi = star_p + 1;
			si = ++star_s;
		} else {
			return 0;
		}
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

int policy_glob_match(const char *p, size_t plen, const char *s, size_t slen, int nocase)
{
	return glob_match_mode(p, plen, s, slen, nocase, 0);
}

int policy_glob_covers(const char *p, size_t plen, const char *q, size_t qlen, int nocase)
{
	return glob_match_mode(p, plen, q, qlen, nocase, 1);
}

static int has_wildcard(const char *s, size_t len)
{
	return memchr(s, '*', len) || memchr(s, '?', len);
}

/* dp[i][j]: can p[i..] and q[j..] match one common string. Filled from
 * the ends, since each cell depends on cells further right or down. */
int policy_glob_intersect(const char *p, size_t plen, const char *q, size_t qlen, int nocase)
{
	unsigned char *dp;
	size_t w = qlen + 1;
	int r;

	if (!has_wildcard(q, qlen))
		return policy_glob_match(p, plen, q, qlen, nocase);
	if (!has_wildcard(p, plen))
		return policy_glob_match(q, qlen, p, plen, nocase);
	if (plen > GLOB_DP_MAX || qlen > GLOB_DP_MAX)
		/* Not an IAM pattern; a sound part of the answer will do. */
		return policy_glob_match(p, plen, q, qlen, nocase) ||
		       policy_glob_match(q, qlen, p, plen, nocase);
	dp = xcalloc((plen + 1) * w, 1);
	for (size_t i = plen + 1; i-- > 0;) {
		for (size_t j = qlen + 1; j-- > 0;) {
			unsigned char v;

			if (i == plen && j == qlen)
				v = 1;
			else if (i < plen && p[i] == '*')
				/* The star matches nothing, or one more character
				 * of what q produces (if q is at a star, that
				 * star may match nothing instead). */
				v = dp[(i + 1) * w + j] || (j < qlen && dp[i * w + j + 1]);
			else if (j < qlen && q[j] == '*')
				v = dp[i * w + j + 1] || (i < plen && dp[(i + 1) * w + j]);
			else if (i < plen && j < qlen)
				v = (p[i] == '?' || q[j] == '?' ||
				     char_eq((unsigned char)p[i], (unsigned char)q[j], nocase)) &&
				    dp[(i + 1) * w + j + 1];
			else
				v = 0;
			dp[i * w + j] = v;
		}
	}
	r = dp[0];
	free(dp);
	return r;
}

/* ---- statements and their elements ---- */

static size_t n_statements(json_t *doc)
{
	json_t *st = json_object_get(doc, "Statement");

	if (json_is_array(st))
		return json_array_size(st);
	return json_is_object(st) ? 1 : 0;
}

/* Statement i, or NULL if it is not an object. */
static json_t *statement(json_t *doc, size_t i)
{
	json_t *st = json_object_get(doc, "Statement");
	json_t *s = json_is_array(st) ? json_array_get(st, i) : st;

	return json_is_object(s) ? s : NULL;
}

static int effect_is(json_t *stmt, const char *effect)
{
	json_t *e = json_object_get(stmt, "Effect");

	return json_is_string(e) && strcmp(json_string_value(e), effect) == 0;
}

/* An element that is a string or an array: its size as a list. */
static size_t list_size(json_t *v)
{
	if (json_is_array(v))
		return json_array_size(v);
	return v ? 1 : 0;
}

/* Element i of a string-or-array element, or NULL if it is not a string. */
static const char *list_str(json_t *v, size_t i, size_t *len)
{
	json_t *e = json_is_array(v) ? json_array_get(v, i) : v;

	if (!json_is_string(e))
		return NULL;
	*len = json_string_length(e);
	return json_string_value(e);
}

static int list_has(json_t *v, const char *want)
{
	size_t len, wlen = strlen(want);

	for (size_t i = 0; i < list_size(v); i++) {
		const char *s = list_str(v, i, &len);

		if (s && len == wlen && memcmp(s, want, len) == 0)
			return 1;
	}
	return 0;
}

static int list_has_nocase(json_t *v, const char *want)
{
	size_t len, wlen = strlen(want);

	for (size_t i = 0; i < list_size(v); i++) {
		const char *s = list_str(v, i, &len);

		if (s && len == wlen && strncasecmp(s, want, len) == 0)
			return 1;
	}
	return 0;
}

/* A test of pattern p against target q, as policy_glob_covers and
 * policy_glob_intersect. */
typedef int glob_test(const char *p, size_t plen, const char *q, size_t qlen, int nocase);

/*
 * Does the statement's element key (Action, Resource) or, without it,
 * not_key (NotAction, NotResource) reach target t? With key: when one of
 * its patterns passes hit. With not_key only: everything but what it
 * names, so unless one of its patterns passes miss. Neither: no.
 * Elements that are not strings are skipped.
 */
static int element_reaches(json_t *stmt, const char *key, const char *not_key, glob_test *hit,
			   glob_test *miss, const char *t, size_t tlen, int nocase)
{
	json_t *v = json_object_get(stmt, key);
	int want = 1;
	glob_test *test = hit;
	size_t len;

	if (!v) {
		if (!(v = json_object_get(stmt, not_key)))
			return 0;
		want = 0;
		test = miss;
	}
	for (size_t i = 0; i < list_size(v); i++) {
		const char *s = list_str(v, i, &len);

		if (s && test(s, len, t, tlen, nocase))
			return want;
	}
	return !want;
}

/* Does the statement's Action (or NotAction) grant some action that the
 * pattern a matches? Everything but NotAction is granted unless one
 * NotAction pattern covers all of a. */
static int grants_action(json_t *stmt, const char *a, size_t alen)
{
	return element_reaches(stmt, "Action", "NotAction", policy_glob_intersect,
			       policy_glob_covers, a, alen, 1);
}

/* ---- admin and full access ---- */

json_t *policy_admin_statement(json_t *doc)
{
	for (size_t i = 0; i < n_statements(doc); i++) {
		json_t *st = statement(doc, i), *act;

		if (!st || !effect_is(st, "Allow"))
			continue;
		act = json_object_get(st, "Action");
		if ((list_has(act, "*") || list_has(act, "*:*")) &&
		    list_has(json_object_get(st, "Resource"), "*"))
			return st;
	}
	return NULL;
}

/* "*", or SERVICE:STARS with a non-empty service. */
static int whole_service(const char *a, size_t len)
{
	const char *colon = memchr(a, ':', len);
	size_t rest;

	if (len == 1 && a[0] == '*')
		return 1;
	if (!colon || colon == a)
		return 0;
	rest = len - (size_t)(colon + 1 - a);
	if (rest == 0)
		return 0;
	for (size_t i = 0; i < rest; i++)
		if (colon[1 + i] != '*')
			return 0;
	return 1;
}

const char *policy_full_access_action(json_t *doc)
{
	for (size_t i = 0; i < n_statements(doc); i++) {
		json_t *st = statement(doc, i), *act;
		size_t len;

		if (!st || !effect_is(st, "Allow"))
			continue;
		act = json_object_get(st, "Action");
		for (size_t k = 0; k < list_size(act); k++) {
			const char *a = list_str(act, k, &len);

			if (a && whole_service(a, len))
				return a;
		}
	}
	return NULL;
}

/* ---- public access ---- */

/* An AWS principal ARN with a wildcard in its account field
 * (arn:aws:iam::*:root) names principals of any account. */
static int arn_any_account(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	for (int field = 0; field < 4; field++) {
		p = memchr(p, ':', (size_t)(end - p));
		if (!p)
			return 0;
		p++;
	}
	for (; p < end && *p != ':'; p++)
		if (*p == '*' || *p == '?')
			return 1;
	return 0;
}

static int principal_public(json_t *stmt)
{
	json_t *pr = json_object_get(stmt, "Principal");
	const char *key;
	json_t *val;

	if (json_object_get(stmt, "NotPrincipal"))
		return 1;
	if (json_is_string(pr))
		return strcmp(json_string_value(pr), "*") == 0;
	if (!json_is_object(pr))
		return 0;
	json_object_foreach(pr, key, val)
	{
		for (size_t i = 0; i < list_size(val); i++) {
			size_t len;
			const char *s = list_str(val, i, &len);

			if (!s)
				continue;
			if (len == 1 && s[0] == '*')
				return 1;
			if (strcmp(key, "AWS") == 0 && arn_any_account(s, len))
				return 1;
		}
	}
	return 0;
}

/* Condition keys that, pinned to fixed values, limit who can use a grant
 * to known accounts, organizations, networks or resources. */
static const char *const restricting_keys[] = {
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:userid",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
};

/* Operators that require the key to equal (or, with fixed values, be)
 * one of the values. Negated operators and ...IfExists (true when the
 * key is absent) do not restrict. */
static const char *const restricting_ops[] = {
    "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress",
};

static int in_list_nocase(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Fixed values: at least one, each a string or number without wildcards
 * or policy variables; for IpAddress, CIDRs that are not all addresses. */
static int fixed_values(json_t *vals, int is_ip)
{
	size_t n = list_size(vals);

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_is_array(vals) ? json_array_get(vals, i) : vals;
		const char *s;
		size_t len;

		if (json_is_integer(v) && !is_ip)
			continue;
		s = list_str(vals, i, &len);
		if (!s || len == 0 || has_wildcard(s, len) || strstr(s, "${"))
			return 0;
		if (is_ip) {
			struct cidr c;

			if (cidr_parse(s, len, &c) || cidr_is_all(&c))
				return 0;
		}
	}
	return 1;
}

static int condition_restricts(json_t *stmt)
{
	json_t *cond = json_object_get(stmt, "Condition"), *clause, *vals;
	const char *op, *key;

	if (!json_is_object(cond))
		return 0;
	/* Conditions are ANDed: one restricting clause is enough. */
	json_object_foreach(cond, op, clause)
	{
		const char *base = op;

		if (!json_is_object(clause))
			continue;
		if (strncasecmp(base, "ForAnyValue:", 12) == 0)
			base += 12;
		if (!in_list_nocase(base, restricting_ops,
				    sizeof(restricting_ops) / sizeof(restricting_ops[0])))
			continue;
		json_object_foreach(clause, key, vals)
		{
			if (in_list_nocase(key, restricting_keys,
					   sizeof(restricting_keys) /
					       sizeof(restricting_keys[0])) &&
			    fixed_values(vals, strcasecmp(base, "IpAddress") == 0))
				return 1;
		}
	}
	return 0;
}

/* Does the statement grant one of the comma-separated action patterns? */
static int grants_any(json_t *stmt, const char *csv, size_t len)
{
	const char *p = csv, *end = csv + len;

	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end, *a = p;
		size_t alen = (size_t)(e - p);

		while (alen > 0 && isspace((unsigned char)a[0]))
			a++, alen--;
		while (alen > 0 && isspace((unsigned char)a[alen - 1]))
			alen--;
		if (alen > 0 && grants_action(stmt, a, alen))
			return 1;
		p = e + 1;
	}
	return 0;
}

int policy_is_public(json_t *doc, const char *actions, size_t len)
{
	for (size_t i = 0; i < n_statements(doc); i++) {
		json_t *st = statement(doc, i);

		if (!st || !effect_is(st, "Allow") || !principal_public(st) ||
		    condition_restricts(st))
			continue;
		if (!actions || grants_any(st, actions, len))
			return 1;
	}
	return 0;
}

/* ---- secure transport ---- */

static int principal_everyone(json_t *stmt)
{
	json_t *pr = json_object_get(stmt, "Principal");

	if (json_is_string(pr))
		return strcmp(json_string_value(pr), "*") == 0;
	return json_is_object(pr) && list_has(json_object_get(pr, "AWS"), "*");
}

static int is_false(json_t *v)
{
	return json_is_false(v) ||
	       (json_is_string(v) && strcasecmp(json_string_value(v), "false") == 0);
}

/* The statement's Condition is exactly "aws:SecureTransport is false",
 * in Bool or BoolIfExists (any other clause would narrow the deny). */
static int only_insecure_condition(json_t *stmt)
{
	json_t *cond = json_object_get(stmt, "Condition"), *clause, *vals;
	const char *op, *key;
	int seen = 0;

	if (!json_is_object(cond))
		return 0;
	json_object_foreach(cond, op, clause)
	{
		if (strcasecmp(op, "Bool") != 0 && strcasecmp(op, "BoolIfExists") != 0)
			return 0;
		if (!json_is_object(clause))
			return 0;
		json_object_foreach(clause, key, vals)
		{
			size_t n = list_size(vals);

			if (strcasecmp(key, "aws:SecureTransport") != 0 || n == 0)
				return 0;
			for (size_t i = 0; i < n; i++)
				if (!is_false(json_is_array(vals) ? json_array_get(vals, i) : vals))
					return 0;
			seen = 1;
		}
	}
	return seen;
}

/* Does a Deny statement apply to every request for the resource pattern
 * target (which may end in a wildcard, like bucket/ *)? Its Resource must
 * cover target, or its NotResource must not touch it. */
static int deny_covers(json_t *stmt, const char *target, size_t tlen)
{
	return element_reaches(stmt, "Resource", "NotResource", policy_glob_covers,
			       policy_glob_intersect, target, tlen, 0);
}

int policy_denies_insecure_transport(json_t *doc, const char *bucket_arn)
{
	char *bucket = NULL, *objects = NULL;
	int bucket_ok = 0, objects_ok = 0, any = 0;

	if (bucket_arn) {
		size_t blen = strlen(bucket_arn);

		bucket = xmalloc(blen + 16);
		if (strncmp(bucket_arn, "arn:", 4) == 0)
			memcpy(bucket, bucket_arn, blen + 1);
		else
			snprintf(bucket, blen + 16, "arn:aws:s3:::%s", bucket_arn);
		objects = xmalloc(strlen(bucket) + 3);
		snprintf(objects, strlen(bucket) + 3, "%s/*", bucket);
	}
	for (size_t i = 0; i < n_statements(doc); i++) {
		json_t *st = statement(doc, i), *act;

		if (!st || !effect_is(st, "Deny") || !principal_everyone(st))
			continue;
		act = json_object_get(st, "Action");
		if (!list_has_nocase(act, "s3:*") && !list_has(act, "*"))
			continue;
		if (!only_insecure_condition(st))
			continue;
		any = 1;
		if (bucket) {
			bucket_ok |= deny_covers(st, bucket, strlen(bucket));
			objects_ok |= deny_covers(st, objects, strlen(objects));
		}
	}
	free(bucket);
	free(objects);
	return bucket_arn ? bucket_ok && objects_ok : any;
}

/* ---- blocked actions ---- */

static int all_stars(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '*')
			return 0;
	return 1;
}

/* Does a Resource pattern cover all KMS keys: "*", or an ARN whose
 * service is kms (or a wildcard) and whose resource part is a wildcard,
 * "key/" and a wildcard, or absorbed by a trailing wildcard field
 * (arn:aws:kms:*). */
static int all_kms_keys(const char *s, size_t len)
{
	const char *f[6], *end = s + len, *p = s;
	size_t flen[6], nf = 0;

	if (all_stars(s, len))
		return 1;
	while (nf < 6) {
		const char *colon = nf < 5 ? memchr(p, ':', (size_t)(end - p)) : NULL;

		f[nf] = p;
		flen[nf] = colon ? (size_t)(colon - p) : (size_t)(end - p);
		nf++;
		if (!colon)
			break;
		p = colon + 1;
	}
	if (nf < 3 || flen[0] != 3 || strncasecmp(f[0], "arn", 3) != 0)
		return 0;
	if (!(flen[2] == 3 && strncasecmp(f[2], "kms", 3) == 0) && !all_stars(f[2], flen[2]))
		return 0;
	if (nf < 6)
		return all_stars(f[nf - 1], flen[nf - 1]);
	if (all_stars(f[5], flen[5]))
		return 1;
	return flen[5] > 4 && strncasecmp(f[5], "key/", 4) == 0 && all_stars(f[5] + 4, flen[5] - 4);
}

static int on_all_kms_keys(json_t *stmt)
{
	json_t *res = json_object_get(stmt, "Resource");
	size_t len;

	/* Everything but some resources: treated as all keys. */
	if (!res && json_object_get(stmt, "NotResource"))
		return 1;
	for (size_t i = 0; i < list_size(res); i++) {
		const char *s = list_str(res, i, &len);

		if (s && all_kms_keys(s, len))
			return 1;
	}
	return 0;
}

char *policy_allowed_action_matching(json_t *doc, const char *csv, size_t len)
{
	const char *p = csv, *end = csv + len;

	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end, *a = p;
		size_t alen = (size_t)(e - p);

		while (alen > 0 && isspace((unsigned char)a[0]))
			a++, alen--;
		while (alen > 0 && isspace((unsigned char)a[alen - 1]))
			alen--;
		for (size_t i = 0; alen > 0 && i < n_statements(doc); i++) {
			json_t *st = statement(doc, i);

			if (st && effect_is(st, "Allow") && on_all_kms_keys(st) &&
			    grants_action(st, a, alen))
				return xstrndup(a, alen);
		}
		p = e + 1;
	}
	return NULL;
}
