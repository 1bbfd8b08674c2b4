/*
 * evidence (ingest side): evidence files -- the answer of one read-only
 * AWS CLI call (`--output json`) per file, in the archive tree beside the
 * Config files (cfgaudit-ingest(1), section EVIDENCE):
 *
 *   [prefix/]AWSLogs/<account>/Evidence/<region>/<service>/<operation>/
 *       <YYYYMMDDTHHMMSSZ>[_<qualifier>].json[.gz]
 *
 * The time is when the call was made (UTC); the optional qualifier is
 * the call's argument, percent-encoded (a trail name, a web ACL ARN, a
 * detector id). An answer AWS gave as an error is kept as
 * {"Error": {"Code": "...", "Message": "..."}}.
 *
 * Each file is loaded whole or not at all, with its provenance (files
 * row, SHA-256); one already loaded (same path and digest) is skipped.
 */
#ifndef CFGAUDIT_INGEST_EVIDENCE_H
#define CFGAUDIT_INGEST_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* Whether path lies in an evidence folder of the layout (by its place
 * alone: AWSLogs/<anything>/Evidence/<region>/<service>/<operation>/<file>,
 * the file not a dot file): 1 for an evidence file (its name and account
 * are checked when it is loaded), 2 for an AWS Config answer of AWS's own
 * verdicts kept there (configservice/get-compliance-details-by-config-rule,
 * ..., or under "config", the folder earlier cfgaudit-collect versions
 * wrote), which the reader loads as Config data; 0 else. For 1 and 2 the account
 * and region folders are copied to account and region (when they fit). */
int evidence_path_match(const char *path, char *account, size_t account_len, char *region,
			size_t region_len);

/* What ingesting one evidence file came to. */
enum evidence_outcome {
	EVIDENCE_LOADED,  /* stored */
	EVIDENCE_SKIPPED, /* that exact file is loaded already */
	EVIDENCE_FAILED,  /* rejected whole: err says why; recorded when it could be hashed */
};

/* Load the evidence file open_path (stored as rel). Returns 0 with *out
 * set (EVIDENCE_FAILED with err filled: path, byte offset where known,
 * what is wrong; a call cfgaudit does not read loads with warn filled
 * and *has_warn set), or -1 with d filled when the store itself failed. */
int evidence_ingest_file(struct store *s, const char *open_path, const char *rel,
			 enum evidence_outcome *out, struct diag *err, struct diag *warn,
			 int *has_warn, struct diag *d);

#endif
