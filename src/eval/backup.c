/*
 * backup: AWS Backup's resource selection and cron schedules (see
 * backup.h), for the backup derived tables.
 */
#include "eval/backup.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int backup_glob(const char *pattern, const char *text)
{
	const char *p = pattern, *t = text, *star = NULL, *retry = NULL;

	if (!p || !t)
		return 0;
	/* Greedy with one backtrack point: the last star seen. */
	while (*t) {
		if (*p == '*') {
			star = p++;
			retry = t;
		} else if (*p == '?' || *p == *t) {
			p++;
			t++;
		} else if (star) {
			p = star + 1;
			t = ++retry;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* The elements of a list as the recorder may write it: an array's
 * elements, or a lone value as one element. */
size_t backup_list_size(json_t *v)
{
	return json_is_array(v) ? json_array_size(v) : (v && !json_is_null(v)) ? 1 : 0;
}

json_t *backup_list_get(json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

/* The tag a condition key names: "aws:ResourceTag/backup" or a bare
 * "backup" (as ListOfTags entries often write it). */
const char *backup_tag_key(const char *key)
{
	static const char prefix[] = "aws:ResourceTag/";

	if (key && strncmp(key, prefix, sizeof(prefix) - 1) == 0)
		return key + sizeof(prefix) - 1;
	return key;
}

/* The tags of a resource, as backup_selection_selects_with() reads them. */
struct tag_source {
	backup_tag_fn fn;
	void *ctx;
};

static const char *tag_value(const struct tag_source *tags, const char *key)
{
	return key ? tags->fn(tags->ctx, key) : NULL;
}

enum op { OP_EQUALS, OP_LIKE, OP_NOT_EQUALS, OP_NOT_LIKE };

/* Does one {ConditionKey, ConditionValue} entry hold for tags? A
 * negated operator holds for a resource without the tag. */
static int condition_holds(json_t *c, enum op op, const struct tag_source *tags)
{
	const char *key = backup_tag_key(json_string_value(json_object_get(c, "ConditionKey")));
	const char *want = json_string_value(json_object_get(c, "ConditionValue"));
	const char *have = tag_value(tags, key);
	int hit;

	if (!key || !want)
		return op == OP_NOT_EQUALS || op == OP_NOT_LIKE;
	if (!have)
		hit = 0;
	else if (op == OP_EQUALS || op == OP_NOT_EQUALS)
		hit = strcmp(have, want) == 0;
	else
		hit = backup_glob(want, have);
	return (op == OP_EQUALS || op == OP_LIKE) ? hit : !hit;
}

/* An ARN pattern as Resources and NotResources hold them: a string, but
 * not JSON text (an object or a list written into a string). */
static int pattern_ok(json_t *v)
{
	const char *s = json_string_value(v);

	return s && *s != '{' && *s != '[';
}

/* A member of a condition entry: absent, null or a string. */
static int text_ok(json_t *v)
{
	return !v || json_is_null(v) || json_is_string(v);
}

/* A ListOfTags or Conditions entry that can be read: an object whose
 * ConditionKey and ConditionValue (and ConditionType) are strings when
 * given. */
static int entry_ok(json_t *c)
{
	return json_is_object(c) && text_ok(json_object_get(c, "ConditionKey")) &&
	       text_ok(json_object_get(c, "ConditionValue")) &&
	       text_ok(json_object_get(c, "ConditionType"));
}

/* The index of the first pattern of list that matches arn, or -1. */
static long arn_listed(json_t *list, const char *arn)
{
	for (size_t i = 0, n = backup_list_size(list); i < n; i++) {
		json_t *pat = backup_list_get(list, i);

		if (pattern_ok(pat) && backup_glob(json_string_value(pat), arn ? arn : ""))
			return (long)i;
	}
	return -1;
}

static const struct {
	const char *name;
	enum op op;
} condition_ops[] = {
    {"StringEquals", OP_EQUALS},
    {"StringLike", OP_LIKE},
    {"StringNotEquals", OP_NOT_EQUALS},
    {"StringNotLike", OP_NOT_LIKE},
};
#define N_OPS (sizeof(condition_ops) / sizeof(condition_ops[0]))

/* 1 when every element of the list is readable by ok(). */
static int list_ok(json_t *list, int (*ok)(json_t *))
{
	for (size_t i = 0, n = backup_list_size(list); i < n; i++)
		if (!ok(backup_list_get(list, i)))
			return 0;
	return 1;
}

static int conditions_ok(json_t *conditions)
{
	if (!conditions || json_is_null(conditions))
		return 1;
	if (!json_is_object(conditions))
		return 0;
	for (size_t k = 0; k < N_OPS; k++)
		if (!list_ok(json_object_get(conditions, condition_ops[k].name), entry_ok))
			return 0;
	return 1;
}

const char *backup_selection_unreadable(json_t *config, json_t *sel)
{
	if (!json_is_object(config))
		return "its configuration is not a JSON object";
	if (!json_is_object(sel))
		return "its BackupSelection is not an object";
	if (!list_ok(json_object_get(sel, "Resources"), pattern_ok))
		return "its Resources is not a list of ARNs";
	if (!list_ok(json_object_get(sel, "ListOfTags"), entry_ok))
		return "its ListOfTags is not a list of tag conditions";
	if (!conditions_ok(json_object_get(sel, "Conditions")))
		return "its Conditions is not an object of tag condition lists";
	if (!list_ok(json_object_get(sel, "NotResources"), pattern_ok))
		return "its NotResources is not a list of ARNs";
	return NULL;
}

static const char *json_tag(void *tags, const char *key)
{
	return json_string_value(json_object_get(tags, key));
}

int backup_selection_selects(json_t *sel, const char *arn, json_t *tags, char *why, size_t size)
{
	return backup_selection_selects_with(sel, arn, json_tag, json_is_object(tags) ? tags : NULL,
					     why, size);
}

int backup_selection_selects_with(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx,
				  char *why, size_t size)
{
	long code;

	if (why && size)
		why[0] = '\0';
	if (!backup_selection_match(sel, arn, tag, ctx, &code))
		return 0;
	backup_selection_why(sel, code, why, size);
	return 1;
}

static const char *no_tag(void *ctx, const char *key)
{
	(void)ctx;
	(void)key;
	return NULL;
}

int backup_selection_match(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx, long *code)
{
	return backup_selection_may_match(sel, arn, tag, ctx, code) == 1;
}

int backup_selection_may_match(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx,
			       long *code)
{
	json_t *resources = json_object_get(sel, "Resources");
	json_t *list_of_tags = json_object_get(sel, "ListOfTags");
	json_t *conditions = json_object_get(sel, "Conditions");
	json_t *not_resources = json_object_get(sel, "NotResources");
	struct tag_source tags = { ctx ? tag : no_tag, ctx };
	size_t n_res = 0, n_tags = 0;
	int unknown = 0, may = 0;

	*code = -1;
	if (!json_is_object(sel))
		return 2;
	for (size_t i = 0, n = backup_list_size(resources); i < n; i++) {
		if (pattern_ok(backup_list_get(resources, i)))
			n_res++;
		else
			unknown = 1;
	}
	for (size_t i = 0, n = backup_list_size(list_of_tags); i < n; i++) {
		json_t *t = backup_list_get(list_of_tags, i);

		n_tags += json_is_object(t);
		unknown |= !entry_ok(t);
	}

	if (n_res == 0 && n_tags == 0 && !unknown) {
		*code = -1; /* every resource */
	} else if ((*code = arn_listed(resources, arn)) >= 0) {
		*code *= 2;
	} else {
		for (size_t i = 0, n = backup_list_size(list_of_tags); i < n && *code < 0; i++) {
			json_t *t = backup_list_get(list_of_tags, i);
			const char *type = json_string_value(json_object_get(t, "ConditionType"));

			if (!entry_ok(t) || (type && strcmp(type, "STRINGEQUALS") != 0))
				continue;
			if (condition_holds(t, OP_EQUALS, &tags))
				*code = 2 * (long)i + 1;
		}
		if (*code < 0 && !unknown)
			return 0;
		/* An unreadable entry might have selected it. */
		may = *code < 0;
	}

	/* Conditions and NotResources only narrow the selection: one that can
	 * be read and rules the resource out decides; one that cannot leaves
	 * it open. */
	if (conditions && !json_is_null(conditions) && !json_is_object(conditions))
		may = 1;
	else if (json_is_object(conditions)) {
		for (size_t k = 0; k < N_OPS; k++) {
			json_t *list = json_object_get(conditions, condition_ops[k].name);

			for (size_t i = 0, n = backup_list_size(list); i < n; i++) {
				json_t *c = backup_list_get(list, i);

				if (!entry_ok(c))
					may = 1;
				else if (!condition_holds(c, condition_ops[k].op, &tags))
					return 0;
			}
		}
	}
	if (arn_listed(not_resources, arn) >= 0)
		return 0;
	if (!list_ok(not_resources, pattern_ok))
		may = 1;
	return may ? 2 : 1;
}

void backup_selection_why(json_t *sel, long code, char *why, size_t size)
{
	json_t *conditions = json_object_get(sel, "Conditions");
	size_t n_cond = 0;
	char base[200];

	if (!why || !size)
		return;
	if (code < 0) {
		snprintf(base, sizeof(base), "every resource (no Resources or ListOfTags)");
	} else if (code % 2 == 0) {
		snprintf(base, sizeof(base), "Resources \"%.150s\"",
			 json_string_value(backup_list_get(json_object_get(sel, "Resources"), (size_t)code / 2)));
	} else {
		json_t *t = backup_list_get(json_object_get(sel, "ListOfTags"), (size_t)code / 2);

		snprintf(base, sizeof(base), "ListOfTags %.80s=%.80s",
			 backup_tag_key(json_string_value(json_object_get(t, "ConditionKey"))),
			 json_string_value(json_object_get(t, "ConditionValue")));
	}
	if (json_is_object(conditions))
		for (size_t k = 0; k < N_OPS; k++) {
			json_t *list = json_object_get(conditions, condition_ops[k].name);

			for (size_t i = 0, n = backup_list_size(list); i < n; i++)
				n_cond += json_is_object(backup_list_get(list, i));
		}
	snprintf(why, size, "%s%s", base, n_cond ? " and its Conditions" : "");
}

/* One field of a cron expression. */
struct cron_field {
	uint64_t mask;	 /* values that match, bit v for value v */
	int any;	 /* '*' or '?': every value */
	int last_day;	 /* day of month: L */
	uint8_t last_wd; /* day of week: bit w for wL (last such weekday) */
	uint8_t nth[8];	 /* day of week: bit k for w#k (k-th such weekday) */
};

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
					  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum { F_MIN, F_HOUR, F_DOM, F_MONTH, F_DOW, F_YEAR };

/* A number or (for months and weekdays) a name in [s, e), in [lo, hi]. */
static int cron_value(const char *s, const char *e, int kind, int lo, int hi, int *out)
{
	long v = 0;

	if (e - s == 3 && isalpha((unsigned char)*s) && (kind == F_MONTH || kind == F_DOW)) {
		const char *const *names = kind == F_MONTH ? month_names : day_names;
		int n = kind == F_MONTH ? 12 : 7;

		for (int i = 0; i < n; i++)
			if (strncasecmp(s, names[i], 3) == 0) {
				*out = i + 1;
				return 0;
			}
		return -1;
	}
	if (s == e || e - s > 4)
		return -1;
	for (const char *p = s; p < e; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* One comma-separated item [s, e) of a field. */
static int cron_item(const char *s, const char *e, int kind, int lo, int hi, struct cron_field *f)
{
	const char *slash = memchr(s, '/', (size_t)(e - s));
	const char *dash, *hash, *re = slash ? slash : e;
	int a = lo, b = hi, step = 1;

	if (e - s == 1 && (*s == '?' || *s == '*')) {
		f->any = 1;
		return 0;
	}
	if (kind == F_DOM && e - s == 1 && *s == 'L') {
		f->last_day = 1;
		return 0;
	}
	if (kind == F_DOW && e - s >= 2 && e[-1] == 'L') {
		if (cron_value(s, e - 1, kind, 1, 7, &a))
			return -1;
		f->last_wd |= (uint8_t)(1u << a);
		return 0;
	}
	hash = memchr(s, '#', (size_t)(e - s));
	if (kind == F_DOW && hash) {
		int k;

		if (cron_value(s, hash, kind, 1, 7, &a) || cron_value(hash + 1, e, F_MIN, 1, 5, &k))
			return -1;
		f->nth[a] |= (uint8_t)(1u << k);
		return 0;
	}
	if (slash && cron_value(slash + 1, e, F_MIN, 1, 59, &step))
		return -1;
	dash = memchr(s, '-', (size_t)(re - s));
	if (re - s == 1 && *s == '*') {
		/* every value, perhaps stepped */
	} else if (dash) {
		if (cron_value(s, dash, kind, lo, hi, &a) ||
		    cron_value(dash + 1, re, kind, lo, hi, &b) || b < a)
			return -1;
	} else {
		if (cron_value(s, re, kind, lo, hi, &a))
			return -1;
		b = slash ? hi : a;
	}
	for (int v = a; v <= b; v += step)
		f->mask |= (uint64_t)1 << v;
	return 0;
}

static int cron_field(const char *s, const char *e, int kind, struct cron_field *f)
{
	static const int lo[] = {0, 0, 1, 1, 1, 1970}, hi[] = {59, 23, 31, 12, 7, 2199};

	memset(f, 0, sizeof(*f));
	if (kind == F_YEAR)
		return (e - s == 1 && (*s == '*' || *s == '?')) ? (f->any = 1, 0) : -1;
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s));
		const char *ie = comma ? comma : e;

		if (cron_item(s, ie, kind, lo[kind], hi[kind], f))
			return -1;
		s = comma ? comma + 1 : e;
	}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int field_has(const struct cron_field *f, int v)
{
	return f->any || (f->mask >> v & 1);
}

static int day_matches(const struct cron_field *dom, const struct cron_field *dow, int d, int dim,
		       int wd)
{
	int dom_ok = field_has(dom, d) || (dom->last_day && d == dim);
	int dow_ok = field_has(dow, wd) || ((dow->last_wd >> wd & 1) && d + 7 > dim) ||
		     (dow->nth[wd] >> ((d - 1) / 7 + 1) & 1);

	return dom_ok && dow_ok;
}

double backup_cron_max_gap_hours(const char *expr)
{
	struct cron_field f[6];
	const char *s, *e;
	int n = 0, y = 2025, m = 1, d = 1, wd = 4; /* 2025-01-01 was a Wednesday (SUN = 1) */
	long prev = -1, gap = 0, fires = 0;

	if (!expr)
		return -1;
	while (isspace((unsigned char)*expr))
		expr++;
	if (strncasecmp(expr, "cron(", 5) != 0)
		return -1;
	s = expr + 5;
	e = strchr(s, ')');
	if (!e)
		return -1;
	for (const char *p = e + 1; *p; p++)
		if (!isspace((unsigned char)*p))
			return -1;
	while (s < e) {
		const char *fe;

		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s == e)
			break;
		for (fe = s; fe < e && !isspace((unsigned char)*fe); fe++)
			;
		if (n == 6 || cron_field(s, fe, n, &f[n]))
			return -1;
		n++;
		s = fe;
	}
	if (n != 6)
		return -1;
	for (long day = 0; day < 4 * 365 + 1; day++) {
		int dim = days_in_month(y, m);

		if (field_has(&f[F_MONTH], m) && day_matches(&f[F_DOM], &f[F_DOW], d, dim, wd))
			for (int h = 0; h < 24; h++) {
				if (!field_has(&f[F_HOUR], h))
					continue;
				for (int mi = 0; mi < 60; mi++) {
					long t = day * 1440 + h * 60 + mi;

					if (!field_has(&f[F_MIN], mi))
						continue;
					if (prev >= 0 && t - prev > gap)
						gap = t - prev;
					prev = t;
					fires++;
				}
			}
		wd = wd % 7 + 1;
		if (++d > dim) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	return fires < 2 ? -1 : gap / 60.0;
}
