/*
 * s3_facts: the S3 derived tables of the evaluation schema
 * (cfgaudit-rules(5)): s3_bucket_facts, the parts of each current
 * bucket's configuration and supplementary configuration that the S3
 * rules read, taken apart once per run; and, built from it, the
 * statements of the buckets' policies (s3_policy_statements) and the
 * public-access tables s3_bucket_access, s3_public_grants and
 * s3_public_statements.
 */
#ifndef CFGAUDIT_S3_FACTS_H
#define CFGAUDIT_S3_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* Each creates its table (and index) in the temp schema. All but the
 * first read s3_bucket_facts (s3_public_statements reads
 * s3_policy_statements), which the caller builds first (derived.c's
 * requires). Return 0, or -1 with d filled. */
int s3_build_bucket_facts(struct store *s, struct diag *d);
int s3_build_policy_statements(struct store *s, struct diag *d);
int s3_build_bucket_access(struct store *s, struct diag *d);
int s3_build_public_grants(struct store *s, struct diag *d);
int s3_build_public_statements(struct store *s, struct diag *d);

#endif
