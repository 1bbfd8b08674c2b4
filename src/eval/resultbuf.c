/*
 * resultbuf: results in an append-only pool (see resultbuf.h). A
 * resource's identity (account, region, type, id, item key) is copied
 * into the pool once, the first time any rule gives it a verdict, and
 * shared by all its results; an annotation is copied once per distinct
 * text. A result is then 24 bytes: on shape a of bench/shapes.sh every
 * shipped rule gives 413k results with 44.6k distinct annotations,
 * whose copies (identity, annotation) took about 150 bytes each. A
 * worse verdict for the same resource replaces the verdict and its
 * annotation. A rule's results are contiguous, so dropping them is a
 * truncation of the rows (the pool keeps what they pointed at, which
 * later results may share). The store keeps the same sharing: a run
 * writes each resource and annotation its results name once, and the
 * results name them by number (resultbuf_store).
 *
 * A resource is known by its four columns; the item behind it (its key)
 * is looked up once, when a rule first gives it a verdict, through the
 * caller's resolver: joining every result of every rule to the
 * point-in-time state in SQL cost a B-tree search per result (413k on
 * shape a, 5% of evaluating every rule).
 */
#include "eval/resultbuf.h"
#include "eval/eval.h"
#include "store/run.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { F_ACCOUNT, F_REGION, F_TYPE, F_ID, F_KEY, N_FIELDS };

/* An identity in the pool: N_FIELDS uint32 lengths (F_KEY 0 when there
 * is no item), then the fields back to back, the texts with their NULs. */
#define IDENT_HEAD (N_FIELDS * sizeof(uint32_t))

struct result {
	size_t annotation;        /* pool offset of the annotation's text */
	uint32_t annotation_len;
	uint32_t resource;        /* index in resources */
	int32_t rule_no;
	uint8_t compliance;
	uint8_t has_annotation;
};

/* A resource met by some rule: its identity, its row in the current
 * rule's results when gen is the rule's generation, and while the
 * buffer is stored, its number among the stored resources (0: none)
 * and its place's number in the run's digest. */
struct resource {
	size_t ident;
	size_t row;
	uint32_t gen;
	uint32_t no;
	int32_t place;
};

struct slot {
	uint64_t hash;	   /* 0: empty (keymap_text_hash never returns 0) */
	uint32_t resource; /* index in resources */
	uint32_t key_len;  /* bytes of its four columns with their NULs */
};

struct resultbuf {
	struct result *rows;
	size_t n, alloc;
	struct strbuf pool;
	/* resource -> index in resources: open addressing on the hash of
	 * its four columns, compared with the identity in the pool (a
	 * keymap would keep a second copy of every identity) */
	struct slot *slots;
	size_t cap, n_slots;
	resultbuf_resolve_fn resolve;
	void *resolve_ctx;
	struct resource *resources;
	size_t n_resources, alloc_resources;
	struct keymap annots;     /* hash of a text -> pool offset of a copy */
	/* every copy's pool offset: a copy is its length and, while the
	 * buffer is stored, its number among the stored annotations (0:
	 * none), two uint32, then its text */
	size_t *annot_offs;
	size_t n_annots, alloc_annots;
	/* the copy the last annotation got (0: none): a rule often gives
	 * the same text to many resources in a row, and comparing it costs
	 * less than hashing it */
	size_t last_annot;
	/* The current rule: its generation (a resource's row counts only
	 * when its gen is this one), where it starts, its verdict counts. */
	int rule_no;
	uint32_t gen;
	size_t rule_first_row;
	struct strbuf key;
	long counts[4];
};

/* Worse verdicts rank higher; indexes as eval_compliance_names. */
static int verdict_rank(int compliance)
{
	static const int rank[4] = { 2, 4, 1, 3 };

	return rank[compliance];
}

struct resultbuf *resultbuf_new(void)
{
	struct resultbuf *rb = xcalloc(1, sizeof(*rb));

