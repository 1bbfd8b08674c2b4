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

/* The SQL that creates each table (and index) in the temp schema; derived.c
 * runs it. All but the first read s3_bucket_facts (s3_public_statements
 * reads s3_policy_statements), which derived.c's requires build first. */
extern const char s3_bucket_facts_sql[];
extern const char s3_policy_statements_sql[];
extern const char s3_bucket_access_sql[];
extern const char s3_public_grants_sql[];
extern const char s3_public_statements_sql[];

/* Build s3_bucket_facts as s3_bucket_facts_sql would (derived.c
 * registers it). */
int s3_build_bucket_facts(struct store *s, struct diag *d);

/* Build s3_policy_statements as s3_policy_statements_sql would. */
int s3_build_policy_statements(struct store *s, struct diag *d);

/* Build s3_public_grants as s3_public_grants_sql would. */
int s3_build_public_grants(struct store *s, struct diag *d);

#endif
