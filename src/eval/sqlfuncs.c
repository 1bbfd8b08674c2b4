/*
 * sqlfuncs: the SQL helper functions that rule SQL may call (contracts in
 * cfgaudit-rules(5)), registered on a connection from the one table at the
 * end of this file. They do what SQL does badly: regular expressions
 * (PCRE2), CIDR and port-range tests, URL and JSON-in-string decoding,
 * lists that cannot be read as lists of objects,
 * IAM policy analysis (policy.c) and date arithmetic against the
 * evaluation time.
 *
 * Conventions, the same for every function: a NULL argument gives NULL
 * (unless the contract gives NULL a meaning, like a missing port bound);
 * input that cannot be understood gives NULL, never an error, so that the
 * rule decides; an error is raised only for a mistake in the rule itself
 * (a bad regular expression) or for a match that PCRE2 gives up on.
 */
#include "eval/sqlfuncs.h"
#include "util/urldecode.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval/cidr.h"
#include "eval/kmskeys.h"
#include "eval/logfilter.h"
#include "eval/policy.h"
#include "util/jparse.h"
#include "util/keymap.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Bounds on work done per call for hostile input. A pattern that needs
 * more backtracking than this on one subject is reported as an error
 * rather than allowed to stall an evaluation. */
#define REGEX_MATCH_LIMIT 1000000
#define REGEX_DEPTH_LIMIT 100000
/* Longest pattern quoted in an error message. */
#define PATTERN_QUOTE_MAX 200
/* Longest text read as a time or a number. */
#define NUMBER_TEXT_MAX 64
/* Largest text json_unstring parses; JSON-in-string values in items are
 * policies and similar documents of at most tens of KiB. */
#define JSON_TEXT_MAX (8u << 20)

static unsigned long regex_compiles;

unsigned long sqlfuncs_regexp_compiles(void)
{
	return __atomic_load_n(&regex_compiles, __ATOMIC_RELAXED);
}

/* ---- small argument helpers ---- */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim ASCII whitespace at both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank((unsigned char)(*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* The text of v and its length in bytes, or NULL for SQL NULL. When
 * SQLite cannot convert the value for lack of memory, the function's
 * result is set to that error and NULL is returned: callers return at
 * once on NULL, without setting another result. */
static const char *arg_text(sqlite3_context *ctx, sqlite3_value *v, size_t *len)
{
	const char *s;

	if (sqlite3_value_type(v) == SQLITE_NULL)
		return NULL;
	s = (const char *)sqlite3_value_text(v);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	*len = (size_t)sqlite3_value_bytes(v);
	return s;
}

/* Case-insensitive comparison of a counted string with a C string. */
static int text_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

enum num { NUM_OK, NUM_NULL, NUM_BAD };

/* Parse [s, s + len) (already trimmed) as a decimal integer in the range
 * of long long. */
static int parse_int(const char *s, size_t len, long long *out)
{
	char buf[NUMBER_TEXT_MAX];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!(isdigit((unsigned char)buf[0]) ||
	      ((buf[0] == '-' || buf[0] == '+') && isdigit((unsigned char)buf[1]))))
		return -1;
	errno = 0;
	*out = strtoll(buf, &end, 10);
	if (errno || *end != '\0')
		return -1;
	return 0;
}

/* An integer argument: an SQL integer, an integral real, or text holding
 * a decimal integer (surrounding whitespace allowed). */
static enum num arg_int(sqlite3_context *ctx, sqlite3_value *v, long long *out)
{
	const char *s;
	size_t len;
	double d;

	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		return NUM_NULL;
	case SQLITE_INTEGER:
		*out = sqlite3_value_int64(v);
		return NUM_OK;
	case SQLITE_FLOAT:
		d = sqlite3_value_double(v);
		if (!isfinite(d) || d != floor(d) || fabs(d) > 1e15)
			return NUM_BAD;
		*out = (long long)d;
		return NUM_OK;
	default:
		s = arg_text(ctx, v, &len);
		if (!s)
			return NUM_BAD;
		trim(&s, &len);
		return parse_int(s, len, out) ? NUM_BAD : NUM_OK;
	}
}

/* ---- regexp(pattern, text) ---- */

/* A compiled pattern, kept as auxiliary data of the pattern argument for
 * as long as the statement runs with the same pattern. */
