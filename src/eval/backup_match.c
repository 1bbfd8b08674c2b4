/*
 * backup_match: the selection-to-resource matching of the backup derived
 * tables (see backup_match.h).
 */
#include "eval/backup_match.h"
#include "eval/backup.h"
#include "util/jparse.h"
#include "util/keymap.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char selections_sql[] =
	"SELECT item_key, account_id, region, resource_id, configuration FROM current_items"
	" WHERE resource_type = 'AWS::Backup::BackupSelection' AND configuration IS NOT NULL";
static const char candidates_sql[] =
	"SELECT item_key, account_id, region, resource_type, resource_id, arn, tags,"
	" coalesce(resource_name, resource_id), status,"
	/* typeof() tests the column without reading a large configuration */
	" typeof(configuration) <> 'null' FROM current_items"
	" WHERE resource_type IN (" BACKUP_TYPES ")";
/* The DB instance -> DB cluster links of backup_resource_plans. */
static const char clusters_sql[] =
	"WITH instances AS MATERIALIZED ("
	"  SELECT item_key, account_id, region,"
	"   json_extract(configuration, '$.dBClusterIdentifier') AS cluster_ref"
	"  FROM current_items WHERE resource_type = 'AWS::RDS::DBInstance'),"
	" clusters AS MATERIALIZED ("
	"  SELECT item_key, account_id, region, resource_id, resource_name,"
	"   json_extract(configuration, '$.dBClusterIdentifier') AS cluster_id"
	"  FROM current_items WHERE resource_type = 'AWS::RDS::DBCluster')"
	" SELECT i.item_key, c.item_key FROM instances AS i"
	" JOIN clusters AS c ON c.account_id = i.account_id AND c.region = i.region"
	"  AND i.cluster_ref IN (c.resource_name, c.cluster_id)";
static const char instances_sql[] =
	"SELECT configuration FROM current_items WHERE resource_type = 'AWS::RDS::DBInstance'";

/* A list of candidates. */
struct clist {
	size_t *v;
	size_t n, alloc;
};

/* The candidates of one account and Region, with what finds them fast. */
struct place {
	size_t *cands; /* all, in reading order */
	size_t n, alloc;
	size_t *by_arn; /* those with an ARN, sorted by it */
	size_t n_arn;
	int indexed;
	struct bm_value account, region; /* kept once for its candidates */
	struct keymap tags;	/* tag key NUL value -> index into lists: who has it */
	struct keymap patterns; /* ARN pattern -> index into lists: what it matches */
	struct clist *lists;
	size_t n_lists, alloc_lists;
};

struct matcher {
	struct bmatch *m;
	struct keymap place_ids; /* account NUL region -> index into places */
	struct place *places;
	size_t n_places, alloc_places;
	struct strbuf key; /* scratch for map keys */
	size_t *stamp;	   /* per candidate: 1 + the last selection that listed it */
	long *code;	   /* ... and what listed it (backup_selection_match's code) */
	size_t *pick;	   /* the candidates listed for the current selection */
	size_t n_pick, alloc_pick;
};

#define NO_ARN SIZE_MAX

static const char *at(const struct bmatch *m, size_t off)
{
	return m->arena.buf + off;
}

/* Keep a column's value in the arena (text and blobs NUL-terminated). */
static void keep(struct bmatch *m, sqlite3_stmt *st, int col, struct bm_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = sqlite3_column_type(st, col);
	switch (v->type) {
	case SQLITE_INTEGER:
		v->i = sqlite3_column_int64(st, col);
		break;
	case SQLITE_FLOAT:
		v->f = sqlite3_column_double(st, col);
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB: {
		const void *p = v->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, col)
						       : sqlite3_column_blob(st, col);

		v->len = (size_t)sqlite3_column_bytes(st, col);
		v->off = m->arena.len;
		strbuf_add(&m->arena, p ? p : "", v->len);
		strbuf_add(&m->arena, "", 1);
		break;
	}
	default:
		break;
	}
}

