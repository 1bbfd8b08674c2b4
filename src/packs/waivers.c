/*
 * waivers: the waivers file, matching, and what a run records of it
 * (waivers.h, cfgaudit-waivers(5)).
 */
#include "packs/waivers.h"
#include "packs/yamltree.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* A waivers file is a short list; anything larger is a mistake. */
#define WAIVERS_FILE_MAX (4 * 1024 * 1024)
#define DAY_MS (86400LL * 1000)

static const char *const entry_keys[] = {
	"rule", "account", "resource", "reason", "approved_by", "expires",
};
#define N_KEYS (sizeof(entry_keys) / sizeof(entry_keys[0]))

void waivers_free(struct waivers *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].rule);
		free(w->v[i].account);
		free(w->v[i].resource);
		free(w->v[i].reason);
		free(w->v[i].approved_by);
		free(w->v[i].expires);
	}
	free(w->v);
	free(w->path);
	free(w->text);
	free(w);
}

static int valid_account(const char *a)
{
	if (!strcmp(a, "*"))
		return 1;
	if (strlen(a) != 12)
		return 0;
	for (; *a; a++)
		if (*a < '0' || *a > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD", a real date: the first millisecond after that day. */
static int parse_expiry(const char *s, int64_t *ms)
{
	char iso[TIME_ISO_LEN];
	int64_t start;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || time_parse_iso(s, &start))
		return -1;
	/* time_parse_iso may normalize 2026-02-30; a round trip rejects it. */
	time_format_iso(start, iso);
	if (strncmp(iso, s, 10))
		return -1;
	*ms = start + DAY_MS;
	return 0;
}

/* The six values of one entry, in entry_keys order (borrowed). */
static int entry_values(const char *path, const struct ynode *e, const char *val[N_KEYS],
			struct diag *d)
{
	if (e->kind != YN_MAP)
		return diag_set(d, path, e->line, "a waiver must be a mapping of %s, %s, %s, %s, "
				"%s and %s", entry_keys[0], entry_keys[1], entry_keys[2],
				entry_keys[3], entry_keys[4], entry_keys[5]);
	for (size_t k = 0; k < N_KEYS; k++)
		val[k] = NULL;
	for (size_t i = 0; i < e->n; i++) {
		const struct ynode *key = ymap_key(e, i), *v = ymap_val(e, i);
		size_t k;

		for (k = 0; k < N_KEYS; k++)
			if (yscalar_is(key, entry_keys[k]))
				break;
		if (k == N_KEYS)
			return diag_set(d, path, key->line, "unknown waiver key '%.100s'",
					key->kind == YN_SCALAR ? key->text : "?");
		if (v->kind != YN_SCALAR || strlen(v->text) != v->text_len || !*v->text)
			return diag_set(d, path, v->line, "waiver '%s' must be a non-empty string",
					entry_keys[k]);
		val[k] = v->text;
	}
	for (size_t k = 0; k < N_KEYS; k++)
		if (!val[k])
			return diag_set(d, path, e->line, "waiver has no '%s'", entry_keys[k]);
	return 0;
}

static int load_entry(struct waivers *w, const struct ynode *e, struct diag *d)
{
	const char *val[N_KEYS];
	struct waiver *x;
	int64_t expires_ms;

	if (entry_values(w->path, e, val, d))
		return -1;
	if (!valid_account(val[1]))
		return diag_set(d, w->path, e->line,
				"waiver account '%.100s' is not a 12-digit account id or '*'", val[1]);
	if (parse_expiry(val[5], &expires_ms))
		return diag_set(d, w->path, e->line, "waiver expires '%.100s' is not a date "
				"(YYYY-MM-DD)", val[5]);
	x = &w->v[w->n++];
	x->rule = xstrdup(val[0]);
	x->account = xstrdup(val[1]);
	x->resource = xstrdup(val[2]);
	x->reason = xstrdup(val[3]);
	x->approved_by = xstrdup(val[4]);
	x->expires = xstrdup(val[5]);
	x->expires_ms = expires_ms;
	x->line = e->line;
	return 0;
}

struct waivers *waivers_load(const char *path, struct diag *d)
{
	struct waivers *w = xcalloc(1, sizeof(*w));
	struct strbuf sb = STRBUF_INIT;
	struct ynode *root = NULL;

	w->path = xstrdup(path);
	if (read_file(path, &sb, WAIVERS_FILE_MAX, d))
		goto fail;
	w->text = strbuf_detach(&sb, &w->len);
	sha256_hex(w->text, w->len, w->sha256);
	root = ytree_parse(path, w->text, w->len, d);
	if (!root)
		goto fail;
	if (root->kind != YN_SEQ) {
		diag_set(d, path, root->line, "a waivers file is a list of waivers");
		goto fail;
	}
	w->v = xcalloc(root->n ? root->n : 1, sizeof(*w->v));
	for (size_t i = 0; i < root->n; i++)
		if (load_entry(w, root->items[i], d))
			goto fail;
	ynode_free(root);
	return w;
fail:
	ynode_free(root);
	strbuf_release(&sb);
	waivers_free(w);
	return NULL;
}

int waivers_check_rules(const struct waivers *w, const struct ruleset *rs, struct diag *d)
{
	size_t n_ids = 0;
	char **ids = NULL;
	char **names = NULL;
	int ret = 0;

	for (size_t i = 0; i < w->n && !ret; i++) {
		struct rule *r = NULL;
		struct diag rd;
		int found = ruleset_find(rs, w->v[i].rule, &r, &rd);

		rule_free(r);
		if (found > 0)
			continue;
		if (!ids) { /* managed-rule names: read every rule once */
			ids = ruleset_list(rs, &n_ids);
			names = xcalloc(n_ids + 1, sizeof(*names));
			for (size_t k = 0; k < n_ids; k++) {
				struct rule *x = NULL;

				if (ruleset_find(rs, ids[k], &x, &rd) > 0)
					names[k] = xstrdup(x->name);
				rule_free(x);
			}
		}
		found = 0;
		for (size_t k = 0; k < n_ids && !found; k++)
			found = names[k] && !strcmp(names[k], w->v[i].rule);
		if (!found)
			ret = diag_set(d, w->path, w->v[i].line,
				       "waiver names unknown rule '%.200s' (see 'cfgaudit rules list')",
				       w->v[i].rule);
	}
	for (size_t k = 0; k < n_ids; k++) {
		free(ids[k]);
		free(names[k]);
	}
	free(ids);
	free(names);
	return ret;
}

/* ---- What a run records (statements: store/waivers.c) ---- */

static int rule_matches(const struct waiver *x, const struct waiver_rule *r)
{
	return (r->identifier && !strcmp(x->rule, r->identifier)) ||
	       (r->name && !strcmp(x->rule, r->name)) ||
	       (r->config_rule_name && !strcmp(x->rule, r->config_rule_name));
}

static int resource_matches(const struct waiver *x, const char *account, const char *id,
			    const char *arn)
{
	if (strcmp(x->account, "*") && strcmp(x->account, account))
		return 0;
	return (id && !fnmatch(x->resource, id, 0)) || (arn && !fnmatch(x->resource, arn, 0));
}

/* Matching the results of one rule. */
struct rule_match {
	const struct waivers *w;
	const struct waiver_rule *r;
	int64_t now_ms;
	long *matched; /* per entry */
	long *waived;
};

/* The entry that waives a result: the first unexpired one that matches;
 * every expired one that matches counts what it would have waived. */
static long decide(const struct waiver_result *res, void *ctx)
{
	struct rule_match *m = ctx;
	const struct waivers *w = m->w;
	long live = -1;

	for (size_t k = 0; k < w->n; k++) {
		if (!rule_matches(&w->v[k], m->r) ||
		    !resource_matches(&w->v[k], res->account, res->id, res->arn))
			continue;
		if (m->now_ms >= w->v[k].expires_ms)
			m->matched[k]++;
		else if (live < 0)
			live = (long)k;
	}
	if (live >= 0) {
		m->matched[live]++;
		(*m->waived)++;
	}
	return live;
}

static int store_entries(struct store *s, int64_t run_id, const struct waivers *w,
			 const long *matched, int64_t now_ms, struct diag *d)
{
	for (size_t k = 0; k < w->n; k++) {
		const struct waiver *x = &w->v[k];
		struct waiver_row r = {
			(long)k, x->line, x->rule, x->account, x->resource, x->reason,
			x->approved_by, x->expires,
			now_ms >= x->expires_ms ? "expired" : matched[k] ? "active" : "unused",
			matched[k],
		};

		if (waivers_store_entry(s, run_id, &r, d))
			return -1;
	}
	return 0;
}

int waivers_store_run(struct store *s, int64_t run_id, const struct waivers *w,
		      const struct waiver_rule *rules, size_t n_rules, int64_t now_ms,
		      long *waived, struct diag *d)
{
	long *matched = xcalloc(w->n ? w->n : 1, sizeof(*matched));
	struct waived_writer ww = { NULL, NULL, NULL };
	int ret = -1;

	*waived = 0;
	if (waivers_store_file(s, run_id, w->path, w->sha256, w->text, w->len, d) ||
	    waived_writer_open(&ww, s, d))
		goto out;
	for (size_t i = 0; i < n_rules; i++) {
		struct rule_match m = { w, &rules[i], now_ms, matched, waived };
		int any = 0;

		for (size_t k = 0; k < w->n && !any; k++)
			any = rule_matches(&w->v[k], &rules[i]);
		if (any && waived_writer_rule(&ww, run_id, rules[i].rule_no, decide, &m, d))
			goto out;
	}
	ret = store_entries(s, run_id, w, matched, now_ms, d);
out:
	waived_writer_close(&ww);
	free(matched);
	return ret;
}
