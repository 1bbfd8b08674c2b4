/*
 * normalize: every input shape of a configuration item becomes the
 * canonical (S3 delivery) form, so that rules see one thing. The list of
 * what is done here is the NORMALIZATION section of cfgaudit-ingest(1);
 * keep the two in step.
 */
#include "util/jparse.h"
#include "ingest/normalize.h"
#include "util/urldecode.h"
#include "ingest/reader.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <math.h> /* isfinite only: the build does not link libm */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 2^53: larger doubles are not exact integers any more */
#define EXACT_DOUBLE 9007199254740992.0

/* x has no fraction and is exactly representable as an integer */
static int integral(double x)
{
	return x > -EXACT_DOUBLE && x < EXACT_DOUBLE && x == (double)(long long)x;
}

/* Bounds the re-parsing of values encoded as JSON several times. */
#define MAX_UNSTRING 8

/* Could the string s be JSON text other than a bare word? Avoids handing
 * every plain string ("Enabled", "us-east-1") to the parser. */
static int looks_like_json(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	if (i == len)
		return 0;
	switch (s[i]) {
	case '{':
	case '[':
	case '"':
	case '-':
		return 1;
	case 't':
		return len - i >= 4 && !memcmp(s + i, "true", 4);
	case 'f':
		return len - i >= 5 && !memcmp(s + i, "false", 5);
	case 'n':
		return len - i >= 4 && !memcmp(s + i, "null", 4);
	default:
		return s[i] >= '0' && s[i] <= '9';
	}
}

int normalize_looks_like_json(const char *s, size_t len)
{
	return looks_like_json(s, len);
}

/* JSON text inside a string value: numbers as the reader reads them */
static json_t *parse_text(const char *s, size_t len)
{
	return jparse(s, len, 0, JPARSE_INTEGRAL, NULL);
}

json_t *normalize_unstring(json_t *v)
{
	json_incref(v);
	for (int i = 0; i < MAX_UNSTRING && json_is_string(v); i++) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		json_t *p;

		if (!looks_like_json(s, len) || !(p = parse_text(s, len)))
			break;
		json_decref(v);
		v = p;
	}
	return v;
}

/* Already YYYY-MM-DDTHH:MM:SS.mmmZ (as in every S3 delivery)? Then the
 * text only needs validating, not formatting again. */
