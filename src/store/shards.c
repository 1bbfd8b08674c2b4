/*
 * shards: account selection of a shard store (see shards.h).
 */
#include "store/shards.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row: the selection the store was loaded with. Created by the
 * first ingest, so that a store made before it reads as "no selection". */
static const char shard_table_sql[] =
	"CREATE TABLE IF NOT EXISTS shard_selection(\n"
	"  id       INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  shard_k  INTEGER,            -- --shard K/N, or NULL\n"
	"  shard_n  INTEGER,\n"
	"  accounts TEXT NOT NULL,      -- JSON array of --accounts ids\n"
	"  context  TEXT NOT NULL       -- JSON array of --context-account ids\n"
	")";

int shard_active(const struct shard_selection *s)
{
	return s->n > 0 || s->n_accounts > 0;
}

static int is_account_id(const char *id)
{
	return strlen(id) == 12 && strspn(id, "0123456789") == 12;
}

int shard_parse_spec(const char *spec, struct shard_selection *s, struct diag *d)
{
	const char *p = spec;
	char *end;
	unsigned long k, n;

	errno = 0;
	k = strtoul(p, &end, 10);
	if (errno || end == p || *end != '/' || p[0] == '-' || p[0] == '+')
		goto bad;
	p = end + 1;
	n = strtoul(p, &end, 10);
	if (errno || end == p || *end || p[0] == '-' || p[0] == '+' || n < 1 || n > 65536 ||
	    k >= n)
		goto bad;
	s->k = (unsigned)k;
	s->n = (unsigned)n;
	return 0;
bad:
	return diag_set(d, NULL, 0,
			"--shard: '%s' is not K/N with 0 <= K < N <= 65536 (shards are numbered "
			"from 0, as JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX are)",
			spec);
}

static void push(char (**v)[SHARD_ACCOUNT_LEN], size_t *n, const char *id)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memcpy((*v)[*n], id, SHARD_ACCOUNT_LEN);
	(*n)++;
}

int shard_add_account(struct shard_selection *s, const char *id, int context, const char *what,
		      struct diag *d)
{
	if (!is_account_id(id))
		return diag_set(d, NULL, 0, "%s: '%.40s' is not an account id (exactly 12 digits)",
				what, id);
	if (context)
		push(&s->context, &s->n_context, id);
	else
		push(&s->accounts, &s->n_accounts, id);
	return 0;
}

int shard_read_accounts(struct shard_selection *s, const char *path, struct diag *d)
{
	FILE *f = fopen(path, "r");
	char line[256];
	long lineno = 0;
	size_t before = s->n_accounts;

	if (!f)
		return diag_set(d, path, 0, "cannot open: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *e;

		lineno++;
		p[strcspn(p, "#\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (!*p)
			continue;
		if (!is_account_id(p)) {
			fclose(f);
			return diag_set(d, path, lineno,
					"'%.40s' is not an account id (exactly 12 digits)", p);
		}
		push(&s->accounts, &s->n_accounts, p);
	}
	if (ferror(f)) {
		fclose(f);
		return diag_set(d, path, 0, "cannot read: %s", strerror(errno));
	}
	fclose(f);
	if (s->n_accounts == before)
		return diag_set(d, path, 0, "lists no account");
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, SHARD_ACCOUNT_LEN);
}

static void sort_unique(char (*v)[SHARD_ACCOUNT_LEN], size_t *n)
{
	size_t out = 0;

	if (!*n)
		return;
	qsort(v, *n, sizeof(*v), id_cmp);
	for (size_t i = 1; i < *n; i++)
		if (memcmp(v[i], v[out], SHARD_ACCOUNT_LEN))
			memcpy(v[++out], v[i], SHARD_ACCOUNT_LEN);
	*n = out + 1;
}

void shard_finish(struct shard_selection *s)
{
	sort_unique(s->accounts, &s->n_accounts);
	sort_unique(s->context, &s->n_context);
}

/* The first 32 bits of SHA-256 of the id, modulo n: spread evenly however
 * the ids are made, and computable anywhere:
 *   echo $(( 0x$(printf %s 111111111111 | sha256sum | cut -c1-8) % 3 )) */
unsigned shard_of(const char *account, unsigned n)
{
	char hex[SHA256_HEX_LEN];

	if (!n)
		return 0;
	sha256_hex(account, strlen(account), hex);
	hex[8] = '\0';
	return (unsigned)(strtoul(hex, NULL, 16) % n);
}

static int listed(char (*v)[SHARD_ACCOUNT_LEN], size_t n, const char *account)
{
	char key[SHARD_ACCOUNT_LEN] = { 0 };

	if (strlen(account) != 12)
		return 0;
	memcpy(key, account, 12);
	return n && bsearch(key, v, n, sizeof(*v), id_cmp) != NULL;
}

int shard_owns(const struct shard_selection *s, const char *account)
{
	if (!shard_active(s))
		return 1;
	if (s->n && shard_of(account, s->n) != s->k)
		return 0;
	if (s->n_accounts && !listed(s->accounts, s->n_accounts, account))
		return 0;
	return 1;
}

int shard_loads(const struct shard_selection *s, const char *account)
{
	return shard_owns(s, account) || listed(s->context, s->n_context, account);
}

static void describe_list(char (*v)[SHARD_ACCOUNT_LEN], size_t n, char *out, size_t outlen)
{
	size_t len = strlen(out);

	for (size_t i = 0; i < n && len + 14 < outlen; i++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%s", i ? " " : "", v[i]);
	if (n && len + 14 >= outlen && outlen > 4)
		snprintf(out + outlen - 5, 5, "...");
}

void shard_describe(const struct shard_selection *s, char *out, size_t outlen)
{
	*out = '\0';
	if (!shard_active(s)) {
		snprintf(out, outlen, "every account");
		return;
	}
	if (s->n)
		snprintf(out, outlen, "shard %u/%u", s->k, s->n);
	if (s->n_accounts) {
		snprintf(out + strlen(out), outlen - strlen(out), "%saccounts ", s->n ? ", " : "");
		describe_list(s->accounts, s->n_accounts, out, outlen);
	}
	if (s->n_context) {
		snprintf(out + strlen(out), outlen - strlen(out), ", context ");
		describe_list(s->context, s->n_context, out, outlen);
	}
}

static char *list_json(char (*v)[SHARD_ACCOUNT_LEN], size_t n)
{
	json_t *a = json_array();
	char *text;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!text)
		abort();
	return text;
}

static int list_from_json(const char *text, char (**v)[SHARD_ACCOUNT_LEN], size_t *n)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL);
	size_t i;
	json_t *e;

	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, e)
	{
		const char *id = json_string_value(e);

		if (!id || !is_account_id(id)) {
			json_decref(a);
			return -1;
		}
		push(v, n, id);
	}
	json_decref(a);
	return 0;
}

