/*
 * evidence_calls: what cfgaudit reads of a stored evidence call
 * (store/evidence.h), shared by ingest, which checks an answer when it
 * loads it, and eval, which reads it into the evaluation schema:
 *
 *   - the calls cfgaudit reads and the labels they go by in messages
 *     (cfgaudit-ingest(1) lists the rules of each);
 *   - the credential report (iam get-credential-report): the base64 CSV
 *     of its Content, and the columns cfgaudit relies on.
 */
#ifndef CFGAUDIT_STORE_EVIDENCE_CALLS_H
#define CFGAUDIT_STORE_EVIDENCE_CALLS_H

#include <stddef.h>

#include "util/diag.h"

/* The label a known call goes by in messages ("credential report"), or
 * NULL when cfgaudit does not read (service, operation). */
const char *evidence_call_label(const char *service, const char *operation);

/* The rows of a credential report: the base64 text of the answer's
 * Content. Checks AWS's header (the first 22 columns, in AWS's order;
 * more columns may follow) and calls row(arg, fields, n) for the header
 * (line 1) and every data line, fields NUL-terminated. Returns 0, or -1
 * with d's message saying what is wrong (the caller adds the path), or
 * the nonzero value row returned. */
int evidence_credential_report(const char *content_b64, size_t len,
			       int (*row)(void *arg, long line, char **fields, size_t n),
			       void *arg, struct diag *d);

/* The credential report columns cfgaudit relies on, in AWS's order. */
#define EVIDENCE_CREDENTIAL_COLUMNS 22
extern const char *const evidence_credential_columns[EVIDENCE_CREDENTIAL_COLUMNS];

#endif
