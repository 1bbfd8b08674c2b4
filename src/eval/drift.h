/*
 * drift: compare two stored runs -- what became NON_COMPLIANT, what became
 * COMPLIANT, non-compliant results that went away with their resource,
 * resources that appeared or disappeared, and each pack score's change,
 * per account (cfgaudit-diff(1)).
 */
#ifndef CFGAUDIT_DRIFT_H
#define CFGAUDIT_DRIFT_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* Compare run from with run to. Returns a JSON document the caller
 * releases:
 *   {From: {RunId, AsOf}, To: {RunId, AsOf}, BecameNonCompliantCount,
 *    Accounts: [{AccountId, BecameNonCompliant: [...], BecameCompliant: [...],
 *                ResolvedByRemoval: [...], ResourcesAppeared: [...],
 *                ResourcesDisappeared: [...], PackScores: [...]}]}
 * and sets *became_noncompliant; or NULL with d filled. */
json_t *drift_compare(struct store *s, int64_t from, int64_t to, long *became_noncompliant,
		      struct diag *d);

#endif