struct regex {
	pcre2_code *code;	   /* compiled pattern */
	pcre2_match_data *md;	   /* match data sized for code */
	pcre2_match_context *mctx; /* the match and depth limits */
};

static void regex_free(void *p)
{
	struct regex *re = p;

	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}

/* The pattern as it may appear in a message: at most PATTERN_QUOTE_MAX
 * bytes, control bytes and invalid UTF-8 shown as '?'. Free with
 * sqlite3_free. */
static char *quote_pattern(const char *s, size_t len)
{
	size_t max = len > PATTERN_QUOTE_MAX ? PATTERN_QUOTE_MAX : len, i = 0, n = 0;
	char *q = sqlite3_malloc64(max + 4);

	if (!q)
		return NULL;
	while (i < max) {
		size_t k = utf8_valid_prefix(s + i, max - i);

		if (k == 0 || (k == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f))) {
			q[n++] = '?';
			i++;
		} else {
			memcpy(q + n, s + i, k);
			n += k;
			i += k;
		}
	}
	if (max < len) {
		memcpy(q + n, "...", 3);
		n += 3;
	}
	q[n] = '\0';
	return q;
}

static void result_regex_error(sqlite3_context *ctx, const char *pat, size_t patlen,
			       const char *what, int code, size_t offset, int with_offset)
{
	PCRE2_UCHAR msg[256];
	char *q = quote_pattern(pat, patlen), *full;

	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		strcpy((char *)msg, "unknown error");
	if (with_offset)
		full = sqlite3_mprintf("regexp: %s \"%s\": %s at offset %llu", what, q ? q : "",
				       (const char *)msg, (unsigned long long)offset);
	else
		full =
		    sqlite3_mprintf("regexp: %s \"%s\": %s", what, q ? q : "", (const char *)msg);
	if (full)
		sqlite3_result_error(ctx, full, -1);
	else
		sqlite3_result_error_nomem(ctx);
	sqlite3_free(full);
	sqlite3_free(q);
}

static struct regex *regex_compile(sqlite3_context *ctx, const char *pat, size_t patlen)
{
	struct regex *re;
	int err;
	PCRE2_SIZE off;
	/* UTF mode so that '.' and classes see characters, and
	 * MATCH_INVALID_UTF because resource names and tags are not
	 * guaranteed to be valid UTF-8: without it a bad byte in the subject
	 * would be a match error. An invalid UTF-8 pattern is a compile error. */
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

	re = xcalloc(1, sizeof(*re));
	re->code = pcre2_compile((PCRE2_SPTR)pat, patlen, opts, &err, &off, NULL);
	if (!re->code) {
		result_regex_error(ctx, pat, patlen, "bad pattern", err, off, 1);
		regex_free(re);
		return NULL;
	}
	__atomic_fetch_add(&regex_compiles, 1, __ATOMIC_RELAXED);
	/* No JIT: rule subjects are short names and tags, where the
	 * interpreter is fast enough, and it keeps executable memory out of
	 * the process and valgrind runs clean. */
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx) {
		regex_free(re);
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);
	return re;
}

static void fn_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *pat, *subj;
	size_t patlen, subjlen;
	struct regex *re;
	int fresh = 0, rc;

	pat = arg_text(ctx, argv[0], &patlen);
	subj = arg_text(ctx, argv[1], &subjlen);
	if (!pat || !subj)
		return;
	re = sqlite3_get_auxdata(ctx, 0);
	if (!re) {
		re = regex_compile(ctx, pat, patlen);
		if (!re)
			return;
		fresh = 1;
	}
	rc = pcre2_match(re->code, (PCRE2_SPTR)subj, subjlen, 0, 0, re->md, re->mctx);
	if (rc >= 0)
		sqlite3_result_int(ctx, 1);
	else if (rc == PCRE2_ERROR_NOMATCH)
		sqlite3_result_int(ctx, 0);
	else
		result_regex_error(ctx, pat, patlen, "cannot match", rc, 0, 0);
	/* Hand the compiled pattern to SQLite last: it may free it at once
	 * (out of memory, or a pattern that is not constant). */
	if (fresh)
		sqlite3_set_auxdata(ctx, 0, re, regex_free);
}

/* ---- CIDR ---- */

static void fn_cidr_is_open(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct cidr c;
	size_t len;
	const char *s = arg_text(ctx, argv[0], &len);

	if (!s)
		return;
	sqlite3_result_int(ctx, cidr_parse(s, len, &c) == 0 && cidr_is_all(&c));
}