void bmatch_bind(sqlite3_stmt *st, int i, const struct bmatch *m, const struct bm_value *v)
{
	switch (v->type) {
	case SQLITE_INTEGER:
		sqlite3_bind_int64(st, i, v->i);
		break;
	case SQLITE_FLOAT:
		sqlite3_bind_double(st, i, v->f);
		break;
	case SQLITE_TEXT:
		sqlite3_bind_text(st, i, at(m, v->off), (int)v->len, SQLITE_STATIC);
		break;
	case SQLITE_BLOB:
		sqlite3_bind_blob(st, i, at(m, v->off), (int)v->len, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_null(st, i);
	}
}

/* The place of (account, region) text, created when add is set; -1 for
 * an unknown one. */
static long place_of(struct matcher *mt, const char *acc, const char *reg, int add)
{
	int64_t *slot;
	int added = 0;

	strbuf_reset(&mt->key);
	strbuf_addstr(&mt->key, acc ? acc : "");
	strbuf_add(&mt->key, "", 1);
	strbuf_addstr(&mt->key, reg ? reg : "");
	if (!add) {
		slot = keymap_find(&mt->place_ids, mt->key.buf, mt->key.len);
		return slot ? (long)*slot : -1;
	}
	slot = keymap_insert(&mt->place_ids, mt->key.buf, mt->key.len, &added);
	if (added) {
		ALLOC_GROW(mt->places, mt->n_places + 1, mt->alloc_places);
		memset(&mt->places[mt->n_places], 0, sizeof(mt->places[0]));
		*slot = (int64_t)mt->n_places++;
	}
	return (long)*slot;
}

/* A tag whose key and value are NUL-terminated in the arena. */
static void add_tag(struct bmatch *m, size_t key, size_t value)
{
	ALLOC_GROW(m->tags, m->n_tags + 1, m->alloc_tags);
	m->tags[m->n_tags][0] = key;
	m->tags[m->n_tags][1] = value;
	m->n_tags++;
}

static void copy_tag(struct bmatch *m, const char *k, const char *v)
{
	size_t key = m->arena.len, value;

	strbuf_add(&m->arena, k, strlen(k) + 1);
	value = m->arena.len;
	strbuf_add(&m->arena, v, strlen(v) + 1);
	add_tag(m, key, value);
}

static char *skip_ws(char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A JSON string without escapes or control characters at p, made a C
 * string in place (its closing quote becomes NUL): its body at *s, and
 * the position after it; NULL when it is not one. */
static char *plain_string(char *p, char **s)
{
	if (*p != '"')
		return NULL;
	*s = ++p;
	while (*p != '"') {
		if (*p == '\\' || (unsigned char)*p < 0x20)
			return NULL;
		p++;
	}
	*p = '\0';
	return p + 1;
}

/* The tags of the common shape, a flat object of plain strings with
 * distinct keys, read without building JSON values: a copy of the text
 * in the arena is cut into the keys and values. 0 if read, -1 for any
 * other text (the caller then parses it). */
static int scan_tags(struct bmatch *m, const char *text, size_t len)
{
	size_t first = m->n_tags, base = m->arena.len;
	char *p, *ks, *vs;

	for (size_t i = 0, n; i < len; i += n)
		if ((unsigned char)text[i] < 0x80)
			n = 1;
		else if (!(n = utf8_valid_prefix(text + i, len - i)))
			return -1;
	strbuf_add(&m->arena, text, len);
	strbuf_add(&m->arena, "", 1);
	p = skip_ws(m->arena.buf + base);
	if (*p++ != '{')
		return -1;
	p = skip_ws(p);
	if (*p == '}')
		return *skip_ws(p + 1) ? -1 : 0;
	for (;;) {
		if (!(p = plain_string(p, &ks)))
			break;
		p = skip_ws(p);
		if (*p++ != ':')
			break;
		if (!(p = plain_string(skip_ws(p), &vs)))
			break;
		for (size_t t = first; t < m->n_tags; t++)
			if (!strcmp(at(m, m->tags[t][0]), ks))
				goto fail; /* a duplicate key: jparse decides */
		add_tag(m, (size_t)(ks - m->arena.buf), (size_t)(vs - m->arena.buf));
		p = skip_ws(p);
		if (*p == '}')
			return *skip_ws(p + 1) ? -1 : 0;
		if (*p++ != ',')
			break;
		p = skip_ws(p);
	}
fail:
	m->n_tags = first;
	return -1;
}

/* The string tags of a candidate, as json_object_get on its parsed tags
 * gives them (nothing when they do not parse to an object). */
static void read_tags(struct bmatch *m, struct bm_cand *c, const char *text, size_t len)
{
	struct jparse_error je;
	const char *key;
	json_t *tags, *v;
	size_t mark = m->arena.len;

	c->tag0 = m->n_tags;
	if (text && scan_tags(m, text, len) == 0) {
		c->n_tags = m->n_tags - c->tag0;
		return;
	}
	m->n_tags = c->tag0;
	strbuf_setlen(&m->arena, mark);
	tags = text ? jparse(text, len, 0, 0, &je) : NULL;
	if (json_is_object(tags))
		json_object_foreach (tags, key, v)
			if (json_is_string(v))
				copy_tag(m, key, json_string_value(v));
	json_decref(tags);
	c->n_tags = m->n_tags - c->tag0;
}

static int is_cluster(const struct bmatch *m, const struct bm_cand *c)
{
	return c->type.type == SQLITE_TEXT && !strcmp(at(m, c->type.off), "AWS::RDS::DBCluster");
}

static int read_candidates(struct store *s, struct matcher *mt, struct diag *d)
{
	struct bmatch *m = mt->m;
	sqlite3_stmt *st = store_prepare(s, candidates_sql, d);
	int step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long p = place_of(mt, (const char *)sqlite3_column_text(st, 1),
				  (const char *)sqlite3_column_text(st, 2), 1);
		struct place *pl = &mt->places[p];
		const char *arn = (const char *)sqlite3_column_text(st, 5), *tags;
		struct bm_cand *c;

		ALLOC_GROW(m->cands, m->n_cands + 1, m->alloc_cands);
		c = &m->cands[m->n_cands];
		memset(c, 0, sizeof(*c));
		if (pl->n == 0) {
			keep(m, st, 1, &pl->account);
			keep(m, st, 2, &pl->region);
		}
		keep(m, st, 0, &c->key);
		keep(m, st, 3, &c->type);
		keep(m, st, 4, &c->id);
		c->account = pl->account;
		c->region = pl->region;
		if (is_cluster(m, c))
			keep(m, st, 7, &c->cluster_name);
		keep(m, st, 8, &c->status);
		c->recorded = sqlite3_column_int(st, 9);
		c->arn = NO_ARN;
		if (arn) {
			c->arn = m->arena.len;
			strbuf_add(&m->arena, arn, strlen(arn) + 1);
		}
		tags = (const char *)sqlite3_column_text(st, 6);
		read_tags(m, c, tags, tags ? strlen(tags) : 0);
		ALLOC_GROW(pl->cands, pl->n + 1, pl->alloc);
		pl->cands[pl->n++] = m->n_cands++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_error(s, d, "cannot read the resources AWS Backup protects");
	return 0;
}

static const char *cand_arn(const struct bmatch *m, size_t c)
{
	return m->cands[c].arn == NO_ARN ? NULL : at(m, m->cands[c].arn);
}

/* The candidate's tag (backup_tag_fn), ctx being a struct tag_ctx. */
struct tag_ctx {
	const struct bmatch *m;
	const struct bm_cand *c;
};

static const char *cand_tag(void *ctx, const char *key)
{
	const struct tag_ctx *t = ctx;

	for (size_t i = t->c->tag0; i < t->c->tag0 + t->c->n_tags; i++)
		if (!strcmp(at(t->m, t->m->tags[i][0]), key))
			return at(t->m, t->m->tags[i][1]);
	return NULL;
}

static const struct bmatch *sort_ctx;

static int by_arn(const void *a, const void *b)
{
	return strcmp(cand_arn(sort_ctx, *(const size_t *)a), cand_arn(sort_ctx, *(const size_t *)b));
}

/* The list of key in map, created empty when new. */
static struct clist *list_of(struct place *pl, struct keymap *map, const struct strbuf *key,
			     int *added)
{
	int64_t *slot = keymap_insert(map, key->buf, key->len, added);

	if (*added) {
		ALLOC_GROW(pl->lists, pl->n_lists + 1, pl->alloc_lists);
		memset(&pl->lists[pl->n_lists], 0, sizeof(pl->lists[0]));
		*slot = (int64_t)pl->n_lists++;
	}
	return &pl->lists[*slot];
}

static void clist_add(struct clist *l, size_t cand)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = cand;
}

static void tag_map_key(struct strbuf *k, const char *key, const char *value)
{
	strbuf_reset(k);
	strbuf_addstr(k, key);
	strbuf_add(k, "", 1);
	strbuf_addstr(k, value);
}

/* The ARN order of a place, built on first use. */
static void index_place(struct matcher *mt, struct place *pl)
{
	const struct bmatch *m = mt->m;

	if (pl->indexed)
		return;
	pl->indexed = 1;
	pl->by_arn = xmalloc((pl->n ? pl->n : 1) * sizeof(size_t));
	for (size_t i = 0; i < pl->n; i++)
		if (m->cands[pl->cands[i]].arn != NO_ARN)
			pl->by_arn[pl->n_arn++] = pl->cands[i];
	sort_ctx = m;
	qsort(pl->by_arn, pl->n_arn, sizeof(size_t), by_arn);
}

/* List cand for selection sel, with what listed it, unless listed. */
static void pick(struct matcher *mt, size_t sel, size_t cand, long code)
{
	if (mt->stamp[cand] == sel + 1)
		return;
	mt->stamp[cand] = sel + 1;
	mt->code[cand] = code;
}

/* The candidates of the place that an ARN pattern matches (as
 * backup_glob tests it; a candidate without an ARN as ""), found once
 * per place: only those whose ARN starts with the pattern's literal
 * part are tested. */
static const struct clist *pattern_matches(struct matcher *mt, struct place *pl, const char *pat)
{
	const struct bmatch *m = mt->m;
	size_t plen = strcspn(pat, "*?"), lo = 0, hi = pl->n_arn;
	struct clist *l;
	int added;

	strbuf_reset(&mt->key);
	strbuf_addstr(&mt->key, pat);
	l = list_of(pl, &pl->patterns, &mt->key, &added);
	if (!added)
		return l;
	if (plen == 0) {
		for (size_t i = 0; i < pl->n; i++) {
			const char *arn = cand_arn(m, pl->cands[i]);

			if (backup_glob(pat, arn ? arn : ""))
				clist_add(l, pl->cands[i]);
		}
		return l;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(cand_arn(m, pl->by_arn[mid]), pat, plen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < pl->n_arn && strncmp(cand_arn(m, pl->by_arn[lo]), pat, plen) == 0; lo++)
		if (backup_glob(pat, cand_arn(m, pl->by_arn[lo])))
			clist_add(l, pl->by_arn[lo]);
	return l;
}

/* The candidates whose tags satisfy a ListOfTags entry (found once per
 * place and tag value), or NULL. */
static const struct clist *tag_matches(struct matcher *mt, struct place *pl, json_t *entry)
{
	const char *type = json_string_value(json_object_get(entry, "ConditionType"));
	const char *key = backup_tag_key(json_string_value(json_object_get(entry, "ConditionKey")));
	const char *want = json_string_value(json_object_get(entry, "ConditionValue"));
	struct clist *l;
	int added;

	if ((type && strcmp(type, "STRINGEQUALS") != 0) || !key || !want)
		return NULL; /* never selects (backup_selection_selects) */
	tag_map_key(&mt->key, key, want);
	l = list_of(pl, &pl->tags, &mt->key, &added);
	if (!added)
		return l;
	for (size_t i = 0; i < pl->n; i++) {
		struct tag_ctx t = { mt->m, &mt->m->cands[pl->cands[i]] };
		const char *have = cand_tag(&t, key);

		if (have && !strcmp(have, want))
			clist_add(l, pl->cands[i]);
	}
	return l;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The candidates selection sel can select, in reading order, each with
 * the code backup_selection_match() gives when it selects it: the first
 * Resources pattern that matches its ARN, else the first ListOfTags
 * entry its tags satisfy (every candidate, code -1, for a selection with
 * neither). Returns 1 when the selection has no Conditions and no
 * NotResources: then each of these is selected, as listed.
 */
static int pick_candidates(struct matcher *mt, struct place *pl, size_t sel)
{
	json_t *body = mt->m->sels[sel].body;
	json_t *res = json_object_get(body, "Resources");
	json_t *lot = json_object_get(body, "ListOfTags");
	size_t n_res = 0, n_tags = 0;
	int all = 0;

	for (size_t i = 0, n = backup_list_size(res); i < n; i++)
		n_res += json_is_string(backup_list_get(res, i));
	for (size_t i = 0, n = backup_list_size(lot); i < n; i++)
		n_tags += json_is_object(backup_list_get(lot, i));
	if (n_res == 0 && n_tags == 0) {
		all = 1;
		for (size_t i = 0; i < pl->n; i++)
			pick(mt, sel, pl->cands[i], -1);
	} else {
		index_place(mt, pl);
		for (size_t i = 0, n = backup_list_size(res); i < n; i++) {
			const char *pat = json_string_value(backup_list_get(res, i));
			const struct clist *l = pat ? pattern_matches(mt, pl, pat) : NULL;

			for (size_t k = 0; l && k < l->n; k++)
				pick(mt, sel, l->v[k], 2 * (long)i);
		}
		for (size_t i = 0, n = backup_list_size(lot); i < n; i++) {
			const struct clist *l =
				json_is_object(backup_list_get(lot, i)) ? tag_matches(mt, pl, backup_list_get(lot, i)) : NULL;

			for (size_t k = 0; l && k < l->n; k++)
				pick(mt, sel, l->v[k], 2 * (long)i + 1);
		}
	}
	ALLOC_GROW(mt->pick, pl->n, mt->alloc_pick);
	mt->n_pick = 0;
	for (size_t i = 0; i < pl->n; i++)
		if (all || mt->stamp[pl->cands[i]] == sel + 1)
			mt->pick[mt->n_pick++] = pl->cands[i];
	return !json_is_object(json_object_get(body, "Conditions")) &&
	       backup_list_size(json_object_get(body, "NotResources")) == 0;
}

/* The index in whys of what code of selection sel says (codes of
 * backup_selection_match; codes[] and whys from first are the
 * selection's so far). */
static size_t intern_why(struct bmatch *m, size_t sel, size_t first, long **codes, long code)
{
	char why[256];

	for (size_t i = first; i < m->n_whys; i++)
		if ((*codes)[i - first] == code)
			return i;
	*codes = xrealloc(*codes, (m->n_whys - first + 1) * sizeof(long));
	(*codes)[m->n_whys - first] = code;
	backup_selection_why(m->sels[sel].body, code, why, sizeof(why));
	ALLOC_GROW(m->whys, m->n_whys + 1, m->alloc_whys);
	m->whys[m->n_whys] = xstrdup(why);
	return m->n_whys++;
}

/* pick_candidates() for a selection that cannot be read whole (rare):
 * each candidate of its place is tested; those it surely assigns are
 * listed, with their codes, and those it may assign get maybe. Returns
 * 1 (the listed ones are selected). */
static int pick_unreadable(struct matcher *mt, struct place *pl, size_t sel)
{
	struct bmatch *m = mt->m;
	long code;

	ALLOC_GROW(mt->pick, pl->n, mt->alloc_pick);
	mt->n_pick = 0;
	for (size_t i = 0; i < pl->n; i++) {
		size_t c = pl->cands[i];
		struct tag_ctx t = { m, &m->cands[c] };
		int r = backup_selection_may_match(m->sels[sel].body, cand_arn(m, c), cand_tag, &t,
						   &code);

		if (r == 1) {
			mt->code[c] = code;
			mt->pick[mt->n_pick++] = c;
		} else if (r == 2 && !m->cands[c].maybe) {
			m->cands[c].maybe = sel + 1;
		}
	}
	return 1;
}

static void match_selection(struct matcher *mt, size_t sel)
{
	struct bmatch *m = mt->m;
	struct bm_sel *sl = &m->sels[sel];
	long p = place_of(mt, (const char *)sqlite3_value_text(sl->account),
			  (const char *)sqlite3_value_text(sl->region), 0);
	size_t first_why = m->n_whys;
	long *codes = NULL, code;
	int simple;

	if (p < 0)
		return;
	simple = sl->unreadable ? pick_unreadable(mt, &mt->places[p], sel)
				: pick_candidates(mt, &mt->places[p], sel);
	for (size_t i = 0; i < mt->n_pick; i++) {
		struct tag_ctx t = { m, &m->cands[mt->pick[i]] };

		if (simple)
			code = mt->code[mt->pick[i]];
		else if (!backup_selection_match(sl->body, cand_arn(m, mt->pick[i]), cand_tag, &t,
						 &code))
			continue;
		ALLOC_GROW(m->hits, m->n_hits + 1, m->alloc_hits);
		m->hits[m->n_hits].sel = sel;
		m->hits[m->n_hits].cand = mt->pick[i];
		m->hits[m->n_hits].why = intern_why(m, sel, first_why, &codes, code);
		m->cands[mt->pick[i]].n_hits++;
		m->n_hits++;
	}
	free(codes);
}

/* hit_order: the hits grouped by candidate, in selection order. */
static void order_hits(struct bmatch *m)
{
	size_t next = 0;

	for (size_t i = 0; i < m->n_cands; i++) {
		m->cands[i].hit0 = next;
		next += m->cands[i].n_hits;
		m->cands[i].n_hits = 0;
	}
	m->hit_order = xmalloc((m->n_hits ? m->n_hits : 1) * sizeof(size_t));
	for (size_t h = 0; h < m->n_hits; h++) {
		struct bm_cand *c = &m->cands[m->hits[h].cand];

		m->hit_order[c->hit0 + c->n_hits++] = h;
	}
}

static int read_selections(struct store *s, struct bmatch *m, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, selections_sql, d);
	int step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 4);
		struct jparse_error je;
		json_t *config = text ? jparse(text, (size_t)sqlite3_column_bytes(st, 4), 0, 0, &je)
				      : NULL;
		json_t *body = json_object_get(config, "BackupSelection");
		struct bm_sel *sl;

		if (!text)
			continue;
		ALLOC_GROW(m->sels, m->n_sels + 1, m->alloc_sels);
		sl = &m->sels[m->n_sels++];
		sl->key = sqlite3_value_dup(sqlite3_column_value(st, 0));
		sl->account = sqlite3_value_dup(sqlite3_column_value(st, 1));
		sl->region = sqlite3_value_dup(sqlite3_column_value(st, 2));
		sl->resource_id = sqlite3_value_dup(sqlite3_column_value(st, 3));
		if (!sl->key || !sl->account || !sl->region || !sl->resource_id)
			abort(); /* out of memory */
		sl->config = config;
		/* the selection's fields at the top when not under BackupSelection */
		sl->body = body && !json_is_null(body) ? body : config;
		sl->unreadable = config ? backup_selection_unreadable(config, sl->body)
					: "its configuration is not JSON";
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_error(s, d, "cannot read the backup selections");
	return 0;
}

static void release_places(struct matcher *mt)
{
	for (size_t i = 0; i < mt->n_places; i++) {
		struct place *pl = &mt->places[i];

		for (size_t l = 0; l < pl->n_lists; l++)
			free(pl->lists[l].v);
		free(pl->lists);
		keymap_release(&pl->tags);
		keymap_release(&pl->patterns);
		free(pl->cands);
		free(pl->by_arn);
	}
	free(mt->places);
	keymap_release(&mt->place_ids);
	strbuf_release(&mt->key);
	free(mt->stamp);
	free(mt->code);
	free(mt->pick);
}

int bmatch_run(struct store *s, struct bmatch *m, struct diag *d)
{
	struct matcher mt;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	strbuf_init(&m->arena, 0);
	memset(&mt, 0, sizeof(mt));
	strbuf_init(&mt.key, 0);
	mt.m = m;
	if (read_candidates(s, &mt, d) || read_selections(s, m, d))
		goto out;
	mt.stamp = xcalloc(m->n_cands ? m->n_cands : 1, sizeof(size_t));
	mt.code = xcalloc(m->n_cands ? m->n_cands : 1, sizeof(long));
	for (size_t i = 0; i < m->n_sels; i++)
		match_selection(&mt, i);
	order_hits(m);
	rc = 0;
out:
	release_places(&mt);
	return rc;
}

/* The candidate of an item key. */
static void index_keys(const struct bmatch *m, struct keymap *keys)
{
	keymap_reserve(keys, m->n_cands);
	for (size_t i = 0; i < m->n_cands; i++) {
		const struct bm_value *k = &m->cands[i].key;
		int added;

		*keymap_insert(keys, at(m, k->off), k->len, &added) = (int64_t)i;
	}
}


/* 1 if a DB instance may name its DB cluster, 0 if none does, -1 on an
 * error. An instance's configuration without the text
 * dBClusterIdentifier and without a backslash (a JSON escape) has no
 * such member; so the join, which parses every configuration, is
 * skipped where no instance is in a cluster. */
static int instances_may_link(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, instances_sql, d);
	int step = SQLITE_DONE, may = 0;

	if (!st)
		return -1;
	while (!may && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *config = (const char *)sqlite3_column_text(st, 0);

		may = config && (strstr(config, "dBClusterIdentifier") || strchr(config, '\\'));
	}
	sqlite3_finalize(st);
	if (!may && step != SQLITE_DONE)
		return store_error(s, d, "cannot read the DB instances");
	return may;
}

