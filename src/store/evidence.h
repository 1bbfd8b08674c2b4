/*
 * evidence: the stored answers of read-only AWS CLI calls (evidence
 * files, cfgaudit-ingest(1) section EVIDENCE) -- one row per loaded file
 * in evidence_calls, beside its row in files (kind 'Evidence').
 *
 * The table is created by the first evidence file a store receives
 * (store_evidence_sql, "IF NOT EXISTS" as for run_coverage), so stores
 * without evidence keep their schema; readers take a missing table as
 * "no evidence".
 */
#ifndef CFGAUDIT_STORE_EVIDENCE_H
#define CFGAUDIT_STORE_EVIDENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One call's answer, as an evidence file holds it. Strings are borrowed. */
struct evidence_record {
	const char *account_id;	   /* 12 digits */
	const char *region;	   /* the folder region, "global" for global services */
	const char *service;	   /* the CLI's service word: "iam" */
	const char *operation;	   /* the CLI's operation word: "get-credential-report" */
	const char *qualifier;	   /* the call's argument from the file name, "" for none */
	int64_t captured_ms;	   /* when the call was made (file name) */
	int known;		   /* 1: a call cfgaudit reads; 0: kept, unused */
	const char *error_code;	   /* Error.Code of an error answer, or NULL */
	const char *error_message; /* Error.Message, or NULL */
	const char *body;	   /* the answer, compact JSON text */
};

/* The input file an evidence record came from (its files row). */
struct evidence_file {
	const char *path;		  /* as stored: relative to the ingest argument */
	long long size;			  /* bytes on disk */
	const char *sha256;		  /* hex digest of the bytes on disk */
	unsigned char key[STORE_KEY_LEN]; /* store_file_key(path, sha256) */
	const char *account_id;		  /* from the path, NULL when not usable */
	const char *region;		  /* from the path, NULL when not usable */
	int has_time;			  /* captured_ms is known */
	int64_t captured_ms;		  /* from the file name */
};

/* Create evidence_calls if it is missing. Returns 0 or -1 with d filled. */
int evidence_store_ensure(struct store *s, struct diag *d);

/* 1 if the store has evidence_calls, 0 if not, -1 with d filled. */
int evidence_store_exists(struct store *s, struct diag *d);

/* Whether the file of this key is loaded already: 1 yes, 0 no, -1 with d
 * filled on a database error. */
int evidence_file_loaded(struct store *s, const unsigned char key[STORE_KEY_LEN], struct diag *d);

/* Store rec as the content of f, in one transaction: f's files row
 * (loaded) and its evidence_calls row. Returns 0 or -1 with d filled
 * (nothing of f is kept then). */
int evidence_write(struct store *s, const struct evidence_file *f, const struct evidence_record *rec,
		   struct diag *d);

/* Record f as failed with why (err: message and offset), replacing an
 * earlier failed row of the same file. Returns 0 or -1 with d filled. */
int evidence_write_failure(struct store *s, const struct evidence_file *f, const struct diag *err,
			   struct diag *d);

/* A stored call, as evidence_find and evidence_each give it. Strings are
 * borrowed until the next row (or the end of the call). */
struct evidence_row {
	const char *account_id, *region, *service, *operation, *qualifier;
	const char *captured_at; /* canonical ISO 8601 */
	int known;
	const char *error_code; /* NULL for an answer that is not an error */
	const char *body;
	const char *path; /* the file it came from */
};

/* Call fn for the newest stored call of each (account, region, service,
 * operation, qualifier) captured at or before as_of (canonical ISO text),
 * known or not, in that order. A store without evidence gives no rows. fn
 * returns 0 to go on. Returns 0 or -1 with d filled. */
int evidence_each_latest(struct store *s, const char *as_of,
			 int (*fn)(void *arg, const struct evidence_row *r), void *arg,
			 struct diag *d);

/* The newest call of (account, region, service, operation, qualifier)
 * captured at or before as_of (canonical ISO text) into *r, passed to fn.
 * Returns 1 if found (fn was called), 0 if not, -1 with d filled. */
int evidence_find(struct store *s, const char *account_id, const char *region,
		  const char *service, const char *operation, const char *qualifier,
		  const char *as_of, int (*fn)(void *arg, const struct evidence_row *r), void *arg,
		  struct diag *d);

/* The evidence a run could use: the newest answer of each known call at
 * or before the run's as-of time, as a JSON array of objects (AccountId,
 * Region, Call, Argument, CapturedAt, ErrorCode, Path, Sha256, Answer),
 * for its bundle. *out is the caller's (an empty array without evidence).
 * Returns 0 or -1 with d filled (*out NULL). */
int evidence_run_json(struct store *s, int64_t run_id, json_t **out, struct diag *d);

/* The TEMP table evidence of the evaluation schema (cfgaudit-rules(5),
 * "Evidence"): the newest loaded answer of each known call (account_id,
 * region, service, operation, qualifier) captured at or before as_of,
 * with fresh 1 when captured at or after fresh_from (both canonical ISO
 * texts), and its file's path; empty, with the same columns, in a store
 * without evidence. Returns 0 or -1 with d filled. */
int evidence_latest_create(struct store *s, const char *as_of, const char *fresh_from,
			   struct diag *d);

/* The TEMP table organization_accounts (cfgaudit-rules(5)) from the TEMP
 * table evidence above: the accounts of each management account's newest
 * list-accounts answer, with their OU path when the fresh list-parents
 * and list-organizational-units-for-parent answers reach the root.
 * Returns 0 or -1 with d filled. */
int evidence_org_accounts_create(struct store *s, struct diag *d);

/* An account of a management account's list-accounts answer, as
 * evidence_org_accounts_each gives it. Strings are borrowed until fn
 * returns; name, state and ou_path may be NULL. */
struct evidence_org_account {
	const char *management_account_id; /* whose list-accounts answer */
	const char *account_id;
	const char *name;	 /* Name in the answer */
	const char *state;	 /* State (or Status): ACTIVE, SUSPENDED, ... */
	const char *ou_path;	 /* "Root/Workloads/Prod", NULL when the fresh
				  * list-parents answers do not reach the root */
	const char *captured_at; /* the list-accounts answer's capture time */
	int fresh;		 /* captured at or after fresh_from */
};

/* Outside an evaluation (reports): call fn for each account of the newest
 * list-accounts answer of each management account captured at or before
 * as_of, with the OU path from list-parents and
 * list-organizational-units-for-parent answers captured between
 * fresh_from and as_of (canonical ISO texts), as organization_accounts
 * has them; by account, a fresh answer first, then the newest. fn returns
 * 0 to go on, else the walk stops and -1 is returned (fn fills d). A store
 * without evidence gives no rows. Returns 0 or -1 with d filled. */
int evidence_org_accounts_each(struct store *s, const char *as_of, const char *fresh_from,
			       int (*fn)(void *arg, const struct evidence_org_account *a),
			       void *arg, struct diag *d);

#endif