static int is_canonical_shape(const char *s, size_t len)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd.dddZ";

	if (len != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

/* Python datetimes read as UTC though their text does not give the
 * zone, counted per thread (a reader runs in one thread) until taken. */
static _Thread_local struct normalize_zone_guesses zone_guesses;

void normalize_zone_take(struct normalize_zone_guesses *out)
{
	*out = zone_guesses;
	memset(&zone_guesses, 0, sizeof(zone_guesses));
}

/* The zone of a Python datetime repr: tz is what follows "tzinfo=", or
 * NULL. Sets *offset_s (seconds east of UTC) when the text gives it;
 * otherwise counts the guess of UTC. */
static void python_zone(const char *tz, long *offset_s)
{
	*offset_s = 0;
	if (!tz) {
		zone_guesses.unknown++;
		return;
	}
	if (!strncmp(tz, "tzutc()", 7) || !strncmp(tz, "datetime.timezone.utc", 21) ||
	    !strncmp(tz, "tzlocal()", 9) || !strncmp(tz, "tzoffset(", 9)) {
		if (tz[2] == 'l') {
			zone_guesses.tzlocal++;
		} else if (tz[2] == 'o') {
			/* tzoffset(None, 7200) or tzoffset('CEST', 7200) */
			const char *comma = strrchr(tz, ',');
			char *end;
			long v;

			if (!comma) {
				zone_guesses.unknown++;
				return;
			}
			v = strtol(comma + 1, &end, 10);
			while (*end == ' ')
				end++;
			if (*end != ')' || v < -86400 || v > 86400) {
				zone_guesses.unknown++;
				return;
			}
			*offset_s = v;
		}
		return;
	}
	zone_guesses.unknown++;
}

/* A Python datetime repr, as scripts that str() boto3 output write it:
 * "datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())".
 * s points after the opening parenthesis. tzutc() and tzoffset(name, s)
 * say the zone; tzlocal() was the zone of the machine that wrote the file,
 * which the text does not say: such a time (or one without tzinfo) is
 * read as UTC and counted (normalize_zone_take). */
static int python_datetime(const char *s, char out[TIME_ISO_LEN])
{
	long f[7] = { 0, 1, 1, 0, 0, 0, 0 };
	const char *tz = strstr(s, "tzinfo=");
	char iso[64];
	long offset_s;
	int n = 0;
	int64_t ms;

	while (n < 7) {
		char *end;
		long v;

		while (*s == ' ')
			s++;
		if (*s < '0' || *s > '9')
			break;
		v = strtol(s, &end, 10);
		f[n++] = v;
		s = end;
		while (*s == ' ')
			s++;
		if (*s != ',')
			break;
		s++;
	}
	if (n < 3 || f[6] < 0 || f[6] > 999999)
		return -1;
	snprintf(iso, sizeof(iso), "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%06ldZ", f[0], f[1], f[2],
		 f[3], f[4], f[5], f[6]);
	if (time_parse_iso(iso, &ms))
		return -1;
	python_zone(tz ? tz + 7 : NULL, &offset_s);
	ms -= (int64_t)offset_s * 1000;
	time_format_iso(ms, out);
	return 0;
}

int normalize_time_text(const char *s, size_t len, char out[TIME_ISO_LEN])
{
	int64_t ms;

	if (is_canonical_shape(s, len) && s[17] < '6') {
		if (time_parse_iso(s, &ms))
			return -1;
		memcpy(out, s, len + 1);
		return 0;
	}
	if (!strncmp(s, "datetime.datetime(", 18))
		return python_datetime(s + 18, out);
	return time_canonical(s, out);
}

int normalize_time(const json_t *v, char out[TIME_ISO_LEN])
{
	double x;
	int64_t ms;

	if (json_is_string(v))
		return normalize_time_text(json_string_value(v), json_string_length(v), out);
	if (!json_is_number(v))
		return -1;
	x = json_number_value(v);
	if (!isfinite(x))
		return -1;
	x = time_epoch_number_to_ms(x);
	/* years 0000..9999 only */
	if (x < -62167219200000.0 || x > 253402300799999.0)
		return -1;
	ms = (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
	time_format_iso(ms, out);
	return 0;
}

/* Move obj[from] to obj[to] unless obj[to] exists already (the canonical
 * name wins); the API name is removed either way. */
static void rename_key(json_t *obj, const char *from, const char *to)
{
	json_t *v = json_object_get(obj, from);

	if (!v)
		return;
	if (!json_object_get(obj, to))
		json_object_set(obj, to, v);
	json_object_del(obj, from);
}

/* Replace obj[key] by its unstringed value, if present. */
static void unstring_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v && json_is_string(v))
		json_object_set_new(obj, key, normalize_unstring(v));
}

/* Integral reals (5.0) become integers, everywhere below v. */
static void integralize(json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *m;

		json_object_foreach(v, k, m)
		{
			if (json_is_real(m)) {
				double x = json_real_value(m);

				if (integral(x))
					json_object_set_new(v, k, json_integer((json_int_t)x));
			} else if (json_is_object(m) || json_is_array(m)) {
				integralize(m);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *m;

		json_array_foreach(v, i, m)
		{
			if (json_is_real(m)) {
				double x = json_real_value(m);

				if (integral(x))
					json_array_set_new(v, i, json_integer((json_int_t)x));
			} else if (json_is_object(m) || json_is_array(m)) {
				integralize(m);
			}
		}
	}
}

/* An IAM policy document: percent-decoded, then parsed. Anything that
 * does not decode or parse stays as it was. Returns a new reference. */
static json_t *decode_policy(json_t *v, int level)
{
	json_t *p;

	if (!json_is_string(v))
		return json_incref(v);
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	if (memchr(s, '%', len)) {
		size_t dlen;
		char *dec = url_decode(s, len, 1, &dlen);

		if (!dec)
			return json_incref(v);
		p = parse_text(dec, dlen);
		free(dec);
	} else {
		p = looks_like_json(s, len) ? parse_text(s, len) : NULL;
	}
	if (!p)
		return json_incref(v);
	if (json_is_string(p)) {
		/* a document encoded once more as a JSON string */
		json_t *q = level < MAX_UNSTRING ? decode_policy(p, level + 1) : json_incref(p);

		json_decref(p);
		p = q;
	}
	if (!json_is_object(p) && !json_is_array(p)) {
		json_decref(p);
		return json_incref(v);
	}
	return p;
}

static void decode_policy_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v && json_is_string(v))
		json_object_set_new(obj, key, decode_policy(v, 0));
}

static void decode_policy_list(json_t *conf, const char *list, const char *key)
{
	json_t *arr = json_object_get(conf, list), *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		if (json_is_object(e))
			decode_policy_member(e, key);
	}
}