static void fn_cidr_contains(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct cidr outer, inner;
	size_t olen, ilen;
	const char *o = arg_text(ctx, argv[0], &olen), *i = arg_text(ctx, argv[1], &ilen);

	if (!o || !i || cidr_parse(o, olen, &outer) || cidr_parse(i, ilen, &inner))
		return;
	sqlite3_result_int(ctx, cidr_contains(&outer, &inner));
}

/* ---- ports ---- */

#define PORT_MAX 65535

enum proto { PROTO_NULL, PROTO_OTHER, PROTO_TCP, PROTO_ALL };

/* Classify an ipProtocol value: "tcp"/"6" (any case, as text or number),
 * "-1"/"all" for all traffic, anything else (udp, icmp, 17, "") other. */
static enum proto arg_proto(sqlite3_context *ctx, sqlite3_value *v)
{
	const char *s;
	size_t len;
	long long n;

	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		return PROTO_NULL;
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		if (arg_int(ctx, v, &n) != NUM_OK)
			return PROTO_OTHER;
		return n == 6 ? PROTO_TCP : n == -1 ? PROTO_ALL : PROTO_OTHER;
	default:
		s = arg_text(ctx, v, &len);
		if (!s)
			return PROTO_NULL;
		trim(&s, &len);
		if (text_is(s, len, "tcp") || text_is(s, len, "6"))
			return PROTO_TCP;
		if (text_is(s, len, "-1") || text_is(s, len, "all"))
			return PROTO_ALL;
		return PROTO_OTHER;
	}
}

/* The TCP ports [*lo, *hi] that a permission (protocol, from, to) opens.
 * Returns 1 with the range set, 0 if it opens no TCP port, -1 if the
 * result is NULL (NULL protocol, or a bound that is not an integer).
 * A missing or negative bound is open-ended (-1 is what AWS writes for
 * "all"); a reversed range is read as written the other way round, so
 * that a malformed permission errs towards "open". */
static int perm_tcp_range(sqlite3_context *ctx, sqlite3_value *proto, sqlite3_value *from,
			  sqlite3_value *to, long long *lo, long long *hi)
{
	enum num nf, nt;

	switch (arg_proto(ctx, proto)) {
	case PROTO_NULL:
		return -1;
	case PROTO_OTHER:
		return 0;
	case PROTO_ALL:
		*lo = 0;
		*hi = PORT_MAX;
		return 1;
	case PROTO_TCP:
		break;
	}
	nf = arg_int(ctx, from, lo);
	nt = arg_int(ctx, to, hi);
	if (nf == NUM_BAD || nt == NUM_BAD)
		return -1;
	if (nf == NUM_NULL || *lo < 0)
		*lo = 0;
	if (nt == NUM_NULL || *hi < 0)
		*hi = PORT_MAX;
	if (*lo > *hi) {
		long long t = *lo;

		*lo = *hi;
		*hi = t;
	}
	return 1;
}

static void fn_port_in_rule(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	long long lo, hi, port;
	int r;

	if (arg_int(ctx, argv[3], &port) != NUM_OK)
		return;
	r = perm_tcp_range(ctx, argv[0], argv[1], argv[2], &lo, &hi);
	if (r < 0)
		return;
	sqlite3_result_int(ctx, r == 1 && lo <= port && port <= hi);
}

static void fn_port_range_overlaps(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	long long lo, hi, qlo, qhi;
	int r;

	if (arg_int(ctx, argv[3], &qlo) != NUM_OK || arg_int(ctx, argv[4], &qhi) != NUM_OK)
		return;
	if (qlo > qhi) {
		long long t = qlo;

		qlo = qhi;
		qhi = t;
	}
	r = perm_tcp_range(ctx, argv[0], argv[1], argv[2], &lo, &hi);
	if (r < 0)
		return;
	sqlite3_result_int(ctx, r == 1 && lo <= qhi && qlo <= hi);
}

struct port_range {
	long long lo, hi; /* inclusive */
};