	strbuf_init(&rb->pool, 1 << 20);
	strbuf_init(&rb->key, 256);
	return rb;
}

void resultbuf_free(struct resultbuf *rb)
{
	if (!rb)
		return;
	free(rb->rows);
	strbuf_release(&rb->pool);
	strbuf_release(&rb->key);
	free(rb->slots);
	free(rb->resources);
	free(rb->annot_offs);
	keymap_release(&rb->annots);
	free(rb);
}

void resultbuf_begin_rule(struct resultbuf *rb, int rule_no)
{
	rb->rule_no = rule_no;
	rb->gen++;
	rb->rule_first_row = rb->n;
	memset(rb->counts, 0, sizeof(rb->counts));
}

void resultbuf_drop_rule(struct resultbuf *rb)
{
	rb->n = rb->rule_first_row;
	rb->gen++;
	memset(rb->counts, 0, sizeof(rb->counts));
}

const long *resultbuf_rule_counts(const struct resultbuf *rb)
{
	return rb->counts;
}

static uint32_t field_len(size_t n)
{
	if (n > UINT32_MAX)
		abort(); /* a 4 GiB resource id: SQLite cannot hold it either */
	return (uint32_t)n;
}

void resultbuf_set_resolver(struct resultbuf *rb, resultbuf_resolve_fn fn, void *ctx)
{
	rb->resolve = fn;
	rb->resolve_ctx = ctx;
}

/* The resource's four columns as the pool holds them: account, region,
 * type, id, each with its NUL. */
static void resource_key(struct strbuf *k, const struct result_row *r)
{
	strbuf_reset(k);
	strbuf_add(k, r->account_id, strlen(r->account_id) + 1);
	strbuf_add(k, r->aws_region, strlen(r->aws_region) + 1);
	strbuf_add(k, r->resource_type, strlen(r->resource_type) + 1);
	strbuf_add(k, r->resource_id, strlen(r->resource_id) + 1);
}

/* The slot of the resource whose columns are rb->key (hash h): its own,
 * or the empty one where it belongs. The texts hold no NUL, so equal
 * bytes up to the key's fourth NUL are equal columns. */
static struct slot *probe_slot(const struct resultbuf *rb, uint64_t h)
{
	size_t mask = rb->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *sl = &rb->slots[i];

		if (!sl->hash)
			return sl;
		if (sl->hash == h && sl->key_len == rb->key.len &&
		    !memcmp(rb->pool.buf + rb->resources[sl->resource].ident + IDENT_HEAD,
			    rb->key.buf, rb->key.len))
			return sl;
	}
}

static void grow_slots(struct resultbuf *rb)
{
	struct slot *old = rb->slots;
	size_t old_cap = rb->cap;

	rb->cap = old_cap ? old_cap * 2 : 8192;
	rb->slots = xcalloc(rb->cap, sizeof(*rb->slots));
	for (size_t i = 0; i < old_cap; i++) {
		size_t mask = rb->cap - 1, j;

		if (!old[i].hash)
			continue;
		for (j = old[i].hash & mask; rb->slots[j].hash; j = (j + 1) & mask)
			;
		rb->slots[j] = old[i];
	}
	free(old);
}

/* The resource of r (rb->key holds its columns), its identity copied
 * into the pool the first time, with the key of the item behind it: the
 * row's, or the resolver's. Returns NULL when the resolver failed. */
static struct resource *find_resource(struct resultbuf *rb, const struct result_row *r)
{
	const char *text[F_KEY] = { r->account_id, r->aws_region, r->resource_type,
				    r->resource_id };
	uint32_t len[N_FIELDS];
	uint64_t h = keymap_text_hash(rb->key.buf, rb->key.len);
	const void *item_key = r->item_key;
	size_t item_key_len = r->item_key_len;
	struct slot *sl;
	struct resource *res;

