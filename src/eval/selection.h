/*
 * selection: a run must evaluate something. After the point-in-time
 * state is built, every --account and --region of the request must occur
 * in it, and it must not be empty; otherwise the run is not stored and
 * the error names the nearest valid values (the accounts or regions the
 * store holds, the earliest time it holds).
 */
#ifndef CFGAUDIT_SELECTION_H
#define CFGAUDIT_SELECTION_H

#include <stddef.h>

#include "eval/eval.h"
#include "store/store.h"
#include "util/diag.h"

/* scope: the (account, region) pairs of the state, 2 strings each, n of
 * them strings. as_of: canonical. Returns 0, or -1 with d filled. */
int selection_check(struct store *s, const struct eval_request *req, const char *as_of,
		    char *const *scope, size_t n, struct diag *d);

#endif