static int range_cmp(const void *a, const void *b)
{
	const struct port_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* One element of a port list: "443" or "1020-1025" (whitespace around
 * the numbers allowed), each number 0..65535. Returns 0 or -1. */
static int parse_port_element(const char *s, size_t len, struct port_range *r)
{
	const char *dash = memchr(s, '-', len);
	const char *a = s, *b;
	size_t alen = dash ? (size_t)(dash - s) : len, blen;

	trim(&a, &alen);
	if (parse_int(a, alen, &r->lo) || r->lo < 0 || r->lo > PORT_MAX)
		return -1;
	if (!dash) {
		r->hi = r->lo;
		return 0;
	}
	b = dash + 1;
	blen = (size_t)(s + len - b);
	trim(&b, &blen);
	if (parse_int(b, blen, &r->hi) || r->hi < 0 || r->hi > PORT_MAX)
		return -1;
	if (r->lo > r->hi) {
		long long t = r->lo;

		r->lo = r->hi;
		r->hi = t;
	}
	return 0;
}

static void fn_ports_within(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct port_range *ranges = NULL;
	size_t n = 0, alloc = 0, len;
	const char *csv = arg_text(ctx, argv[0], &len), *p, *end;
	long long lo, hi, reach;
	enum num nf, nt;

	nf = arg_int(ctx, argv[1], &lo);
	nt = arg_int(ctx, argv[2], &hi);
	if (nf == NUM_BAD || nt == NUM_BAD)
		return;
	if (nf == NUM_NULL || lo < 0)
		lo = 0;
	if (nt == NUM_NULL || hi < 0)
		hi = PORT_MAX;
	if (lo > hi) {
		long long t = lo;

		lo = hi;
		hi = t;
	}
	if (!csv) {
		if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
			sqlite3_result_int(ctx, 0);
		return;
	}
	for (p = csv, end = csv + len; p <= end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end, *el = p;
		size_t elen = (size_t)(e - p);

		trim(&el, &elen);
		if (elen > 0) {
			ALLOC_GROW(ranges, n + 1, alloc);
			if (parse_port_element(el, elen, &ranges[n])) {
				free(ranges);
				return; /* a malformed list: NULL, the rule decides */
			}
			n++;
		}
		p = e + 1;
	}
	if (n == 0) {
		free(ranges);
		sqlite3_result_int(ctx, 0);
		return;
	}
	qsort(ranges, n, sizeof(*ranges), range_cmp);
	/* Walk the merged union from lo: adjacent ranges (80-90, 91-95) join. */
	reach = lo - 1;
	for (size_t i = 0; i < n && reach < hi; i++) {
		if (ranges[i].lo > reach + 1)
			break;
		if (ranges[i].hi > reach)
			reach = ranges[i].hi;
	}
	free(ranges);
	sqlite3_result_int(ctx, reach >= hi);
}

/* ---- strings ---- */

static void fn_csv_contains(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t len, vlen;
	const char *csv = arg_text(ctx, argv[0], &len), *val = arg_text(ctx, argv[1], &vlen), *p,
		   *end;

	if (!csv || !val)
		return;
	for (p = csv, end = csv + len; p <= end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end, *el = p;
		size_t elen = (size_t)(e - p);

		trim(&el, &elen);
		if (elen == vlen && memcmp(el, val, vlen) == 0) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		p = e + 1;
	}
	sqlite3_result_int(ctx, 0);
}

static void fn_url_decode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t len, n;
	const char *s = arg_text(ctx, argv[0], &len);
	char *out;

	if (!s)
		return;
	out = url_decode(s, len, 0, &n);
	sqlite3_result_text64(ctx, out, n, free, SQLITE_UTF8);
}

static void fn_json_unstring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t len;
	const char *s;
	json_t *outer, *inner;
	json_error_t err;

	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	s = arg_text(ctx, argv[0], &len);
	if (!s)
		return;
	if (len > JSON_TEXT_MAX) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	/* Only a JSON string can hold JSON. Rules call this on every
	 * configuration, which is nearly always an object: answer those
	 * without parsing them. */
	{
		size_t i = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		if (i == len || s[i] != '"') {
			sqlite3_result_value(ctx, argv[0]);
			return;
		}
	}
	outer = json_loadb(s, len, JSON_DECODE_ANY, &err);
	if (outer && json_is_string(outer)) {
		inner = json_loadb(json_string_value(outer), json_string_length(outer),
				   JSON_DECODE_ANY, &err);
		if (inner) {
			json_decref(inner);
			sqlite3_result_text64(ctx, json_string_value(outer),
					      json_string_length(outer), SQLITE_TRANSIENT,
					      SQLITE_UTF8);
			json_decref(outer);
			return;
		}
	}
	json_decref(outer);
	sqlite3_result_value(ctx, argv[0]);
}