	if (2 * (rb->n_slots + 1) > rb->cap)
		grow_slots(rb);
	sl = probe_slot(rb, h);
	if (sl->hash)
		return &rb->resources[sl->resource];
	if (!item_key && rb->resolve &&
	    rb->resolve(rb->resolve_ctx, r->resource_type, r->resource_id, r->account_id,
			r->aws_region, &item_key, &item_key_len))
		return NULL;
	if (rb->n_resources == rb->alloc_resources) {
		rb->alloc_resources = rb->alloc_resources ? rb->alloc_resources * 2 : 4096;
		rb->resources =
		    xrealloc(rb->resources, rb->alloc_resources * sizeof(*rb->resources));
	}
	sl->hash = h;
	sl->resource = field_len(rb->n_resources);
	sl->key_len = field_len(rb->key.len);
	rb->n_slots++;
	res = &rb->resources[rb->n_resources++];
	res->ident = rb->pool.len;
	res->row = 0;
	res->gen = 0; /* generations start at 1 */
	res->no = 0;
	res->place = 0;
	for (int f = 0; f < F_KEY; f++)
		len[f] = field_len(strlen(text[f]));
	len[F_KEY] = field_len(item_key ? item_key_len : 0);
	strbuf_add(&rb->pool, len, IDENT_HEAD);
	strbuf_add(&rb->pool, rb->key.buf, rb->key.len); /* the texts, as the key has them */
	if (item_key)
		strbuf_add(&rb->pool, item_key, item_key_len);
	return res;
}

/* Whether the annotation copy at pool offset off holds text. */
static int copy_is(const struct resultbuf *rb, size_t off, const char *text, uint32_t len)
{
	uint32_t copy_len;

	memcpy(&copy_len, rb->pool.buf + off - 2 * sizeof(copy_len), sizeof(copy_len));
	return copy_len == len && !memcmp(rb->pool.buf + off, text, len);
}

/* The pool offset of a copy of the annotation text: the one already
 * there when the last or an earlier annotation had the same text (and
 * hash), else a new one. */
static size_t intern_annotation(struct resultbuf *rb, const char *text, uint32_t len)
{
	uint64_t h;
	int added;
	int64_t *slot;
	size_t off;

	uint32_t head[2] = { len, 0 };

	if (rb->last_annot && copy_is(rb, rb->last_annot, text, len))
		return rb->last_annot;
	h = keymap_text_hash(text, len);
	slot = keymap_insert(&rb->annots, &h, sizeof(h), &added);
	if (!added) {
		off = (size_t)*slot;
		if (copy_is(rb, off, text, len))
			return rb->last_annot = off;
		/* another text of the same hash: a copy of its own */
	}
	strbuf_add(&rb->pool, head, sizeof(head));
	off = rb->pool.len;
	strbuf_add(&rb->pool, text, len);
	ALLOC_GROW(rb->annot_offs, rb->n_annots + 1, rb->alloc_annots);
	rb->annot_offs[rb->n_annots++] = off;
	if (added)
		*slot = (int64_t)off;
	return rb->last_annot = off;
}

static void set_annotation(struct resultbuf *rb, struct result *row, const struct result_row *r)
{
	row->has_annotation = r->annotation != NULL;
	row->annotation_len = field_len(r->annotation ? r->annotation_len : 0);
	row->annotation = r->annotation
				  ? intern_annotation(rb, r->annotation, row->annotation_len)
				  : 0;
}

int resultbuf_add(struct resultbuf *rb, const struct result_row *r)
{
	struct resource *res;
	struct result *row;

	resource_key(&rb->key, r);
	res = find_resource(rb, r);
	if (!res)
		return -1;
	if (res->gen == rb->gen) { /* the rule gave it a verdict already */
		row = &rb->rows[res->row];
		if (verdict_rank(r->compliance) <= verdict_rank(row->compliance))
			return 0;
		rb->counts[row->compliance]--;
		rb->counts[r->compliance]++;
		row->compliance = (uint8_t)r->compliance;
		set_annotation(rb, row, r);
		return 0;
	}
	if (rb->n == rb->alloc) {
		rb->alloc = rb->alloc ? rb->alloc * 2 : 4096;
		rb->rows = xrealloc(rb->rows, rb->alloc * sizeof(*rb->rows));
	}
	res->gen = rb->gen;
	res->row = rb->n;
	row = &rb->rows[rb->n++];
	row->resource = (uint32_t)(res - rb->resources);
	row->rule_no = rb->rule_no;
	row->compliance = (uint8_t)r->compliance;
	set_annotation(rb, row, r);
	rb->counts[r->compliance]++;
	return 0;
}