/* tags in any of the shapes AWS uses -> {key: value}. Returns a new
 * reference, or NULL with why filled. */
static json_t *tags_map(json_t *t, char *why, size_t whylen)
{
	static const char *const names[][2] = {
	    {"key", "value"},
	    {"Key", "Value"},
	    {"tagKey", "tagValue"},
	};
	json_t *map, *e;
	size_t i;

	if (!t || json_is_null(t))
		return json_object();
	if (json_is_string(t)) {
		json_t *p = normalize_unstring(t), *r;

		if (json_is_string(p)) {
			json_decref(p);
			snprintf(why, whylen, "tags is a string that is not json");
			return NULL;
		}
		r = tags_map(p, why, whylen);
		json_decref(p);
		return r;
	}
	if (json_is_object(t))
		return json_incref(t);
	if (!json_is_array(t)) {
		snprintf(why, whylen, "tags is neither an object nor an array");
		return NULL;
	}
	map = json_object();
	json_array_foreach(t, i, e)
	{
		json_t *k = NULL, *v = NULL;

		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]) && !k; n++) {
			k = json_object_get(e, names[n][0]);
			v = json_object_get(e, names[n][1]);
		}
		if (!json_is_string(k)) {
			json_decref(map);
			snprintf(why, whylen, "tags[%zu] is not a {key, value} pair", i);
			return NULL;
		}
		json_object_setn_new(map, json_string_value(k), json_string_length(k),
				     v ? json_incref(v) : json_string(""));
	}
	return map;
}

/* Text of a (possibly hostile) string for a message: short, quoted by
 * the caller. */
static const char *shown(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "(not a string)";
}

static int required_string(json_t *item, const char *key, const char *alias, struct diag *d)
{
	json_t *v = json_object_get(item, key);

	if (!v || json_is_null(v)) {
		if (alias)
			return diag_set(d, NULL, 0, "%s (%s) is missing", key, alias);
		return diag_set(d, NULL, 0, "%s is missing", key);
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return diag_set(d, NULL, 0, "%s is not a non-empty string", key);
	return 0;
}

/*
 * An AWS region name: the pattern AWS documents for region names,
 * [a-z]{2}-?(iso|gov)?-[a-z]*-[0-9] (for example in the CloudFormation
 * reference), made strict and extended to the ISO partitions' letters:
 *   [a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}
 * (us-east-1, us-gov-west-1, us-isob-east-1, ap-southeast-7), or "global"
 * for IAM and other account-wide resources. Anything else ("Not
 * Applicable" in some of AWS's example files, a typo) would otherwise
 * become an account-region of its own in the store.
 */
int normalize_region_ok(const char *s)
{
	size_t i = 0, n;

	if (!strcmp(s, "global"))
		return 1;
	if (!(s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' && s[2] == '-'))
		return 0;
	i = 3;
	if (!strncmp(s + i, "gov-", 4)) {
		i += 4;
	} else if (!strncmp(s + i, "iso", 3)) {
		i += 3;
		if (s[i] >= 'a' && s[i] <= 'z')
			i++;
		if (s[i++] != '-')
			return 0;
	}
	for (n = 0; s[i] >= 'a' && s[i] <= 'z'; i++)
		n++;
	if (!n || s[i++] != '-')
		return 0;
	for (n = 0; s[i] >= '0' && s[i] <= '9'; i++)
		n++;
	return n >= 1 && n <= 2 && s[i] == '\0';
}

static int check_region(json_t *item, struct diag *d)
{
	json_t *v = json_object_get(item, "awsRegion");
	const char *s = json_string_value(v);

	if (strlen(s) == json_string_length(v) && normalize_region_ok(s))
		return 0;
	return diag_set(d, NULL, 0,
			"awsRegion \"%.40s\" is not an AWS region name (like us-east-1, or "
			"global): the item is not stored",
			s);
}

static int check_account(json_t *item, struct diag *d)
{
	json_t *v = json_object_get(item, "awsAccountId");
	const char *s;
	size_t len;

	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) < 1000000000000LL) {
		/* a number lost the leading zeros: put them back */
		char buf[16];

		snprintf(buf, sizeof(buf), "%012lld", (long long)json_integer_value(v));
		json_object_set_new(item, "awsAccountId", json_string(buf));
		return 0;
	}
	if (required_string(item, "awsAccountId", "accountId", d))
		return -1;
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > 20 || strspn(s, "0123456789") != len)
		return diag_set(d, NULL, 0, "awsAccountId \"%.40s\" is not an account id (digits)",
				s);
	if (len < 12) {
		/* Written as a number somewhere upstream: the leading zeros of
		 * a 12-digit id were lost. */
		char buf[16];

		snprintf(buf, sizeof(buf), "%.*s%s", (int)(12 - len), "000000000000", s);
		json_object_set_new(item, "awsAccountId", json_string(buf));
	}
	return 0;
}

