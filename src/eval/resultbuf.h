/*
 * resultbuf: the results of a run while it is evaluated, in memory, one
 * verdict per (rule, resource), until the run is stored.
 *
 * Kept in C rather than in a temporary table: a run of the Security pack
 * over 500k items has 800k results, and inserting each into SQLite twice
 * (stage, then store) was a quarter of the evaluation.
 */
#ifndef CFGAUDIT_RESULTBUF_H
#define CFGAUDIT_RESULTBUF_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

struct result_row {
	const char *resource_type, *resource_id, *account_id, *aws_region;
	int compliance;     /* index into eval_compliance_names */
	const char *annotation; /* NULL for none */
	size_t annotation_len;
	const void *item_key; /* NULL for none */
	size_t item_key_len;
};

struct resultbuf;

struct resultbuf *resultbuf_new(void);
void resultbuf_free(struct resultbuf *rb);

/* Finds the key of the item behind a resource (*key NULL for none; the
 * bytes need to last only until the next call). Returns 0, or -1 on a
 * failure the resolver records itself. */
typedef int (*resultbuf_resolve_fn)(void *ctx, const char *type, const char *id,
				    const char *account, const char *region, const void **key,
				    size_t *len);
/* Look up the item of each resource a result names without one
 * (result_row.item_key NULL), once per resource. */
void resultbuf_set_resolver(struct resultbuf *rb, resultbuf_resolve_fn fn, void *ctx);

/* Start the results of one rule (numbered as run_rules.rule_no). */
void resultbuf_begin_rule(struct resultbuf *rb, int rule_no);
/* Add a result of the current rule. When the rule already gave one for
 * the same resource, the worse verdict stays (NON_COMPLIANT, then
 * INSUFFICIENT_DATA, COMPLIANT, NOT_APPLICABLE), with its annotation.
 * Returns 0, or -1 when the resolver failed. */
int resultbuf_add(struct resultbuf *rb, const struct result_row *r);
/* Forget the current rule's results (the rule turned out invalid). */
void resultbuf_drop_rule(struct resultbuf *rb);
/* The current rule's verdicts so far, by compliance index. */
const long *resultbuf_rule_counts(const struct resultbuf *rb);

/* (rule, account, region) triples with a NON_COMPLIANT result. */
long resultbuf_noncompliant_triples(const struct resultbuf *rb);
/* Insert every result of the n buffers (each holding other rules) into
 * run_results under run_id, in rule order and within a rule in the order
 * the rule gave them, inside the caller's transaction; each resource and
 * annotation text they name is stored once (store/run.h's numbered
 * rows). The buffers may be stored again. Returns 0 or -1 with d filled. */
int resultbuf_store(struct resultbuf *const *bufs, size_t n, struct store *s, int64_t run_id,
		    struct diag *d);

#endif