/* The length of field f of resource res. */
static uint32_t field_size(const struct resultbuf *rb, const struct resource *res, int f)
{
	uint32_t len;

	memcpy(&len, rb->pool.buf + res->ident + (size_t)f * sizeof(len), sizeof(len));
	return len;
}

/* The fields of resource res, in pool order. */
static const char *field(const struct resultbuf *rb, const struct resource *res, int f)
{
	const char *p = rb->pool.buf + res->ident + IDENT_HEAD;

	for (int i = 0; i < f; i++)
		p += field_size(rb, res, i) + 1;
	return p;
}

long resultbuf_noncompliant_triples(const struct resultbuf *rb)
{
	struct keymap triples = KEYMAP_INIT;
	struct strbuf k = STRBUF_INIT;
	long n;

	for (size_t i = 0; i < rb->n; i++) {
		const struct result *row = &rb->rows[i];
		const struct resource *res = &rb->resources[row->resource];

		if (row->compliance != 1) /* NON_COMPLIANT in eval_compliance_names */
			continue;
		strbuf_reset(&k);
		strbuf_add(&k, &row->rule_no, sizeof(row->rule_no));
		/* account\0region\0: the first two fields, with their NULs */
		strbuf_add(&k, field(rb, res, F_ACCOUNT),
			   field_size(rb, res, F_ACCOUNT) + 1 + field_size(rb, res, F_REGION) + 1);
		keymap_insert(&triples, k.buf, k.len, NULL);
	}
	n = (long)triples.count;
	keymap_release(&triples);
	strbuf_release(&k);
	return n;
}

/*
 * The buffers as three eponymous virtual tables (the results, the
 * resources they name, the annotation texts they name), so that storing
 * them is one INSERT ... SELECT each: stepping an INSERT once per result
 * re-opened the table and index cursors every time and took twice as
 * long. The store numbers resources and annotations (store/run.h): a
 * buffer's resource or annotation gets its number when a stored result
 * first names it, so that only what the results name is written, each
 * once, in number order.
 */
#define VTAB_RESULTS "cfgaudit_staged_results"
#define VTAB_RESOURCES "cfgaudit_staged_resources"
#define VTAB_ANNOTATIONS "cfgaudit_staged_annotations"

enum rb_kind { K_RESULTS, K_RESOURCES, K_ANNOTATIONS };

/* A rule's rows are contiguous in the buffer of the connection that ran
 * it; segments lists those runs sorted by rule. */
struct rb_segment {
	int32_t rule_no;
	struct resultbuf *rb;
	size_t first, end; /* rows [first, end) */
};

/* A stored resource or annotation: its buffer, and its index in the
 * buffer's resources or its pool offset. */
struct rb_named {
	struct resultbuf *rb;
	size_t at;
};

struct rb_set {
	struct rb_segment *segments;
	size_t n, total;
	struct rb_named *resources, *annotations;
	size_t n_resources, n_annotations;
	int64_t resource_base, annotation_base; /* the store's numbers of number 1 */
};

/* What one of the three tables reads. */
struct rb_source {
	enum rb_kind kind;
	struct rb_set *set;
};

struct rb_vtab {
	sqlite3_vtab base;
	const struct rb_source *src;
};

struct rb_cursor {
	sqlite3_vtab_cursor base;
	size_t segment; /* K_RESULTS: set->n at the end */
	size_t row;     /* K_RESULTS: in that segment's buffer; else the index */
	sqlite3_int64 rowid;
};