static int fix_state_id(json_t *item, struct diag *d)
{
	json_t *v = json_object_get(item, "configurationStateId");

	if (!v)
		return 0;
	if (json_is_null(v)) {
		json_object_del(item, "configurationStateId");
		return 0;
	}
	if (json_is_integer(v))
		return 0;
	if (json_is_real(v)) {
		double x = json_real_value(v);

		if (!integral(x))
			return diag_set(d, NULL, 0, "configurationStateId %g is not an integer", x);
		json_object_set_new(item, "configurationStateId", json_integer((json_int_t)x));
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v), i = 0;
		long long n = 0;

		if (len == 0 || len > 18)
			goto bad;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				goto bad;
			n = n * 10 + (s[i] - '0');
		}
		json_object_set_new(item, "configurationStateId", json_integer(n));
		return 0;
	bad:
		/* Not a state id AWS writes (seen in hand-written samples): keep
		 * the text, but treat the state id as absent for identity and
		 * ordering. */
		json_object_set(item, "configurationStateIdRaw", v);
		json_object_del(item, "configurationStateId");
		return 0;
	}
	return diag_set(d, NULL, 0, "configurationStateId is not a number");
}

static int fix_time(json_t *item, const char *key, int required, struct diag *d)
{
	json_t *v = json_object_get(item, key);
	char out[TIME_ISO_LEN];

	if (!v || json_is_null(v)) {
		if (required)
			return diag_set(d, NULL, 0, "%s is missing", key);
		json_object_set_new(item, key, json_null());
		return 0;
	}
	if (normalize_time(v, out)) {
		if (!required) {
			/* optional and unreadable (a Python repr, say): no time */
			json_object_set_new(item, key, json_null());
			return 0;
		}
		if (json_is_string(v))
			return diag_set(d, NULL, 0, "%s \"%.60s\" is not a time", key, shown(v));
		return diag_set(d, NULL, 0, "%s is not a time", key);
	}
	if (!json_is_string(v) || strcmp(json_string_value(v), out))
		json_object_set_new(item, key, json_string(out));
	return 0;
}

static int fix_configuration(json_t *item, struct diag *d)
{
	json_t *v = json_object_get(item, "configuration"), *p;

	if (!v) {
		json_object_set_new(item, "configuration", json_null());
		return 0;
	}
	if (json_is_object(v) || json_is_null(v))
		return 0;
	/* A number, a boolean or an array is no configuration AWS records:
	 * rules would read it as one without any setting. */
	if (!json_is_string(v))
		return diag_set(d, NULL, 0, "configuration is not an object");
	if (strspn(json_string_value(v), " \t\r\n") == json_string_length(v)) {
		json_object_set_new(item, "configuration", json_null());
		return 0;
	}
	p = normalize_unstring(v);
	if (json_is_string(p)) {
		json_decref(p);
		return diag_set(d, NULL, 0, "configuration is a string that is not json");
	}
	if (!json_is_object(p) && !json_is_null(p)) {
		json_decref(p);
		return diag_set(d, NULL, 0, "configuration is not an object");
	}
	json_object_set_new(item, "configuration", p);
	return 0;
}

static int fix_supplementary(json_t *item, struct diag *d)
{
	json_t *sup = json_object_get(item, "supplementaryConfiguration"), *v, *bp;
	const char *k;

	if (!sup || json_is_null(sup)) {
		json_object_set_new(item, "supplementaryConfiguration", json_object());
		return 0;
	}
	if (json_is_string(sup)) {
		unstring_member(item, "supplementaryConfiguration");
		sup = json_object_get(item, "supplementaryConfiguration");
	}
	if (!json_is_object(sup))
		return diag_set(d, NULL, 0, "supplementaryConfiguration is not an object");
	json_object_foreach(sup, k, v)
	{
		if (json_is_string(v))
			json_object_set_new(sup, k, normalize_unstring(v));
	}
	bp = json_object_get(sup, "BucketPolicy");
	if (json_is_object(bp))
		unstring_member(bp, "policyText");
	return 0;
}