static int link_clusters(struct store *s, struct bmatch *m, struct diag *d)
{
	struct keymap keys = KEYMAP_INIT;
	sqlite3_stmt *st;
	int step, any = 0;

	for (size_t i = 0; i < m->n_cands && !any; i++)
		any = (m->cands[i].n_hits > 0 || m->cands[i].maybe) && is_cluster(m, &m->cands[i]);
	if (!any)
		return 0;
	if ((any = instances_may_link(s, d)) <= 0)
		return any;
	st = store_prepare(s, clusters_sql, d);
	if (!st)
		return -1;
	index_keys(m, &keys);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *i = keymap_find(&keys, sqlite3_column_blob(st, 0),
					 (size_t)sqlite3_column_bytes(st, 0));
		int64_t *c = keymap_find(&keys, sqlite3_column_blob(st, 1),
					 (size_t)sqlite3_column_bytes(st, 1));
		struct bm_cand *inst;

		if (!i || !c)
			continue;
		inst = &m->cands[*i];
		if (m->cands[*c].maybe && !inst->maybe_via) {
			inst->maybe_via = m->cands[*c].maybe;
			inst->via_cluster = (size_t)*c + 1;
		}
		if (m->cands[*c].n_hits == 0)
			continue;
		ALLOC_GROW(inst->clusters, inst->n_clusters + 1, inst->alloc_clusters);
		inst->clusters[inst->n_clusters++] = (size_t)*c;
	}
	sqlite3_finalize(st);
	keymap_release(&keys);
	if (step != SQLITE_DONE)
		return store_error(s, d, "cannot link DB instances to their DB clusters");
	return 0;
}