static size_t rb_rows(const struct rb_source *src)
{
	return src->kind == K_RESULTS	  ? src->set->total
	       : src->kind == K_RESOURCES ? src->set->n_resources
					  : src->set->n_annotations;
}

/* Move to the first row of the first non-empty segment from c->segment. */
static void rb_settle(struct rb_cursor *c, const struct rb_set *set)
{
	while (c->segment < set->n && c->row >= set->segments[c->segment].end) {
		c->segment++;
		if (c->segment < set->n)
			c->row = set->segments[c->segment].first;
	}
}

static int segment_order(const void *a, const void *b)
{
	const struct rb_segment *x = a, *y = b;

	return (x->rule_no > y->rule_no) - (x->rule_no < y->rule_no);
}

static int rb_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **out, char **err)
{
	static const char *const decl[] = {
		[K_RESULTS] = "CREATE TABLE x(rule_no, account_id, aws_region, resource_no,"
			      " verdict, annotation_no)",
		[K_RESOURCES] = "CREATE TABLE x(resource_no, resource_type, resource_id, item_key)",
		[K_ANNOTATIONS] = "CREATE TABLE x(annotation_no, annotation)",
	};
	const struct rb_source *src = aux;
	struct rb_vtab *t;
	int rc = sqlite3_declare_vtab(db, decl[src->kind]);

	(void)argc;
	(void)argv;
	(void)err;
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->src = src;
	*out = &t->base;
	return SQLITE_OK;
}

static int rb_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int rb_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	size_t n = rb_rows(((struct rb_vtab *)t)->src);

	info->estimatedCost = (double)n + 1;
	info->estimatedRows = (sqlite3_int64)n;
	return SQLITE_OK;
}

static int rb_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct rb_cursor *c = sqlite3_malloc(sizeof(*c));

	(void)t;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int rb_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int rb_filter(sqlite3_vtab_cursor *c, int num, const char *str, int argc,
		     sqlite3_value **argv)
{
	struct rb_cursor *rc = (struct rb_cursor *)c;
	const struct rb_source *src = ((struct rb_vtab *)c->pVtab)->src;

	(void)num;
	(void)str;
	(void)argc;
	(void)argv;
	rc->segment = 0;
	rc->row = 0;
	rc->rowid = 0;
	if (src->kind == K_RESULTS) {
		rc->row = src->set->n ? src->set->segments[0].first : 0;
		rb_settle(rc, src->set);
	}
	return SQLITE_OK;
}

static int rb_next(sqlite3_vtab_cursor *c)
{
	struct rb_cursor *rc = (struct rb_cursor *)c;
	const struct rb_source *src = ((struct rb_vtab *)c->pVtab)->src;

	rc->row++;
	rc->rowid++;
	if (src->kind == K_RESULTS)
		rb_settle(rc, src->set);
	return SQLITE_OK;
}

static int rb_eof(sqlite3_vtab_cursor *c)
{
	const struct rb_cursor *rc = (const struct rb_cursor *)c;
	const struct rb_source *src = ((struct rb_vtab *)c->pVtab)->src;

	if (src->kind == K_RESULTS)
		return rc->segment == src->set->n;
	return rc->row >= rb_rows(src);
}

/* The number the store gives an annotation copy (its second uint32). */
static uint32_t annotation_no(const struct resultbuf *rb, size_t off)
{
	uint32_t no;

	memcpy(&no, rb->pool.buf + off - sizeof(no), sizeof(no));
	return no;
}