static int fix_relationships(json_t *item, struct diag *d)
{
	json_t *rel = json_object_get(item, "relationships"), *e;
	size_t i;

	if (!rel || json_is_null(rel)) {
		json_object_set_new(item, "relationships", json_array());
		return 0;
	}
	if (json_is_string(rel)) {
		unstring_member(item, "relationships");
		rel = json_object_get(item, "relationships");
	}
	if (!json_is_array(rel))
		return diag_set(d, NULL, 0, "relationships is not an array");
	json_array_foreach(rel, i, e)
	{
		if (json_is_object(e))
			rename_key(e, "relationshipName", "name");
	}
	return 0;
}

static void fix_type_specific(json_t *item)
{
	const char *type = json_string_value(json_object_get(item, "resourceType"));
	json_t *conf = json_object_get(item, "configuration");

	if (!type || !json_is_object(conf))
		return;
	if (!strncmp(type, "AWS::IAM::", 10)) {
		decode_policy_member(conf, "assumeRolePolicyDocument");
		decode_policy_list(conf, "userPolicyList", "policyDocument");
		decode_policy_list(conf, "rolePolicyList", "policyDocument");
		decode_policy_list(conf, "groupPolicyList", "policyDocument");
		decode_policy_list(conf, "policyVersionList", "document");
	} else if (!strcmp(type, "AWS::SNS::Topic")) {
		unstring_member(conf, "Policy");
		unstring_member(conf, "EffectiveDeliveryPolicy");
	}
}

static json_t *normalize(json_t *in, int walk_numbers, struct diag *d)
{
	json_t *item = in, *tags;
	char why[128];

	if (!json_is_object(in)) {
		diag_set(d, NULL, 0, "item is not an object");
		json_decref(in);
		return NULL;
	}
	if (in->refcount > 1) {
		/* somebody else holds it: do not change their object */
		item = json_deep_copy(in);
		json_decref(in);
		if (!item) {
			diag_set(d, NULL, 0, "item cannot be copied");
			return NULL;
		}
	}
	rename_key(item, "version", "configurationItemVersion");
	rename_key(item, "accountId", "awsAccountId");
	rename_key(item, "arn", "ARN");
	rename_key(item, "configurationItemMD5Hash", "configurationStateMd5Hash");

	if (required_string(item, "resourceType", NULL, d) ||
	    required_string(item, "resourceId", NULL, d) || check_account(item, d) ||
	    required_string(item, "awsRegion", NULL, d) || check_region(item, d))
		goto fail;
	{
		json_t *st = json_object_get(item, "configurationItemStatus");

		if (!st || json_is_null(st))
			json_object_set_new(item, "configurationItemStatus", json_string("OK"));
		else if (!json_is_string(st))
			goto bad_status;
	}
	if (fix_time(item, "configurationItemCaptureTime", 1, d) ||
	    fix_time(item, "resourceCreationTime", 0, d) || fix_state_id(item, d) ||
	    fix_relationships(item, d) || fix_configuration(item, d) || fix_supplementary(item, d))
		goto fail;
	fix_type_specific(item);

	tags = tags_map(json_object_get(item, "tags"), why, sizeof(why));
	if (!tags) {
		diag_set(d, NULL, 0, "%s", why);
		goto fail;
	}
	json_object_set_new(item, "tags", tags);
	if (walk_numbers)
		integralize(item);
	return item;

bad_status:
	diag_set(d, NULL, 0, "configurationItemStatus is not a string");
fail:
	json_decref(item);
	return NULL;
}

int normalize_member(json_t *item, const char *member, struct diag *d)
{
	json_t *tags;
	char why[128];

	if (!strcmp(member, "configuration")) {
		if (fix_configuration(item, d))
			return -1;
		fix_type_specific(item);
		return 0;
	}
	if (!strcmp(member, "supplementaryConfiguration"))
		return fix_supplementary(item, d);
	if (!strcmp(member, "relationships"))
		return fix_relationships(item, d);
	if (strcmp(member, "tags"))
		return diag_set(d, NULL, 0, "%s is not a member normalize fixes alone", member);
	tags = tags_map(json_object_get(item, "tags"), why, sizeof(why));
	if (!tags)
		return diag_set(d, NULL, 0, "%s", why);
	json_object_set_new(item, "tags", tags);
	return 0;
}

json_t *normalize_item(json_t *in, struct diag *d)
{
	return normalize(in, 1, d);
}

json_t *normalize_item_parsed(json_t *in, struct diag *d)
{
	return normalize(in, 0, d);
}