/* ---- lists that cannot be read ---- */

/* Longest list name quoted in list_unreadable's answer. */
#define LIST_NAME_MAX 200

/*
 * list_unreadable(value, name [, one_object]): what makes value (JSON
 * text, as -> gives it) something other than a list of objects, as
 * "NAME is not a list" ("is neither an object nor a list" when
 * one_object is 1 and an object is read as a list of one) or "NAME holds
 * an element that is not an object"; NULL when it is such a list (null
 * elements allowed), JSON null, absent (SQL NULL) or not JSON. The
 * value is parsed whole, at any length: it comes from a stored document,
 * which ingest has already parsed within its own limits.
 */
static void fn_list_unreadable(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s, *name, *why = NULL;
	long long one_object = 0;
	size_t len, name_len;
	struct jparse_error je;
	json_t *v;
	char *out;

	if (!(s = arg_text(ctx, argv[0], &len)) || !(name = arg_text(ctx, argv[1], &name_len)))
		return;
	if (argc > 2) {
		enum num n = arg_int(ctx, argv[2], &one_object);

		if (n == NUM_NULL)
			return;
		if (n == NUM_BAD || (one_object != 0 && one_object != 1)) {
			sqlite3_result_error(ctx, "list_unreadable: one_object must be 0 or 1", -1);
			return;
		}
	}
	if (!(v = jparse(s, len, 0, 0, &je)))
		return;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && !why; i++) {
			json_t *x = json_array_get(v, i);

			if (!json_is_object(x) && !json_is_null(x))
				why = "holds an element that is not an object";
		}
	} else if (json_is_object(v)) {
		if (!one_object)
			why = "is not a list";
	} else if (!json_is_null(v)) {
		why = one_object ? "is neither an object nor a list" : "is not a list";
	}
	json_decref(v);
	if (!why)
		return;
	out = sqlite3_mprintf("%.*s %s", (int)(name_len < LIST_NAME_MAX ? name_len : LIST_NAME_MAX),
			      name, why);
	if (out)
		sqlite3_result_text(ctx, out, -1, sqlite3_free);
	else
		sqlite3_result_error_nomem(ctx);
}

/* ---- IAM policies (policy.c) ---- */

/*
 * Parsed policies of one connection, keyed by their exact text: several
 * rules read the same items' policies (S3 bucket policies: public read,
 * public write, SSL only), a rule may call two policy functions on one
 * text or read one text from several rows, so each text is parsed once,
 * not once per call (shape d: 9.8k calls, 4.9k texts). Nothing modifies a parsed document
 * (policy.c only reads it), so the cached one is shared. Bounded: when
 * one more text would pass POLICY_CACHE_ENTRIES or POLICY_CACHE_BYTES,
 * the whole cache is emptied (cheaper to keep than an LRU, and a scan
 * larger than the cache still gets the hits that fit); texts over
 * POLICY_CACHE_TEXT_MAX are parsed each time. The policy functions share
 * one cache per registration as their user data; the last of them that
 * SQLite drops (replaced, or the connection closed) frees it.
 */
#define POLICY_CACHE_SLOTS 4096u /* hash buckets, a power of two */
#define POLICY_CACHE_ENTRIES 8192u
/* Of text; the documents take more (shape d: 4.9k texts, 1.5 MB, 14 MB
 * more peak memory). */
#define POLICY_CACHE_BYTES (4u << 20)
#define POLICY_CACHE_TEXT_MAX (256u << 10)

struct policy_entry {
	struct policy_entry *next; /* in its bucket */
	uint64_t hash;		   /* keymap_text_hash of text */
	size_t len;		   /* bytes of text */
	json_t *doc;		   /* policy_parse(text), NULL if not a policy */
	char text[];
};

struct policy_cache {
	unsigned refs;	 /* functions registered with this cache */
	size_t n, bytes; /* entries, bytes of their texts */
	struct policy_entry *slot[POLICY_CACHE_SLOTS];
};

static unsigned long policy_parses;

unsigned long sqlfuncs_policy_parses(void)
{
	return __atomic_load_n(&policy_parses, __ATOMIC_RELAXED);
}

static json_t *parse_counted(const char *s, size_t len)
{
	__atomic_add_fetch(&policy_parses, 1, __ATOMIC_RELAXED);
	return policy_parse(s, len);
}