static void result_column(const struct rb_set *set, const struct rb_cursor *c,
			  sqlite3_context *ctx, int col)
{
	const struct resultbuf *rb = set->segments[c->segment].rb;
	const struct result *row = &rb->rows[c->row];
	const struct resource *res = &rb->resources[row->resource];

	switch (col) {
	case 0:
		sqlite3_result_int(ctx, row->rule_no);
		break;
	case 1:
	case 2: /* account, region: fields F_ACCOUNT, F_REGION */
		sqlite3_result_text(ctx, field(rb, res, col - 1), (int)field_size(rb, res, col - 1),
				    SQLITE_STATIC);
		break;
	case 3:
		sqlite3_result_int64(ctx, set->resource_base + res->no - 1);
		break;
	case 4:
		sqlite3_result_int(ctx, row->compliance);
		break;
	case 5:
		if (row->has_annotation)
			sqlite3_result_int64(ctx, set->annotation_base +
							  annotation_no(rb, row->annotation) - 1);
		break;
	}
}

static void resource_column(const struct rb_set *set, const struct rb_cursor *c,
			    sqlite3_context *ctx, int col)
{
	const struct rb_named *n = &set->resources[c->row];
	const struct resultbuf *rb = n->rb;
	const struct resource *res = &rb->resources[n->at];

	switch (col) {
	case 0:
		sqlite3_result_int64(ctx, set->resource_base + (int64_t)c->row);
		break;
	case 1:
	case 2: /* type, id: fields F_TYPE, F_ID */
		sqlite3_result_text(ctx, field(rb, res, F_TYPE + col - 1),
				    (int)field_size(rb, res, F_TYPE + col - 1), SQLITE_STATIC);
		break;
	case 3:
		if (field_size(rb, res, F_KEY))
			sqlite3_result_blob(ctx, field(rb, res, F_KEY),
					    (int)field_size(rb, res, F_KEY), SQLITE_STATIC);
		break;
	}
}

static void annotation_column(const struct rb_set *set, const struct rb_cursor *c,
			      sqlite3_context *ctx, int col)
{
	const struct rb_named *n = &set->annotations[c->row];
	uint32_t len;

	if (col == 0) {
		sqlite3_result_int64(ctx, set->annotation_base + (int64_t)c->row);
		return;
	}
	memcpy(&len, n->rb->pool.buf + n->at - 2 * sizeof(len), sizeof(len));
	sqlite3_result_text(ctx, n->rb->pool.buf + n->at, (int)len, SQLITE_STATIC);
}

static int rb_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
	const struct rb_cursor *rc = (const struct rb_cursor *)c;
	const struct rb_source *src = ((struct rb_vtab *)c->pVtab)->src;

	if (src->kind == K_RESULTS)
		result_column(src->set, rc, ctx, col);
	else if (src->kind == K_RESOURCES)
		resource_column(src->set, rc, ctx, col);
	else
		annotation_column(src->set, rc, ctx, col);
	return SQLITE_OK;
}

static int rb_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
	*rowid = ((struct rb_cursor *)c)->rowid;
	return SQLITE_OK;
}

static const sqlite3_module rb_module = {
	.xConnect = rb_connect,
	.xBestIndex = rb_best_index,
	.xDisconnect = rb_disconnect,
	.xOpen = rb_open,
	.xClose = rb_close,
	.xFilter = rb_filter,
	.xNext = rb_next,
	.xEof = rb_eof,
	.xColumn = rb_column,
	.xRowid = rb_rowid,
};

/* The segments of the n buffers, sorted by rule. */
static void collect_segments(struct resultbuf *const *bufs, size_t n, struct rb_set *set)
{
	size_t alloc = 0;

	for (size_t i = 0; i < n; i++) {
		struct resultbuf *rb = bufs[i];

		set->total += rb->n;
		for (size_t r = 0; r < rb->n; r++) {
			if (r > 0 && rb->rows[r].rule_no == rb->rows[r - 1].rule_no) {
				set->segments[set->n - 1].end = r + 1;
				continue;
			}
			if (set->n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				set->segments =
				    xrealloc(set->segments, alloc * sizeof(*set->segments));
			}
			set->segments[set->n++] =
			    (struct rb_segment){ rb->rows[r].rule_no, rb, r, r + 1 };
		}
	}
	if (set->n)
		qsort(set->segments, set->n, sizeof(*set->segments), segment_order);
}

