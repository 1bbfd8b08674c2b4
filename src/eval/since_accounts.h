/*
 * since_accounts: for eval --since-run, the accounts a per-account rule
 * re-evaluates (eval/incremental.c: reviewed_rules with account_types).
 * Internal to src/eval.
 *
 * A per-account rule is run as a per-place one whose places are under a
 * type of its own in temp.since_places ("cfgaudit:per-account:N", N its
 * rule number): every Region of each account where a resource of one of
 * its types is new, changed or gone (the account's rows of `accounts`,
 * "global", and the places of its changes). Its statement then reads
 * current_items and relationships of those accounts only, and its prior
 * results for the other accounts are copied.
 */
#ifndef CFGAUDIT_SINCE_ACCOUNTS_H
#define CFGAUDIT_SINCE_ACCOUNTS_H

#include "store/store.h"

struct since_account_rule {
	const char *own_type; /* its places' type (since_accounts_type) */
	const char *types;    /* comma-separated: the resource types it reads */
};

/* The places' type of the per-account rule numbered rule_no (caller
 * frees). */
char *since_accounts_type(int rule_no);

/* After since_mark_changed (and since_timed_add), on each connection:
 * the places of the n rules. Returns 0, or -1 with d. */
int since_accounts_add(struct store *s, const struct since_account_rule *rules, size_t n,
		       struct diag *d);

#endif
