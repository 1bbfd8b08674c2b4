/*
 * shards: which accounts a store holds when an organization is split
 * over several stores (cfgaudit-merge(1)).
 *
 * A shard owns accounts: by a stable assignment from the account id
 * (--shard K/N: the first 32 bits of the SHA-256 of the 12-digit id,
 * modulo N, equal K; every host computes the same split without
 * coordination) or by an explicit
 * list (--accounts FILE). It also loads context accounts (--context-account):
 * accounts whose items other accounts' verdicts depend on (the management
 * account's organization trail, the security account's GuardDuty
 * administrator, KMS keys shared across accounts). Their results are kept
 * only from the shard that owns them.
 */
#ifndef CFGAUDIT_SHARDS_H
#define CFGAUDIT_SHARDS_H

#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

#define SHARD_ACCOUNT_LEN 13 /* 12 digits and NUL */

struct shard_selection {
	unsigned k, n;                        /* --shard K/N; n == 0 when not given */
	char (*accounts)[SHARD_ACCOUNT_LEN];  /* --accounts, sorted, unique */
	size_t n_accounts;
	char (*context)[SHARD_ACCOUNT_LEN];   /* --context-account, sorted, unique */
	size_t n_context;
};

/* Is any selection made (a shard or an account list)? */
int shard_active(const struct shard_selection *s);

/* Parse "K/N" (0 <= K < N <= 65536). Returns 0, or -1 with d filled. */
int shard_parse_spec(const char *spec, struct shard_selection *s, struct diag *d);

/* Add an account id (exactly 12 digits) to the owned list or the context
 * list. Returns 0, or -1 with d filled (what names where it came from). */
int shard_add_account(struct shard_selection *s, const char *id, int context, const char *what,
		      struct diag *d);

/* Read an --accounts file: one 12-digit id per line; blank lines and
 * '#' comments allowed. Errors name the file and line. */
int shard_read_accounts(struct shard_selection *s, const char *path, struct diag *d);

/* Sort and deduplicate the lists (after all adds). */
void shard_finish(struct shard_selection *s);

/* The shard (0..n-1) an account falls in, and whether s owns it, or
 * loads it (owns it or has it as context). */
unsigned shard_of(const char *account, unsigned n);
int shard_owns(const struct shard_selection *s, const char *account);
int shard_loads(const struct shard_selection *s, const char *account);

/* The selection as one line ("shard 1/3, context 111111111111"). */
void shard_describe(const struct shard_selection *s, char *out, size_t outlen);

/* Record s in the store on its first ingest, or check that it equals
 * the recorded one (s may be inactive: a whole organization). A store
 * that holds items loaded without a selection cannot become a shard, nor
 * a shard take other accounts. Returns 0, or -1 with d filled. */
int shard_record(struct store *st, const struct shard_selection *s, struct diag *d);

/* The recorded selection of a store (shard_active false if none).
 * Returns 0, or -1 with d filled. */
int shard_load(struct store *st, struct shard_selection *s, struct diag *d);

void shard_release(struct shard_selection *s);

#endif