/* Number the resources and annotations the results name, in the order
 * the results are stored, and list them in that order; and build the
 * run's digest of them (g) on the way, from the numbers set->*_base on:
 * a resource's place is looked up once, when it is numbered. */
static void number_named(struct resultbuf *const *bufs, size_t n, struct rb_set *set,
			 struct run_digest_build *g)
{
	size_t alloc_res = 0, alloc_ann = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t r = 0; r < bufs[i]->n_resources; r++)
			bufs[i]->resources[r].no = 0;
		for (size_t a = 0; a < bufs[i]->n_annots; a++)
			memset(bufs[i]->pool.buf + bufs[i]->annot_offs[a] - sizeof(uint32_t), 0,
			       sizeof(uint32_t));
	}
	ALLOC_GROW(g->rows, set->total, g->alloc_rows);
	for (size_t k = 0; k < set->n; k++) {
		struct resultbuf *rb = set->segments[k].rb;

		for (size_t r = set->segments[k].first; r < set->segments[k].end; r++) {
			const struct result *row = &rb->rows[r];
			struct resource *res = &rb->resources[row->resource];

			if (!res->no) {
				uint32_t key_len = field_size(rb, res, F_KEY);

				ALLOC_GROW(set->resources, set->n_resources + 1, alloc_res);
				set->resources[set->n_resources++] =
				    (struct rb_named){ rb, row->resource };
				res->no = field_len(set->n_resources);
				res->place = run_digest_place(
				    g, field(rb, res, F_ACCOUNT), field_size(rb, res, F_ACCOUNT),
				    field(rb, res, F_REGION), field_size(rb, res, F_REGION));
				run_digest_add_res(g, set->resource_base + res->no - 1,
						   key_len ? field(rb, res, F_KEY) : NULL, key_len);
			}
			if (row->has_annotation && !annotation_no(rb, row->annotation)) {
				uint32_t no;

				ALLOC_GROW(set->annotations, set->n_annotations + 1, alloc_ann);
				set->annotations[set->n_annotations++] =
				    (struct rb_named){ rb, row->annotation };
				no = field_len(set->n_annotations);
				memcpy(rb->pool.buf + row->annotation - sizeof(no), &no, sizeof(no));
			}
			g->rows[g->n_rows++] = (struct run_digest_row){
				set->resource_base + res->no - 1, row->rule_no, res->place,
				row->compliance, 0 };
		}
	}
}

int resultbuf_store(struct resultbuf *const *bufs, size_t n, struct store *s, int64_t run_id,
		    struct diag *d)
{
	struct rb_set set = { 0 };
	struct rb_source src[3] = {
		{ K_RESULTS, &set }, { K_RESOURCES, &set }, { K_ANNOTATIONS, &set } };
	static const char *const names[3] = { VTAB_RESULTS, VTAB_RESOURCES, VTAB_ANNOTATIONS };
	struct run_digest_build g;
	int rc = 0;

	run_digest_init(&g);
	collect_segments(bufs, n, &set);
	if (run_results_next_numbers(s, &set.resource_base, &set.annotation_base, d))
		rc = -1;
	else
		number_named(bufs, n, &set, &g);
	for (int k = 0; !rc && k < 3; k++)
		if (sqlite3_create_module_v2(s->db, names[k], &rb_module, &src[k], NULL) !=
		    SQLITE_OK)
			rc = store_error(s, d, "cannot record the results");
	if (!rc)
		rc = run_results_insert_from(s, run_id, VTAB_RESOURCES, VTAB_ANNOTATIONS,
					     VTAB_RESULTS, &g, d);
	/* The modules point at set, on this stack: unregister them
	 * (a NULL module drops the name, and only it). */
	for (int k = 0; k < 3; k++)
		sqlite3_create_module_v2(s->db, names[k], NULL, NULL, NULL);
	free(set.segments);
	free(set.resources);
	free(set.annotations);
	run_digest_release(&g);
	return rc;
}
