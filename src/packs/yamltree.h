/*
 * yamltree: a small YAML document tree built from libyaml's event parser,
 * private to the packs module. Every scalar keeps its source text (no
 * YAML 1.1 typing: `90`, `true` and `'90'` all stay text), its tag and
 * whether it was quoted; every node keeps its 1-based line and column.
 *
 * Deliberately strict, because templates are hostile input: one document
 * only, scalar mapping keys only, no duplicate keys, no aliases, bounded
 * nesting depth and node count.
 */
#ifndef CFGAUDIT_PACKS_YAMLTREE_H
#define CFGAUDIT_PACKS_YAMLTREE_H

#include <stddef.h>

#include "util/diag.h"

enum ynode_kind {
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
};

struct ynode {
	enum ynode_kind kind;
	char *tag;	      /* explicit tag as libyaml resolved it ("!Ref"), or NULL */
	char *text;	      /* YN_SCALAR: the scalar's text (NUL-terminated, owned) */
	size_t text_len;      /* YN_SCALAR: bytes in text (it may hold NUL bytes) */
	int quoted;	      /* YN_SCALAR: 1 if single/double-quoted or a block scalar */
	long line;	      /* 1-based line where the node starts */
	long column;	      /* 1-based column where the node starts */
	struct ynode **items; /* YN_SEQ: n items; YN_MAP: 2*n nodes, key then value */
	size_t n;	      /* YN_SEQ: items; YN_MAP: key/value pairs */
	size_t alloc;	      /* slots allocated in items */
	int pending_key;      /* YN_MAP while building: a key waits for its value */
};

/* Parse one YAML document from data. Returns the root node (the caller
 * frees it with ynode_free), or NULL with d filled as path:line:column. */
struct ynode *ytree_parse(const char *path, const char *data, size_t len, struct diag *d);

void ynode_free(struct ynode *n);

/* Key i / value i of a mapping (borrowed). */
static inline const struct ynode *ymap_key(const struct ynode *m, size_t i)
{
	return m->items[2 * i];
}
static inline const struct ynode *ymap_val(const struct ynode *m, size_t i)
{
	return m->items[2 * i + 1];
}

/* The value of key in mapping m, or NULL (also when m is not a mapping). */
const struct ynode *ymap_get(const struct ynode *m, const char *key);

/* Is n a scalar whose text equals s? */
int yscalar_is(const struct ynode *n, const char *s);

#endif