static void policy_cache_clear(struct policy_cache *pc)
{
	for (size_t i = 0; i < POLICY_CACHE_SLOTS; i++) {
		while (pc->slot[i]) {
			struct policy_entry *e = pc->slot[i];

			pc->slot[i] = e->next;
			json_decref(e->doc);
			free(e);
		}
	}
	pc->n = 0;
	pc->bytes = 0;
}

/* sqlite3_create_function_v2's destructor of the policy functions. */
static void policy_cache_unref(void *p)
{
	struct policy_cache *pc = p;

	if (--pc->refs == 0) {
		policy_cache_clear(pc);
		free(pc);
	}
}

/* The policy document of argument v (a new reference: the caller
 * json_decref's it), or NULL (SQL NULL, not a document). */
static json_t *arg_policy(sqlite3_context *ctx, sqlite3_value *v)
{
	struct policy_cache *pc = sqlite3_user_data(ctx);
	struct policy_entry *e, **head;
	size_t len;
	const char *s = arg_text(ctx, v, &len);
	uint64_t h;

	if (!s)
		return NULL;
	if (len > POLICY_CACHE_TEXT_MAX)
		return parse_counted(s, len);
	h = keymap_text_hash(s, len);
	head = &pc->slot[h & (POLICY_CACHE_SLOTS - 1)];
	for (e = *head; e; e = e->next)
		if (e->hash == h && e->len == len && memcmp(e->text, s, len) == 0)
			return json_incref(e->doc);
	if (pc->n + 1 > POLICY_CACHE_ENTRIES || pc->bytes + len > POLICY_CACHE_BYTES)
		policy_cache_clear(pc);
	e = xmalloc(sizeof(*e) + len);
	e->hash = h;
	e->len = len;
	memcpy(e->text, s, len);
	e->doc = parse_counted(s, len);
	e->next = *head;
	*head = e;
	pc->n++;
	pc->bytes += len;
	return json_incref(e->doc);
}

static void fn_policy_admin_statement(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *doc = arg_policy(ctx, argv[0]), *st;
	char *text;

	if (!doc)
		return;
	st = policy_admin_statement(doc);
	if (st) {
		text = json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text)
			sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_result_error_nomem(ctx);
		free(text);
	}
	json_decref(doc);
}

static void fn_policy_full_access_action(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *doc = arg_policy(ctx, argv[0]);
	const char *a;

	if (!doc)
		return;
	a = policy_full_access_action(doc);
	if (a)
		sqlite3_result_text(ctx, a, -1, SQLITE_TRANSIENT);
	json_decref(doc);
}

/* policy_is_public(policy) and policy_is_public(policy, actions_csv). */
static void fn_policy_is_public(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *actions = NULL;
	size_t alen = 0;
	json_t *doc;

	if (argc > 1 && !(actions = arg_text(ctx, argv[1], &alen)))
		return;
	doc = arg_policy(ctx, argv[0]);
	if (!doc)
		return;
	sqlite3_result_int(ctx, policy_is_public(doc, actions, alen));
	json_decref(doc);
}

/* policy_denies_insecure_transport(policy) and (policy, bucket_arn). */
static void fn_policy_denies_insecure_transport(sqlite3_context *ctx, int argc,
						sqlite3_value **argv)
{
	const char *bucket = NULL;
	size_t blen = 0;
	json_t *doc;

	if (argc > 1) {
		bucket = arg_text(ctx, argv[1], &blen);
		if (!bucket || blen == 0 || strlen(bucket) != blen)
			return;
	}
	doc = arg_policy(ctx, argv[0]);
	if (!doc)
		return;
	sqlite3_result_int(ctx, policy_denies_insecure_transport(doc, bucket));
	json_decref(doc);
}

static void fn_policy_allowed_action_matching(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t len;
	const char *csv = arg_text(ctx, argv[1], &len);
	json_t *doc;
	char *a;

	if (!csv)
		return;
	doc = arg_policy(ctx, argv[0]);
	if (!doc)
		return;
	a = policy_allowed_action_matching(doc, csv, len);
	if (a)
		sqlite3_result_text(ctx, a, -1, free);
	json_decref(doc);
}

/* ---- times ---- */

/* User data of the time functions: the evaluation time. Each function
 * gets its own copy, freed by SQLite when the function is replaced (the
 * next sqlfuncs_register) or the connection closes. */
struct eval_time {
	int64_t as_of_ms; /* evaluation time, ms since the epoch */
};