int bmatch_group(struct store *s, struct bmatch *m, struct diag *d)
{
	struct keymap groups = KEYMAP_INIT;
	struct strbuf k = STRBUF_INIT;

	if (link_clusters(s, m, d))
		return -1;
	for (size_t i = 0; i < m->n_cands; i++) {
		struct bm_cand *c = &m->cands[i];
		int added = 0;
		int64_t *slot;

		if (c->n_hits == 0 && c->n_clusters == 0)
			continue;
		/* The hits (a why names its selection) and the linked clusters. */
		strbuf_reset(&k);
		for (size_t h = 0; h < c->n_hits; h++)
			strbuf_add(&k, &m->hits[m->hit_order[c->hit0 + h]].why, sizeof(size_t));
		if (c->n_clusters > 1)
			qsort(c->clusters, c->n_clusters, sizeof(size_t), cmp_size);
		strbuf_add(&k, "\1", 1);
		for (size_t l = 0; l < c->n_clusters; l++)
			strbuf_add(&k, &c->clusters[l], sizeof(size_t));
		slot = keymap_insert(&groups, k.buf, k.len, &added);
		if (added)
			*slot = ++m->n_groups;
		c->group = (long)*slot;
	}
	strbuf_release(&k);
	keymap_release(&groups);
	return 0;
}

void bmatch_release(struct bmatch *m)
{
	for (size_t i = 0; i < m->n_cands; i++)
		free(m->cands[i].clusters);
	for (size_t i = 0; i < m->n_sels; i++) {
		sqlite3_value_free(m->sels[i].key);
		sqlite3_value_free(m->sels[i].account);
		sqlite3_value_free(m->sels[i].region);
		sqlite3_value_free(m->sels[i].resource_id);
		json_decref(m->sels[i].config);
	}
	for (size_t i = 0; i < m->n_whys; i++)
		free(m->whys[i]);
	strbuf_release(&m->arena);
	free(m->cands);
	free(m->tags);
	free(m->sels);
	free(m->hits);
	free(m->hit_order);
	free(m->whys);
	memset(m, 0, sizeof(*m));
}