int shard_load(struct store *st, struct shard_selection *s, struct diag *d)
{
	sqlite3_stmt *q;
	int rc, exists;

	memset(s, 0, sizeof(*s));
	exists = store_table_exists(st, "shard_selection", d);
	if (exists <= 0)
		return exists;
	q = store_prepare(st, "SELECT shard_k, shard_n, accounts, context FROM shard_selection", d);
	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		s->k = (unsigned)sqlite3_column_int(q, 0);
		s->n = (unsigned)sqlite3_column_int(q, 1);
		if (list_from_json((const char *)sqlite3_column_text(q, 2), &s->accounts,
				   &s->n_accounts) ||
		    list_from_json((const char *)sqlite3_column_text(q, 3), &s->context,
				   &s->n_context)) {
			sqlite3_finalize(q);
			shard_release(s);
			return diag_set(d, st->path, 0, "the recorded shard selection is damaged");
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, d, "reading the shard selection");
	return 0;
}

static int same_list(char (*a)[SHARD_ACCOUNT_LEN], size_t na, char (*b)[SHARD_ACCOUNT_LEN],
		     size_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na * sizeof(*a)));
}

static int same_selection(const struct shard_selection *a, const struct shard_selection *b)
{
	return a->k == b->k && a->n == b->n &&
	       same_list(a->accounts, a->n_accounts, b->accounts, b->n_accounts) &&
	       same_list(a->context, a->n_context, b->context, b->n_context);
}

static int store_has_items(struct store *st, int *has, struct diag *d)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT EXISTS (SELECT 1 FROM items)", d);

	if (!q)
		return -1;
	*has = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return 0;
}

static int insert_selection(struct store *st, const struct shard_selection *s, struct diag *d)
{
	char *acc = list_json(s->accounts, s->n_accounts), *ctx = list_json(s->context, s->n_context);
	sqlite3_stmt *q;
	int rc;

	if (store_exec(st, shard_table_sql, d)) {
		free(acc);
		free(ctx);
		return -1;
	}
	q = store_prepare(st,
			  "INSERT INTO shard_selection(id, shard_k, shard_n, accounts, context)"
			  " VALUES (1, ?1, ?2, ?3, ?4)",
			  d);
	if (!q) {
		free(acc);
		free(ctx);
		return -1;
	}
	if (s->n) {
		sqlite3_bind_int(q, 1, (int)s->k);
		sqlite3_bind_int(q, 2, (int)s->n);
	}
	sqlite3_bind_text(q, 3, acc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, ctx, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	free(acc);
	free(ctx);
	return rc == SQLITE_DONE ? 0 : store_error(st, d, "recording the shard selection");
}

int shard_record(struct store *st, const struct shard_selection *s, struct diag *d)
{
	struct shard_selection have;
	char want_text[200], have_text[200];
	int has_items, rc = 0;

	if (shard_load(st, &have, d))
		return -1;
	shard_describe(s, want_text, sizeof(want_text));
	shard_describe(&have, have_text, sizeof(have_text));
	if (shard_active(&have)) {
		if (!same_selection(&have, s))
			rc = diag_set(d, st->path, 0,
				      "this database holds %s; it cannot load %s (use another "
				      "--db, or the same selection)",
				      have_text, want_text);
	} else if (shard_active(s)) {
		if (store_has_items(st, &has_items, d))
			rc = -1;
		else if (has_items)
			rc = diag_set(d, st->path, 0,
				      "this database holds every account loaded so far; it cannot "
				      "become %s (use a new --db for each shard)",
				      want_text);
		else
			rc = insert_selection(st, s, d);
	}
	shard_release(&have);
	return rc;
}

void shard_release(struct shard_selection *s)
{
	free(s->accounts);
	free(s->context);
	memset(s, 0, sizeof(*s));
}