/* A number of epoch seconds or milliseconds (time_epoch_number_to_ms). */
static int number_to_ms(double d, double *ms)
{
	if (!isfinite(d))
		return -1;
	*ms = time_epoch_number_to_ms(d);
	/* Beyond +-300000 years is not a time. */
	if (fabs(*ms) > 1e16)
		return -1;
	return 0;
}

/* A time argument: ISO 8601 text (time_parse_iso's forms), a number, or
 * text holding a number. Returns 0 with *ms set, or -1. */
static int arg_time(sqlite3_context *ctx, sqlite3_value *v, double *ms)
{
	char buf[NUMBER_TEXT_MAX];
	const char *s;
	size_t len;
	int64_t t;
	char *end;
	double d;

	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		return -1;
	case SQLITE_INTEGER:
		return number_to_ms((double)sqlite3_value_int64(v), ms);
	case SQLITE_FLOAT:
		return number_to_ms(sqlite3_value_double(v), ms);
	default:
		s = arg_text(ctx, v, &len);
		if (!s)
			return -1;
		trim(&s, &len);
		if (len == 0 || len >= sizeof(buf))
			return -1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (strlen(buf) != len)
			return -1;
		if (time_parse_iso(buf, &t) == 0) {
			*ms = (double)t;
			return 0;
		}
		/* Plain decimal numbers only: no hex, inf or nan. */
		if (strspn(buf, "0123456789+-.eE") != len)
			return -1;
		d = strtod(buf, &end);
		if (end == buf || *end != '\0')
			return -1;
		return number_to_ms(d, ms);
	}
}

