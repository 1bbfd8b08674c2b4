/*
 * kmskeys: KMS key references in SQL (see kmskeys.h).
 *
 * A key is named four ways: key id, key ARN, alias name, alias ARN.
 * kms_key_ref() brings each to one spelling (key id, or alias/NAME);
 * kms_keys (derived table) maps every recorded alias to its key id and
 * says which keys AWS manages. kms_keys_check() holds the one decision
 * every KMS rule needs -- is this resource's key one of the listed keys
 * -- which the rules used to spell out in sixty lines each:
 *
 *   'listed'                  a listed key names the same key;
 *   'unlisted'                no listed key can be the same key;
 *   'unresolved-key:ENTRY'    the resource's key is an alias no item
 *                             resolves, and may or may not be ENTRY;
 *   'unresolved-listed:ENTRY' the listed alias ENTRY resolves to no item,
 *                             and may or may not be the resource's key;
 *   NULL                      no key, or no list.
 *
 * Two keys are known to differ when both resolve to key ids that differ,
 * or when they are of different kinds (alias/aws/... always names an AWS
 * managed key, any other alias a customer managed key), or when both are
 * different alias/aws/... aliases (one AWS managed key per service).
 *
 * The list is parsed, and kms_keys read, once per statement: both are
 * kept as auxiliary data of the list argument, which is a bound
 * parameter and so constant within the statement.
 */
#include "eval/kmskeys.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One spelling of a key reference into out (see kms_key_ref in
 * cfgaudit-rules(5)); returns its length, 0 for blank input. */
static size_t key_ref(const char *s, size_t len, struct strbuf *out)
{
	const char *p;

	strbuf_reset(out);
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
			   s[len - 1] == '\r'))
		len--;
	if (len > 4 && strncmp(s, "arn:", 4) == 0) {
		/* arn:PARTITION:kms:REGION:ACCOUNT:key/ID or :alias/NAME: the
		 * resource is after the fifth colon. */
		int colons = 0;

		for (p = s; p < s + len && colons < 5; p++)
			if (*p == ':')
				colons++;
		if (colons == 5) {
			size_t rest = len - (size_t)(p - s);

			if (rest > 4 && strncmp(p, "key/", 4) == 0) {
				strbuf_add(out, p + 4, rest - 4);
				return out->len;
			}
			if (rest > 6 && strncmp(p, "alias/", 6) == 0) {
				strbuf_add(out, p, rest);
				return out->len;
			}
		}
	}
	strbuf_add(out, s, len);
	return out->len;
}

void kmskeys_fn_ref(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct strbuf r = STRBUF_INIT;
	const char *s;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (key_ref(s, (size_t)sqlite3_value_bytes(argv[0]), &r) == 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, r.buf, (int)r.len, SQLITE_TRANSIENT);
	strbuf_release(&r);
}

/* A key reference resolved in one account and Region (pointers borrowed
 * from the caller's and the statement's data). */
struct resolved {
	const char *ref;    /* kms_key_ref() form */
	const char *key_id; /* "" when an alias no item resolves */
	int aws;            /* 1 AWS managed, 0 customer managed, -1 unknown */
};

/* The statement's list and its view of kms_keys. */
struct kms_aux {
	char **entries;  /* the listed keys as written (trimmed) */
	char **refs;     /* ... in kms_key_ref() form */
	size_t n;
	struct keymap names; /* "account\0region\0ref" -> index into rows */
	char **key_ids;      /* "" for a row without one */
	int *aws;
	size_t n_rows;
};

static void aux_free(void *p)
{
	struct kms_aux *a = p;

	for (size_t i = 0; i < a->n; i++) {
		free(a->entries[i]);
		free(a->refs[i]);
	}
	free(a->entries);
	free(a->refs);
	keymap_release(&a->names);
	for (size_t i = 0; i < a->n_rows; i++)
		free(a->key_ids[i]);
	free(a->key_ids);
	free(a->aws);
	free(a);
}

static void name_key(struct strbuf *k, const char *account, const char *region, const char *ref)
{
	strbuf_reset(k);
	strbuf_add(k, account, strlen(account) + 1);
	strbuf_add(k, region, strlen(region) + 1);
	strbuf_addstr(k, ref);
}

/* Parse the list and read kms_keys. Returns NULL with the error set. */
/* The keys of the parameter list (comma-separated, blanks around each
 * trimmed), each with its reference form, into a->entries and a->refs. */
static void aux_parse_list(struct kms_aux *a, const char *list)
{
	struct strbuf r = STRBUF_INIT;
	size_t alloc = 0;

	for (const char *p = list; p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (key_ref(p, len, &r) > 0) {
			/* a key listed twice changes nothing: no need to drop it */
			const char *e = p;
			size_t elen = len;

			while (elen && (*e == ' ' || *e == '\t')) {
				e++;
				elen--;
			}
			while (elen && (e[elen - 1] == ' ' || e[elen - 1] == '\t'))
				elen--;
			if (a->n == alloc) {
				alloc = alloc ? alloc * 2 : 8;
				a->entries = xrealloc(a->entries, alloc * sizeof(char *));
				a->refs = xrealloc(a->refs, alloc * sizeof(char *));
			}
			a->entries[a->n] = xstrndup(e, elen);
			a->refs[a->n++] = xstrdup(r.buf);
		}
		p = comma ? comma + 1 : NULL;
	}
	strbuf_release(&r);
}

/* One row of temp.kms_keys (account, region, reference, key id, AWS
 * managed) into a; the first row of a name decides, as a join's min would. */
