/*
 * yamltree: libyaml events -> struct ynode tree (see yamltree.h).
 *
 * The tree is built by hand from events rather than with libyaml's
 * document loader because the loader expands aliases (billion laughs),
 * does not bound depth, and loses nothing we need anyway: we want the
 * scalar text, tag, style and position of every node.
 */
#include "packs/yamltree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/xalloc.h"

/* Upstream templates nest at most 9 levels and hold a few thousand nodes;
 * these bounds leave room for any sane template and stop hostile ones. */
#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_NODES 500000

struct builder {
	const char *path;
	const char *data;
	size_t len;
	struct diag *d;
	struct ynode *root;
	struct ynode *stack[YTREE_MAX_DEPTH];
	size_t depth;
	size_t nodes;
};

void ynode_free(struct ynode *n)
{
	size_t i, count;

	if (!n)
		return;
	count = n->kind == YN_MAP ? 2 * n->n + (size_t)n->pending_key : n->n;
	for (i = 0; i < count; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->tag);
	free(n->text);
	free(n);
}

const struct ynode *ymap_get(const struct ynode *m, const char *key)
{
	size_t i;

	if (!m || m->kind != YN_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (yscalar_is(ymap_key(m, i), key))
			return ymap_val(m, i);
	return NULL;
}

int yscalar_is(const struct ynode *n, const char *s)
{
	size_t len = strlen(s);

	return n && n->kind == YN_SCALAR && n->text_len == len && !memcmp(n->text, s, len);
}

__attribute__((format(printf, 4, 5))) static int fail_at(struct builder *b, long line, long column,
							 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset_at(b->d, b->path, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

/* Line and column (1-based) of a byte offset, for libyaml reader errors
 * that carry only an offset. */
static void offset_position(const char *data, size_t len, size_t off, long *line, long *col)
{
	size_t i, bol = 0;

	*line = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	}
	*col = (long)(off - bol) + 1;
}

static int parser_error(struct builder *b, const yaml_parser_t *p)
{
	char msg[DIAG_MSG_MAX];
	long line, col;

	if (p->error == YAML_READER_ERROR) {
		offset_position(b->data, b->len, p->problem_offset, &line, &col);
		snprintf(msg, sizeof(msg), "invalid yaml: %s",
			 p->problem ? p->problem : "read error");
	} else if (p->error == YAML_MEMORY_ERROR) {
		line = col = 0;
		snprintf(msg, sizeof(msg), "invalid yaml: out of memory");
	} else {
		line = (long)p->problem_mark.line + 1;
		col = (long)p->problem_mark.column + 1;
		if (p->context)
			snprintf(msg, sizeof(msg), "invalid yaml: %s %s (started at %ld:%ld)",
				 p->problem ? p->problem : "syntax error", p->context,
				 (long)p->context_mark.line + 1, (long)p->context_mark.column + 1);
		else
			snprintf(msg, sizeof(msg), "invalid yaml: %s",
				 p->problem ? p->problem : "syntax error");
	}
	return fail_at(b, line, col, "%s", msg);
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, const yaml_mark_t *mark,
			      const yaml_char_t *tag)
{
	struct ynode *n;

	if (b->nodes >= YTREE_MAX_NODES) {
		fail_at(b, (long)mark->line + 1, (long)mark->column + 1,
			"template has more than %d nodes", YTREE_MAX_NODES);
		return NULL;
	}
	b->nodes++;
	n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = (long)mark->line + 1;
	n->column = (long)mark->column + 1;
	if (tag)
		n->tag = xstrdup((const char *)tag);
	return n;
}

/* Attach a finished node to the open collection (or make it the root).
 * Takes ownership of n in all cases. */
static int attach(struct builder *b, struct ynode *n)
{
	struct ynode *parent;
	size_t used;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	parent = b->stack[b->depth - 1];
	used = parent->kind == YN_MAP ? 2 * parent->n + (size_t)parent->pending_key : parent->n;
	if (parent->kind == YN_MAP && !parent->pending_key && n->kind != YN_SCALAR) {
		fail_at(b, n->line, n->column, "%s", "mapping keys must be scalars");
		ynode_free(n);
		return -1;
	}
	ALLOC_GROW(parent->items, used + 1, parent->alloc);
	parent->items[used] = n;
	if (parent->kind == YN_MAP) {
		if (parent->pending_key) {
			parent->pending_key = 0;
			parent->n++;
		} else {
			parent->pending_key = 1;
		}
	} else {
		parent->n++;
	}
	return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct ynode *a = *(const struct ynode *const *)pa;
	const struct ynode *b = *(const struct ynode *const *)pb;
	size_t min = a->text_len < b->text_len ? a->text_len : b->text_len;
	int c = memcmp(a->text, b->text, min);

	if (c)
		return c;
	if (a->text_len != b->text_len)
		return a->text_len < b->text_len ? -1 : 1;
	/* Equal keys: order by position so the later one is reported. */
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->column < b->column ? -1 : (a->column > b->column);
}

/* Duplicate keys make the template ambiguous (CloudFormation rejects
 * them too). Sorting a copy of the keys keeps this O(n log n). */
static int check_duplicates(struct builder *b, const struct ynode *m)
{
	const struct ynode **keys;
	size_t i;
	int rc = 0;

	if (m->n < 2)
		return 0;
	keys = xmalloc(m->n * sizeof(*keys));
	for (i = 0; i < m->n; i++)
		keys[i] = ymap_key(m, i);
	qsort(keys, m->n, sizeof(*keys), key_cmp);
	for (i = 1; i < m->n; i++) {
		if (keys[i]->text_len == keys[i - 1]->text_len &&
		    !memcmp(keys[i]->text, keys[i - 1]->text, keys[i]->text_len)) {
			char first[64];

			snprintf(first, sizeof(first), "%ld:%ld", keys[i - 1]->line,
				 keys[i - 1]->column);
			diag_set(b->d, b->path, keys[i]->line,
				 "duplicate key '%.200s' (first at line %s)", keys[i]->text, first);
			b->d->column = keys[i]->column;
			rc = -1;
			break;
		}
	}
	free(keys);
	return rc;
}

static int push(struct builder *b, struct ynode *n)
{
	if (b->depth >= YTREE_MAX_DEPTH) {
		fail_at(b, n->line, n->column, "nesting deeper than %d levels", YTREE_MAX_DEPTH);
		ynode_free(n);
		return -1;
	}
	b->stack[b->depth++] = n;
	return 0;
}

static int pop(struct builder *b)
{
	struct ynode *n = b->stack[--b->depth];

	if (n->kind == YN_MAP) {
		if (n->pending_key) {
			/* cannot happen with a well-formed event stream */
			fail_at(b, n->line, n->column, "%s", "mapping key without a value");
			ynode_free(n);
			return -1;
		}
		if (check_duplicates(b, n) < 0) {
			ynode_free(n);
			return -1;
		}
	}
	return attach(b, n);
}

static int handle_event(struct builder *b, const yaml_event_t *ev, int *documents)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*documents > 1)
			return fail_at(b, (long)ev->start_mark.line + 1,
				       (long)ev->start_mark.column + 1, "%s",
				       "multiple yaml documents are not supported");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(b, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1,
			       "yaml alias '*%.200s' is not supported",
			       (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		/* "\0" in a double-quoted scalar would silently cut names and
		 * values short everywhere C strings are used. */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
			return fail_at(b, (long)ev->start_mark.line + 1,
				       (long)ev->start_mark.column + 1, "%s",
				       "a scalar contains a NUL character");
		n = new_node(b, YN_SCALAR, &ev->start_mark, ev->data.scalar.tag);
		if (!n)
			return -1;
		n->text = xmalloc(ev->data.scalar.length + 1);
		memcpy(n->text, ev->data.scalar.value, ev->data.scalar.length);
		n->text[ev->data.scalar.length] = '\0';
		n->text_len = ev->data.scalar.length;
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(b, YN_SEQ, &ev->start_mark, ev->data.sequence_start.tag);
		return n ? push(b, n) : -1;
	case YAML_MAPPING_START_EVENT:
		n = new_node(b, YN_MAP, &ev->start_mark, ev->data.mapping_start.tag);
		return n ? push(b, n) : -1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop(b);
	default:
		return 0;
	}
}

struct ynode *ytree_parse(const char *path, const char *data, size_t len, struct diag *d)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b;
	int documents = 0, done = 0, rc = 0;

	memset(&b, 0, sizeof(b));
	b.path = path;
	b.data = data;
	b.len = len;
	b.d = d;
	if (!yaml_parser_initialize(&parser)) {
		diag_set(d, path, 0, "cannot initialize the yaml parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(&b, &parser);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = handle_event(&b, &ev, &documents);
		yaml_event_delete(&ev);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&parser);
	while (b.depth > 0)
		ynode_free(b.stack[--b.depth]);
	if (rc < 0) {
		ynode_free(b.root);
		return NULL;
	}
	if (!b.root) {
		diag_set(d, path, 1, "empty template");
		d->column = 1;
		return NULL;
	}
	return b.root;
}