static void fn_as_of(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct eval_time *et = sqlite3_user_data(ctx);
	char buf[TIME_ISO_LEN];

	time_format_iso(et->as_of_ms, buf);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_age_days(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct eval_time *et = sqlite3_user_data(ctx);
	double ms;

	if (arg_time(ctx, argv[0], &ms) == 0)
		sqlite3_result_double(ctx, ((double)et->as_of_ms - ms) / 86400000.0);
}

/* time_text(x): a time as age_days reads it, as YYYY-MM-DDTHH:MM:SSZ. */
static void fn_time_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[TIME_ISO_LEN];
	double ms;

	if (arg_time(ctx, argv[0], &ms))
		return;
	time_format_iso_seconds((int64_t)ms, buf);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_days_until(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct eval_time *et = sqlite3_user_data(ctx);
	double ms;

	if (arg_time(ctx, argv[0], &ms) == 0)
		sqlite3_result_double(ctx, (ms - (double)et->as_of_ms) / 86400000.0);
}

/*
 * unless_incomplete(verdict, gap): a NON_COMPLIANT verdict that rests on
 * the absence of an item becomes INSUFFICIENT_DATA when gap (an
 * "account/region" without a complete inventory) is not NULL; any other
 * verdict is returned as it is.
 */
static void fn_unless_incomplete(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *v = sqlite3_value_text(argv[0]);

	(void)argc;
	if (v && sqlite3_value_type(argv[1]) != SQLITE_NULL &&
	    strcmp((const char *)v, "NON_COMPLIANT") == 0)
		sqlite3_result_text(ctx, "INSUFFICIENT_DATA", -1, SQLITE_STATIC);
	else
		sqlite3_result_value(ctx, argv[0]);
}

/*
 * incomplete_note(annotation, verdict, gap): the annotation to go with
 * unless_incomplete(): where it turns the verdict, the gap comes first
 * (so that it survives the 256-character limit), then the finding.
 */
static void fn_incomplete_note(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct eval_time *et = sqlite3_user_data(ctx);
	const unsigned char *v = sqlite3_value_text(argv[1]);
	const unsigned char *gap, *ann;
	char when[TIME_ISO_LEN];
	char *out;

	(void)argc;
	if (!v || sqlite3_value_type(argv[2]) == SQLITE_NULL ||
	    strcmp((const char *)v, "NON_COMPLIANT") != 0) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	gap = sqlite3_value_text(argv[2]);
	ann = sqlite3_value_text(argv[0]);
	time_format_iso(et->as_of_ms, when);
	out = sqlite3_mprintf("not concluded: the data may be incomplete (no configuration "
			      "snapshot of %s at or before %s): %s",
			      gap ? (const char *)gap : "", when, ann ? (const char *)ann : "");
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

/* ---- registration ---- */

/* Flags of functions whose result depends only on their arguments.
 * DIRECTONLY for every function: rules call them from top-level SQL; no
 * schema object of the store (view, trigger, index) may depend on them,
 * so the store stays readable by the plain sqlite3 shell and a crafted
 * store file cannot make them run from its schema. */
#define PURE_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY)
/* Functions of the evaluation time: constant within one statement, but
 * not across registrations (the next evaluation may use another time),
 * so not SQLITE_DETERMINISTIC, which would let SQLite keep their results
 * in indexes or factor them across statements. */
#define TIMED_FLAGS (SQLITE_UTF8 | SQLITE_DIRECTONLY)

/* What a function is: PURE; TIMED (gets a struct eval_time); POLICY,
 * pure and of a policy argument (gets the struct policy_cache). */
enum sqlfunc_kind { PURE, TIMED, POLICY };

static const struct sqlfunc {
	const char *name; /* SQL name */
	int nargs;	  /* number of arguments */
	enum sqlfunc_kind kind;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} sqlfuncs[] = {
    {"regexp", 2, PURE, fn_regexp},
    {"cidr_is_open", 1, PURE, fn_cidr_is_open},
    {"cidr_contains", 2, PURE, fn_cidr_contains},
    {"port_in_rule", 4, PURE, fn_port_in_rule},
    {"port_range_overlaps", 5, PURE, fn_port_range_overlaps},
    {"ports_within", 3, PURE, fn_ports_within},
    {"csv_contains", 2, PURE, fn_csv_contains},
    {"url_decode", 1, PURE, fn_url_decode},
    {"json_unstring", 1, PURE, fn_json_unstring},
    {"list_unreadable", 2, PURE, fn_list_unreadable},
    {"list_unreadable", 3, PURE, fn_list_unreadable},
    {"policy_admin_statement", 1, POLICY, fn_policy_admin_statement},
    {"policy_full_access_action", 1, POLICY, fn_policy_full_access_action},
    {"policy_is_public", 1, POLICY, fn_policy_is_public},
    {"policy_is_public", 2, POLICY, fn_policy_is_public},
    {"policy_denies_insecure_transport", 1, POLICY, fn_policy_denies_insecure_transport},
    {"policy_denies_insecure_transport", 2, POLICY, fn_policy_denies_insecure_transport},
    {"policy_allowed_action_matching", 2, POLICY, fn_policy_allowed_action_matching},
    {"kms_key_ref", 1, PURE, kmskeys_fn_ref},
    /* reads the statement's kms_keys once (its name makes the engine
     * build that table); constant within a statement */
    {"kms_keys_check", 4, PURE, kmskeys_fn_check},
    {"logfilter_matches", 2, PURE, logfilter_fn_matches},
    {"unless_incomplete", 2, PURE, fn_unless_incomplete},
    {"incomplete_note", 3, TIMED, fn_incomplete_note},
    {"as_of", 0, TIMED, fn_as_of},
    {"age_days", 1, TIMED, fn_age_days},
    {"days_until", 1, TIMED, fn_days_until},
    {"time_text", 1, PURE, fn_time_text},
};

int sqlfuncs_register(sqlite3 *db, int64_t as_of_ms)
{
	struct policy_cache *pc = xcalloc(1, sizeof(*pc));
	int rc = SQLITE_OK;

	/* Held by this loop until its end, so that a failed registration
	 * (SQLite then calls the destructor itself) cannot free it early. */
	pc->refs = 1;
	for (size_t i = 0; i < sizeof(sqlfuncs) / sizeof(sqlfuncs[0]) && rc == SQLITE_OK; i++) {
		const struct sqlfunc *f = &sqlfuncs[i];
		void (*destroy)(void *) = NULL;
		void *ud = NULL;

		if (f->kind == TIMED) {
			struct eval_time *et = xmalloc(sizeof(*et));

			et->as_of_ms = as_of_ms;
			ud = et;
			destroy = free;
		} else if (f->kind == POLICY) {
			pc->refs++;
			ud = pc;
			destroy = policy_cache_unref;
		}
		/* On failure SQLite calls the destructor on ud itself. */
		rc = sqlite3_create_function_v2(db, f->name, f->nargs,
						f->kind == TIMED ? TIMED_FLAGS : PURE_FLAGS, ud,
						f->fn, NULL, NULL, destroy);
	}
	policy_cache_unref(pc);
	return rc;
}