static void aux_add_key(struct kms_aux *a, sqlite3_stmt *st, struct strbuf *k, size_t *alloc)
{
	const char *acc = (const char *)sqlite3_column_text(st, 0);
	const char *reg = (const char *)sqlite3_column_text(st, 1);
	const char *ref = (const char *)sqlite3_column_text(st, 2);
	const char *kid = (const char *)sqlite3_column_text(st, 3);
	int added;
	int64_t *slot;

	if (!acc || !reg || !ref)
		return;
	name_key(k, acc, reg, ref);
	slot = keymap_insert(&a->names, k->buf, k->len, &added);
	if (!added)
		return;
	if (a->n_rows == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		a->key_ids = xrealloc(a->key_ids, *alloc * sizeof(*a->key_ids));
		a->aws = xrealloc(a->aws, *alloc * sizeof(*a->aws));
	}
	a->key_ids[a->n_rows] = xstrdup(kid ? kid : "");
	a->aws[a->n_rows] = sqlite3_column_type(st, 4) == SQLITE_NULL
				    ? -1 : sqlite3_column_int(st, 4) != 0;
	*slot = (int64_t)a->n_rows++;
}

/* Every name of temp.kms_keys with its key id and whether AWS manages it,
 * into a->names, a->key_ids, a->aws. Returns 0, or -1 with the SQL
 * function's error set. */
static int aux_read_keys(struct kms_aux *a, sqlite3_context *ctx)
{
	struct strbuf k = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	rc = sqlite3_prepare_v2(sqlite3_context_db_handle(ctx),
				"SELECT account_id, region, ref, key_id, aws_managed FROM temp.kms_keys",
				-1, &st, NULL);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			aux_add_key(a, st, &k, &alloc);
	sqlite3_finalize(st);
	strbuf_release(&k);
	if (rc != SQLITE_DONE) {
		sqlite3_result_error(ctx, "kms_keys_check: cannot read kms_keys", -1);
		return -1;
	}
	return 0;
}

static struct kms_aux *aux_load(sqlite3_context *ctx, const char *list)
{
	struct kms_aux *a = xcalloc(1, sizeof(*a));

	aux_parse_list(a, list);
	if (aux_read_keys(a, ctx)) {
		aux_free(a);
		return NULL;
	}
	return a;
}

static int is_alias(const char *ref)
{
	return strncmp(ref, "alias/", 6) == 0;
}

static int is_aws_alias(const char *ref)
{
	return strncmp(ref, "alias/aws/", 10) == 0;
}

/* k: a scratch buffer of the caller's, reused for every lookup. */
static void resolve(const struct kms_aux *a, const char *account, const char *region,
		    const char *ref, struct strbuf *k, struct resolved *out)
{
	int64_t *row;

	out->ref = ref;
	name_key(k, account, region, ref);
	row = keymap_find(&a->names, k->buf, k->len);
	if (is_alias(ref))
		out->key_id = row ? a->key_ids[*row] : "";
	else
		out->key_id = ref;
	if (is_aws_alias(ref))
		out->aws = 1;
	else if (row && a->aws[*row] >= 0)
		out->aws = a->aws[*row];
	else
		out->aws = is_alias(ref) ? 0 : -1;
}

/* Can key t be the listed key w? 1 surely, 0 surely not, -1 unknown. */
static int same_key(const struct resolved *t, const struct resolved *w)
{
	if (!strcmp(t->ref, w->ref))
		return 1;
	if (*t->key_id && *w->key_id)
		return strcmp(t->key_id, w->key_id) == 0;
	if (t->aws >= 0 && w->aws >= 0 && t->aws != w->aws)
		return 0;
	if (is_aws_alias(t->ref) && is_aws_alias(w->ref))
		return 0;
	return -1;
}

void kmskeys_fn_check(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct kms_aux *a;
	struct strbuf r = STRBUF_INIT, k = STRBUF_INIT; /* the key's ref; lookups */
	struct resolved t, w;
	const char *key = (const char *)sqlite3_value_text(argv[0]);
	const char *acc = (const char *)sqlite3_value_text(argv[2]);
	const char *reg = (const char *)sqlite3_value_text(argv[3]);
	const char *undecided = NULL;
	int listed = 0;

	(void)argc;
	if (!key || sqlite3_value_type(argv[1]) == SQLITE_NULL || !acc || !reg)
		return;
	if (key_ref(key, strlen(key), &r) == 0) {
		strbuf_release(&r);
		return;
	}
	a = sqlite3_get_auxdata(ctx, 1);
	if (!a) {
		a = aux_load(ctx, (const char *)sqlite3_value_text(argv[1]));
		if (!a) {
			strbuf_release(&r);
			return;
		}
		sqlite3_set_auxdata(ctx, 1, a, aux_free);
		a = sqlite3_get_auxdata(ctx, 1);
		if (!a) { /* SQLite could not keep it: it freed it already */
			sqlite3_result_error_nomem(ctx);
			strbuf_release(&r);
			return;
		}
	}
	resolve(a, acc, reg, r.buf, &k, &t);
	for (size_t i = 0; i < a->n && !listed; i++) {
		int same;

		resolve(a, acc, reg, a->refs[i], &k, &w);
		same = same_key(&t, &w);
		listed = same == 1;
		/* the smallest such entry, as the rules' min() chose it */
		if (same < 0 && (!undecided || strcmp(a->entries[i], undecided) < 0))
			undecided = a->entries[i];
	}
	if (listed)
		sqlite3_result_text(ctx, "listed", -1, SQLITE_STATIC);
	else if (!undecided)
		sqlite3_result_text(ctx, "unlisted", -1, SQLITE_STATIC);
	else {
		char *out = sqlite3_mprintf("%s:%s", *t.key_id ? "unresolved-listed" : "unresolved-key",
					    undecided);

		if (!out)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_text(ctx, out, -1, sqlite3_free);
	}
	strbuf_release(&r);
	strbuf_release(&k);
}
